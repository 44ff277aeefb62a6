// Recording on the phone, with or without a network: the record is signed over its exact
// JSON bytes and stored with its sequence number in one transaction, under a lock every
// tab of this app shares, so two tabs never take the same number and a crash leaves no gap.

import { all, get, transact } from "./db.js";
import { signText, uuidv7 } from "./sign.js";

// This page session's boot: `performance.now()` counts from it, so a time anchor taken
// in another session is not used (the server then falls back to the wall clock, flagged).
const BOOT_ID = uuidv7();

export function deviceTime(anchor) {
  const time = {
    wall_clock_ms: Date.now(),
    monotonic_ms: Math.floor(performance.now()),
    boot_id: BOOT_ID,
  };
  if (anchor && anchor.boot_id === BOOT_ID) time.anchor = anchor;
  return time;
}

// The anchor the server's time gives, at this moment of this session.
export function anchorAt(serverTimeMs) {
  return { server_time_ms: serverTimeMs, monotonic_ms: Math.floor(performance.now()), boot_id: BOOT_ID };
}

function position(timeoutMs) {
  return new Promise((resolve) => {
    if (!("geolocation" in navigator)) return resolve(null);
    navigator.geolocation.getCurrentPosition(
      (fix) => resolve(fix),
      () => resolve(null),
      { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 30_000 },
    );
  });
}

export class NotRecorded extends Error {}

// What a waiting record takes on the phone, as the storage limit counts it.
export function storedBytes(entry) {
  return entry.payload.length + entry.signature.length;
}

// Records `kind` now (with `leave` details for a leave request, and the site's QR code
// when one was scanned or typed); answers the stored queue entry.
export async function record(kind, leave, siteCode) {
  const [device, config] = await Promise.all([get("device"), get("config")]);
  if (!device) throw new NotRecorded("this phone is not registered yet");
  const settings = config?.settings ?? {};
  if (settings.enabled === false) throw new NotRecorded("offline tracking is turned off for your organisation");
  const used = (await all("queue")).reduce((sum, r) => sum + storedBytes(r), 0);
  const limitMb = settings.storage_limit_mb ?? 100;
  if (used >= limitMb * 1024 * 1024) {
    throw new NotRecorded(`this phone holds ${limitMb} MB of records, your organisation's limit: sync first`);
  }
  // A leave request carries no place; an optional fix is not worth a long wait.
  const gpsRequired = settings.gps_required !== false && kind !== "leave_request";
  const fix = kind === "leave_request" ? null : await position(gpsRequired ? 10_000 : 3_000);
  if (!siteCode && settings.qr_required && kind !== "leave_request") {
    throw new NotRecorded("your organisation needs the site's QR code with each record: scan or type it");
  }
  if (!fix && gpsRequired) {
    throw new NotRecorded("your organisation needs a GPS fix with each record: allow location and try again");
  }
  return navigator.locks.request("offline-tracking-sequence", async () => {
    const [keys, last, anchor] = await Promise.all([get("keys"), get("last_sequence"), get("anchor")]);
    const sequence = (last ?? 0) + 1;
    const body = {
      id: uuidv7(),
      device_id: device.device_id,
      sequence,
      kind,
      device_time: deviceTime(anchor),
    };
    if (leave) body.leave = leave;
    if (siteCode) body.qr = { payload: siteCode, scanned_at_ms: Date.now() };
    if (fix) {
      body.gps = {
        latitude: fix.coords.latitude,
        longitude: fix.coords.longitude,
        accuracy_m: fix.coords.accuracy,
        provider: "browser",
        mock_location: false,
        captured_at_ms: Math.floor(fix.timestamp),
      };
    }
    const payload = JSON.stringify(body);
    const signature = await signText(keys, payload);
    const entry = { sequence, record_id: body.id, kind, payload, signature, recorded_at_ms: body.device_time.wall_clock_ms, state: "pending", leave };
    await transact(["state", "queue"], "readwrite", ({ state, queue }) => {
      queue.add(entry);
      state.put(sequence, "last_sequence");
    });
    return entry;
  });
}

// The employee's attendance app: works offline from the moment it is installed, records
// into the phone's durable queue and syncs by itself when the network returns.

import { all, get } from "./db.js";
import { NotRecorded, record, storedBytes } from "./record.js";
import { SyncProblem, queueAction, signInAndRegister, syncNow } from "./sync.js";

const $ = (selector) => document.querySelector(selector);
const PERIODIC_SYNC_MS = 60_000;
const FIRST_RETRY_MS = 2_000;
const LONGEST_RETRY_MS = 5 * 60_000;
const DAY_MS = 86_400_000;
let syncing = false;
let failures = 0;
let retryTimer;

function say(text) {
  $("#message").textContent = text ?? "";
}

function showNetwork() {
  $("#network").textContent = navigator.onLine ? "online" : "offline";
}

// How each state reads; "sent" means a sync carried it and no answer came back (the
// network or the suite dropped it): the next sync sends it again.
const STATES = { pending: "pending", sent: "sent, no answer yet" };

const LABELS = { check_in: "Check in", check_out: "Check out", break_start: "Break start", break_end: "Break end", leave_request: "Leave request" };

// Where the employee stands, from their own records, newest last (a record the server
// refused or the employee withdrew does not count).
function standing(records, withdrawn) {
  const counted = records.filter((r) => r.kind !== "leave_request" && r.state !== "rejected" && !withdrawn.has(r.record_id));
  const last = counted.at(-1)?.kind;
  return { check_in: "Checked in", break_end: "Checked in", break_start: "On a break", check_out: "Checked out" }[last] ?? "Not checked in";
}

// How long ago, in the largest whole unit.
function age(ms) {
  const minutes = Math.max(0, Math.floor((Date.now() - ms) / 60_000));
  if (minutes < 60) return `${minutes} min ago`;
  if (minutes < 48 * 60) return `${Math.floor(minutes / 60)} h ago`;
  return `${Math.floor(minutes / (24 * 60))} days ago`;
}

async function render() {
  const device = await get("device");
  $("#sign-in").hidden = Boolean(device);
  $("#attendance").hidden = !device;
  if (!device) return;
  const [waiting, receipts, leave, conflicts, actions] = await Promise.all([all("queue"), all("receipts"), all("leave"), all("conflicts"), all("actions")]);
  const leaveByRecord = new Map(leave.map((l) => [l.request_id, l]));
  const records = [...receipts, ...waiting].sort((a, b) => a.sequence - b.sequence);
  const withdrawn = new Set(actions.filter((a) => a.action === "withdraw" && a.state === "applied").map((a) => a.record_id));
  $("#state").textContent = standing(records, withdrawn);
  const config = await get("config");
  const lastSuccess = await get("last_success_at_ms");
  $("#sync-summary").textContent =
    `${waiting.length} waiting to sync` +
    (lastSuccess ? `; last sync ${new Date(lastSuccess).toLocaleString()}` : "; never synced") +
    (config ? `; configuration version ${config.config_version}` : "");
  const rows = records.map((r) => {
    const row = document.createElement("tr");
    row.dataset.sequence = r.sequence;
    const what = r.leave ? `${LABELS[r.kind]} (${r.leave.leave_type}, ${r.leave.starts_on} to ${r.leave.ends_on})` : LABELS[r.kind] ?? r.kind;
    const decision = leaveByRecord.get(r.record_id);
    const shown = STATES[r.state] ?? r.state;
    const stateText = decision && decision.status !== "pending" ? `${shown}, leave ${decision.status}${decision.note ? `: ${decision.note}` : ""}` : shown;
    for (const text of [r.sequence, what, `${new Date(r.recorded_at_ms).toLocaleString()} (${age(r.recorded_at_ms)})`, stateText]) {
      const cell = document.createElement("td");
      cell.textContent = text;
      row.append(cell);
    }
    return row;
  });
  $("#records tbody").replaceChildren(...rows.reverse());
  showLimits(waiting, config?.settings ?? {});
  showConflicts(conflicts, actions, records);
  showSettings(config);
}

const SETTING_LABELS = [
  ["max_offline_days", "Records may wait on this phone (days)"],
  ["storage_limit_mb", "Storage limit (MB)"],
  ["sync_on_wifi_only", "Sync on WiFi only"],
  ["auto_retry", "Retry failed syncs automatically"],
  ["gps_required", "GPS fix required"],
  ["conflict_resolution", "Conflicts are settled by"],
];

// The organisation's configuration this phone follows, with its version.
function showSettings(config) {
  const settings = config?.settings ?? {};
  const rows = SETTING_LABELS.filter(([key]) => key in settings).map(([key, label]) => {
    const row = document.createElement("tr");
    const name = document.createElement("th");
    name.scope = "row";
    name.textContent = label;
    const value = document.createElement("td");
    const raw = settings[key];
    value.textContent = raw === true ? "yes" : raw === false ? "no" : String(raw).replaceAll("_", " ");
    row.append(name, value);
    return row;
  });
  $("#settings tbody").replaceChildren(...rows);
  $("#settings-version").textContent = config ? `version ${config.config_version}` : "not loaded yet";
}

function showConflicts(conflicts, actions, records) {
  $("#no-conflicts").hidden = conflicts.length > 0;
  const items = conflicts.map((c) => {
    const item = document.createElement("li");
    item.dataset.conflict = c.conflict_id;
    const record = records.find((r) => r.record_id === c.record_id);
    const mine = actions.filter((a) => a.record_id === c.record_id);
    const lines = [
      `${LABELS[record?.kind] ?? "A record"} #${record?.sequence ?? "?"}: ${c.conflict_type.replaceAll("_", " ")}, ${c.resolution.replaceAll("_", " ")}`,
      c.decision ? `Administrator: ${c.decision.replaceAll("_", " ")}${c.note ? `: ${c.note}` : ""}` : "",
      c.dissolved ? "It no longer applies." : "",
      ...mine.map((a) => `You: ${a.action} ${a.state}${a.message ? ` (${a.message})` : ""}${a.note ? `: ${a.note}` : ""}`),
    ].filter(Boolean);
    for (const line of lines) {
      const p = document.createElement("p");
      p.textContent = line;
      item.append(p);
    }
    if (!c.dissolved) {
      const label = document.createElement("label");
      label.htmlFor = `note-${c.conflict_id}`;
      label.textContent = "Note for the administrator";
      const input = document.createElement("input");
      input.id = `note-${c.conflict_id}`;
      input.maxLength = 1000;
      item.append(label, input);
      for (const [text, action] of [["Withdraw my record", "withdraw"], ["Add the note", "annotate"]]) {
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = text;
        button.addEventListener("click", () => onAction(c.record_id, action, input.value));
        item.append(button);
      }
    }
    return item;
  });
  $("#conflicts").replaceChildren(...items);
}

async function onAction(recordId, action, note) {
  if (action === "annotate" && !note.trim()) return say("Write the note first.");
  await queueAction(recordId, action, note.trim() || undefined);
  await render();
  trySync();
}

// Storage used against the organisation's limit, and the time left before the oldest
// waiting record passes max offline days.
function showLimits(waiting, settings) {
  const used = waiting.reduce((sum, r) => sum + storedBytes(r), 0);
  const limitMb = settings.storage_limit_mb ?? 100;
  const maxDays = settings.max_offline_days ?? 7;
  const parts = [`Storage: ${(used / 1024).toFixed(1)} KB of ${limitMb} MB`];
  let late = false;
  if (waiting.length) {
    const oldest = Math.min(...waiting.map((r) => r.recorded_at_ms));
    const left = oldest + maxDays * DAY_MS - Date.now();
    late = left < DAY_MS;
    const days = (n) => `${n} day${n === 1 ? "" : "s"}`;
    parts.push(left > 0
      ? `sync within ${days(Math.floor(left / DAY_MS))} ${Math.floor((left % DAY_MS) / 3_600_000)} h (at most ${days(maxDays)} offline)`
      : `the oldest record waited more than ${days(maxDays)}: it is kept, and an administrator will review it`);
  }
  $("#limits").textContent = parts.join("; ");
  $("#limits").classList.toggle("warn", late);
}

// Whether this network may be used now: with "sync on WiFi only", only a connection the
// browser reports as WiFi or Ethernet. Browsers without the Network Information API
// cannot tell, so the app then syncs only when the employee presses Sync Now.
function networkAllowed(settings, pressed) {
  if (!settings.sync_on_wifi_only) return true;
  const type = navigator.connection?.type;
  if (type === "wifi" || type === "ethernet") return true;
  if (type === undefined && pressed) return true;
  say(type === undefined ? "Waiting for WiFi: this browser cannot tell the network apart, so press Sync Now on WiFi." : "Waiting for WiFi: your organisation syncs on WiFi only.");
  return false;
}

// After a failed sync: again after 2 s, 4 s, 8 s… (at most 5 minutes), each spread by up
// to half at random so a crowd of phones does not come back at once, or after the
// server's Retry-After when it named one.
function scheduleRetry(settings, retryAfterSeconds) {
  clearTimeout(retryTimer);
  if (settings.auto_retry === false) return;
  failures += 1;
  const backoff = Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.min(failures - 1, 20));
  const wait = retryAfterSeconds ? retryAfterSeconds * 1000 : backoff / 2 + Math.random() * (backoff / 2);
  retryTimer = setTimeout(trySync, wait);
}

async function trySync(pressed = false) {
  if (syncing || !(await get("device")) || !navigator.onLine) return;
  const settings = (await get("config"))?.settings ?? {};
  if (!networkAllowed(settings, pressed)) return;
  syncing = true;
  try {
    const tally = await syncNow();
    failures = 0;
    say(`Synced: ${tally.accepted} accepted, ${tally.duplicates} already there, ${tally.conflicts} conflicts, ${tally.rejected} rejected.`);
  } catch (problem) {
    say(problem instanceof SyncProblem ? `Not synced: ${problem.message}. Your records are safe on this phone.` : String(problem));
    scheduleRetry(settings, problem.retryAfterSeconds);
  } finally {
    syncing = false;
    await render();
  }
}

// Reads a site's QR code with the camera, where the browser can (BarcodeDetector);
// elsewhere the employee types the code printed under it.
async function scanSiteCode() {
  const video = $("#camera");
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    const detector = new BarcodeDetector({ formats: ["qr_code"] });
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const [code] = await detector.detect(video);
      if (code) {
        $("#site-code").value = code.rawValue;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    say("No code seen in 30 s: type it instead.");
  } catch (problem) {
    say(`The camera cannot scan here (${problem.message}): type the code instead.`);
  } finally {
    stream?.getTracks().forEach((track) => track.stop());
    video.hidden = true;
  }
}

// Recorded with no network: asks the browser to sync once the network is back, even if
// the app is closed by then (Background Sync, where the browser has it). While the app is
// open and online it syncs, and retries, by itself.
async function syncInBackground() {
  if (navigator.onLine) return;
  const registration = await navigator.serviceWorker?.ready;
  await registration?.sync?.register("offline-tracking").catch(() => {});
}

async function onRecord(event) {
  const kind = event.target.dataset.kind;
  const siteCode = $("#site-code").value.trim();
  try {
    await record(kind, undefined, siteCode || undefined);
    $("#site-code").value = "";
    say("");
  } catch (problem) {
    say(problem instanceof NotRecorded ? `Not recorded: ${problem.message}.` : String(problem));
  }
  await render();
  syncInBackground();
  trySync();
}

async function onLeave(event) {
  event.preventDefault();
  const form = event.target;
  const leave = { leave_type: form.leave_type.value, starts_on: form.starts_on.value, ends_on: form.ends_on.value };
  if (form.reason.value.trim()) leave.reason = form.reason.value.trim();
  if (leave.ends_on < leave.starts_on) return say("Not requested: the last day is before the first.");
  try {
    await record("leave_request", leave);
    form.reset();
    say("");
  } catch (problem) {
    say(problem instanceof NotRecorded ? `Not requested: ${problem.message}.` : String(problem));
  }
  await render();
  trySync();
}

async function onSignIn(event) {
  event.preventDefault();
  const form = event.target;
  try {
    await signInAndRegister(form.login.value, form.password.value);
    form.password.value = "";
    say("");
  } catch (problem) {
    say(`Not signed in: ${problem.message}.`);
  }
  await render();
}

function start() {
  showNetwork();
  addEventListener("online", () => { showNetwork(); trySync(); });
  navigator.connection?.addEventListener("change", () => trySync());
  addEventListener("offline", showNetwork);
  $("#sign-in-form").addEventListener("submit", onSignIn);
  for (const button of document.querySelectorAll("[data-kind]")) button.addEventListener("click", onRecord);
  $("#leave-form").addEventListener("submit", onLeave);
  if ("BarcodeDetector" in window && navigator.mediaDevices) {
    $("#scan").hidden = false;
    $("#scan").addEventListener("click", scanSiteCode);
  }
  $("#sync-now").addEventListener("click", () => trySync(true));
  setInterval(() => trySync(), PERIODIC_SYNC_MS);
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("sw.js", { scope: "./", type: "module" }).catch((problem) => say(`This browser will not keep the app offline: ${problem.message}`));
  }
  render().then(() => trySync());
}

start();

// Sync with the suite: signing in and registering once, then pushing what waits through
// the sync hub and keeping the server's final answers. A record leaves the queue only
// when the server answered it for good; `retry_later` keeps it, and a lost answer is
// harmless because a resend is answered as a duplicate of the stored copy.

import { all, get, put, transact } from "./db.js";
import { anchorAt, deviceTime, storedBytes } from "./record.js";
import { newKeyPair, publicKeyBase64, uuidv7 } from "./sign.js";

export const APP_VERSION = "0.1.0";
const MODULE = "/api/modules/offline-tracking";
const BATCH = 100;

export class SyncProblem extends Error {
  // `answered`: the suite answered (it refused, so nothing was stored); otherwise the
  // request may or may not have reached it.
  constructor(message, retryAfterSeconds, answered = false) {
    super(message);
    this.retryAfterSeconds = retryAfterSeconds;
    this.answered = answered;
  }
}

async function call(path, { method = "GET", token, device, body } = {}) {
  const headers = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  if (device) {
    headers["x-device-id"] = device.device_id;
    headers["x-device-token"] = device.device_token;
  }
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new SyncProblem("the suite cannot be reached");
  }
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) {
    const retry = Number(response.headers.get("retry-after")) || undefined;
    throw new SyncProblem(answer.message ?? `the suite answered ${response.status}`, retry, true);
  }
  return answer;
}

// Signs in with the suite login, registers this phone with a new key pair, and keeps what
// every later sync needs.
export async function signInAndRegister(login, password) {
  const issued = await call("/api/auth/token", { method: "POST", body: { login, password, label: "attendance web app" } });
  const keys = await newKeyPair();
  const registered = await call(`${MODULE}/devices`, {
    method: "POST",
    token: issued.token,
    body: { install_id: uuidv7(), platform: "web", app_version: APP_VERSION, public_key: await publicKeyBase64(keys) },
  });
  await transact(["state"], "readwrite", ({ state }) => {
    state.put(issued.token, "token");
    state.put(keys, "keys");
    state.put(registered, "device");
    state.put(anchorAt(registered.server_time_ms), "anchor");
    state.put(0, "last_sequence");
  });
  await refreshConfig();
  return registered;
}

export async function refreshConfig() {
  const token = await get("token");
  const config = await call(`${MODULE}/config`, { token });
  await put("config", config);
  return config;
}

// A result carries its outcome's fields beside `record_id` and `sequence`:
// `{"record_id", "sequence", "status": "accepted", …}`.
function isFinal(result) {
  return result.status !== "retry_later";
}

const TALLIED = { accepted: "accepted", duplicate: "duplicates", conflict: "conflicts", rejected: "rejected", retry_later: "retry_later" };

// Sets the state of `batch`'s entries that are still queued.
async function markBatch(batch, state) {
  await transact(["queue"], "readwrite", ({ queue }) => {
    for (const entry of batch) {
      const stored = queue.get(entry.sequence);
      stored.onsuccess = () => {
        if (stored.result) queue.put({ ...stored.result, state });
      };
    }
  });
}

// The organisation's most urgent kinds first (the kinds it did not list follow), each
// kind in sequence order, as the field app sends them.
function inPriorityOrder(records, priorities) {
  const rank = (kind) => {
    const place = priorities.indexOf(kind);
    return place === -1 ? priorities.length : place;
  };
  return [...records].sort((a, b) => rank(a.kind) - rank(b.kind) || a.sequence - b.sequence);
}

// Pushes every waiting record, batch after batch, then pulls what changed; answers how
// the records were settled. One sync at a time across the app's tabs and its service
// worker (Background Sync), so a record is never in two pushes at once.
export async function syncNow() {
  return navigator.locks.request("offline-tracking-sync", syncOnce);
}

async function syncOnce() {
  const [token, device] = await Promise.all([get("token"), get("device")]);
  if (!device) throw new SyncProblem("this phone is not registered yet");
  const tally = { accepted: 0, duplicates: 0, conflicts: 0, rejected: 0, retry_later: 0 };
  for (;;) {
    const [config, anchor, last] = await Promise.all([get("config"), get("anchor"), get("last_sequence")]);
    const waiting = (await all("queue")).sort((a, b) => a.sequence - b.sequence);
    const batch = inPriorityOrder(waiting, config?.settings?.sync_priorities ?? []).slice(0, BATCH);
    const actions = (await all("actions")).filter((a) => a.state === "pending");
    const request = {
      protocol_version: 1,
      device_id: device.device_id,
      sent_at: deviceTime(anchor),
      records: batch.map(({ payload, signature }) => ({ payload, signature })),
      actions: actions.map(({ id, record_id, action, note }) => (note ? { id, record_id, action, note } : { id, record_id, action })),
      health: {
        queue_depth: waiting.length,
        oldest_pending_ms: waiting[0]?.recorded_at_ms,
        storage_used_bytes: waiting.reduce((sum, r) => sum + storedBytes(r), 0),
        app_version: APP_VERSION,
        config_version: config?.config_version ?? 0,
        failed_attempts_since_success: (await get("failures")) ?? 0,
        last_success_at_ms: await get("last_success_at_ms"),
        last_recorded_sequence: last ?? 0,
        network: navigator.connection?.type,
      },
    };
    // "sent" until the server's answer arrives: if it never does (the network dropped it),
    // the record shows as sent, not pending, and the next sync sends it again.
    await markBatch(batch, "sent");
    let hub;
    try {
      hub = await call("/api/v1/sync/push", { method: "POST", token, device, body: { protocol_version: 1, collections: { offline_tracking: request } } });
    } catch (problem) {
      await put("failures", ((await get("failures")) ?? 0) + 1);
      if (problem.answered) await markBatch(batch, "pending");
      throw problem;
    }
    const answer = hub.collections?.offline_tracking;
    if (!answer || answer.status >= 400) {
      await markBatch(batch, "pending");
      throw new SyncProblem(answer?.body?.message ?? "the suite refused the sync", undefined, true);
    }
    const response = answer.body;
    const now = Date.now();
    await transact(["state", "queue", "receipts", "conflicts", "actions"], "readwrite", ({ state, queue, receipts, conflicts, actions: sentActions }) => {
      for (const result of response.action_results ?? []) {
        const sentAction = actions.find((a) => a.id === result.action_id);
        if (sentAction) sentActions.put({ ...sentAction, state: result.status, message: result.message });
      }
      for (const result of response.results) {
        if (result.status === "conflict") {
          conflicts.put({ conflict_id: result.conflict_id, conflict_type: result.conflict_type, resolution: result.resolution, record_id: result.record_id, dissolved: false });
        }
        tally[TALLIED[result.status]] += 1;
        if (!isFinal(result)) {
          const waitingEntry = batch.find((r) => r.sequence === result.sequence);
          if (waitingEntry) queue.put({ ...waitingEntry, state: "pending" });
          continue;
        }
        const sent = batch.find((r) => r.sequence === result.sequence);
        queue.delete(result.sequence);
        receipts.put({ sequence: result.sequence, record_id: result.record_id, kind: sent?.kind, leave: sent?.leave, recorded_at_ms: sent?.recorded_at_ms, state: result.status, settled_at_ms: now });
      }
      state.put(anchorAt(response.server_time_ms), "anchor");
      state.put(0, "failures");
      state.put(now, "last_success_at_ms");
    });
    if (response.config_version !== (config?.config_version ?? 0)) await refreshConfig().catch(() => {});
    const settled = response.results.filter(isFinal).length;
    if (batch.length < BATCH || settled === 0) {
      await pullChanges(token, device);
      return tally;
    }
  }
}

// Reads what changed on the server for this employee since the last pull (conflicts
// decided or reversed, leave decisions, outcomes, configuration), page by page; each page
// and its cursor are stored in one transaction, so a pull cut short resumes where it was.
async function pullChanges(token, device) {
  for (let page = 0; page < 50; page++) {
    const cursor = (await get("pull_cursor")) ?? "";
    const hub = await call(`/api/v1/sync/pull?protocol_version=1&collections=offline_tracking&limit=200&cursor=${encodeURIComponent(cursor)}`, { token, device });
    const answer = hub.collections?.offline_tracking;
    if (!answer || answer.status >= 400) throw new SyncProblem(answer?.body?.message ?? "the suite refused the pull");
    const changes = answer.body.changes ?? [];
    let configChanged = false;
    await transact(["state", "conflicts", "leave", "receipts"], "readwrite", ({ state, conflicts, leave, receipts }) => {
      for (const change of changes) {
        const data = change.data;
        if (change.kind === "conflict") conflicts.put({ ...data, updated_at_ms: change.at_ms });
        if (change.kind === "leave_request") leave.put({ ...data, updated_at_ms: change.at_ms });
        if (change.kind === "config") configChanged = true;
        if (change.kind === "record_outcome") {
          const request = receipts.get(data.sequence);
          request.onsuccess = () => {
            if (request.result) receipts.put({ ...request.result, state: data.status });
          };
        }
      }
      state.put(hub.cursor ?? cursor, "pull_cursor");
    });
    if (configChanged) await refreshConfig().catch(() => {});
    if (!hub.has_more && !answer.body.has_more) return;
  }
}

// Queues a withdrawal or a note about one of the employee's records; it is sent with the
// next sync.
export async function queueAction(recordId, action, note) {
  const entry = { id: uuidv7(), record_id: recordId, action, state: "pending", created_at_ms: Date.now() };
  if (note) entry.note = note;
  await transact(["actions"], "readwrite", ({ actions }) => { actions.put(entry); });
  return entry;
}

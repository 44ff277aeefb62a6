// The employee's attendance app: works offline from the moment it is installed, records
// into the phone's durable queue and syncs by itself when the network returns.

import { all, get } from "./db.js";
import { NotRecorded, record } from "./record.js";
import { SyncProblem, signInAndRegister, syncNow } from "./sync.js";

const $ = (selector) => document.querySelector(selector);
const PERIODIC_SYNC_MS = 60_000;
let syncing = false;

function say(text) {
  $("#message").textContent = text ?? "";
}

function showNetwork() {
  $("#network").textContent = navigator.onLine ? "online" : "offline";
}

const LABELS = { check_in: "Check in", check_out: "Check out", break_start: "Break start", break_end: "Break end", leave_request: "Leave request" };

// Where the employee stands, from their own records, newest last.
function standing(records) {
  const last = records.filter((r) => r.kind !== "leave_request").at(-1)?.kind;
  return { check_in: "Checked in", break_end: "Checked in", break_start: "On a break", check_out: "Checked out" }[last] ?? "Not checked in";
}

async function render() {
  const device = await get("device");
  $("#sign-in").hidden = Boolean(device);
  $("#attendance").hidden = !device;
  if (!device) return;
  const [waiting, receipts] = await Promise.all([all("queue"), all("receipts")]);
  const records = [...receipts, ...waiting].sort((a, b) => a.sequence - b.sequence);
  $("#state").textContent = standing(records);
  const config = await get("config");
  const lastSuccess = await get("last_success_at_ms");
  $("#sync-summary").textContent =
    `${waiting.length} waiting to sync` +
    (lastSuccess ? `; last sync ${new Date(lastSuccess).toLocaleString()}` : "; never synced") +
    (config ? `; configuration version ${config.config_version}` : "");
  const rows = records.map((r) => {
    const row = document.createElement("tr");
    row.dataset.sequence = r.sequence;
    for (const text of [r.sequence, LABELS[r.kind] ?? r.kind, new Date(r.recorded_at_ms).toLocaleString(), r.state]) {
      const cell = document.createElement("td");
      cell.textContent = text;
      row.append(cell);
    }
    return row;
  });
  $("#records tbody").replaceChildren(...rows.reverse());
}

async function trySync() {
  if (syncing || !(await get("device")) || !navigator.onLine) return;
  syncing = true;
  try {
    const tally = await syncNow();
    say("");
    $("#sync-summary").dataset.lastTally = JSON.stringify(tally);
  } catch (problem) {
    say(problem instanceof SyncProblem ? `Not synced: ${problem.message}. Your records are safe on this phone.` : String(problem));
  } finally {
    syncing = false;
    await render();
  }
}

async function onRecord(event) {
  const kind = event.target.dataset.kind;
  try {
    await record(kind);
    say("");
  } catch (problem) {
    say(problem instanceof NotRecorded ? `Not recorded: ${problem.message}.` : String(problem));
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
  addEventListener("offline", showNetwork);
  $("#sign-in-form").addEventListener("submit", onSignIn);
  for (const button of document.querySelectorAll("[data-kind]")) button.addEventListener("click", onRecord);
  $("#sync-now").addEventListener("click", trySync);
  setInterval(trySync, PERIODIC_SYNC_MS);
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("sw.js", { scope: "./" }).catch((problem) => say(`This browser will not keep the app offline: ${problem.message}`));
  }
  render().then(trySync);
}

start();

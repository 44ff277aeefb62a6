// The phone's durable store: IndexedDB. `state` holds the sign-in, the device and its
// key pair (the private key is a non-extractable CryptoKey: it can sign, never be read),
// the time anchor, the configuration, the pull cursor and the last sequence number;
// `queue` holds records not yet answered for good; `receipts` keeps a short line per
// record the server settled; `conflicts` and `leave` hold what the server reported about
// them; `actions` holds the employee's withdrawals and notes until the server answers.

const NAME = "offline-tracking";
const VERSION = 2;

let opened;

function promised(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

export function open() {
  opened ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(NAME, VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      const stores = [
        ["state", undefined],
        ["queue", "sequence"],
        ["receipts", "sequence"],
        ["conflicts", "conflict_id"],
        ["leave", "request_id"],
        ["actions", "id"],
      ];
      for (const [name, keyPath] of stores) {
        if (!db.objectStoreNames.contains(name)) db.createObjectStore(name, keyPath ? { keyPath } : undefined);
      }
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  return opened;
}

// Runs `work(stores)` in one transaction over `names`; resolves when it committed, so a
// record and its sequence number are stored together or not at all.
export async function transact(names, mode, work) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(names, mode);
    const stores = Object.fromEntries(names.map((name) => [name, tx.objectStore(name)]));
    let result;
    Promise.resolve(work(stores)).then((value) => { result = value; }, reject);
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error("the transaction was aborted"));
  });
}

export async function get(key) {
  const db = await open();
  return promised(db.transaction("state").objectStore("state").get(key));
}

export async function put(key, value) {
  return transact(["state"], "readwrite", ({ state }) => { state.put(value, key); });
}

export async function all(storeName) {
  const db = await open();
  return promised(db.transaction(storeName).objectStore(storeName).getAll());
}

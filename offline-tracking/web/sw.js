// Keeps the app's own files so it opens with no network. The app's files are fetched
// from the network first (so a new release arrives at the next online start) and from the
// cache when the suite cannot be reached; the API is never cached. Where the browser has
// Background Sync, it also syncs when the network returns with the app closed.

import { get } from "./db.js";
import { syncNow } from "./sync.js";

const CACHE = "offline-tracking-app-1";
const SHELL = ["./", "app.js", "db.js", "record.js", "sign.js", "sync.js", "app.css", "manifest.webmanifest", "icon.svg"];
const NETWORK_WAIT_MS = 4000;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((name) => name !== CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

async function fromNetworkThenCache(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request, { signal: AbortSignal.timeout(NETWORK_WAIT_MS) });
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch {
    const cached = await cache.match(request, { ignoreSearch: true });
    return cached ?? new Response("Offline, and this file was never saved.", { status: 503 });
  }
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  const scope = new URL(self.registration.scope);
  if (event.request.method !== "GET" || url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return;
  event.respondWith(fromNetworkThenCache(event.request));
});

// With "sync on WiFi only", a background sync waits for a network the browser reports as
// WiFi or Ethernet; where it cannot tell, the employee syncs from the app.
async function backgroundSync() {
  const settings = (await get("config"))?.settings ?? {};
  const type = navigator.connection?.type;
  if (settings.sync_on_wifi_only && type !== "wifi" && type !== "ethernet") return;
  await syncNow();
}

self.addEventListener("sync", (event) => {
  if (event.tag === "offline-tracking") event.waitUntil(backgroundSync());
});

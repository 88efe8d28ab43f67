// Handje service worker (ES module, scope "/"). Only wiring lives here; the logic is in ./sw/caching.js.
import {
  SHELL_CACHE,
  classifyRequest,
  deleteOldCaches,
  networkFirstNavigation,
  precacheShell,
  staleWhileRevalidate,
} from './sw/caching.js';

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      await precacheShell(await caches.open(SHELL_CACHE));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      await deleteOldCaches();
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const kind = classifyRequest(event.request, self.location.origin);
  if (kind === 'navigate') {
    event.respondWith(networkFirstNavigation(event));
  } else if (kind === 'asset') {
    event.respondWith(staleWhileRevalidate(event.request, event));
  }
  // Anything else (API, auth, websockets, other origins, non-GET) goes straight to the network.
});

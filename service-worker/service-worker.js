// Handje service worker (ES module, scope "/"). Only wiring lives here; the logic is in ./sw/*.js.
import {
  SHELL_CACHE,
  classifyRequest,
  deleteOldCaches,
  networkFirstNavigation,
  precacheShell,
  staleWhileRevalidate,
} from './sw/caching.js';
import { openDeepLink, parsePush, renewSubscription, seenStore, showPush } from './sw/push.js';

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

self.addEventListener('push', (event) => {
  const message = parsePush(event.data);
  if (!message) return;
  const setBadge = 'setAppBadge' in self.navigator ? (n) => self.navigator.setAppBadge(n) : null;
  event.waitUntil(
    showPush(message, { registration: self.registration, seen: seenStore(caches), setBadge }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.waitUntil(
    openDeepLink(event.notification, { clients: self.clients, origin: self.location.origin }),
  );
});

self.addEventListener('pushsubscriptionchange', (event) => {
  event.waitUntil(
    renewSubscription(event, {
      pushManager: self.registration.pushManager,
      fetch: (url, init) => self.fetch(url, init),
    }),
  );
});

// Push display, notification clicks and subscription renewal. Everything the service worker
// needs from its environment is passed in, so node can test these functions with fakes.

export const ICON = '/static/icons/icon-192.png';
export const BADGE = '/static/icons/badge-72.png';
// Not under the 'handje-' prefix: activation deletes those caches, and these ids must stay.
export const SEEN_CACHE = 'push-seen';
const SEEN_PREFIX = '/__push-seen/';
const FALLBACK_URL = '/notifications';

// The payload as sent by the server, or null when it is not ours or not readable.
export function parsePush(data) {
  if (!data) return null;
  let message;
  try {
    message = data.json();
  } catch (error) {
    return null;
  }
  if (!message || typeof message.id !== 'string' || typeof message.title !== 'string') return null;
  return message;
}

// Only a path on our own origin may be opened; anything else goes to the notification centre.
export function safeUrl(url, origin) {
  try {
    const resolved = new URL(url || FALLBACK_URL, origin);
    return resolved.origin === origin ? resolved.href : new URL(FALLBACK_URL, origin).href;
  } catch (error) {
    return new URL(FALLBACK_URL, origin).href;
  }
}

export function notificationOptions(message) {
  const options = {
    body: message.body || '',
    icon: ICON,
    badge: BADGE,
    data: { id: message.id, url: message.url || FALLBACK_URL },
  };
  if (message.tag) {
    options.tag = message.tag;
    // Renotify (sound and vibration again) for messages, which replace each other by tag.
    options.renotify = Boolean(message.renotify);
  }
  return options;
}

// Show a push unless this notification id was shown before (a resend after a worker crash).
export async function showPush(message, { registration, seen, setBadge }) {
  if (await seen.has(message.id)) return false;
  await seen.add(message.id);
  await registration.showNotification(message.title, notificationOptions(message));
  if (setBadge && Number.isInteger(message.unread)) {
    await setBadge(message.unread).catch(() => {});
  }
  return true;
}

// A small persistent set of notification ids, kept in Cache Storage.
export function seenStore(cacheStorage) {
  const key = (id) => SEEN_PREFIX + encodeURIComponent(id);
  return {
    async has(id) {
      const cache = await cacheStorage.open(SEEN_CACHE);
      return Boolean(await cache.match(key(id)));
    },
    async add(id) {
      const cache = await cacheStorage.open(SEEN_CACHE);
      await cache.put(key(id), new Response('1'));
    },
  };
}

// Focus a window of the app and take it to the deep link, or open one.
export async function openDeepLink(notification, { clients, origin }) {
  notification.close();
  const url = safeUrl(notification.data && notification.data.url, origin);
  const windows = await clients.matchAll({ type: 'window', includeUncontrolled: true });
  const mine = windows.find((client) => new URL(client.url).origin === origin);
  if (mine) {
    let focused = mine;
    try {
      focused = (await mine.focus()) || mine;
    } catch (error) {
      // Focusing needs the user's click on the notification; navigating does not.
    }
    if (focused.url === url) return focused;
    try {
      const navigated = await focused.navigate(url);
      if (navigated) return navigated;
    } catch (error) {
      // A window this worker does not control cannot be navigated: open the link instead.
    }
  }
  return clients.openWindow(url);
}

// The browser replaced the subscription: subscribe again if needed, and tell the server,
// naming the old endpoint (which proves this device owned it).
export async function renewSubscription(event, { pushManager, fetch }) {
  const old = event.oldSubscription;
  let fresh = event.newSubscription;
  if (!fresh && old && old.options) {
    fresh = await pushManager.subscribe(old.options);
  }
  if (!fresh || !old) return null;
  return fetch('/api/push/subscriptions/refresh', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ old_endpoint: old.endpoint, subscription: fresh.toJSON() }),
  });
}

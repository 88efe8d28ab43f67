// Caching logic for the Handje service worker.
// Pure helpers (isCacheableAsset, isNavigation, classifyRequest) take plain values so that
// `node --test` can exercise them; the others use the service worker globals (caches, fetch).

/** Bump this whenever SHELL_URLS or the caching strategy changes; old caches are then dropped. */
export const CACHE_VERSION = 'v1';

/** Prefix shared by every cache this app creates (only these are ever deleted). */
export const CACHE_PREFIX = 'handje-';

/** Name of the cache holding the app shell and the static assets. */
export const SHELL_CACHE = `${CACHE_PREFIX}shell-${CACHE_VERSION}`;

/** The page answered for navigations while the network is unreachable. */
export const OFFLINE_URL = '/offline';

/** Shell URLs that must be cached for install to succeed. */
export const REQUIRED_URLS = Object.freeze([OFFLINE_URL, '/static/app.css']);

/** Every URL precached on install (required ones first, the rest best-effort). */
export const SHELL_URLS = Object.freeze([
  ...REQUIRED_URLS,
  '/static/boot.js',
  '/manifest.webmanifest',
  '/static/icons/icon-192.png',
  '/reactpy/static/index.js',
  '/reactpy/static/index-bz53xswt.js',
  '/reactpy/static/index-qg0ba7j2.js',
  '/reactpy/static/preact.js',
  '/reactpy/static/preact-dom.js',
  '/reactpy/static/preact-jsx-runtime.js',
]);

/** Path prefixes served stale-while-revalidate from the cache. */
export const ASSET_PREFIXES = Object.freeze(['/static/', '/reactpy/static/', '/sw/']);

/** Path prefixes the service worker never answers (left entirely to the network). */
export const BYPASS_PREFIXES = Object.freeze(['/api/', '/auth/', '/reactpy/']);

/** Single files outside ASSET_PREFIXES that are also served stale-while-revalidate. */
const ASSET_FILES = Object.freeze(['/manifest.webmanifest']);

const PLACEHOLDER_ORIGIN = 'http://handje.invalid';

/** Parse `url` (string or URL, absolute or root-relative) against `origin`; null if unparsable. */
function parse(url, origin) {
  try {
    return new URL(String(url), origin || PLACEHOLDER_ORIGIN);
  } catch {
    return null;
  }
}

/** True if `url` is a same-origin static asset (under /static/, /reactpy/static/ or /sw/). */
export function isCacheableAsset(url, origin) {
  const parsed = parse(url, origin);
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) return false;
  if (origin && parsed.origin !== new URL(origin).origin) return false;
  const path = parsed.pathname;
  return ASSET_PREFIXES.some((prefix) => path.startsWith(prefix)) || ASSET_FILES.includes(path);
}

/** True if `request` ({mode, method} or a Request) is a top-level page navigation. */
export function isNavigation(request) {
  if (!request) return false;
  const method = String(request.method || 'GET').toUpperCase();
  return request.mode === 'navigate' && method === 'GET';
}

/** Decide how to answer `request` ({method, mode, url}): 'navigate', 'asset' or 'ignore'. */
export function classifyRequest(request, origin) {
  if (!request || String(request.method || 'GET').toUpperCase() !== 'GET') return 'ignore';
  const parsed = parse(request.url, origin);
  if (!parsed || !origin || parsed.origin !== new URL(origin).origin) return 'ignore';
  const path = parsed.pathname;
  if (isCacheableAsset(parsed.href, origin)) return 'asset';
  if (BYPASS_PREFIXES.some((prefix) => path.startsWith(prefix))) return 'ignore';
  if (isNavigation(request)) return 'navigate';
  return 'ignore';
}

/** Copy a redirected response so it may answer a navigation (browsers reject redirected ones). */
async function unredirect(response) {
  if (!response.redirected) return response;
  const body = await response.blob();
  return new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

/** Fetch `url` bypassing the HTTP cache and store it in `cache`; throws on any failure. */
async function cacheFresh(cache, url) {
  const response = await fetch(new Request(url, { cache: 'reload', credentials: 'same-origin' }));
  if (!response.ok) throw new Error(`precache ${url}: HTTP ${response.status}`);
  await cache.put(url, await unredirect(response));
}

/** Precache the shell into `cache`: REQUIRED_URLS must succeed, the others are best-effort. */
export async function precacheShell(cache) {
  await Promise.all(REQUIRED_URLS.map((url) => cacheFresh(cache, url)));
  const optional = SHELL_URLS.filter((url) => !REQUIRED_URLS.includes(url));
  const results = await Promise.allSettled(optional.map((url) => cacheFresh(cache, url)));
  for (const result of results) {
    if (result.status === 'rejected') console.warn('[handje sw]', result.reason);
  }
}

/** Network-first for page navigations, falling back to the cached offline page. */
export async function networkFirstNavigation(event) {
  try {
    return await fetch(event.request);
  } catch {
    const offline = await caches.match(OFFLINE_URL, { cacheName: SHELL_CACHE });
    return (
      offline ||
      new Response('Je bent offline. / You are offline.', {
        status: 503,
        headers: { 'Content-Type': 'text/plain; charset=utf-8' },
      })
    );
  }
}

/** Answer from the cache at once and refresh the entry from the network in the background. */
export async function staleWhileRevalidate(request, event) {
  const cache = await caches.open(SHELL_CACHE);
  const cached = await cache.match(request);
  // 'no-cache' revalidates with the server (cheap 304s) instead of reusing the HTTP cache.
  const refresh = fetch(request, { cache: 'no-cache' })
    .then(async (response) => {
      if (response.status === 200 && response.type === 'basic') {
        try {
          await cache.put(request, response.clone());
        } catch (error) {
          console.warn('[handje sw] cache put failed', error);
        }
      }
      return response;
    })
    .catch(() => null);
  if (cached) {
    if (event && typeof event.waitUntil === 'function') event.waitUntil(refresh);
    return cached;
  }
  return (await refresh) || Response.error();
}

/** Delete every Handje cache except the current SHELL_CACHE. */
export async function deleteOldCaches() {
  const names = await caches.keys();
  await Promise.all(
    names
      .filter((name) => name.startsWith(CACHE_PREFIX) && name !== SHELL_CACHE)
      .map((name) => caches.delete(name)),
  );
}

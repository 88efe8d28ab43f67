// Unit tests for the pure helpers of caching.js. Run with: node --test service-worker/
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import {
  CACHE_PREFIX,
  CACHE_VERSION,
  REQUIRED_URLS,
  SHELL_CACHE,
  SHELL_URLS,
  classifyRequest,
  isCacheableAsset,
  isNavigation,
} from '../../service-worker/sw/caching.js';

const ORIGIN = 'https://handje.example.nl';

describe('constants', () => {
  it('names the cache with the prefix and the version', () => {
    assert.ok(SHELL_CACHE.startsWith(CACHE_PREFIX));
    assert.ok(SHELL_CACHE.endsWith(CACHE_VERSION));
  });

  it('precaches the offline page and the stylesheet as required', () => {
    assert.deepEqual([...REQUIRED_URLS], ['/offline', '/static/app.css']);
    for (const url of REQUIRED_URLS) assert.ok(SHELL_URLS.includes(url));
  });

  it('lists only root-relative, unique shell URLs', () => {
    assert.equal(new Set(SHELL_URLS).size, SHELL_URLS.length);
    for (const url of SHELL_URLS) assert.match(url, /^\/[^/]/);
    assert.ok(SHELL_URLS.includes('/manifest.webmanifest'));
    assert.ok(SHELL_URLS.includes('/reactpy/static/index.js'));
  });

  it('is frozen', () => {
    assert.ok(Object.isFrozen(SHELL_URLS));
    assert.ok(Object.isFrozen(REQUIRED_URLS));
  });
});

describe('isCacheableAsset', () => {
  it('accepts static assets by path', () => {
    assert.equal(isCacheableAsset('/static/app.css'), true);
    assert.equal(isCacheableAsset('/static/icons/icon-192.png'), true);
    assert.equal(isCacheableAsset('/reactpy/static/index.js'), true);
    assert.equal(isCacheableAsset('/sw/caching.js'), true);
    assert.equal(isCacheableAsset('/manifest.webmanifest'), true);
  });

  it('accepts same-origin absolute URLs and URL objects', () => {
    assert.equal(isCacheableAsset(`${ORIGIN}/static/boot.js`, ORIGIN), true);
    assert.equal(isCacheableAsset(new URL('/static/boot.js?v=2', ORIGIN), ORIGIN), true);
    assert.equal(isCacheableAsset('/static/app.css', ORIGIN), true);
  });

  it('rejects other origins', () => {
    assert.equal(isCacheableAsset('https://cdn.example.com/static/app.css', ORIGIN), false);
    assert.equal(isCacheableAsset('http://handje.example.nl/static/app.css', ORIGIN), false);
  });

  it('rejects pages, API, auth and the reactpy stream', () => {
    for (const path of ['/', '/offline', '/profile', '/api/me', '/auth/login', '/reactpy/']) {
      assert.equal(isCacheableAsset(path, ORIGIN), false, path);
    }
    assert.equal(isCacheableAsset('/reactpy/stream/abc'), false);
    assert.equal(isCacheableAsset('/service-worker.js'), false);
  });

  it('does not match look-alike prefixes', () => {
    assert.equal(isCacheableAsset('/staticfoo/app.css'), false);
    assert.equal(isCacheableAsset('/static'), false);
    assert.equal(isCacheableAsset('/api/static/app.css'), false);
    assert.equal(isCacheableAsset('/sw'), false);
  });

  it('normalises dot segments before deciding', () => {
    assert.equal(isCacheableAsset('/static/../api/me'), false);
    assert.equal(isCacheableAsset('/api/../static/app.css'), true);
  });

  it('rejects non-http schemes and junk', () => {
    assert.equal(isCacheableAsset('data:text/css,body{}'), false);
    assert.equal(isCacheableAsset('chrome-extension://abc/static/x.js'), false);
    assert.equal(isCacheableAsset('http://[bad'), false);
  });
});

describe('isNavigation', () => {
  it('is true for GET navigations', () => {
    assert.equal(isNavigation({ mode: 'navigate', method: 'GET' }), true);
    assert.equal(isNavigation({ mode: 'navigate' }), true);
    assert.equal(isNavigation({ mode: 'navigate', method: 'get' }), true);
  });

  it('is false for other modes', () => {
    for (const mode of ['cors', 'no-cors', 'same-origin', 'websocket', undefined]) {
      assert.equal(isNavigation({ mode, method: 'GET' }), false, String(mode));
    }
  });

  it('is false for non-GET navigations and missing input', () => {
    assert.equal(isNavigation({ mode: 'navigate', method: 'POST' }), false);
    assert.equal(isNavigation(null), false);
    assert.equal(isNavigation(undefined), false);
  });
});

describe('classifyRequest', () => {
  const request = (path, mode = 'cors', method = 'GET') => ({ url: `${ORIGIN}${path}`, mode, method });

  it('routes page navigations to the network-first handler', () => {
    assert.equal(classifyRequest(request('/', 'navigate'), ORIGIN), 'navigate');
    assert.equal(classifyRequest(request('/profile?tab=2', 'navigate'), ORIGIN), 'navigate');
  });

  it('routes static assets to stale-while-revalidate', () => {
    assert.equal(classifyRequest(request('/static/app.css', 'no-cors'), ORIGIN), 'asset');
    assert.equal(classifyRequest(request('/reactpy/static/preact.js'), ORIGIN), 'asset');
    assert.equal(classifyRequest(request('/sw/caching.js', 'same-origin'), ORIGIN), 'asset');
  });

  it('never touches API, auth or the reactpy stream, even when navigating', () => {
    for (const path of ['/api/requests', '/auth/logout', '/reactpy/stream', '/reactpy/']) {
      assert.equal(classifyRequest(request(path, 'navigate'), ORIGIN), 'ignore', path);
      assert.equal(classifyRequest(request(path), ORIGIN), 'ignore', path);
    }
  });

  it('ignores non-GET requests', () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']) {
      assert.equal(classifyRequest(request('/static/app.css', 'cors', method), ORIGIN), 'ignore');
      assert.equal(classifyRequest(request('/', 'navigate', method), ORIGIN), 'ignore');
    }
  });

  it('ignores other origins', () => {
    const foreign = { url: 'https://other.example.org/static/app.css', mode: 'no-cors', method: 'GET' };
    assert.equal(classifyRequest(foreign, ORIGIN), 'ignore');
    const page = { url: 'https://other.example.org/', mode: 'navigate', method: 'GET' };
    assert.equal(classifyRequest(page, ORIGIN), 'ignore');
  });

  it('ignores other same-origin fetches', () => {
    assert.equal(classifyRequest(request('/offline'), ORIGIN), 'ignore');
    assert.equal(classifyRequest(request('/service-worker.js'), ORIGIN), 'ignore');
    assert.equal(classifyRequest(null, ORIGIN), 'ignore');
  });
});

// Unit tests for push display, clicks and subscription renewal (service-worker/sw/push.js).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import {
  BADGE,
  ICON,
  notificationOptions,
  openDeepLink,
  parsePush,
  renewSubscription,
  safeUrl,
  seenStore,
  showPush,
} from '../../service-worker/sw/push.js';

const ORIGIN = 'https://handje.example.nl';
const MESSAGE = {
  id: 'n1',
  kind: 'message_received',
  title: 'Message from Sam',
  body: 'Zaterdag kan ik!',
  url: '/messages/c1',
  tag: 'conversation-c1',
  renotify: true,
  unread: 3,
};

function memorySeen() {
  const ids = new Set();
  return { has: async (id) => ids.has(id), add: async (id) => ids.add(id) };
}

function fakeRegistration() {
  const shown = [];
  return { shown, showNotification: async (title, options) => shown.push({ title, options }) };
}

describe('parsePush', () => {
  it('reads our JSON payload', () => {
    assert.deepEqual(parsePush({ json: () => MESSAGE }), MESSAGE);
  });
  it('ignores empty, unreadable or foreign payloads', () => {
    assert.equal(parsePush(null), null);
    assert.equal(parsePush({ json: () => { throw new SyntaxError('x'); } }), null);
    assert.equal(parsePush({ json: () => ({ hello: 'world' }) }), null);
  });
});

describe('notificationOptions', () => {
  it('carries body, icon, badge, tag, renotify and the deep link', () => {
    assert.deepEqual(notificationOptions(MESSAGE), {
      body: 'Zaterdag kan ik!',
      icon: ICON,
      badge: BADGE,
      tag: 'conversation-c1',
      renotify: true,
      data: { id: 'n1', url: '/messages/c1' },
    });
  });
  it('sets renotify only with a tag, and false for other kinds', () => {
    const tip = { ...MESSAGE, tag: 'tip-1', renotify: false };
    assert.equal(notificationOptions(tip).renotify, false);
    const untagged = notificationOptions({ ...MESSAGE, tag: '' });
    assert.equal('renotify' in untagged, false);
  });
});

describe('showPush', () => {
  it('shows a notification and sets the app badge to the unread count', async () => {
    const registration = fakeRegistration();
    const badges = [];
    const shown = await showPush(MESSAGE, {
      registration,
      seen: memorySeen(),
      setBadge: async (n) => badges.push(n),
    });
    assert.equal(shown, true);
    assert.equal(registration.shown[0].title, 'Message from Sam');
    assert.deepEqual(badges, [3]);
  });
  it('drops a duplicate notification id (a resend after a crash)', async () => {
    const registration = fakeRegistration();
    const seen = memorySeen();
    await showPush(MESSAGE, { registration, seen });
    assert.equal(await showPush(MESSAGE, { registration, seen }), false);
    assert.equal(registration.shown.length, 1);
  });
  it('keeps seen ids in Cache Storage', async () => {
    const entries = new Map();
    const cacheStorage = {
      open: async () => ({
        match: async (key) => entries.get(key),
        put: async (key, value) => entries.set(key, value),
      }),
    };
    const store = seenStore(cacheStorage);
    assert.equal(await store.has('n1'), false);
    await store.add('n1');
    assert.equal(await store.has('n1'), true);
  });
});

describe('safeUrl', () => {
  it('resolves our paths and refuses other origins', () => {
    assert.equal(safeUrl('/listings/1', ORIGIN), `${ORIGIN}/listings/1`);
    assert.equal(safeUrl('https://evil.example/x', ORIGIN), `${ORIGIN}/notifications`);
    assert.equal(safeUrl(undefined, ORIGIN), `${ORIGIN}/notifications`);
  });
});

describe('openDeepLink', () => {
  const notification = () => {
    const n = { closed: false, data: { url: '/messages/c1' } };
    n.close = () => { n.closed = true; };
    return n;
  };

  it('focuses an open window of the app and navigates it to the deep link', async () => {
    const calls = [];
    const client = {
      url: `${ORIGIN}/discover`,
      focus: async () => { calls.push('focus'); return client; },
      navigate: async (url) => { calls.push(`navigate ${url}`); return client; },
    };
    const clients = {
      matchAll: async () => [{ url: 'https://other.example/', focus: async () => null }, client],
      openWindow: async () => calls.push('open'),
    };
    const n = notification();
    await openDeepLink(n, { clients, origin: ORIGIN });
    assert.equal(n.closed, true);
    assert.deepEqual(calls, ['focus', `navigate ${ORIGIN}/messages/c1`]);
  });

  it('still navigates when the window may not be focused', async () => {
    const visited = [];
    const client = {
      url: `${ORIGIN}/discover`,
      focus: async () => { throw new Error('InvalidAccessError'); },
      navigate: async (url) => { visited.push(url); return client; },
    };
    const clients = { matchAll: async () => [client], openWindow: async () => visited.push('open') };
    await openDeepLink(notification(), { clients, origin: ORIGIN });
    assert.deepEqual(visited, [`${ORIGIN}/messages/c1`]);
  });

  it('opens a window when none is open, or when it cannot be navigated', async () => {
    const opened = [];
    const stuck = {
      url: `${ORIGIN}/discover`,
      focus: async () => stuck,
      navigate: async () => null,
    };
    for (const windows of [[], [stuck]]) {
      const clients = { matchAll: async () => windows, openWindow: async (url) => opened.push(url) };
      await openDeepLink(notification(), { clients, origin: ORIGIN });
    }
    assert.deepEqual(opened, [`${ORIGIN}/messages/c1`, `${ORIGIN}/messages/c1`]);
  });
});

describe('renewSubscription', () => {
  const subscription = (endpoint) => ({
    endpoint,
    options: { userVisibleOnly: true },
    toJSON: () => ({ endpoint, keys: { p256dh: 'p', auth: 'a' } }),
  });

  it('tells the server the old endpoint and the new subscription', async () => {
    const requests = [];
    await renewSubscription(
      { oldSubscription: subscription('https://push/old'), newSubscription: subscription('https://push/new') },
      { pushManager: null, fetch: async (url, init) => requests.push([url, JSON.parse(init.body)]) },
    );
    assert.deepEqual(requests, [[
      '/api/push/subscriptions/refresh',
      { old_endpoint: 'https://push/old', subscription: { endpoint: 'https://push/new', keys: { p256dh: 'p', auth: 'a' } } },
    ]]);
  });

  it('subscribes again with the old options when the browser gave no new subscription', async () => {
    const requests = [];
    const pushManager = { subscribe: async () => subscription('https://push/again') };
    await renewSubscription(
      { oldSubscription: subscription('https://push/old'), newSubscription: null },
      { pushManager, fetch: async (url, init) => requests.push(JSON.parse(init.body)) },
    );
    assert.equal(requests[0].subscription.endpoint, 'https://push/again');
  });
});

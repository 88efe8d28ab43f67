"""Push in Chromium: turn notifications on through the UI, deliver a push to the service worker
through the DevTools protocol, see the notification, and follow its deep link.

What headless Chromium cannot do here, and what stands in for it:
- ``pushManager.subscribe()`` needs Google's push service (FCM), which a test machine cannot
  reach (and Playwright's incognito-like contexts refuse push outright). An init script gives
  ``PushManager`` a subscription object with real P-256 keys and an allow-listed FCM endpoint;
  everything else (permission request, our button, storing it through ReactPy) is real.
- A person cannot click a headless notification. The test takes the notification that the
  service worker really showed, from ``registration.getNotifications()`` and dispatches a
  ``notificationclick`` with it inside the service worker, which runs our real click handler.
"""

from __future__ import annotations

import asyncio
import json
from uuid import uuid4

from playwright.async_api import CDPSession, Page, expect

from backend.push.messages import Rendered, payload
from backend.push.tables import PushSubscription
from tests.browser.journeys import log_in, sign_up
from tests.browser.test_pwa import ACTIVATED
from tests.push.keys import BrowserKeys

FAKE_SUBSCRIPTION = """
(() => {
  const device = %s;
  const stored = () => JSON.parse(localStorage.getItem('test-push-subscription') || 'null');
  const asSubscription = (json) => json && {
    endpoint: json.endpoint,
    options: { userVisibleOnly: true },
    toJSON: () => json,
    unsubscribe: async () => { localStorage.removeItem('test-push-subscription'); return true; },
  };
  PushManager.prototype.subscribe = async function () {
    localStorage.setItem('test-push-subscription', JSON.stringify(device));
    return asSubscription(device);
  };
  PushManager.prototype.getSubscription = async function () {
    return asSubscription(stored());
  };
})();
"""

NOTIFICATIONS = """
navigator.serviceWorker.ready
  .then((registration) => registration.getNotifications())
  .then((shown) => shown.map((n) => ({ title: n.title, body: n.body, tag: n.tag, data: n.data })))
"""


async def _registration_id(cdp: CDPSession) -> str:
    found: asyncio.Future[str] = asyncio.get_running_loop().create_future()

    def updated(event: dict) -> None:
        for registration in event["registrations"]:
            if not registration["isDeleted"] and not found.done():
                found.set_result(registration["registrationId"])

    cdp.on("ServiceWorker.workerRegistrationUpdated", updated)
    await cdp.send("ServiceWorker.enable")
    return await asyncio.wait_for(found, 10)


async def _shown(page: Page, count: int) -> list[dict]:
    for _ in range(50):
        shown = await page.evaluate(NOTIFICATIONS)
        if len(shown) == count:
            return shown
        await page.wait_for_timeout(100)
    raise AssertionError(f"expected {count} notifications, saw {shown}")


async def test_turn_on_then_a_push_is_shown_and_opens_its_deep_link(phone: Page) -> None:
    device = BrowserKeys().device(f"https://fcm.googleapis.com/fcm/send/browser-{uuid4()}")
    subscription = {
        "endpoint": device.endpoint,
        "keys": {"p256dh": device.p256dh, "auth": device.auth},
    }
    await phone.context.add_init_script(FAKE_SUBSCRIPTION % json.dumps(subscription))
    await phone.context.grant_permissions(["notifications"])
    await log_in(phone, await sign_up(phone))
    await phone.evaluate(ACTIVATED)

    card = phone.get_by_role("complementary", name="Stay in the loop")
    await card.get_by_role("button", name="Turn on notifications").click()
    await expect(card).to_have_count(0)
    assert (await (await phone.request.get("/api/push")).json())["devices"] == 1

    await phone.reload()  # the service worker now controls the page
    await expect(phone.get_by_role("heading", name="Discover", exact=True)).to_be_visible()
    origin = phone.url.split("/discover")[0]
    cdp = await phone.context.new_cdp_session(phone)
    registration = await _registration_id(cdp)
    message = payload(
        "n-1",
        "message_received",
        Rendered("Message from Sam", "Zaterdag kan ik!", "/notifications/settings"),
        tag="conversation-c1",
        renotify=True,
        unread=1,
    ).decode()
    push = {"origin": origin, "registrationId": registration, "data": message}
    await cdp.send("ServiceWorker.deliverPushMessage", push)
    [shown] = await _shown(phone, 1)
    assert shown == {
        "title": "Message from Sam",
        "body": "Zaterdag kan ik!",
        "tag": "conversation-c1",
        "data": {"id": "n-1", "url": "/notifications/settings"},
    }

    # A resend of the same notification id (after a worker crash) is dropped.
    await phone.evaluate(
        "navigator.serviceWorker.ready.then(r => r.getNotifications())"
        ".then(shown => shown.forEach(n => n.close()))"
    )
    await cdp.send("ServiceWorker.deliverPushMessage", push)
    await phone.wait_for_timeout(500)
    assert await phone.evaluate(NOTIFICATIONS) == []

    await cdp.send(
        "ServiceWorker.deliverPushMessage",
        {**push, "data": message.replace('"n-1"', '"n-2"')},
    )
    await _shown(phone, 1)
    [worker] = phone.context.service_workers
    await worker.evaluate(
        "self.registration.getNotifications().then(([shown]) =>"
        " self.dispatchEvent(new NotificationEvent('notificationclick', {notification: shown})))"
    )
    await expect(phone).to_have_url(f"{origin}/notifications/settings")
    await expect(phone.get_by_role("heading", name="Notification settings")).to_be_visible()
    await expect(phone.get_by_text("Notifications are on for this device.")).to_be_visible()

    # Logging out of this device forgets its subscription (here and at the push service).
    await phone.get_by_role("link", name="Profile").click()
    await phone.get_by_role("button", name="Log out").click()
    await expect(phone.get_by_role("heading", name="Log in", exact=True)).to_be_visible()
    assert await PushSubscription.count() == 0
    assert (
        await phone.evaluate(
            "navigator.serviceWorker.ready.then(r => r.pushManager.getSubscription())"
        )
        is None
    )

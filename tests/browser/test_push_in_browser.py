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
import re
from uuid import uuid4

from litestar import Litestar
from playwright.async_api import CDPSession, Page, expect

from backend.accounts.service import Account
from backend.accounts.tables import User
from backend.notifications.service import record_notifications
from backend.push.messages import Rendered, payload
from backend.push.tables import PushSubscription
from tests.browser.journeys import change_at_once, log_in, sign_up
from tests.browser.test_pwa import ACTIVATED
from tests.factories import make_account, make_conversation, make_match, place_in
from tests.push.keys import BrowserKeys

FAKE_SUBSCRIPTION = r"""
(() => {
  const device = %s;
  const stored = () => JSON.parse(localStorage.getItem('test-push-subscription') || 'null');
  const permissionRequests = () => Number(localStorage.getItem('test-permission-requests') || 0);
  const asSubscription = (json) => json && {
    endpoint: json.endpoint,
    options: { userVisibleOnly: true },
    toJSON: () => json,
    unsubscribe: async () => { localStorage.removeItem('test-push-subscription'); return true; },
  };
  PushManager.prototype.subscribe = async function (options) {
    const key = btoa(String.fromCharCode(...new Uint8Array(options.applicationServerKey)));
    const base64url = key.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    localStorage.setItem('test-push-key', base64url);
    localStorage.setItem('test-push-subscription', JSON.stringify(device));
    return asSubscription(device);
  };
  const request = Notification.requestPermission.bind(Notification);
  Notification.requestPermission = () => {
    localStorage.setItem('test-permission-requests', String(permissionRequests() + 1));
    return request();
  };
  PushManager.prototype.getSubscription = async function () {
    return asSubscription(stored());
  };
})();
"""

PERMISSION_REQUESTS = "Number(localStorage.getItem('test-permission-requests') || 0)"

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


async def _shown(page: Page, count: int, tries: int = 50) -> list[dict]:
    for _ in range(tries):
        shown = await page.evaluate(NOTIFICATIONS)
        if len(shown) == count:
            return shown
        await page.wait_for_timeout(100)
    raise AssertionError(f"expected {count} notifications, saw {shown}")


async def _push_shown(page: Page, cdp: CDPSession, push: dict) -> dict:
    """Deliver ``push`` to the worker; the one notification it shows.

    On a busy machine Chromium now and then drops a push it delivers before the worker takes
    it; a push service delivers again, and so does this (the worker shows an id only once).
    """
    await cdp.send("ServiceWorker.deliverPushMessage", push)
    try:
        [shown] = await _shown(page, 1, tries=30)
    except AssertionError:
        await cdp.send("ServiceWorker.deliverPushMessage", push)
        [shown] = await _shown(page, 1)
    return shown


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
    await expect(card.get_by_role("button", name="Turn on notifications")).to_be_visible()
    assert await phone.evaluate(PERMISSION_REQUESTS) == 0  # never a prompt on page load
    await card.get_by_role("button", name="Turn on notifications").click()
    await expect(card).to_have_count(0)
    assert await phone.evaluate(PERMISSION_REQUESTS) == 1
    for _ in range(50):  # the card goes when permission is given; the device is stored after
        info = await (await phone.request.get("/api/push")).json()
        if info["devices"]:
            break
        await phone.wait_for_timeout(100)
    assert info["devices"] == 1
    assert await phone.evaluate("localStorage.getItem('test-push-key')") == info["public_key"]

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
    shown = await _push_shown(phone, cdp, push)
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

    await _push_shown(phone, cdp, {**push, "data": message.replace('"n-1"', '"n-2"')})
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


IPHONE_SAFARI = """
(() => {
  Object.defineProperty(Navigator.prototype, 'userAgent', {
    get: () => 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 '
      + '(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  });
  delete window.PushManager;  // Safari offers push only to a Home Screen web app
})();
"""


async def test_on_an_iphone_the_card_explains_add_to_home_screen(phone: Page) -> None:
    await phone.context.add_init_script(IPHONE_SAFARI)
    await log_in(phone, await sign_up(phone))
    card = phone.get_by_role("complementary", name="Stay in the loop")
    await expect(card).to_contain_text("tap Share, then Add to Home Screen")
    await expect(card.get_by_role("button", name="Turn on notifications")).to_have_count(0)
    await card.get_by_role("button", name="Not now").click()
    await expect(card).to_have_count(0)


BADGES = """
(() => {
  const record = (value) => {
    const seen = JSON.parse(sessionStorage.getItem('test-badges') || '[]');
    sessionStorage.setItem('test-badges', JSON.stringify([...seen, value]));
    return Promise.resolve();
  };
  Navigator.prototype.setAppBadge = function (count) { return record(count); };
  Navigator.prototype.clearAppBadge = function () { return record(0); };
})();
"""


async def _badge(page: Page, count: int) -> bool:
    """Whether the app icon badge was last set to ``count`` (0: cleared), within five seconds."""
    for _ in range(50):
        badges = json.loads(await page.evaluate("sessionStorage.getItem('test-badges') || '[]'"))
        if badges and badges[-1] == count:
            return True
        await page.wait_for_timeout(100)
    return False


async def test_the_bell_counts_unread_notifications_and_the_centre_lists_them(
    phone: Page,
) -> None:
    await phone.context.add_init_script(BADGES)
    email = await sign_up(phone)
    await log_in(phone, email)
    user_id = await User.select(User.id).where(User.email == email).first()
    listing_id = str(uuid4())
    await record_notifications(
        [user_id["id"]], "listing_expired", {"listing_id": listing_id, "title": "Fiets"}
    )
    await phone.reload()
    bell = phone.get_by_role("link", name="Notifications, 1 unread")
    await expect(bell).to_be_visible()
    assert await _badge(phone, 1)
    await bell.click()
    centre = phone.get_by_role("list", name="Notifications")
    await expect(centre.get_by_role("link")).to_have_count(1)
    await expect(centre).to_contain_text("Your listing has expired")
    await expect(centre).to_contain_text("“Fiets” is no longer shown. You can extend it.")
    # Opening the centre read it: this visit still marks the new item, the next one does not.
    await expect(centre.locator(".notification-unread")).to_have_count(1)
    await centre.get_by_role("link").click()
    await expect(phone).to_have_url(re.compile(f"/listings/{listing_id}$"))
    await expect(phone.get_by_role("link", name="Notifications", exact=True)).to_be_visible()
    assert await _badge(phone, 0)
    await phone.goto("/notifications")
    await expect(centre.get_by_role("link")).to_have_count(1)
    await expect(centre.locator(".notification-unread")).to_have_count(0)


async def test_a_conversation_is_muted_from_the_notification_settings(
    app: Litestar, phone: Page
) -> None:
    anna, _bram, conversation_id = await make_conversation(app, "Anna", "Bram", "Leiden")
    await log_in(phone, anna.email)
    await phone.goto("/notifications/settings")
    mutes = phone.get_by_role("group", name="Mute conversations")
    switch = mutes.get_by_role("checkbox", name=re.compile("^Bram – "))
    await expect(switch).not_to_be_checked()
    await switch.click()
    await expect(switch).to_be_checked()
    for _ in range(50):  # the browser ticks the box at once; the server stores it just after
        if await app.state.push.is_muted(anna, conversation_id):
            break
        await phone.wait_for_timeout(100)
    assert await app.state.push.is_muted(anna, conversation_id)
    await phone.reload()
    await expect(switch).to_be_checked()


async def open_settings(app: Litestar, phone: Page) -> Account:
    """Anna on her notification settings."""
    anna = await place_in(app, await make_account(app, display_name="Anna"), "Leiden")
    await log_in(phone, anna.email)
    await phone.goto("/notifications/settings")
    return anna


async def test_a_changed_setting_is_saved(app: Litestar, phone: Page) -> None:
    anna = await open_settings(app, phone)
    previews = phone.get_by_label("Show message text in notifications")
    await expect(previews).to_be_checked()
    await previews.click()
    await expect(phone.get_by_role("status")).to_have_text("Saved.")
    assert not (await app.state.push.preferences(anna)).previews
    await phone.reload()
    await expect(previews).not_to_be_checked()


async def test_settings_changed_at_once_are_all_saved(app: Litestar, phone: Page) -> None:
    """Both quiet hours and a switch can all reach the server before the page renders again."""
    anna = await open_settings(app, phone)
    await expect(phone.get_by_label("From", exact=True)).to_be_visible()
    await change_at_once(
        phone,
        {"quiet-start": "22:00", "quiet-end": "07:00"},
        taps=("Show message text in notifications",),
        submit=False,
    )
    wanted = ("22:00", "07:00", False)
    for _ in range(50):  # each change is saved as it comes; the last one just after
        saved = await app.state.push.preferences(anna)
        if (saved.quiet_start, saved.quiet_end, saved.previews) == wanted:
            break
        await phone.wait_for_timeout(100)
    assert (saved.quiet_start, saved.quiet_end, saved.previews) == wanted
    await phone.reload()
    await expect(phone.get_by_label("From", exact=True)).to_have_value("22:00")
    await expect(phone.get_by_label("Until", exact=True)).to_have_value("07:00")
    await expect(phone.get_by_label("Show message text in notifications")).not_to_be_checked()


async def test_a_mute_tapped_twice_quickly_ends_unmuted(app: Litestar, phone: Page) -> None:
    """The second tap can reach the server before the page renders the first."""
    anna = await open_settings(app, phone)
    bram = await place_in(app, await make_account(app, display_name="Bram"), "Leiden")
    conversation_id = await make_match(app, anna, bram)
    await phone.reload()
    switch = phone.get_by_role("group", name="Mute conversations").get_by_role(
        "checkbox", name=re.compile("^Bram – ")
    )
    await expect(switch).not_to_be_checked()
    await switch.dblclick()
    await phone.wait_for_timeout(2500)  # both taps stored (generous: CI may be slow)
    assert not await app.state.push.is_muted(anna, conversation_id)
    await expect(switch).not_to_be_checked()

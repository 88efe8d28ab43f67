"""Device subscriptions: the allow-list, key checks, several devices, refresh and removal."""

from __future__ import annotations

import pytest
from litestar import Litestar

from backend.errors import Invalid
from backend.push.subscriptions import (
    DeviceSubscription,
    delete_subscriptions,
    host_allowed,
    remove_subscription,
    replace_subscription,
    save_subscription,
    subscription_count,
)
from backend.push.tables import PushSubscription
from tests.factories import make_account
from tests.push.keys import BrowserKeys

HOSTS = ("fcm.googleapis.com", "*.push.apple.com", "127.0.0.1:8443")


@pytest.mark.parametrize(
    ("endpoint", "allowed"),
    [
        ("https://fcm.googleapis.com/fcm/send/abc", True),
        ("https://api.push.apple.com/3/device/abc", True),
        ("https://127.0.0.1:8443/push/abc", True),
        ("http://fcm.googleapis.com/fcm/send/abc", False),
        ("https://fcm.googleapis.com:444/fcm/send/abc", False),
        ("https://127.0.0.1/push/abc", False),
        ("https://evil.example/fcm.googleapis.com", False),
        ("https://fcm.googleapis.com.evil.example/x", False),
        ("https://user:pw@fcm.googleapis.com/x", False),
        ("https://push.apple.com.evil.example/x", False),
        ("ftp://fcm.googleapis.com/x", False),
    ],
)
def test_only_https_endpoints_on_allowed_hosts_pass(endpoint: str, allowed: bool) -> None:
    assert host_allowed(endpoint, HOSTS) is allowed


async def test_a_user_keeps_several_devices_and_ban_deletes_them_all(app: Litestar) -> None:
    person = await make_account(app)
    for n in range(3):
        device = BrowserKeys().device(f"https://fcm.googleapis.com/fcm/send/{n}")
        await save_subscription(person.id, device, HOSTS)
    assert await subscription_count(person.id) == 3
    assert await delete_subscriptions(person.id) == 3
    assert await subscription_count(person.id) == 0


async def test_a_device_that_changes_hands_moves_to_its_new_user(app: Litestar) -> None:
    first, second = await make_account(app), await make_account(app)
    device = BrowserKeys().device("https://fcm.googleapis.com/fcm/send/shared")
    await save_subscription(first.id, device, HOSTS)
    await save_subscription(second.id, device, HOSTS)
    assert await subscription_count(first.id) == 0
    assert await subscription_count(second.id) == 1


async def test_refresh_replaces_the_old_endpoint_and_sign_out_removes_one(app: Litestar) -> None:
    person = await make_account(app)
    old = BrowserKeys().device("https://fcm.googleapis.com/fcm/send/old")
    other = BrowserKeys().device("https://fcm.googleapis.com/fcm/send/other")
    await save_subscription(person.id, old, HOSTS)
    await save_subscription(person.id, other, HOSTS)
    new = BrowserKeys().device("https://fcm.googleapis.com/fcm/send/new")
    await replace_subscription(person.id, old.endpoint, new, HOSTS)
    endpoints = await PushSubscription.select(PushSubscription.endpoint).output(as_list=True)
    assert sorted(endpoints) == sorted([other.endpoint, new.endpoint])
    await remove_subscription(person.id, other.endpoint)
    assert await subscription_count(person.id) == 1


@pytest.mark.parametrize(
    "device",
    [
        DeviceSubscription("https://evil.example/x", BrowserKeys().device("").p256dh, "AAAA"),
        DeviceSubscription("https://fcm.googleapis.com/x", "not-a-point", "AAAAAAAAAAAAAAAAAAAAAA"),
        DeviceSubscription("https://fcm.googleapis.com/x", BrowserKeys().device("").p256dh, "AA"),
        DeviceSubscription("https://fcm.googleapis.com/x", "@@@", "AAAAAAAAAAAAAAAAAAAAAA"),
    ],
)
async def test_bad_subscriptions_are_refused(app: Litestar, device: DeviceSubscription) -> None:
    person = await make_account(app)
    with pytest.raises(Invalid):
        await save_subscription(person.id, device, HOSTS)
    assert await subscription_count(person.id) == 0

"""The push and notification centre API: devices, settings, mutes, the centre; who may do what."""

from __future__ import annotations

from dataclasses import asdict
from uuid import uuid4

from litestar import Litestar
from litestar.testing import AsyncTestClient

from backend.notifications.service import record_notifications
from backend.push.subscriptions import subscription_count
from backend.push.tables import PushSubscription
from tests.factories import (
    csrf_headers,
    log_in,
    make_conversation,
    signed_in_client,
)
from tests.push.keys import BrowserKeys

FCM = "https://fcm.googleapis.com/fcm/send/"


def _body(endpoint: str) -> dict:
    device = asdict(BrowserKeys().device(endpoint))
    return {
        "endpoint": device["endpoint"],
        "keys": {"p256dh": device["p256dh"], "auth": device["auth"]},
    }


async def test_a_device_subscribes_refreshes_and_signs_out(
    app: Litestar, client: AsyncTestClient
) -> None:
    person = await signed_in_client(app, client)
    headers = await csrf_headers(client)
    info = (await client.get("/api/push")).json()
    assert info == {"public_key": app.state.app_keys.vapid_public_key, "devices": 0}
    response = await client.post("/api/push/subscriptions", json=_body(FCM + "a"), headers=headers)
    assert response.status_code == 204
    # The service worker has no CSRF token: a refresh proves itself with the old endpoint.
    refresh = {"old_endpoint": FCM + "a", "subscription": _body(FCM + "b")}
    assert (await client.post("/api/push/subscriptions/refresh", json=refresh)).status_code == 204
    again = {"old_endpoint": FCM + "a", "subscription": _body(FCM + "c")}
    assert (await client.post("/api/push/subscriptions/refresh", json=again)).status_code == 404
    assert (await client.get("/api/push")).json()["devices"] == 1
    gone = await client.post(
        "/api/push/subscriptions/remove", json={"endpoint": FCM + "b"}, headers=headers
    )
    assert gone.status_code == 204
    assert await subscription_count(person.id) == 0


async def test_bad_subscriptions_get_a_clear_400(app: Litestar, client: AsyncTestClient) -> None:
    await signed_in_client(app, client)
    headers = await csrf_headers(client)
    for body in (
        _body("https://evil.example/push"),
        _body("http://fcm.googleapis.com/x"),
        {"endpoint": FCM + "x", "keys": {"p256dh": "nope", "auth": "nope"}},
        {"endpoint": FCM + "x"},
    ):
        response = await client.post("/api/push/subscriptions", json=body, headers=headers)
        assert response.status_code == 400, body


async def test_settings_round_trip_and_refuse_nonsense(
    app: Litestar, client: AsyncTestClient
) -> None:
    await signed_in_client(app, client)
    headers = await csrf_headers(client)
    chosen = {
        "disabled_kinds": ["tip"],
        "previews": False,
        "quiet_start": "22:00",
        "quiet_end": "07:30",
        "time_zone": "Europe/Amsterdam",
    }
    saved = await client.put("/api/push/settings", json=chosen, headers=headers)
    assert saved.status_code == 200
    assert (await client.get("/api/push/settings")).json() == chosen
    bad = await client.put(
        "/api/push/settings", json={**chosen, "time_zone": "Nowhere/Else"}, headers=headers
    )
    assert bad.status_code == 400
    assert "time zone" in bad.text


async def test_the_centre_lists_counts_and_marks_read(
    app: Litestar, client: AsyncTestClient
) -> None:
    person = await signed_in_client(app, client)
    listing_id = str(uuid4())
    await record_notifications(
        [person.id], "listing_expired", {"listing_id": listing_id, "title": "Fiets"}
    )
    await record_notifications([person.id], "tip", {"listing_id": listing_id, "title": "Fiets"})
    items = (await client.get("/api/notifications")).json()
    assert [(i["kind"], i["url"], i["read"]) for i in items] == [
        ("tip", f"/listings/{listing_id}/edit", False),
        ("listing_expired", f"/listings/{listing_id}", False),
    ]
    assert (await client.get("/api/notifications/unread")).json() == {"unread": 2}
    headers = await csrf_headers(client)
    one = await client.post(
        "/api/notifications/read", json={"ids": [items[0]["id"]]}, headers=headers
    )
    assert one.json() == {"unread": 1}
    rest = await client.post("/api/notifications/read", json={}, headers=headers)
    assert rest.json() == {"unread": 0}


async def test_strangers_see_nothing_and_cannot_mute(
    app: Litestar, client: AsyncTestClient, other_client: AsyncTestClient
) -> None:
    owner, _helper, conversation = await make_conversation(app)
    await record_notifications([owner.id], "tip", {"listing_id": str(uuid4()), "title": "X"})
    assert (await client.get("/api/notifications")).status_code == 401
    await signed_in_client(app, other_client)
    assert (await other_client.get("/api/notifications")).json() == []
    headers = await csrf_headers(other_client)
    muted = await other_client.put(
        f"/api/push/mutes/{conversation}", json={"muted": True}, headers=headers
    )
    assert muted.status_code == 404


async def test_signing_out_of_a_device_deletes_only_that_devices_subscription(
    app: Litestar, client: AsyncTestClient, other_client: AsyncTestClient
) -> None:
    person = await signed_in_client(app, client)
    await log_in(other_client, person.email)
    for browser, endpoint in ((client, FCM + "phone"), (other_client, FCM + "laptop")):
        headers = await csrf_headers(browser)
        stored = await browser.post(
            "/api/push/subscriptions", json=_body(endpoint), headers=headers
        )
        assert stored.status_code == 204
    assert await subscription_count(person.id) == 2
    # Even when the page could not say which subscription to forget, the session takes it along.
    logged_out = await client.post("/api/auth/logout", headers=await csrf_headers(client))
    assert logged_out.status_code == 204
    endpoints = await PushSubscription.select(PushSubscription.endpoint).output(as_list=True)
    assert endpoints == [FCM + "laptop"]

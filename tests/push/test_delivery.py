"""Delivery through the fake push service: each answer ends as specified, nothing is lost."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from uuid import uuid4

import pytest
from litestar import Litestar

from backend.db import write_transaction
from backend.notifications.service import record_notifications
from backend.notifications.tables import Notification
from backend.push.protocol import PushEncoder
from backend.push.sender import PushSender
from backend.push.subscriptions import subscription_count
from backend.push.tables import PushDelivery
from backend.push.worker import PushWorker
from backend.settings import Settings
from frontend.i18n import translator
from tests.conftest import DATABASE
from tests.factories import make_account
from tests.push.conftest import Clock, subscribe
from tests.push.fake_push_service import FakePushService


async def _interest(account_id, listing_id=None) -> str:
    listing_id = listing_id or uuid4()
    await record_notifications(
        [account_id],
        "interest_received",
        {"listing_id": str(listing_id), "title": "Boodschappen doen"},
    )
    return str(listing_id)


async def test_201_delivers_an_encrypted_payload_with_vapid_ttl_and_urgency(
    app: Litestar, worker: PushWorker, push_service: FakePushService, push_settings: Settings
) -> None:
    person = await make_account(app)
    endpoint, _ = await subscribe(push_service, push_settings, person)
    listing_id = await _interest(person.id)
    outcome = await worker.run_once()
    assert outcome.outcomes == {"sent": 1, "gone": 0}
    [request] = push_service.requests(endpoint)
    assert request.status == 201
    assert request.message == {
        "id": request.message["id"],
        "kind": "interest_received",
        "title": "Someone wants to help",
        "body": "New response to “Boodschappen doen”",
        "url": f"/listings/{listing_id}",
        "tag": f"interest_received-{request.message['id']}",
        "renotify": False,
        "unread": 1,
    }
    assert request.claims["aud"] == push_service.origin  # includes the non-default port
    assert request.claims["sub"] == "mailto:test@handje.nl"
    assert (request.headers["urgency"], int(request.headers["ttl"]) > 36 * 3_600) == (
        "normal",
        True,
    )
    assert await PushDelivery.count().where(PushDelivery.state == "sent") == 1
    await worker.run_once()
    assert len(push_service.requests(endpoint)) == 1  # nothing is sent twice


async def test_every_device_of_a_person_gets_it_in_their_language(
    app: Litestar, worker: PushWorker, push_service: FakePushService, push_settings: Settings
) -> None:
    person = await make_account(app, language="nl")
    phone, _ = await subscribe(push_service, push_settings, person)
    laptop, _ = await subscribe(push_service, push_settings, person)
    await _interest(person.id)
    await worker.run_once()
    titles = [m["title"] for m in push_service.messages(phone) + push_service.messages(laptop)]
    assert titles == ["Iemand wil helpen", "Iemand wil helpen"]


async def test_404_and_410_delete_the_subscription_but_401_and_403_do_not(
    app: Litestar, worker: PushWorker, push_service: FakePushService, push_settings: Settings
) -> None:
    statuses = (404, 410, 401, 403)
    people = {status: await make_account(app) for status in statuses}
    for status, person in people.items():
        endpoint, _ = await subscribe(push_service, push_settings, person)
        push_service.script(endpoint, (status, {}))
        await _interest(person.id)
    await worker.run_once()
    remaining = {status: await subscription_count(person.id) for status, person in people.items()}
    assert remaining == {404: 0, 410: 0, 401: 1, 403: 1}
    assert await PushDelivery.count().where(PushDelivery.state == "failed") == 2


async def test_413_resends_a_shorter_payload(
    app: Litestar, worker: PushWorker, push_service: FakePushService, push_settings: Settings
) -> None:
    person = await make_account(app)
    endpoint, _ = await subscribe(push_service, push_settings, person)
    push_service.script(endpoint, (413, {}))
    await record_notifications(
        [person.id], "recommendation", {"listing_id": str(uuid4()), "title": "Tuin " * 200}
    )
    await worker.run_once()
    first, second = push_service.requests(endpoint)
    assert (first.status, second.status) == (413, 201)
    assert second.plaintext_bytes <= first.plaintext_bytes // 2
    assert second.message["body"].endswith("…")


async def test_429_waits_for_retry_after_and_then_delivers(
    app: Litestar,
    worker: PushWorker,
    push_service: FakePushService,
    push_settings: Settings,
    clock: Clock,
) -> None:
    person = await make_account(app)
    endpoint, _ = await subscribe(push_service, push_settings, person)
    push_service.script(endpoint, (429, {"retry-after": "120"}))
    await _interest(person.id)
    await worker.run_once()
    clock.advance(seconds=100)
    await worker.run_once()
    assert [r.status for r in push_service.requests(endpoint)] == [429]
    clock.advance(seconds=21)
    await worker.run_once()
    assert [r.status for r in push_service.requests(endpoint)] == [429, 201]


async def test_500_is_retried_with_backoff_until_it_succeeds(
    app: Litestar,
    worker: PushWorker,
    push_service: FakePushService,
    push_settings: Settings,
    clock: Clock,
) -> None:
    person = await make_account(app)
    endpoint, _ = await subscribe(push_service, push_settings, person)
    push_service.script(endpoint, (500, {}), (503, {}))
    await _interest(person.id)
    await worker.run_once()
    clock.advance(seconds=1.5)
    await worker.run_once()
    assert len(push_service.requests(endpoint)) == 1  # the first backoff is 2 seconds
    clock.advance(seconds=1)
    await worker.run_once()
    clock.advance(seconds=3)
    await worker.run_once()
    assert len(push_service.requests(endpoint)) == 2  # the second backoff is 4 seconds
    clock.advance(seconds=2)
    await worker.run_once()
    assert [r.status for r in push_service.requests(endpoint)] == [500, 503, 201]
    assert len(push_service.messages(endpoint)) == 1


async def test_retries_give_up_once_the_ttl_has_passed(
    app: Litestar,
    worker: PushWorker,
    push_service: FakePushService,
    push_settings: Settings,
    clock: Clock,
) -> None:
    person = await make_account(app)
    endpoint, _ = await subscribe(push_service, push_settings, person)
    push_service.script(endpoint, *[(500, {})] * 100)
    await _interest(person.id)
    for _ in range(30):
        await worker.run_once()
        clock.advance(hours=2)
    attempts = len(push_service.requests(endpoint))
    assert 3 < attempts < 30
    assert await PushDelivery.count().where(PushDelivery.state == "expired") == 1
    assert await subscription_count(person.id) == 1


async def test_a_worker_killed_after_claiming_is_replaced_after_the_lease(
    app: Litestar,
    worker: PushWorker,
    push_service: FakePushService,
    push_settings: Settings,
    clock: Clock,
) -> None:
    person = await make_account(app)
    endpoint, _ = await subscribe(push_service, push_settings, person)
    await _interest(person.id)
    await worker.fanout.expand_pending(clock())
    assert len(await worker.claim()) == 1  # ... and this worker dies before sending
    await worker.run_once()
    assert push_service.requests(endpoint) == []  # still leased to the dead worker
    clock.advance(seconds=push_settings.push_lease_seconds + 1)
    await worker.run_once()
    await worker.run_once()
    assert len(push_service.messages(endpoint)) == 1


@pytest.fixture
async def two_workers(
    app: Litestar,
    push_service: FakePushService,
    push_settings: Settings,
    encoder: PushEncoder,
    clock: Clock,
) -> AsyncIterator[tuple[PushWorker, PushWorker]]:
    """Ten people with a device each and a delivery due for each; two workers that claim five."""
    for _ in range(10):
        person = await make_account(app)
        await subscribe(push_service, push_settings, person)
        await _interest(person.id)
    sender = PushSender(per_service=1)
    first, second = (
        PushWorker(push_settings, encoder, sender, translator, clock=clock, batch_size=5)
        for _ in range(2)
    )
    while await first.fanout.expand_pending(clock()):
        pass
    yield first, second
    await sender.close()


async def test_two_workers_claiming_at_once_take_different_deliveries(
    two_workers: tuple[PushWorker, PushWorker],
) -> None:
    first, second = two_workers
    # Neither takes the other's rows (SQLite runs the two one after the other); that the second
    # does not wait for the first on PostgreSQL is the next test's point.
    claimed = await asyncio.gather(first.claim(), second.claim())
    ids = [{row["id"] for row in rows} for rows in claimed]
    assert [len(batch) for batch in ids] == [5, 5]
    assert not ids[0] & ids[1]


@pytest.mark.skipif(
    DATABASE != "postgres", reason="SQLite has no row locks: its write lock serialises claims"
)
async def test_a_second_claim_takes_other_deliveries_while_the_first_still_holds_its_rows(
    two_workers: tuple[PushWorker, PushWorker],
) -> None:
    first, second = two_workers
    go = asyncio.Event()

    async def claim_when_told() -> list[dict]:
        await go.wait()
        return await second.claim()

    # Created before the transaction below, so the second claim runs on its own connection.
    second_claim = asyncio.create_task(claim_when_told())
    # The first claim joins this outer transaction, so its rows stay locked until it ends:
    # a worker whose commit is slow. The second must not wait for it (SKIP LOCKED).
    async with PushDelivery._meta.db.transaction():
        mine = {row["id"] for row in await first.claim()}
        go.set()
        done, _ = await asyncio.wait({second_claim}, timeout=5)
        if not done:
            second_claim.cancel()
        assert done, "the second claim waited for the rows the first still holds"
    theirs = {row["id"] for row in second_claim.result()}
    assert (len(mine), len(theirs)) == (5, 5)
    assert not mine & theirs


async def test_a_retry_after_beyond_the_ttl_gives_up_without_asking_again(
    app: Litestar,
    worker: PushWorker,
    push_service: FakePushService,
    push_settings: Settings,
    clock: Clock,
) -> None:
    person = await make_account(app)
    endpoint, _ = await subscribe(push_service, push_settings, person)
    push_service.script(endpoint, (429, {"retry-after": str(3 * 24 * 3_600)}))
    await _interest(person.id)  # kept two days by the push service
    await worker.run_once()
    assert await PushDelivery.count().where(PushDelivery.state == "expired") == 1
    clock.advance(hours=1)
    await worker.run_once()
    assert [r.status for r in push_service.requests(endpoint)] == [429]
    assert await subscription_count(person.id) == 1


async def _interest_in_a_failing_change(account_id) -> None:
    async with write_transaction(Notification._meta.db):
        await _interest(account_id)
        raise RuntimeError("the change that caused it fails")


async def test_the_outbox_rows_belong_to_the_transaction_of_the_change(app: Litestar) -> None:
    person = await make_account(app)
    with pytest.raises(RuntimeError):
        await _interest_in_a_failing_change(person.id)
    assert await Notification.count() == 0
    await _interest(person.id)
    assert await Notification.count() == 1

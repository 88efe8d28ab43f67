"""Abuse resistance: limits per account and per IP address on sign-up, listings, interests,
messages, reports and uploads, with a clear message and ``Retry-After``, in the database or in
Redis when configured."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

from backend.app import create_app
from backend.errors import NotAuthenticated, TooManyRequests
from backend.ratelimit.client import CLIENT_IP
from backend.ratelimit.service import (
    FROM_YOUR_NETWORK,
    DatabaseCounterStore,
    Limit,
    RateLimiter,
    subject_key,
)
from backend.ratelimit.tables import RateCounter
from backend.settings import Settings
from tests.factories import (
    PASSWORD,
    csrf_headers,
    log_in,
    make_account,
    make_conversation,
    make_listing,
    make_match,
    place_in,
)
from tests.media.photo_files import jpeg_with_gps
from tests.test_ratelimit import REDIS_URL

LISTING = {
    "kind": "request",
    "title": "Who can walk my dog on Saturdays?",
    "description": "Bobby is a friendly beagle.",
    "category": "pets",
    "region": {"place": "Haarlem"},
}


@contextmanager
def calling_from(ip: str) -> Iterator[None]:
    """Act as a request from ``ip`` would (the edge middleware sets this)."""
    token = CLIENT_IP.set(ip)
    try:
        yield
    finally:
        CLIENT_IP.reset(token)


async def test_an_account_limit_also_counts_the_network() -> None:
    limiter = RateLimiter(DatabaseCounterStore(), ip_factor=2)
    limit = Limit("test-network", 1, 60, "Slow down.")
    with calling_from("203.0.113.5"):
        await limiter.consume(limit, "first account")
        await limiter.consume(limit, "second account")
        with pytest.raises(TooManyRequests) as refused:
            await limiter.consume(limit, "third account")
    assert refused.value.message == FROM_YOUR_NETWORK
    assert 0 < refused.value.retry_after <= 60
    with calling_from("198.51.100.5"):
        await limiter.consume(limit, "fifth account")
    await limiter.consume(limit, "fourth account")  # outside a request: no address to count


async def test_a_use_refused_by_the_network_limit_leaves_the_persons_own_limit() -> None:
    limiter = RateLimiter(DatabaseCounterStore(), ip_factor=1)
    limit = Limit("test-refused", 2, 60, "Slow down.")
    with calling_from("203.0.113.20"):
        for _ in range(2):
            await limiter.consume(limit, "neighbour")
        for _ in range(3):  # the neighbours used up the network; the person is not to blame
            with pytest.raises(TooManyRequests, match="your network"):
                await limiter.consume(limit, "person")
    with calling_from("198.51.100.20"):
        for _ in range(2):
            await limiter.consume(limit, "person")


async def test_a_sign_up_refused_for_its_email_address_leaves_the_networks_sign_ups(
    settings: Settings,
) -> None:
    app = create_app(replace(settings, signup_email_limit=1, signup_ip_limit=3))

    async def sign_up(email: str) -> None:
        await app.state.accounts.sign_up(
            email=email, password=PASSWORD, display_name="Sam", language="nl", ip="192.0.2.50"
        )

    await sign_up("doelwit@example.nl")
    for _ in range(3):
        with pytest.raises(TooManyRequests, match="this email address"):
            await sign_up("doelwit@example.nl")
    await sign_up("buurvrouw@example.nl")
    await sign_up("buurman@example.nl")
    with pytest.raises(TooManyRequests, match="from your network"):
        await sign_up("nog-een@example.nl")


async def test_log_ins_refused_for_the_network_do_not_count_against_the_account(
    settings: Settings,
) -> None:
    app = create_app(replace(settings, login_ip_limit=2, login_account_limit=3))
    victim = await make_account(app)

    async def log_in_from(ip: str, password: str) -> None:
        await app.state.accounts.log_in(email=victim.email, password=password, ip=ip, user_agent="")

    for _ in range(2):
        with pytest.raises(NotAuthenticated):
            await log_in_from("203.0.113.30", "a guess")
    for _ in range(3):  # the attacker's network is locked out; the victim is not locked more
        with pytest.raises(TooManyRequests, match="from your network"):
            await log_in_from("203.0.113.30", "another guess")
    await log_in_from("198.51.100.30", PASSWORD)


async def test_listings_per_account_get_429_with_retry_after(
    settings: Settings, client: AsyncTestClient
) -> None:
    app = create_app(replace(settings, listings_per_day=1))
    async with AsyncTestClient(app, base_url="http://testserver.local") as own:
        account = await place_in(app, await make_account(app), "Haarlem")
        await log_in(own, account.email)
        headers = await csrf_headers(own)
        assert (await own.post("/api/listings", json=LISTING, headers=headers)).status_code == 201
        refused = await own.post("/api/listings", json=LISTING, headers=headers)
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) > 0
    assert "tomorrow" in refused.json()["detail"]
    assert await RateCounter.exists()  # counted in the database by default


async def test_listings_from_one_network_are_limited_across_accounts(settings: Settings) -> None:
    app = create_app(replace(settings, listings_per_day=1, ip_limit_factor=1))
    answers = []
    for _ in range(2):
        async with AsyncTestClient(app, base_url="http://testserver.local") as own:
            account = await place_in(app, await make_account(app), "Haarlem")
            await log_in(own, account.email)
            headers = await csrf_headers(own)
            answers.append(await own.post("/api/listings", json=LISTING, headers=headers))
    assert [answer.status_code for answer in answers] == [201, 429]
    assert answers[1].json()["detail"] == FROM_YOUR_NETWORK
    assert "retry-after" in answers[1].headers


async def test_sign_ups_per_email_address_are_limited(settings: Settings) -> None:
    app = create_app(replace(settings, signup_email_limit=2))
    for attempt in range(2):
        await app.state.accounts.sign_up(
            email="dezelfde@example.nl",
            password=PASSWORD,
            display_name="Sam",
            language="nl",
            ip=f"192.0.2.{attempt}",
        )
    with pytest.raises(TooManyRequests):
        await app.state.accounts.sign_up(
            email="Dezelfde@example.nl",
            password=PASSWORD,
            display_name="Sam",
            language="nl",
            ip="192.0.2.9",
        )


async def test_reports_per_account_are_limited(app: Litestar) -> None:
    owner = await place_in(app, await make_account(app), "Utrecht")
    reporter = await make_account(app)
    await make_listing(app, owner)
    limit = app.state.messaging.reports_per_day
    for _ in range(limit.max_hits):
        await app.state.messaging.report(reporter, reason="spam", text="", user_id=owner.id)
    with pytest.raises(TooManyRequests):
        await app.state.messaging.report(reporter, reason="spam", text="", user_id=owner.id)


async def test_interests_from_one_network_are_limited(settings: Settings) -> None:
    app = create_app(replace(settings, interests_per_day=1, ip_limit_factor=1))
    owner = await place_in(app, await make_account(app), "Utrecht")
    first, second = [await place_in(app, await make_account(app), "Utrecht") for _ in range(2)]
    listings = [await make_listing(app, owner, title=f"Hulp nummer {n}") for n in range(2)]
    with calling_from("203.0.113.9"):
        await app.state.matching.swipe(first, listings[0].id, "right", "")
        with pytest.raises(TooManyRequests) as refused:
            await app.state.matching.swipe(second, listings[1].id, "right", "")
    assert refused.value.message == FROM_YOUR_NETWORK


async def test_messages_from_one_network_are_limited(settings: Settings) -> None:
    app = create_app(replace(settings, ip_limit_factor=1))
    owner, helper, conversation = await make_conversation(app)
    per_minute = app.state.messaging.per_minute.max_hits
    with calling_from("203.0.113.10"):
        for number in range(per_minute):
            sender = helper if number % 2 else owner
            await app.state.messaging.send(sender, conversation, client_id=f"m{number}", body="Hoi")
        with pytest.raises(TooManyRequests) as refused:
            await app.state.messaging.send(helper, conversation, client_id="over", body="Hoi")
    assert refused.value.message == FROM_YOUR_NETWORK


async def test_first_messages_refused_for_today_leave_the_per_minute_limit(app: Litestar) -> None:
    messaging = app.state.messaging
    owner, sender = [await place_in(app, await make_account(app), "Utrecht") for _ in range(2)]
    conversation = await make_match(app, owner, sender)
    started_today = subject_key(messaging.first_messages, str(sender.id))
    await RateCounter.insert(
        RateCounter(
            key=started_today, window_start=int(time.time()), hits=messaging.first_messages.max_hits
        )
    )
    for number in range(messaging.per_minute.max_hits):
        with pytest.raises(TooManyRequests, match="new conversations"):
            await messaging.send(sender, conversation, client_id=f"m{number}", body="Hoi")
    await RateCounter.delete().where(RateCounter.key == started_today)  # the next day
    await messaging.send(sender, conversation, client_id="tomorrow", body="Hoi")


async def test_sign_ups_from_one_network_get_429_with_retry_after(settings: Settings) -> None:
    app = create_app(replace(settings, signup_ip_limit=2))
    async with AsyncTestClient(app, base_url="http://testserver.local") as own:
        headers = await csrf_headers(own)
        answers = [
            await own.post(
                "/api/auth/signup",
                json={
                    "email": f"buur{number}@example.nl",
                    "password": PASSWORD,
                    "display_name": "Buur",
                    "language": "nl",
                },
                headers=headers,
            )
            for number in range(3)
        ]
    assert [answer.status_code for answer in answers] == [202, 202, 429]
    assert int(answers[2].headers["retry-after"]) > 0
    assert (
        answers[2].json()["detail"]
        == "Too many sign-ups from your network. Please wait and try again."
    )


async def test_reports_from_one_network_are_limited(settings: Settings) -> None:
    app = create_app(replace(settings, ip_limit_factor=1))
    owner = await place_in(app, await make_account(app), "Utrecht")
    await make_listing(app, owner)
    first, second = [await make_account(app) for _ in range(2)]
    per_day = app.state.messaging.reports_per_day.max_hits
    with calling_from("203.0.113.11"):
        for _ in range(per_day):
            await app.state.messaging.report(first, reason="spam", text="", user_id=owner.id)
        with pytest.raises(TooManyRequests) as refused:
            await app.state.messaging.report(second, reason="spam", text="", user_id=owner.id)
    assert refused.value.message == FROM_YOUR_NETWORK
    assert refused.value.retry_after > 0


async def test_uploads_from_one_network_are_limited(settings: Settings) -> None:
    app = create_app(replace(settings, uploads_per_hour=1, ip_limit_factor=1))
    first, second, elsewhere = [await make_account(app) for _ in range(3)]
    with calling_from("203.0.113.12"):
        await app.state.media.upload(first, jpeg_with_gps(), purpose="profile")
        with pytest.raises(TooManyRequests) as refused:
            await app.state.media.upload(second, jpeg_with_gps(), purpose="profile")
    assert refused.value.message == FROM_YOUR_NETWORK
    with calling_from("198.51.100.12"):
        await app.state.media.upload(elsewhere, jpeg_with_gps(), purpose="profile")


async def test_limits_are_counted_in_redis_when_it_is_configured(
    app: Litestar, settings: Settings
) -> None:
    redis = Redis.from_url(REDIS_URL)
    try:
        await redis.ping()
    except RedisConnectionError:
        pytest.skip("Redis is not running on 127.0.0.1:6379 (.ci/run starts it)")
    # Accounts come from the database-backed app: Redis keeps its counters between runs.
    owner = await place_in(app, await make_account(app), "Haarlem")
    await RateCounter.delete(force=True)
    one, other_process = [
        create_app(replace(settings, redis_url=REDIS_URL, listings_per_day=1)) for _ in range(2)
    ]
    await make_listing(one, owner)
    with pytest.raises(TooManyRequests):
        await make_listing(other_process, owner, title="Nog een verzoek")
    key = f"handje:rate:{subject_key(one.state.listings.per_day, str(owner.id))}"
    assert int(await redis.get(key)) == 1  # the refused use was taken back
    assert not await RateCounter.exists()
    await redis.delete(key)
    await redis.aclose()

"""Rate-limit counters shared by every process: in the database, or in Redis when configured."""

from __future__ import annotations

import time
import uuid

import pytest
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

from backend.errors import TooManyRequests
from backend.ratelimit.service import (
    CounterStore,
    DatabaseCounterStore,
    Limit,
    RateLimiter,
    RedisCounterStore,
)
from backend.ratelimit.tables import RateCounter

REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture(params=["database", "redis"])
async def store(request: pytest.FixtureRequest) -> CounterStore:
    """Each store implementation."""
    if request.param == "database":
        return DatabaseCounterStore()
    redis = Redis.from_url(REDIS_URL)
    try:
        await redis.ping()
    except RedisConnectionError:
        pytest.skip("Redis is not running on 127.0.0.1:6379 (.ci/run starts it)")
    return RedisCounterStore(redis)


def a_limit(max_hits: int = 3, window_seconds: int = 60) -> Limit:
    """A limit with a unique name, so tests sharing Redis do not meet."""
    return Limit(f"test-{uuid.uuid4().hex[:8]}", max_hits, window_seconds, "Slow down.")


async def test_consume_allows_up_to_the_limit_then_refuses(store: CounterStore) -> None:
    limiter, limit = RateLimiter(store), a_limit()
    for _ in range(3):
        await limiter.consume(limit, "someone")
    with pytest.raises(TooManyRequests) as refused:
        await limiter.consume(limit, "someone")
    assert 0 < refused.value.retry_after <= 60
    await limiter.consume(limit, "someone else")


async def test_clear_forgets_the_subject(store: CounterStore) -> None:
    limiter, limit = RateLimiter(store), a_limit(max_hits=1)
    await limiter.hit(limit, "someone")
    with pytest.raises(TooManyRequests):
        await limiter.ensure_allowed(limit, "someone")
    await limiter.clear(limit, "someone")
    await limiter.ensure_allowed(limit, "someone")


async def test_a_new_window_starts_counting_again() -> None:
    store, limit = DatabaseCounterStore(), a_limit(max_hits=1, window_seconds=10)
    first = await store.hit("k", limit.window_seconds, now=1_000)
    assert (await store.hit("k", limit.window_seconds, now=1_005)).hits == 2
    assert (await store.hit("k", limit.window_seconds, now=1_011)).hits == 1
    assert first.resets_at == 1_010


async def test_subjects_are_not_stored_in_clear() -> None:
    await RateLimiter(DatabaseCounterStore()).hit(a_limit(), "anneke@example.nl")
    keys = await RateCounter.select(RateCounter.key).output(as_list=True)
    assert keys
    assert not any("anneke" in key for key in keys)


async def test_give_back_takes_back_one_hit_of_its_own_window(store: CounterStore) -> None:
    key, now = f"test-{uuid.uuid4().hex[:8]}", time.time()
    await store.hit(key, 60, now)
    counted = await store.hit(key, 60, now)
    await store.give_back(key, counted, 60)
    assert (await store.peek(key, 60, now)).hits == 1
    await store.clear(key)
    await store.give_back(key, counted, 60)  # its window is over: the next one is not touched
    assert (await store.hit(key, 60, now)).hits == 1


async def test_consume_each_decides_as_one_after_the_other_and_refusals_count_nowhere(
    store: CounterStore,
) -> None:
    limiter = RateLimiter(store)
    per_minute, per_day = a_limit(max_hits=3), a_limit(max_hits=1, window_seconds=86_400)
    refusals = await limiter.consume_each(
        [
            ([(per_minute, "anna"), (per_day, "anna")], None),
            ([(per_minute, "anna"), (per_day, "anna")], None),  # over the day's one
            ([(per_minute, "anna")], None),
            ([(per_minute, "anna")], None),
            ([(per_minute, "anna")], None),  # the fourth counted this minute
            ([(per_minute, "bram")], None),
        ]
    )
    assert [refusal is None for refusal in refusals] == [True, False, True, True, False, True]
    assert all(isinstance(refusal, TooManyRequests) for refusal in refusals if refusal)
    assert (await limiter.consume_each([([(per_day, "anna")], None)]))[0] is not None
    with pytest.raises(TooManyRequests):
        await limiter.consume(per_minute, "anna")
    await limiter.consume(per_minute, "bram")

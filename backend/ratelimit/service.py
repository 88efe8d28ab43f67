"""Fixed-window rate limits over a counter store shared by all processes (database or Redis)."""

from __future__ import annotations

import hashlib
import math
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from redis.asyncio import Redis

from backend.errors import TooManyRequests
from backend.ratelimit.client import CLIENT_IP
from backend.ratelimit.tables import RateCounter
from backend.translatable import N_

FROM_YOUR_NETWORK = N_(
    "Many people on your network are doing this right now. Please wait a moment."
)


@dataclass(frozen=True)
class Limit:
    """At most ``max_hits`` per ``window_seconds`` per subject; ``message`` says so when hit."""

    name: str
    max_hits: int
    window_seconds: int
    message: str


@dataclass(frozen=True)
class WindowCount:
    """How often a key was hit in its current window, and when that window ends."""

    hits: int
    resets_at: float


class CounterStore(Protocol):
    """Counts hits per key in fixed windows."""

    async def hit(self, key: str, window_seconds: int, now: float) -> WindowCount:
        """Count one hit and return the window's total."""
        ...

    async def hit_many(
        self, hits: Mapping[str, tuple[int, int]], now: float
    ) -> dict[str, WindowCount]:
        """Count ``amount`` hits per ``key: (amount, window_seconds)`` at once; return the
        windows' totals."""
        ...

    async def peek(self, key: str, window_seconds: int, now: float) -> WindowCount:
        """Return the window's total without counting."""
        ...

    async def give_back(
        self, key: str, counted: WindowCount, window_seconds: int, amount: int = 1
    ) -> None:
        """Take back ``amount`` hits counted as ``counted`` (nothing once its window is over)."""
        ...

    async def clear(self, key: str) -> None:
        """Forget the key."""
        ...


class DatabaseCounterStore:
    """Counters in the ``handje_rate_counter`` table: one atomic upsert per window length (keys
    in a stable order, so that concurrent upserts do not deadlock)."""

    _UPSERT = (
        "INSERT INTO handje_rate_counter (key, window_start, hits) VALUES {} "
        "ON CONFLICT (key) DO UPDATE SET "
        "hits = CASE WHEN handje_rate_counter.window_start <= {} THEN excluded.hits "
        "ELSE handje_rate_counter.hits + excluded.hits END, "
        "window_start = CASE WHEN handje_rate_counter.window_start <= {} "
        "THEN excluded.window_start ELSE handje_rate_counter.window_start END "
        "RETURNING key, hits, window_start"
    )

    async def hit(self, key: str, window_seconds: int, now: float) -> WindowCount:
        return (await self.hit_many({key: (1, window_seconds)}, now))[key]

    async def hit_many(
        self, hits: Mapping[str, tuple[int, int]], now: float
    ) -> dict[str, WindowCount]:
        start = int(now)
        counts = {}
        for window_seconds in sorted({window for _, window in hits.values()}):
            keys = sorted(key for key, (_, window) in hits.items() if window == window_seconds)
            rows = ", ".join("({}, {}, {})" for _ in keys)
            expired_before = start - window_seconds
            values = [value for key in keys for value in (key, start, hits[key][0])]
            returned = await RateCounter.raw(
                self._UPSERT.format(rows, "{}", "{}"), *values, expired_before, expired_before
            )
            for row in returned:
                resets_at = row["window_start"] + window_seconds
                counts[row["key"]] = WindowCount(hits=row["hits"], resets_at=resets_at)
        return counts

    async def peek(self, key: str, window_seconds: int, now: float) -> WindowCount:
        row = await RateCounter.select().where(RateCounter.key == key).first()
        if row is None or row["window_start"] + window_seconds <= now:
            return WindowCount(hits=0, resets_at=now + window_seconds)
        return WindowCount(hits=row["hits"], resets_at=row["window_start"] + window_seconds)

    async def give_back(
        self, key: str, counted: WindowCount, window_seconds: int, amount: int = 1
    ) -> None:
        await RateCounter.update({RateCounter.hits: RateCounter.hits - amount}).where(
            RateCounter.key == key,
            RateCounter.window_start == int(counted.resets_at) - window_seconds,
            RateCounter.hits >= amount,
        )

    async def clear(self, key: str) -> None:
        await RateCounter.delete().where(RateCounter.key == key)


class RedisCounterStore:
    """Counters as expiring Redis keys, for several app processes on several hosts."""

    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    async def hit(self, key: str, window_seconds: int, now: float) -> WindowCount:
        return (await self.hit_many({key: (1, window_seconds)}, now))[key]

    async def hit_many(
        self, hits: Mapping[str, tuple[int, int]], now: float
    ) -> dict[str, WindowCount]:
        async with self._redis.pipeline(transaction=True) as pipe:
            for key, (amount, window_seconds) in hits.items():
                pipe.incrby(f"handje:rate:{key}", amount)
                pipe.expire(f"handje:rate:{key}", window_seconds, nx=True)
                pipe.ttl(f"handje:rate:{key}")
            replies = await pipe.execute()
        return {
            key: WindowCount(hits=int(total), resets_at=now + max(int(ttl), 1))
            for key, total, ttl in zip(hits, replies[0::3], replies[2::3], strict=True)
        }

    async def peek(self, key: str, window_seconds: int, now: float) -> WindowCount:
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.get(f"handje:rate:{key}")
            pipe.ttl(f"handje:rate:{key}")
            hits, ttl = await pipe.execute()
        if hits is None:
            return WindowCount(hits=0, resets_at=now + window_seconds)
        return WindowCount(hits=int(hits), resets_at=now + max(int(ttl), 1))

    # Only while the key lives (a key is its window): a DECR after it expired would start the
    # next window at -1.
    _GIVE_BACK = (
        "if redis.call('exists', KEYS[1]) == 1 then "
        "return redis.call('decrby', KEYS[1], ARGV[1]) end return 0"
    )

    async def give_back(
        self,
        key: str,
        counted: WindowCount,  # noqa: ARG002
        window_seconds: int,  # noqa: ARG002
        amount: int = 1,
    ) -> None:
        await self._redis.eval(self._GIVE_BACK, 1, f"handje:rate:{key}", amount)

    async def clear(self, key: str) -> None:
        await self._redis.delete(f"handje:rate:{key}")


def subject_key(limit: Limit, subject: str) -> str:
    """A fixed-length key that does not store the subject (an email or IP) in clear."""
    digest = hashlib.sha256(subject.lower().encode()).hexdigest()[:40]
    return f"{limit.name}:{digest}"


class RateLimiter:
    """Checks and counts limits; raises ``TooManyRequests`` with the seconds to wait.

    With an ``ip_factor``, every limit counted for an account is also counted for the caller's
    IP address, allowing ``ip_factor`` times as much (a household or an office shares one).
    A use refused by one limit counts against none: refusals because of other people on the
    same network do not use up a person's own limit, and the other way round.
    """

    def __init__(self, store: CounterStore, ip_factor: int = 0) -> None:
        self._store = store
        self._ip_factor = ip_factor

    async def ensure_allowed(self, limit: Limit, subject: str) -> None:
        """Raise if ``subject`` already used up ``limit`` in the current window."""
        now = time.time()
        count = await self._store.peek(subject_key(limit, subject), limit.window_seconds, now)
        if count.hits >= limit.max_hits:
            raise TooManyRequests(limit.message, retry_after=math.ceil(count.resets_at - now))

    async def hit(self, limit: Limit, subject: str) -> None:
        """Count one use of ``limit`` by ``subject``."""
        await self._store.hit(subject_key(limit, subject), limit.window_seconds, time.time())

    async def consume(self, limit: Limit, subject: str) -> None:
        """Count one use by ``subject`` and by the caller's address; raise if either went over."""
        await self.consume_all([(limit, subject)])

    async def consume_all(self, uses: Sequence[tuple[Limit, str]]) -> None:
        """Count one use of each ``(limit, subject)``, and of each by the caller's address; if
        any went over, take all of them back and raise."""
        [refused] = await self.consume_each([(uses, CLIENT_IP.get())])
        if refused is not None:
            raise refused

    async def consume_each(
        self, requests: Sequence[tuple[Sequence[tuple[Limit, str]], str | None]]
    ) -> list[TooManyRequests | None]:
        """``consume_all`` for each ``(uses, caller's address)`` in turn, counted together in a
        few statements: the refusal of each (``None`` if it was allowed).

        Every hit is counted at once; the counts each request would have met one after the
        other follow from the totals, and what the refused requests counted is given back.
        """
        now = time.time()
        wanted = [
            [
                (limit, subject_key(limit, subject))
                for limit, subject in self._with_network(uses, ip)
            ]
            for uses, ip in requests
        ]
        amounts = Counter(key for uses in wanted for _, key in uses)
        if not amounts:
            return [None for _ in requests]
        windows = {key: limit.window_seconds for uses in wanted for limit, key in uses}
        counts = await self._store.hit_many(
            {key: (amount, windows[key]) for key, amount in amounts.items()}, now
        )
        allowed: Counter[str] = Counter()
        refusals: list[TooManyRequests | None] = []
        for uses in wanted:
            these = Counter(key for _, key in uses)
            over = [
                (limit, key)
                for limit, key in uses
                if counts[key].hits - amounts[key] + allowed[key] + these[key] > limit.max_hits
            ]
            if over:
                limit, key = over[0]
                retry_after = math.ceil(counts[key].resets_at - now)
                refusals.append(TooManyRequests(limit.message, retry_after=retry_after))
            else:
                allowed.update(these)
                refusals.append(None)
        for key, amount in amounts.items():
            if amount > allowed[key]:
                await self._store.give_back(key, counts[key], windows[key], amount - allowed[key])
        return refusals

    async def consume_per_ip(self, limit: Limit) -> None:
        """Count one use by the caller's address (nothing outside a request or without a factor)."""
        ip = CLIENT_IP.get()
        if ip and self._ip_factor > 0:
            await self.consume_all([(self._network_limit(limit), ip)])

    def _with_network(
        self, uses: Sequence[tuple[Limit, str]], ip: str | None
    ) -> list[tuple[Limit, str]]:
        with_network = list(uses)
        if ip and self._ip_factor > 0:
            with_network += [
                (self._network_limit(limit), ip) for limit, subject in uses if subject != ip
            ]
        return with_network

    def _network_limit(self, limit: Limit) -> Limit:
        return Limit(
            f"{limit.name}-ip",
            limit.max_hits * self._ip_factor,
            limit.window_seconds,
            FROM_YOUR_NETWORK,
        )

    async def clear(self, limit: Limit, subject: str) -> None:
        """Forget the uses of ``limit`` by ``subject`` (after a successful log-in)."""
        await self._store.clear(subject_key(limit, subject))

"""The push worker: claims due deliveries with a lease, sends them, and records what happened.

Several workers may run at once: a claim takes rows nobody holds (``FOR UPDATE SKIP LOCKED`` on
PostgreSQL, the database write lock on SQLite) and sets ``lease_until``. A worker that dies
between claim and outcome leaves the lease to run out; the row is then claimed and sent again
(the service worker drops the duplicate by notification id).
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from backend.db import write_transaction
from backend.push.fanout import Fanout, locked_rows
from backend.push.messages import Translate, shorten
from backend.push.protocol import PushEncoder
from backend.push.sender import PushResponse, PushSender
from backend.push.tables import PushDelivery, PushSubscription
from backend.settings import Settings

logger = logging.getLogger(__name__)

PENDING, SENT, EXPIRED, FAILED = "pending", "sent", "expired", "failed"
BATCH_SIZE = 500
BACKOFF_BASE_SECONDS = 2.0
BACKOFF_MAX_SECONDS = 3_600.0
GONE = (404, 410)


def now_utc() -> datetime:
    """The current time (the worker takes a clock so that tests can move it)."""
    return datetime.now(UTC)


@dataclass
class Round:
    """What one round of the worker did."""

    decided: int = 0
    summaries: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)

    @property
    def busy(self) -> bool:
        """Whether the round found work (so the next one should start at once)."""
        return bool(self.decided or self.summaries or self.outcomes)


@dataclass
class _Outcome:
    delivery: UUID
    subscription: UUID
    response: PushResponse
    attempts: int
    expires_at: datetime
    payload: str | None = None


class PushWorker:
    """Delivers the outbox: decide (``Fanout``), claim, send, record."""

    def __init__(
        self,
        settings: Settings,
        encoder: PushEncoder,
        sender: PushSender,
        translate_for: Callable[[str], Translate],
        *,
        clock: Callable[[], datetime] = now_utc,
        jitter: Callable[[], float] = random.random,
        batch_size: int = BATCH_SIZE,
    ) -> None:
        self._encoder = encoder
        self._sender = sender
        self._lease = timedelta(seconds=settings.push_lease_seconds)
        self._clock = clock
        self._jitter = jitter
        self._batch_size = batch_size
        self.fanout = Fanout(translate_for, settings.push_daily_cap, batch_size)

    async def run_once(self) -> Round:
        """Decide pending notifications, summarise finished quiet hours, send what is due."""
        result = Round()
        result.decided = await self.fanout.expand_pending(self._clock())
        result.summaries = await self.fanout.summarise_held(self._clock())
        claimed = await self.claim()
        if claimed:
            outcomes = await asyncio.gather(*(self._attempt(row) for row in claimed))
            result.outcomes = await self._record(outcomes)
        return result

    async def claim(self) -> list[dict[str, Any]]:
        """Lease a batch of due deliveries to this worker and return them with their devices."""
        now = self._clock()
        async with write_transaction(PushDelivery._meta.db):
            ids = await locked_rows(
                PushDelivery.select(PushDelivery.id)
                .where(
                    PushDelivery.state == PENDING,
                    PushDelivery.not_before <= now,
                    PushDelivery.lease_until.is_null() | (PushDelivery.lease_until < now),
                )
                .order_by(PushDelivery.not_before)
                .limit(self._batch_size)
            ).output(as_list=True)
            if not ids:
                return []
            await PushDelivery.update(
                {
                    PushDelivery.lease_until: now + self._lease,
                    PushDelivery.attempts: PushDelivery.attempts + 1,
                }
            ).where(PushDelivery.id.is_in(ids))
        subscription = PushDelivery.subscription
        return await PushDelivery.select(
            PushDelivery.id,
            PushDelivery.payload,
            PushDelivery.urgency,
            PushDelivery.topic,
            PushDelivery.attempts,
            PushDelivery.expires_at,
            subscription.id.as_alias("subscription_id"),
            subscription.endpoint.as_alias("endpoint"),
            subscription.p256dh.as_alias("p256dh"),
            subscription.auth.as_alias("auth"),
        ).where(PushDelivery.id.is_in(ids))

    async def _attempt(self, row: dict[str, Any]) -> _Outcome:
        outcome = _Outcome(
            row["id"], row["subscription_id"], PushResponse(0), row["attempts"], row["expires_at"]
        )
        body = row["payload"].encode()
        while True:
            ttl = int((row["expires_at"] - self._clock()).total_seconds())
            if ttl <= 0:
                return outcome
            request = self._encoder.build(
                row["endpoint"],
                row["p256dh"],
                row["auth"],
                body,
                ttl=ttl,
                urgency=row["urgency"],
                topic=row["topic"],
            )
            outcome.response = await self._sender.send(request)
            shorter = shorten(body) if outcome.response.status == 413 else None
            if shorter is None:
                return outcome
            body = shorter
            outcome.payload = body.decode()

    async def _record(self, outcomes: list[_Outcome]) -> dict[str, int]:
        now = self._clock()
        sent = [o.delivery for o in outcomes if 200 <= o.response.status < 300]
        gone = [o.subscription for o in outcomes if o.response.status in GONE]
        counts = {"sent": len(sent), "gone": len(gone)}
        if sent:
            await PushDelivery.update(
                {PushDelivery.state: SENT, PushDelivery.lease_until: None}
            ).where(PushDelivery.id.is_in(sent))
        if gone:  # the device unsubscribed or its subscription expired; its deliveries go too
            await PushSubscription.delete().where(PushSubscription.id.is_in(gone))
        for outcome in outcomes:
            status = outcome.response.status
            if 200 <= status < 300 or status in GONE:
                continue
            state = await self._after_failure(outcome, now)
            counts[state] = counts.get(state, 0) + 1
        return counts

    async def _after_failure(self, outcome: _Outcome, now: datetime) -> str:
        status = outcome.response.status
        values: dict[Any, Any] = {PushDelivery.lease_until: None}
        if outcome.payload is not None:
            values[PushDelivery.payload] = outcome.payload
        if status in (401, 403):
            logger.error("push service refused our VAPID credentials (HTTP %s)", status)
        if status == 429 or status >= 500 or status == 0:
            retry_at = now + timedelta(seconds=self._backoff(outcome))
            if retry_at < outcome.expires_at:
                values.update({PushDelivery.not_before: retry_at})
                state = "retry"
            else:
                values[PushDelivery.state] = EXPIRED
                state = EXPIRED
        elif now >= outcome.expires_at:
            values[PushDelivery.state] = EXPIRED
            state = EXPIRED
        else:
            values[PushDelivery.state] = FAILED
            state = FAILED
        await PushDelivery.update(values).where(PushDelivery.id == outcome.delivery)
        return state

    def _backoff(self, outcome: _Outcome) -> float:
        """Exponential backoff with jitter, and never sooner than the service's Retry-After."""
        exponential = min(BACKOFF_BASE_SECONDS * 2 ** (outcome.attempts - 1), BACKOFF_MAX_SECONDS)
        delay = exponential * (0.5 + self._jitter() / 2)
        return max(delay, outcome.response.retry_after or 0.0)

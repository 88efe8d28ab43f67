"""From outbox rows to deliveries: who gets a push, on which devices, with which payload.

Settings are read at this moment (not when the event happened), so a kind turned off or a
conversation muted in the meantime is respected. Notifications that arrive during someone's
quiet hours are held and later sent as one summary.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from piccolo.engine.postgres import PostgresEngine
from piccolo.query.functions.aggregate import Count

from backend.accounts.tables import User
from backend.db import write_transaction
from backend.messaging.tables import Message
from backend.notifications.service import MESSAGE_RECEIVED, THANKS_RECEIVED
from backend.notifications.tables import Notification
from backend.push.messages import (
    KINDS,
    SUMMARY,
    SUMMARY_KIND,
    Kind,
    Translate,
    payload,
    render,
    render_summary,
)
from backend.push.preferences import Preferences, muted_conversations, preferences_of
from backend.push.tables import PushDelivery, PushSubscription

PENDING, QUEUED, HELD, SUMMARISED, SKIPPED = "pending", "queued", "held", "summarised", "skipped"
COUNTED_FOR_CAP = (QUEUED, HELD, SUMMARISED)
PREVIEW_KINDS = (MESSAGE_RECEIVED, THANKS_RECEIVED)


def locked_rows(query: Any) -> Any:
    """Several workers claim different rows on PostgreSQL; SQLite's write lock serialises them."""
    if isinstance(Notification._meta.db, PostgresEngine):
        return query.lock_rows("UPDATE", skip_locked=True)
    return query


class Fanout:
    """Turns pending notifications into deliveries, and held ones into summaries."""

    def __init__(
        self, translate_for: Callable[[str], Translate], daily_cap: int, batch_size: int
    ) -> None:
        self._translate_for = translate_for
        self._daily_cap = daily_cap
        self._batch_size = batch_size

    async def expand_pending(self, now: datetime) -> int:
        """Decide for one batch of pending notifications; return how many were decided."""
        async with write_transaction(Notification._meta.db):
            rows = await locked_rows(
                Notification.select(
                    Notification.id,
                    Notification.user,
                    Notification.kind,
                    Notification.data,
                    Notification.conversation,
                    Notification.created_at,
                )
                .where(Notification.push_state == PENDING)
                .order_by(Notification.created_at)
                .limit(self._batch_size)
            ).output(load_json=True)
            if not rows:
                return 0
            context = await _Context.load({row["user"] for row in rows}, now)
            states: dict[str, list[UUID]] = defaultdict(list)
            deliveries: list[PushDelivery] = []
            for row in rows:
                state = self._decide(row, context, now)
                states[state].append(row["id"])
                if state == QUEUED:
                    deliveries.extend(await self._deliveries(row, context, now))
            await _save(deliveries, states)
        return len(rows)

    def _decide(self, row: dict[str, Any], context: _Context, now: datetime) -> str:
        user, kind = row["user"], KINDS.get(row["kind"])
        preferences = context.preferences[user]
        if kind is None or not preferences.wants(kind.name) or not context.devices[user]:
            return SKIPPED
        if kind.conversation and (user, row["conversation"]) in context.mutes:
            return SKIPPED
        if kind.capped:
            if context.capped[user] >= self._daily_cap:
                return SKIPPED
            context.capped[user] += 1
        return HELD if preferences.quiet_at(now) else QUEUED

    async def _deliveries(
        self, row: dict[str, Any], context: _Context, now: datetime
    ) -> list[PushDelivery]:
        user, kind = row["user"], KINDS[row["kind"]]
        t = self._translate_for(context.languages.get(user, "nl"))
        preview = ""
        if kind.name in PREVIEW_KINDS and context.preferences[user].previews:
            preview = await _message_preview(row, user)
        rendered = render(kind.name, row["data"], t, preview)
        conversation = row["conversation"]
        if kind.conversation:
            tag = f"conversation-{conversation or ''}"
        else:
            tag = f"{kind.name}-{row['id']}"
        body = payload(
            str(row["id"]),
            kind.name,
            rendered,
            tag=tag,
            renotify=kind.name == MESSAGE_RECEIVED,
            unread=context.unread[user],
        ).decode()
        topic = conversation.hex if kind.conversation and conversation else ""
        expires_at = row["created_at"] + timedelta(seconds=kind.ttl)
        return _for_devices(context.devices[user], kind, body, now, expires_at, row["id"], topic)

    async def summarise_held(self, now: datetime) -> int:
        """Send one summary to each person whose quiet hours are over; return how many people."""
        async with write_transaction(Notification._meta.db):
            rows = await locked_rows(
                Notification.select(Notification.id, Notification.user)
                .where(Notification.push_state == HELD)
                .limit(self._batch_size * 10)
            )
            if not rows:
                return 0
            held: dict[UUID, list[UUID]] = defaultdict(list)
            for row in rows:
                held[row["user"]].append(row["id"])
            context = await _Context.load(held.keys(), now)
            awake = [user for user in held if not context.preferences[user].quiet_at(now)]
            deliveries: list[PushDelivery] = []
            for user in awake:
                t = self._translate_for(context.languages.get(user, "nl"))
                summary_id = str(uuid.uuid4())
                body = payload(
                    summary_id,
                    SUMMARY,
                    render_summary(len(held[user]), t),
                    tag=SUMMARY,
                    renotify=False,
                    unread=context.unread[user],
                ).decode()
                expires_at = now + timedelta(seconds=SUMMARY_KIND.ttl)
                deliveries.extend(
                    _for_devices(context.devices[user], SUMMARY_KIND, body, now, expires_at)
                )
            summarised = [notification for user in awake for notification in held[user]]
            await _save(deliveries, {SUMMARISED: summarised})
        return len(awake)


class _Context:
    """What the decisions for one batch need, read with one query per table."""

    def __init__(self) -> None:
        self.preferences: dict[UUID, Preferences] = {}
        self.devices: dict[UUID, list[UUID]] = defaultdict(list)
        self.mutes: set[tuple[UUID, UUID | None]] = set()
        self.languages: dict[UUID, str] = {}
        self.unread: Counter[UUID] = Counter()
        self.capped: Counter[UUID] = Counter()

    @classmethod
    async def load(cls, users: Any, now: datetime) -> _Context:
        context, ids = cls(), list(users)
        context.preferences = await preferences_of(ids)
        context.mutes = await muted_conversations(ids)  # type: ignore[assignment]
        for row in await PushSubscription.select(PushSubscription.id, PushSubscription.user).where(
            PushSubscription.user.is_in(ids)
        ):
            context.devices[row["user"]].append(row["id"])
        context.languages = {
            row["id"]: row["language"]
            for row in await User.select(User.id, User.language).where(User.id.is_in(ids))
        }
        unread = (
            await Notification.select(Notification.user, Count(Notification.id, alias="count"))
            .where(Notification.user.is_in(ids), Notification.read_at.is_null())
            .group_by(Notification.user)
        )
        context.unread.update({row["user"]: row["count"] for row in unread})
        capped_kinds = [kind.name for kind in KINDS.values() if kind.capped]
        recent = (
            await Notification.select(Notification.user, Count(Notification.id, alias="count"))
            .where(
                Notification.user.is_in(ids),
                Notification.kind.is_in(capped_kinds),
                Notification.push_state.is_in(list(COUNTED_FOR_CAP)),
                Notification.created_at > now - timedelta(days=1),
            )
            .group_by(Notification.user)
        )
        context.capped.update({row["user"]: row["count"] for row in recent})
        return context


def _for_devices(
    devices: list[UUID],
    kind: Kind,
    body: str,
    now: datetime,
    expires_at: datetime,
    notification: UUID | None = None,
    topic: str = "",
) -> list[PushDelivery]:
    return [
        PushDelivery(
            subscription=device,
            notification=notification,
            payload=body,
            ttl=kind.ttl,
            urgency=kind.urgency,
            topic=topic,
            not_before=now,
            expires_at=expires_at,
        )
        for device in devices
    ]


async def _save(deliveries: list[PushDelivery], states: dict[str, list[UUID]]) -> None:
    for start in range(0, len(deliveries), 500):
        await PushDelivery.insert(*deliveries[start : start + 500])
    for state, ids in states.items():
        if ids:
            await Notification.update({Notification.push_state: state}).where(
                Notification.id.is_in(ids)
            )


async def _message_preview(row: dict[str, Any], user: UUID) -> str:
    """The text of the message this notification announces (the newest one from the others)."""
    conversation = row["conversation"]
    if conversation is None:
        return ""
    message = (
        await Message.select(Message.body)
        .where(
            Message.conversation == conversation,
            Message.sender != user,
            Message.created_at <= row["created_at"],
        )
        .order_by(Message.seq, ascending=False)
        .first()
    )
    return message["body"] if message else ""

"""Recording notifications (called by other services inside their own transactions) and the
in-app notification centre: a user's list, unread count and read marks."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from backend.db import rows_table
from backend.notifications.tables import Notification

INTEREST_RECEIVED = "interest_received"
INTEREST_ACCEPTED = "interest_accepted"
MESSAGE_RECEIVED = "message_received"
THANKS_RECEIVED = "thanks_received"
LISTING_EXPIRES_SOON = "listing_expires_soon"
LISTING_EXPIRED = "listing_expired"
RECOMMENDATION = "recommendation"
TIP = "tip"
MODERATION_OUTCOME = "moderation_outcome"
EXPORT_READY = "export_ready"
ACCOUNT_INACTIVE = "account_inactive"
REGIONAL_NEWS = "regional_news"
# What reading a conversation settles: its notifications of these kinds.
SETTLED_BY_READING = (MESSAGE_RECEIVED, THANKS_RECEIVED)
CENTRE_SIZE = 100
# SQLite takes at most 32,766 parameters per statement; a row has seven.
INSERT_CHUNK = 1_000
NEW_COLUMNS = (
    ("id", "uuid"),
    ('"user"', "uuid"),
    ("kind", "varchar"),
    ("data", "json"),
    ("created_at", "timestamptz"),
    ("push_state", "varchar"),
    ("conversation", "uuid"),
)


async def record_notifications(user_ids: Iterable[UUID], kind: str, data: dict[str, Any]) -> int:
    """Add one notification of ``kind`` for each user; return how many were recorded."""
    return await record_many_notifications([(user_ids, kind, data)])


async def record_many_notifications(
    notices: Iterable[tuple[Iterable[UUID], str, dict[str, Any]]],
) -> int:
    """``record_notifications`` for each ``(user_ids, kind, data)``, in as few statements as
    the rows allow; return how many were recorded. A ``conversation_id`` in ``data`` names the
    conversation the notification is about."""
    now = datetime.now(UTC)
    rows = [
        (uuid4(), user_id, kind, encoded, now, "pending", conversation)
        for user_ids, kind, data in notices
        for encoded, conversation in [(json.dumps(data), _conversation_of(data))]
        for user_id in user_ids
    ]
    for start in range(0, len(rows), INSERT_CHUNK):
        new, values = rows_table(
            Notification._meta.db, "new", NEW_COLUMNS, rows[start : start + INSERT_CHUNK]
        )
        await Notification.raw(
            f"WITH {new} INSERT INTO handje_notification "  # noqa: S608
            '(id, "user", kind, data, created_at, push_state, conversation) '
            'SELECT id, "user", kind, data, created_at, push_state, conversation FROM new',
            *values,
        )
    return len(rows)


def _conversation_of(data: dict[str, Any]) -> UUID | None:
    conversation_id = data.get("conversation_id")
    return UUID(conversation_id) if conversation_id else None


async def notifications_for(user_id: UUID, limit: int = CENTRE_SIZE) -> list[dict[str, Any]]:
    """A user's notifications, newest first (id, kind, data, created_at, read_at)."""
    return (
        await Notification.select(
            Notification.id,
            Notification.kind,
            Notification.data,
            Notification.created_at,
            Notification.read_at,
        )
        .where(Notification.user == user_id)
        .order_by(Notification.created_at, ascending=False)
        .limit(limit)
        .output(load_json=True)
    )


async def settle_conversations(readers: Iterable[tuple[UUID, UUID]]) -> None:
    """Mark each user's notifications of new messages and thanks in the conversation paired
    with them read (they have read it there), for every ``(user_id, conversation_id)`` in one
    statement.
    """
    settled, values = rows_table(
        Notification._meta.db,
        "settled",
        (("person", "uuid"), ("conversation", "uuid")),
        list(readers),
    )
    await Notification.raw(
        f"WITH {settled} UPDATE handje_notification SET read_at = {{}} FROM settled "  # noqa: S608
        'WHERE handje_notification."user" = settled.person AND read_at IS NULL '
        "AND kind IN ({}, {}) AND handje_notification.conversation = settled.conversation",
        *values,
        datetime.now(UTC),
        *SETTLED_BY_READING,
    )


async def unread_count(user_id: UUID, besides: UUID | None = None) -> int:
    """How many of the user's notifications are unread, leaving out those that reading the
    conversation ``besides`` settles (it is open on the page that asks).
    """
    query = (
        'SELECT COUNT(*) AS unread FROM handje_notification WHERE "user" = {} AND read_at IS NULL'
    )
    if besides is None:
        rows = await Notification.raw(query, user_id)
    else:
        besides_it = " AND (conversation IS NULL OR conversation <> {} OR kind NOT IN ({}, {}))"
        rows = await Notification.raw(query + besides_it, user_id, besides, *SETTLED_BY_READING)
    return rows[0]["unread"]


async def mark_read(user_id: UUID, notification_ids: Iterable[UUID] | None = None) -> int:
    """Mark the user's notifications read (all of them when no ids are given); return how many."""
    where = (Notification.user == user_id) & Notification.read_at.is_null()
    ids = list(notification_ids) if notification_ids is not None else None
    if ids is not None:
        if not ids:
            return 0
        where = where & Notification.id.is_in(ids)
    changed = (
        await Notification.update({Notification.read_at: datetime.now(UTC)})
        .where(where)
        .returning(Notification.id)
    )
    return len(changed)

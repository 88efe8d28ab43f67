"""Recording notifications; called by other services inside their own transactions."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any
from uuid import UUID

from backend.notifications.tables import Notification

LISTING_EXPIRES_SOON = "listing_expires_soon"
LISTING_EXPIRED = "listing_expired"


async def record_notifications(user_ids: Iterable[UUID], kind: str, data: dict[str, Any]) -> int:
    """Add one notification of ``kind`` for each user; return how many were recorded."""
    rows = [Notification(user=user_id, kind=kind, data=json.dumps(data)) for user_id in user_ids]
    if rows:
        await Notification.insert(*rows)
    return len(rows)


async def notifications_for(user_id: UUID) -> list[dict[str, Any]]:
    """A user's notifications, newest first."""
    return (
        await Notification.select(Notification.kind, Notification.data, Notification.created_at)
        .where(Notification.user == user_id)
        .order_by(Notification.created_at, ascending=False)
        .output(load_json=True)
    )

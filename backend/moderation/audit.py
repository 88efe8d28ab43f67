"""The append-only audit log of moderator actions and conversation reads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from backend.accounts.service import Account
from backend.moderation.tables import AuditEntry

SYSTEM_NAME = "daily checks"


@dataclass(frozen=True)
class AuditLine:
    """One entry: who did what, in which case, to whom, why and when."""

    actor_name: str
    action: str
    case_id: UUID | None
    user_id: UUID | None
    reason: str
    created_at: datetime


async def record_audit(
    actor: Account | None, action: str, *, case_id: UUID | None, user_id: UUID | None, reason: str
) -> None:
    """Append one entry (``actor`` None: the daily checks acted on their own)."""
    await AuditEntry.insert(
        AuditEntry(
            actor_id=actor.id if actor else None,
            actor_name=actor.display_name if actor else SYSTEM_NAME,
            action=action,
            case_id=case_id,
            user_id=user_id,
            reason=reason,
        )
    )


async def audit_lines(limit: int = 200) -> list[AuditLine]:
    """The latest entries, newest first."""
    rows = await (
        AuditEntry.select(
            AuditEntry.actor_name,
            AuditEntry.action,
            AuditEntry.case_id,
            AuditEntry.user_id,
            AuditEntry.reason,
            AuditEntry.created_at,
        )
        .order_by(AuditEntry.created_at, ascending=False)
        .limit(limit)
    )
    return [AuditLine(**row) for row in rows]

"""Tests end with empty tables, but the audit log refuses deletes: lift the guard to empty it."""

from __future__ import annotations

from backend.moderation.piccolo_migrations import (
    moderation_2026_12_04t15_00_00_000000 as append_only,
)
from backend.moderation.tables import AuditEntry


async def empty_audit_log() -> None:
    """Delete every audit entry, keeping the database's guard in place afterwards."""
    if not await AuditEntry.exists():
        return
    await append_only.allow_changes()
    await AuditEntry.delete(force=True)
    await append_only.forbid_changes()

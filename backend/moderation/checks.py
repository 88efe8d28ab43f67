"""The daily checks job: run every rule over the last window, put flags in the queue, and ban
automatically only above the admin-set score (``HANDJE_AUTO_BAN_SCORE``; 0 means never).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from backend.moderation.cases import Signal, open_flag
from backend.moderation.rules import RULES
from backend.moderation.service import Moderation
from backend.moderation.standing import active_restriction
from backend.moderation.tables import Case
from backend.settings import Settings


@dataclass(frozen=True)
class CheckRun:
    """What one run found: people flagged, and people banned automatically."""

    flagged: int
    banned: int


async def _already_flagged(user_id: UUID, since: datetime) -> set[str]:
    """Rules that flagged this person within the window (a dismissed flag is not raised again)."""
    rows = (
        await Case.select(Case.signals)
        .where(Case.user == user_id, Case.source == "flag", Case.created_at >= since)
        .output(load_json=True)
    )
    return {entry["rule"] for row in rows for entry in row["signals"]}


async def run_daily_checks(
    settings: Settings, moderation: Moderation, now: datetime | None = None
) -> CheckRun:
    """Run the rules over the last ``check_window_hours``; idempotent within a window."""
    since = (now or datetime.now(UTC)) - timedelta(hours=settings.check_window_hours)
    signals: dict[UUID, list[Signal]] = defaultdict(list)
    for rule in RULES:
        for user_id, signal in await rule(since, settings):
            signals[user_id].append(signal)
    flagged = banned = 0
    for user_id, found in signals.items():
        known = await _already_flagged(user_id, since)
        new = [signal for signal in found if signal.rule not in known]
        if not new:
            continue
        case_id = await open_flag(user_id, new)
        flagged += 1
        banned += await _ban_above_threshold(settings, moderation, case_id, user_id)
    return CheckRun(flagged=flagged, banned=banned)


async def _ban_above_threshold(
    settings: Settings, moderation: Moderation, case_id: UUID, user_id: UUID
) -> int:
    if settings.auto_ban_score <= 0 or await active_restriction(user_id) is not None:
        return 0
    row = await Case.select(Case.signals).where(Case.id == case_id).first()
    total = sum(entry["score"] for entry in json.loads(row["signals"]))
    if total < settings.auto_ban_score:
        return 0
    reason = f"Automatic: daily checks scored {total} (threshold {settings.auto_ban_score})."
    await moderation.act(None, case_id, "ban", reason)
    return 1

"""Scheduled jobs (listing expiry and reminders, the photo sweep, the daily safety checks and the
IP retention), run in the app by default.

Every job is idempotent, so several processes running them is harmless; ``handje run-jobs``
runs them once, for cron or for a separate worker process.
"""

from __future__ import annotations

import logging
from typing import Any

from backend.moderation.checks import run_daily_checks
from backend.push.tips import record_tips

logger = logging.getLogger(__name__)


async def run_jobs_once(services: Any) -> str:
    """Run every scheduled job once (``services`` is the app's state); return a summary."""
    expiry = await services.listings.expire_due()
    tips = await record_tips(services.listings, services.settings.tip_after_days)
    swept = await services.media.sweep()
    figures = await services.statistics.refresh()
    exports = await services.privacy.prepare_pending_exports()
    retention = await services.retention.run()
    checks = await run_daily_checks(services.settings, services.moderation)
    purged = await services.standing.purge_old_addresses()
    return (
        f"listings expired: {expiry.expired}, expiry reminders recorded: {expiry.reminded}, "
        f"tips recorded: {tips}, "
        f"unused photo files removed: {swept}, people flagged: {checks.flagged}, "
        f"banned automatically: {checks.banned}, old IP addresses deleted: {purged}"
        f", monthly figures stored: {figures}, exports prepared: {exports}, "
        f"inactive accounts warned: {retention.warned}, deleted: {retention.accounts_deleted}, "
        f"ended listings purged: {retention.listings_purged}, "
        f"expired exports removed: {retention.exports_removed}"
    )

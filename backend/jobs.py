"""Scheduled jobs (listing expiry and reminders, the photo sweep, the daily safety checks and the
IP retention), run in the app by default.

Every job is idempotent, so several processes running them is harmless; ``handje run-jobs``
runs them once, for cron or for a separate worker process.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

from litestar import Litestar

from backend.moderation.checks import run_daily_checks

logger = logging.getLogger(__name__)


async def run_jobs_once(services: Any) -> str:
    """Run every scheduled job once (``services`` is the app's state); return a summary."""
    expiry = await services.listings.expire_due()
    swept = await services.media.sweep()
    figures = await services.statistics.refresh()
    checks = await run_daily_checks(services.settings, services.moderation)
    purged = await services.standing.purge_old_addresses()
    return (
        f"listings expired: {expiry.expired}, expiry reminders recorded: {expiry.reminded}, "
        f"unused photo files removed: {swept}, people flagged: {checks.flagged}, "
        f"banned automatically: {checks.banned}, old IP addresses deleted: {purged}"
        f", monthly figures stored: {figures}"
    )


async def _repeat(services: Any, interval_seconds: int) -> None:
    while True:
        try:
            logger.info(await run_jobs_once(services))
        except Exception:  # a failed run must not stop the schedule; the next run retries
            logger.exception("scheduled jobs failed")
        await asyncio.sleep(interval_seconds)


@contextlib.asynccontextmanager
async def scheduled_jobs(app: Litestar) -> AsyncIterator[None]:
    """Lifespan context: run the jobs every ``job_interval_seconds`` while the app is up."""
    settings = app.state.settings
    if settings.job_interval_seconds <= 0:
        yield
        return
    task = asyncio.create_task(_repeat(app.state, settings.job_interval_seconds))
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

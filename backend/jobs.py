"""Scheduled jobs (listing expiry and its reminders), run inside the app process by default.

Every job is idempotent, so several processes running them is harmless; ``handje run-jobs``
runs them once, for cron or for a separate worker process.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from litestar import Litestar

from backend.listings.service import Listings

logger = logging.getLogger(__name__)


async def run_jobs_once(listings: Listings) -> str:
    """Run every scheduled job once; return a one-line summary."""
    expiry = await listings.expire_due()
    return f"listings expired: {expiry.expired}, expiry reminders recorded: {expiry.reminded}"


async def _repeat(listings: Listings, interval_seconds: int) -> None:
    while True:
        try:
            logger.info(await run_jobs_once(listings))
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
    task = asyncio.create_task(_repeat(app.state.listings, settings.job_interval_seconds))
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

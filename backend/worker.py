"""The background worker: delivers push notifications and runs the scheduled jobs.

It runs inside the web process by default; with ``HANDJE_PUSH_WORKER=false`` the web process
leaves both to ``handje worker`` processes (any number of them may run side by side).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

from litestar import Litestar
from piccolo.engine.postgres import PostgresEngine

from backend.jobs import run_jobs_once
from backend.keys import AppKeys
from backend.notifications.tables import Notification
from backend.push.protocol import PushEncoder
from backend.push.sender import PushSender
from backend.push.worker import PushWorker
from backend.settings import Settings
from frontend.i18n import translator

logger = logging.getLogger(__name__)
IDLE_SECONDS = 1.0


def push_worker(settings: Settings, keys: AppKeys) -> tuple[PushWorker, PushSender]:
    """A push worker for this installation and the sender it uses (close it when done)."""
    sender = PushSender(per_service=settings.push_per_service)
    encoder = PushEncoder(keys.vapid_private_pem, keys.vapid_public_key, settings.vapid_subject)
    return PushWorker(settings, encoder, sender, translator), sender


async def run_worker(services: Any) -> None:
    """Deliver pushes continuously and run the jobs every ``job_interval_seconds``."""
    settings: Settings = services.settings
    worker, sender = push_worker(settings, services.app_keys)
    next_jobs = time.monotonic()
    try:
        while True:
            if settings.job_interval_seconds > 0 and time.monotonic() >= next_jobs:
                next_jobs = time.monotonic() + settings.job_interval_seconds
                try:
                    logger.info(await run_jobs_once(services))
                except Exception:  # a failed run must not stop the schedule; the next retries
                    logger.exception("scheduled jobs failed")
            try:
                busy = (await worker.run_once()).busy
            except Exception:  # the database may be away for a moment; keep going
                logger.exception("push delivery round failed")
                busy = False
            if not busy:
                await asyncio.sleep(IDLE_SECONDS)
    finally:
        await sender.close()


@contextlib.asynccontextmanager
async def in_process_worker(app: Litestar) -> AsyncIterator[None]:
    """Lifespan context: run the worker inside the web process unless it runs elsewhere."""
    if not app.state.settings.push_worker:
        yield
        return
    task = asyncio.create_task(run_worker(app.state))
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def run_worker_process(settings: Settings, services: Any) -> None:
    """``handje worker``: the worker on its own, with its own database connections (the
    schema is migrated by ``handje serve`` or ``handje migrate``, not by each worker)."""
    engine = Notification._meta.db
    pooled = isinstance(engine, PostgresEngine) and settings.database_pool_size > 0
    if pooled:
        await engine.start_connection_pool(min_size=1, max_size=settings.database_pool_size)
    try:
        await run_worker(services)
    finally:
        if pooled:
            await engine.close_connection_pool()

"""``handje worker``: separate processes deliver the outbox side by side, each push once."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from uuid import uuid4

from litestar import Litestar

from backend.notifications.service import record_notifications
from backend.settings import Settings
from tests.conftest import TEST_DATA_DIR
from tests.factories import make_account
from tests.push.conftest import subscribe
from tests.push.fake_push_service import FakePushService

PEOPLE = 12


def _worker() -> subprocess.Popen:
    environment = {
        **os.environ,
        "HANDJE_DATA_DIR": str(TEST_DATA_DIR),
        "HANDJE_JOB_INTERVAL_SECONDS": "0",
        "HANDJE_DATABASE_POOL_SIZE": "2",
        # The fake push service's certificate stands in for the system's CAs.
        "SSL_CERT_FILE": str(TEST_DATA_DIR / "fake-push" / "push.crt"),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "backend.cli", "worker"],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def test_two_worker_processes_deliver_every_notification_once(
    app: Litestar, push_service: FakePushService, push_settings: Settings
) -> None:
    endpoints = []
    for _ in range(PEOPLE):
        person = await make_account(app)
        endpoints.append((await subscribe(push_service, push_settings, person))[0])
        await record_notifications(
            [person.id], "listing_expired", {"listing_id": str(uuid4()), "title": "Fiets"}
        )
    workers = [_worker(), _worker()]
    try:
        for _ in range(900):
            if all(push_service.messages(endpoint) for endpoint in endpoints):
                break
            await asyncio.sleep(0.1)
        await asyncio.sleep(1.5)  # long enough for a second delivery to show up, if any
    finally:
        for worker in workers:
            worker.terminate()
            worker.wait(timeout=10)
    assert [len(push_service.requests(endpoint)) for endpoint in endpoints] == [1] * PEOPLE

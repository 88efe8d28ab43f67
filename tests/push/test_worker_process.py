"""``handje worker``: separate processes deliver the outbox side by side, each push once."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from uuid import uuid4

from litestar import Litestar

from backend.listings.tables import Listing
from backend.notifications.service import record_notifications
from backend.settings import Settings
from backend.worker import run_worker
from tests.conftest import TEST_DATA_DIR
from tests.factories import make_account, make_listing, place_in
from tests.push.conftest import subscribe
from tests.push.fake_push_service import FakePushService

PEOPLE = 12
FAKE_CERTIFICATE = str(TEST_DATA_DIR / "fake-push" / "push.crt")


@contextlib.contextmanager
def patched_ssl_cert_file() -> Iterator[None]:
    """Let the default SSL context trust the fake push service (as a system CA would)."""
    previous = os.environ.get("SSL_CERT_FILE")
    os.environ["SSL_CERT_FILE"] = FAKE_CERTIFICATE
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("SSL_CERT_FILE")
        else:
            os.environ["SSL_CERT_FILE"] = previous


def _worker() -> subprocess.Popen:
    environment = {
        **os.environ,
        "HANDJE_DATA_DIR": str(TEST_DATA_DIR),
        "HANDJE_JOB_INTERVAL_SECONDS": "0",
        "HANDJE_DATABASE_POOL_SIZE": "2",
        # The fake push service's certificate stands in for the system's CAs.
        "SSL_CERT_FILE": FAKE_CERTIFICATE,
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


async def test_the_worker_runs_the_expiry_reminder_and_tip_jobs_while_it_delivers(
    app: Litestar, push_service: FakePushService, push_settings: Settings
) -> None:
    owner = await place_in(app, await make_account(app), "Utrecht")
    endpoint, _ = await subscribe(push_service, push_settings, owner)
    listing = await make_listing(app, owner, title="Hulp met de tuin")
    days_ago = datetime.now(UTC) - timedelta(days=push_settings.tip_after_days + 1)
    await Listing.update({Listing.created_at: days_ago}).where(Listing.id == listing.id)
    expiring = await make_listing(app, owner, title="Fiets repareren")
    expired = await make_listing(app, owner, title="Soep koken")
    for changed, expires_at in ((expiring, timedelta(days=3)), (expired, timedelta(hours=-1))):
        await Listing.update({Listing.expires_at: datetime.now(UTC) + expires_at}).where(
            Listing.id == changed.id
        )
    state = SimpleNamespace(**app.state.dict())
    state.settings = replace(push_settings, job_interval_seconds=3_600)
    with patched_ssl_cert_file():
        task = asyncio.create_task(run_worker(state))
        try:
            for _ in range(300):
                if len(push_service.messages(endpoint)) >= 3:
                    break
                await asyncio.sleep(0.1)
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
    pushed = sorted(
        (message["kind"], message["url"]) for message in push_service.messages(endpoint)
    )
    assert pushed == [
        ("listing_expired", f"/listings/{expired.id}"),
        ("listing_expires_soon", f"/listings/{expiring.id}"),
        ("tip", f"/listings/{listing.id}/edit"),
    ]

"""The fake push service, a movable clock, and a worker that sends to the fake."""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from litestar import Litestar

from backend.accounts.service import Account
from backend.push.protocol import PushEncoder
from backend.push.sender import PushSender
from backend.push.subscriptions import save_subscription
from backend.push.worker import PushWorker
from backend.settings import Settings
from frontend.i18n import translator
from tests.conftest import TEST_DATA_DIR
from tests.push.fake_push_service import FakePushService, running_fake_push_service
from tests.push.keys import BrowserKeys


class Clock:
    """The worker's idea of now; tests move it forward instead of sleeping."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        """Move the clock forward by a ``timedelta(**delta)``."""
        self.now += timedelta(**delta)


@pytest.fixture(scope="session")
def fake_push(app: Litestar) -> Iterator[tuple[FakePushService, ssl.SSLContext]]:
    """The fake push service (HTTPS on a free port) and an SSL context that trusts it."""
    with running_fake_push_service(
        TEST_DATA_DIR / "fake-push", app.state.app_keys.vapid_public_key
    ) as running:
        yield running


@pytest.fixture
def push_service(fake_push: tuple[FakePushService, ssl.SSLContext]) -> FakePushService:
    """The fake push service."""
    return fake_push[0]


@pytest.fixture
def push_settings(settings: Settings, push_service: FakePushService) -> Settings:
    """Settings whose allow-list holds the fake push service."""
    return replace(settings, push_hosts=(push_service.origin.removeprefix("https://"),))


@pytest.fixture
def clock() -> Clock:
    """A clock at the current time that only moves when told."""
    return Clock(datetime.now(UTC))


@pytest.fixture
def encoder(app: Litestar) -> PushEncoder:
    """Encrypts and signs with the app's VAPID keys."""
    keys = app.state.app_keys
    return PushEncoder(keys.vapid_private_pem, keys.vapid_public_key, "mailto:test@handje.nl")


@pytest.fixture
async def worker(
    push_settings: Settings,
    encoder: PushEncoder,
    fake_push: tuple[FakePushService, ssl.SSLContext],
    clock: Clock,
) -> AsyncIterator[PushWorker]:
    """A push worker sending to the fake push service, on the test's clock, without jitter."""
    sender = PushSender(per_service=8, verify=fake_push[1])
    yield PushWorker(push_settings, encoder, sender, translator, clock=clock, jitter=lambda: 1.0)
    await sender.close()


async def subscribe(
    push_service: FakePushService, settings: Settings, account: Account, name: str = ""
) -> tuple[str, BrowserKeys]:
    """Give ``account`` a device subscribed at the fake push service."""
    endpoint, keys = push_service.new_endpoint(name)
    await save_subscription(account.id, keys.device(endpoint), settings.push_hosts)
    return endpoint, keys

"""Test set-up: one database per pytest run (SQLite or PostgreSQL), the app, clients, factories.

``HANDJE_TEST_DATABASE`` chooses the database (``make test`` runs the suite once for each).
Piccolo binds tables to their engine at import time, so the environment is set here, before
anything from ``backend`` is imported.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

DATABASE = os.environ.get("HANDJE_TEST_DATABASE", "sqlite")
POSTGRES_URL = os.environ.get(
    "HANDJE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
TEST_DATA_DIR = Path(tempfile.mkdtemp(prefix="handje-test-"))

os.environ["HANDJE_DATA_DIR"] = str(TEST_DATA_DIR)
os.environ["HANDJE_DATABASE_URL"] = (
    POSTGRES_URL if DATABASE == "postgres" else f"sqlite:///{TEST_DATA_DIR / 'handje.sqlite3'}"
)
# Cheaper hashing keeps the suite fast; the production parameters have their own test.
os.environ["HANDJE_ARGON2_MEMORY_KIB"] = "8192"
# The test client runs the app's lifespan on its own event loop; a pool bound to that loop
# cannot serve the test's own queries, so tests connect per query (the servers use the pool).
os.environ["HANDJE_DATABASE_POOL_SIZE"] = "0"
os.environ.pop("HANDJE_REDIS_URL", None)
# Jobs run when a test calls them, not on a timer in the background.
os.environ["HANDJE_JOB_INTERVAL_SECONDS"] = "0"
# Push deliveries are sent when a test runs the worker, not by one inside the app.
os.environ["HANDJE_PUSH_WORKER"] = "false"

from litestar import Litestar  # noqa: E402
from litestar.testing import AsyncTestClient  # noqa: E402
from piccolo.conf.apps import Finder  # noqa: E402

from backend.accounts.tables import User  # noqa: E402
from backend.app import create_app  # noqa: E402
from backend.db import migrate  # noqa: E402
from backend.settings import Settings  # noqa: E402
from tests.live_server import running_server  # noqa: E402


def pytest_report_header() -> str:
    """Say which database this run uses."""
    return f"handje database: {DATABASE} ({os.environ['HANDJE_DATABASE_URL']})"


async def _reset_database(settings: Settings) -> None:
    if DATABASE == "postgres":
        await User.raw("DROP SCHEMA public CASCADE")
        await User.raw("CREATE SCHEMA public")
    await migrate(settings)


def all_tables() -> list[type]:
    """Every table of every app, children before parents."""
    return list(reversed(Finder().get_table_classes()))


@pytest.fixture(scope="session")
def settings() -> Settings:
    """The settings every test app is built from."""
    return Settings.from_env()


@pytest.fixture(scope="session", autouse=True)
async def database(settings: Settings) -> None:
    """A freshly migrated database for the run."""
    await _reset_database(settings)


@pytest.fixture(autouse=True)
async def empty_tables(database: None) -> AsyncIterator[None]:
    """Every test starts with empty tables."""
    yield
    for table in all_tables():
        await table.delete(force=True)


@pytest.fixture(scope="session")
async def app(settings: Settings, database: None) -> Litestar:
    """The application under test."""
    return create_app(settings)


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[AsyncTestClient]:
    """An HTTP client for the app, with its own cookie jar."""
    async with AsyncTestClient(app, base_url="http://testserver.local") as test_client:
        yield test_client


@pytest.fixture
async def other_client(app: Litestar) -> AsyncIterator[AsyncTestClient]:
    """A second browser: another cookie jar against the same app."""
    async with AsyncTestClient(app, base_url="http://testserver.local") as test_client:
        yield test_client


@pytest.fixture(scope="session")
def live_server(database: None) -> Iterator[str]:
    """The base URL of a real server process sharing the test database."""
    with running_server(TEST_DATA_DIR / "server") as base_url:
        yield base_url

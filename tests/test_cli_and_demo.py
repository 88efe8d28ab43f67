"""The ``handje`` command line: migrate, create-admin and the demo data."""

from __future__ import annotations

import os
import subprocess
import sys

from backend.accounts.tables import User
from backend.demo.data import DEMO_LISTINGS, DEMO_ORGANISATIONS, DEMO_PEOPLE
from backend.listings.tables import Listing
from backend.media.tables import Photo
from backend.organisations.tables import Organisation
from backend.sites.tables import Site


def handje(*arguments: str) -> subprocess.CompletedProcess[str]:
    """Run the command line as a user would, against the test database."""
    return subprocess.run(
        [sys.executable, "-m", "backend.cli", *arguments],
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def test_create_admin_creates_the_first_admin() -> None:
    result = handje(
        "create-admin", "--email", "Beheer@Example.nl", "--password", "a long admin passphrase"
    )
    assert result.returncode == 0, result.stderr
    row = await User.select(User.role).where(User.email == "beheer@example.nl").first()
    assert row == {"role": "admin"}


async def test_create_admin_can_make_a_moderator() -> None:
    result = handje(
        "create-admin",
        "--email",
        "mod@example.nl",
        "--role",
        "moderator",
        "--password",
        "a long moderator passphrase",
    )
    assert result.returncode == 0, result.stderr
    assert "is now a moderator" in result.stdout
    row = await User.select(User.role).where(User.email == "mod@example.nl").first()
    assert row == {"role": "moderator"}


async def test_create_admin_refuses_a_weak_password_clearly() -> None:
    result = handje("create-admin", "--email", "beheer@example.nl", "--password", "password")
    assert result.returncode == 2
    assert "password" in result.stderr.lower()
    assert not await User.exists().where(User.email == "beheer@example.nl")


async def test_demo_data_loads_once() -> None:
    first = handje("demo")
    assert first.returncode == 0, first.stderr
    assert await User.count() == len(DEMO_PEOPLE)
    assert await User.count().where(User.role == "moderator") == 1
    second = handje("demo")
    assert second.returncode == 0
    assert "0 accounts created" in second.stdout
    assert await User.count() == len(DEMO_PEOPLE)
    assert await Organisation.count() == len(DEMO_ORGANISATIONS)
    assert await Listing.count() == len(DEMO_LISTINGS)
    assert {row["kind"] for row in await Listing.select(Listing.kind)} == {"request", "offer"}
    assert len({row["region_name"] for row in await Listing.select(Listing.region_name)}) >= 5
    assert await Site.count() == 1
    profile_photos = await Photo.count().where(Photo.purpose == "profile")
    assert profile_photos == len(DEMO_PEOPLE)
    pictured = [item for item in DEMO_LISTINGS if item.with_photo]
    assert await Photo.count().where(Photo.listing.is_not_null()) == len(pictured) > 5


def test_migrate_is_idempotent() -> None:
    assert handje("migrate").returncode == 0
    assert handje("migrate").returncode == 0


async def test_run_jobs_expires_listings_once() -> None:
    result = handje("run-jobs")
    assert result.returncode == 0, result.stderr
    assert "listings expired: 0" in result.stdout

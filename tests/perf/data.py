"""Benchmark data: people, listings, swipes, interests and blocks, bulk-loaded in seconds.

``await generate(Scale())`` migrates the database that ``HANDJE_DATABASE_URL`` names, then loads
20,000 people, 100,000 listings and 1,000,000 swipes (COPY on PostgreSQL, ``executemany`` in one
transaction per batch on SQLite). A fixed seed gives every run, on either database, the same rows.
Piccolo binds its tables when ``backend`` is imported, so set the environment before importing this.
"""

from __future__ import annotations

import contextlib
import io
import math
import random
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import h3

from backend.db import migrate
from backend.demo.data import DEMO_LISTINGS, DEMO_PEOPLE
from backend.listings import lifecycle
from backend.listings.categories import CATEGORIES
from backend.matching import states
from backend.regions import gazetteer
from backend.settings import Settings

Row = tuple[object, ...]
Progress = Callable[[str], None]

# Nobody logs in as a generated person, so this is deliberately not a valid hash.
PLACEHOLDER_PASSWORD_HASH = "!benchmark-no-login"
EMAIL_DOMAIN = "bench.handje.invalid"
FIRST_NAMES = (
    *(person.name for person in DEMO_PEOPLE),
    *("Bram", "Daan", "Emma", "Fenna", "Lotte", "Sem", "Noor", "Ruben", "Tess", "Joost"),
    *("Mila", "Luuk", "Saskia", "Henk", "Fatima", "Mohammed", "Yara", "Kees", "Ilse", "Wim"),
)
EXTRA_SENTENCES = (
    "Het hoeft niet meteen, deze of volgende week is prima.",
    "Stuur gerust een berichtje als je vragen hebt.",
    "Ik woon op de begane grond, de bel doet het niet altijd.",
    "Koffie staat klaar!",
    "Liefst in de middag, 's ochtends ben ik aan het werk.",
)
# The centres of neighbouring resolution-7 cells lie about 2.2 km apart.
CELL_SPACING_KM = 2.2
PEOPLE_PER_KM2 = 3000
LISTING_WEEKS = 8
BATCH_ROWS = 100_000

USER_COLUMNS = (
    "id", "email", "password_hash", "display_name", "account_kind", "bio", "interests",
    "language", "phone", "role", "created_at", "last_active_at", "password_changed_at",
    "region_cell", "region_name",
)  # fmt: skip
LISTING_COLUMNS = (
    "id", "kind", "title", "description", "category", "timing", "needed_on", "weekdays",
    "owner_user", "owner_organisation", "created_by", "status", "paused", "found_help",
    "region_cell", "region_name", "posted_on_site", "created_at", "updated_at", "expires_at",
    "expiry_reminder_at", "closed_at",
)  # fmt: skip
SWIPE_COLUMNS = ("id", "user", "listing", "direction", "created_at")
INTEREST_COLUMNS = (
    "id", "listing", "user", "note", "state", "created_at", "decided_at", "decided_by",
)  # fmt: skip
BLOCK_COLUMNS = ("id", "blocker", "blocked", "created_at")


@dataclass(frozen=True)
class Scale:
    """How much to generate; the defaults are the deck benchmark's full size."""

    users: int = 20_000
    listings: int = 100_000
    swipes: int = 1_000_000
    blocks: int = 1_000
    right_share: float = 0.3
    nearby_swipe_share: float = 0.7
    seed: int = 20_261_129

    def times(self, factor: float) -> Scale:
        """The same mix with every count multiplied by ``factor`` (at least 10 of each)."""
        return replace(
            self,
            users=max(10, round(self.users * factor)),
            listings=max(10, round(self.listings * factor)),
            swipes=max(10, round(self.swipes * factor)),
            blocks=max(10, round(self.blocks * factor)),
        )


@dataclass(frozen=True)
class GeneratedData:
    """What was loaded: row counts, seconds taken, and people (with a region) to sample."""

    counts: dict[str, int]
    seconds: float
    sample_user_ids: tuple[uuid.UUID, ...] = field(repr=False)


class _Loader(Protocol):
    """Bulk-writes rows into one database."""

    async def load(self, table: str, columns: tuple[str, ...], rows: Iterable[Row]) -> None: ...

    async def close(self, tables: Iterable[str]) -> None: ...


class _PostgresLoader:
    """COPY through asyncpg, then VACUUM ANALYZE (what autovacuum does soon after a big load)."""

    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection

    async def load(self, table: str, columns: tuple[str, ...], rows: Iterable[Row]) -> None:
        await self._connection.copy_records_to_table(table, records=rows, columns=list(columns))

    async def close(self, tables: Iterable[str]) -> None:
        for table in tables:
            await self._connection.execute(f'VACUUM ANALYZE "{table}"')
        await self._connection.close()


class _SqliteLoader:
    """``executemany`` per batch, without fsync; values go through Piccolo's sqlite3 adapters
    (registered when ``backend.db`` imports Piccolo's SQLite engine), so they are stored exactly
    as the app stores them. No ANALYZE: the app never runs one, so the planner has no statistics.
    """

    def __init__(self, path: Path) -> None:
        self._connection = sqlite3.connect(path, isolation_level=None)
        self._connection.execute("PRAGMA synchronous=OFF")
        self._connection.execute("PRAGMA cache_size=-262144")

    async def load(self, table: str, columns: tuple[str, ...], rows: Iterable[Row]) -> None:
        names = ", ".join(f'"{column}"' for column in columns)
        marks = ", ".join("?" for _ in columns)
        self._connection.execute("BEGIN")
        self._connection.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)
        self._connection.execute("COMMIT")

    async def close(self, tables: Iterable[str]) -> None:
        self._connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self._connection.close()


def _benchmark_only(name: str) -> None:
    """Refuse to wipe anything whose name does not say it is for benchmarks or tests."""
    if "bench" not in name and "test" not in name:
        raise ValueError(f"refusing to reset {name!r}: its name must contain 'bench' or 'test'")


async def recreate_database(settings: Settings) -> None:
    """Start from nothing: drop and create the PostgreSQL database, or delete the SQLite file.

    Only databases (or SQLite data directories) whose name contains "bench" or "test" are touched.
    """
    if settings.is_sqlite:
        path = settings.sqlite_path
        _benchmark_only(path.parent.name)
        for suffix in ("", "-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        return
    parts = urlsplit(settings.database_url)
    name = parts.path.lstrip("/")
    _benchmark_only(name)
    server = await asyncpg.connect(urlunsplit(parts._replace(path="/postgres")))
    try:
        await server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await server.execute(f'CREATE DATABASE "{name}"')
    finally:
        await server.close()


@dataclass
class _World:
    """The generated population, kept in parallel lists indexed by person or listing number."""

    scale: Scale
    now: datetime
    rng: random.Random
    towns: list[gazetteer.Place]
    disks: dict[int, list[str]] = field(default_factory=dict)
    user_ids: list[uuid.UUID] = field(default_factory=list)
    user_towns: list[int | None] = field(default_factory=list)
    user_cells: list[str | None] = field(default_factory=list)
    listing_ids: list[uuid.UUID] = field(default_factory=list)
    listing_owners: list[int] = field(default_factory=list)
    listing_created: list[datetime] = field(default_factory=list)
    listings_by_town: dict[int, list[int]] = field(default_factory=dict)

    def new_id(self) -> uuid.UUID:
        """A random (version 4) UUID from the seeded generator."""
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def moment_between(self, start: datetime, end: datetime) -> datetime:
        """A random moment in [start, end]."""
        return start + (end - start) * self.rng.random()

    def cell_near(self, town: int) -> str:
        """A random cell of the town, treated as a disc of typical Dutch density."""
        if town not in self.disks:
            place = self.towns[town]
            radius_km = math.sqrt(place.population / (PEOPLE_PER_KM2 * math.pi))
            rings = round(radius_km / CELL_SPACING_KM)
            self.disks[town] = sorted(h3.grid_disk(place.cell, rings))
        return self.rng.choice(self.disks[town])


def _world(scale: Scale) -> _World:
    # Every Dutch place of the region picker, biggest first (the gazetteer has no public list).
    towns = [entry.place for entry in gazetteer._entries()]
    return _World(scale, datetime.now(UTC), random.Random(scale.seed), towns)


def _users(world: _World) -> Iterator[Row]:
    """People in towns weighted by population (5% without a region), with a few interests."""
    rng, slugs = world.rng, [category.slug for category in CATEGORIES]
    homes = rng.choices(
        range(len(world.towns)),
        weights=[place.population for place in world.towns],
        k=world.scale.users,
    )
    for number, home in enumerate(homes):
        town = home if rng.random() < 0.95 else None
        cell = world.cell_near(town) if town is not None else None
        joined = world.now - timedelta(days=rng.uniform(1, 400))
        world.user_ids.append(world.new_id())
        world.user_towns.append(town)
        world.user_cells.append(cell)
        yield (
            world.user_ids[-1],
            f"person{number}@{EMAIL_DOMAIN}",
            PLACEHOLDER_PASSWORD_HASH,
            f"{rng.choice(FIRST_NAMES)} {chr(65 + rng.randrange(26))}.",
            "person",
            rng.choice(DEMO_PEOPLE).bio,
            rng.sample(slugs, rng.randint(0, 4)),
            rng.choice(("nl", "nl", "nl", "en")),
            None,
            "member",
            joined,
            world.moment_between(joined, world.now),
            joined,
            cell,
            world.towns[town].name if town is not None else None,
        )


def _status(rng: random.Random) -> str:
    """Mostly open; some in progress, closed, done or expired."""
    return rng.choices(
        (
            lifecycle.OPEN,
            lifecycle.IN_PROGRESS,
            lifecycle.CLOSED,
            lifecycle.DONE,
            lifecycle.EXPIRED,
        ),
        weights=(72, 8, 7, 5, 8),
    )[0]


def _listings(world: _World) -> Iterator[Row]:
    """Listings by people with a region (a busy 2% posts a third), in or near their cell."""
    rng, scale = world.rng, world.scale
    posters = [number for number, town in enumerate(world.user_towns) if town is not None]
    busy = posters[: max(1, len(posters) // 50)]
    for _ in range(scale.listings):
        owner = rng.choice(busy) if rng.random() < 0.3 else rng.choice(posters)
        town = world.user_towns[owner]
        assert town is not None
        cell = world.user_cells[owner] if rng.random() < 0.8 else world.cell_near(town)
        created = world.now - timedelta(days=rng.uniform(0, 7 * LISTING_WEEKS))
        status = _status(rng)
        expires = created + timedelta(weeks=LISTING_WEEKS)
        if status == lifecycle.EXPIRED:
            expires = world.moment_between(created, world.now)
        active = status in lifecycle.ACTIVE
        reminder = expires - timedelta(days=7)
        closed = world.moment_between(created, world.now) if status in lifecycle.FINAL else None
        template = rng.choice(DEMO_LISTINGS)
        timing = "date" if template.timing == "flexible" and rng.random() < 0.3 else template.timing
        world.listing_ids.append(world.new_id())
        world.listing_owners.append(owner)
        world.listing_created.append(created)
        world.listings_by_town.setdefault(town, []).append(len(world.listing_ids) - 1)
        yield (
            world.listing_ids[-1],
            template.kind,
            template.title,
            f"{template.description} {rng.choice(EXTRA_SENTENCES)}",
            template.category,
            timing,
            (created + timedelta(days=rng.randint(1, 30))).date() if timing == "date" else None,
            list(template.weekdays) if timing == "weekly" else [],
            world.user_ids[owner],
            None,
            world.user_ids[owner],
            status,
            active and rng.random() < 0.06,
            rng.choice((True, False, None)) if status == lifecycle.CLOSED else None,
            cell,
            world.towns[town].name,
            None,
            created,
            closed or created,
            expires,
            reminder if active and reminder <= world.now else None,
            closed,
        )


def _swipe_batches(world: _World) -> Iterator[tuple[list[Row], list[Row]]]:
    """Batches of (swipes, interests): unique per person and listing, mostly in the person's
    own town, some people far busier than others; a right swipe has its interest, as in the app.
    """
    rng, scale = world.rng, world.scale
    people = range(len(world.user_ids))
    busyness = [min(rng.paretovariate(1.2), 50.0) for _ in people]
    seen: set[int] = set()
    swipes: list[Row] = []
    interests: list[Row] = []
    attempts = 0
    while len(seen) < scale.swipes and attempts < 5 * scale.swipes:
        for person in rng.choices(people, weights=busyness, k=BATCH_ROWS):
            attempts += 1
            town = world.user_towns[person]
            nearby = world.listings_by_town.get(town) if town is not None else None
            if nearby and rng.random() < scale.nearby_swipe_share:
                listing = rng.choice(nearby)
            else:
                listing = rng.randrange(len(world.listing_ids))
            key = person * len(world.listing_ids) + listing
            if world.listing_owners[listing] == person or key in seen:
                continue
            seen.add(key)
            swipes.append(_swipe(world, person, listing, interests))
            if len(seen) == scale.swipes:
                break
        yield swipes, interests
        swipes, interests = [], []


def _swipe(world: _World, person: int, listing: int, interests: list[Row]) -> Row:
    """One swipe row; a right swipe also appends its interest (some already declined)."""
    rng = world.rng
    at = world.moment_between(world.listing_created[listing], world.now)
    right = rng.random() < world.scale.right_share
    if right:
        declined = rng.random() < 0.15
        interests.append(
            (
                world.new_id(),
                world.listing_ids[listing],
                world.user_ids[person],
                "",
                states.DECLINED if declined else states.PENDING,
                at,
                world.moment_between(at, world.now) if declined else None,
                world.user_ids[world.listing_owners[listing]] if declined else None,
            )
        )
    direction = states.RIGHT if right else states.LEFT
    return (world.new_id(), world.user_ids[person], world.listing_ids[listing], direction, at)


def _blocks(world: _World) -> list[Row]:
    """Some people blocked someone (unique pairs)."""
    pairs: set[tuple[int, int]] = set()
    total = len(world.user_ids)
    while len(pairs) < min(world.scale.blocks, total * (total - 1) // 2):
        blocker, blocked = world.rng.sample(range(total), 2)
        pairs.add((blocker, blocked))
    return [
        (world.new_id(), world.user_ids[a], world.user_ids[b], world.now - timedelta(days=1))
        for a, b in sorted(pairs)
    ]


async def _loader_for(settings: Settings) -> _Loader:
    if settings.is_sqlite:
        return _SqliteLoader(settings.sqlite_path)
    return _PostgresLoader(await asyncpg.connect(settings.database_url))


async def generate(
    scale: Scale | None = None,
    *,
    settings: Settings | None = None,
    progress: Progress = print,
    sample: int = 1_000,
) -> GeneratedData:
    """Migrate the (empty) database, load ``scale`` worth of rows, and name people to sample.

    ``sample_user_ids`` are up to ``sample`` people with a region, in a fixed random order.
    """
    scale = scale or Scale()
    settings = settings or Settings.from_env()
    started = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        await migrate(settings)
    progress(f"migrated ({time.perf_counter() - started:.1f} s)")
    world = _world(scale)
    loader = await _loader_for(settings)
    counts = dict.fromkeys(("handje_user", "handje_listing", "handje_swipe", "handje_interest"), 0)
    try:
        for table, columns, rows in (
            ("handje_user", USER_COLUMNS, list(_users(world))),
            ("handje_listing", LISTING_COLUMNS, list(_listings(world))),
            ("handje_block", BLOCK_COLUMNS, _blocks(world)),
        ):
            await loader.load(table, columns, rows)
            counts[table] = len(rows)
            progress(f"{table}: {len(rows):,} rows ({time.perf_counter() - started:.1f} s)")
        for swipes, interests in _swipe_batches(world):
            await loader.load("handje_swipe", SWIPE_COLUMNS, swipes)
            await loader.load("handje_interest", INTEREST_COLUMNS, interests)
            counts["handje_swipe"] += len(swipes)
            counts["handje_interest"] += len(interests)
        progress(
            f"handje_swipe: {counts['handje_swipe']:,} rows, handje_interest:"
            f" {counts['handje_interest']:,} rows ({time.perf_counter() - started:.1f} s)"
        )
    finally:
        await loader.close(counts)
    progress(f"data ready ({time.perf_counter() - started:.1f} s)")
    with_region = [uid for uid, cell in zip(world.user_ids, world.user_cells, strict=True) if cell]
    chosen = random.Random(scale.seed + 1).sample(with_region, min(sample, len(with_region)))
    return GeneratedData(counts, time.perf_counter() - started, tuple(chosen))

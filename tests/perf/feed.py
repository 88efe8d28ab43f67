"""Deck benchmark: the next page of 20 Discover cards, on PostgreSQL and SQLite, against bare SQL.

Run ``python -m tests.perf.feed [--scale 0.05] [--database both|postgres|sqlite]``. It loads
100,000 listings, 20,000 people and 1,000,000 swipes (``tests/perf/data.py``) into a fresh
database (PostgreSQL ``handje_bench`` or ``--postgres-url``, and a SQLite file in a temporary
directory), then, for 200 people with a region, times page two of ``Matching.deck`` (10 km, page
one's cards held in the cursor) against exactly the statements that call sent (the shortlist and
the page, see ``backend/matching/deck_queries.py``) run bare through asyncpg or sqlite3, and
prints their plans. The ratio is what Piccolo, ranking and building the cards add on top of the
SQL. Piccolo binds its tables to a database when they are imported, so each database runs in a
child process of this module. It prints progress and figures, then one JSON object as its last
line. Goals: ``pg_p95_ms`` under 30 and ``pg_ratio`` (deck p95 over the bare SQL's p95) under 1.3.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import aiosqlite
import asyncpg
from piccolo.engine.postgres import PostgresEngine

POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/handje_bench"
DATABASES = ("postgres", "sqlite")
PEOPLE = 200
WARM_UP_CALLS = 20
RADIUS_KM = 10
PAGE = 20
ROUNDS = 3
POOL_SIZE = 4
REPOSITORY = Path(__file__).resolve().parents[2]

Query = tuple[str, tuple[Any, ...]]


@dataclass(frozen=True)
class Sample:
    """One person's deck call (median seconds of ``ROUNDS``) and its statements, run bare."""

    deck_seconds: float
    bare_seconds: float
    shortlist_seconds: float
    queries: list[Query]


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    """The command line options."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="data size factor (default 1)")
    parser.add_argument("--people", type=int, default=PEOPLE, help="people timed (default 200)")
    parser.add_argument("--database", choices=(*DATABASES, "both"), default="both")
    parser.add_argument(
        "--postgres-url", default=POSTGRES_URL, help="wiped first: its name must say bench or test"
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def _percentile(values: list[float], percent: int) -> float:
    """The ``percent``th percentile of seconds, in milliseconds."""
    return statistics.quantiles(values, n=100, method="inclusive")[percent - 1] * 1000


# -- The child: one database, already chosen by the environment ---------------------------------


class _Clock:
    """Progress lines stamped with the seconds since the child started."""

    def __init__(self, database: str) -> None:
        self._database = database
        self._started = time.perf_counter()

    def say(self, line: str) -> None:
        elapsed = time.perf_counter() - self._started
        print(f"[{self._database} {elapsed:6.1f} s] {line}", flush=True)


@contextmanager
def _recording(engine: Any) -> Iterator[list[Query]]:
    """Every statement the database driver receives meanwhile, as SQL text and arguments.

    Recorded at the driver (asyncpg's ``Connection.fetch``, aiosqlite's ``Connection.execute``),
    whichever way the app sends a statement (Piccolo, or a pooled connection directly); the
    ``PRAGMA`` Piccolo sends on each new SQLite connection is its overhead, not the deck's SQL.
    """
    queries: list[Query] = []
    if isinstance(engine, PostgresEngine):
        owner, name = asyncpg.connection.Connection, "fetch"
    else:
        owner, name = aiosqlite.Connection, "execute"
    original = getattr(owner, name)

    def recorded(self: Any, sql: str, *args: Any, **options: Any) -> Any:
        values = args if isinstance(engine, PostgresEngine) else tuple(args[0] if args else ())
        if not sql.startswith("PRAGMA"):
            queries.append((sql, tuple(values)))
        return original(self, sql, *args, **options)

    setattr(owner, name, recorded)
    try:
        yield queries
    finally:
        setattr(owner, name, original)


class _BareSql:
    """The same SQL straight through the driver: one asyncpg connection or one sqlite3 one."""

    def __init__(self, postgres: Any = None, sqlite: sqlite3.Connection | None = None) -> None:
        self._postgres = postgres
        self._sqlite = sqlite

    async def run(self, query: Query) -> list[Any]:
        sql, values = query
        if self._postgres is not None:
            return await self._postgres.fetch(sql, *values)
        assert self._sqlite is not None
        return self._sqlite.execute(sql, values).fetchall()

    async def seconds(self, queries: list[Query]) -> float:
        started = time.perf_counter()
        for query in queries:
            await self.run(query)
        return time.perf_counter() - started

    async def plan(self, query: Query) -> list[str]:
        """EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL, EXPLAIN QUERY PLAN on SQLite."""
        sql, values = query
        if self._postgres is not None:
            rows = await self._postgres.fetch(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", *values)
            return [row[0] for row in rows]
        assert self._sqlite is not None
        depth: dict[int, int] = {0: -1}
        lines = []
        for node, parent, _, detail in self._sqlite.execute(f"EXPLAIN QUERY PLAN {sql}", values):
            depth[node] = depth.get(parent, -1) + 1
            lines.append("  " * depth[node] + detail)
        return lines


def _index_use(plan: list[str]) -> tuple[list[str], list[str]]:
    """(indexes used, tables read whole) in a PostgreSQL or SQLite plan."""
    text = "\n".join(plan)
    used = re.findall(
        r"(?:Index (?:Only )?Scan(?: Backward)? using|Bitmap Index Scan on) (\w+)", text
    )
    used += re.findall(r"SEARCH \w+ USING (?:COVERING |PRIMARY KEY|INTEGER PRIMARY KEY)?"
                       r"(?:INDEX )?(\w*)", text)  # fmt: skip
    whole = re.findall(r"Seq Scan on (\w+)", text) + re.findall(r"\bSCAN (\w+)", text)
    return sorted(set(filter(None, used))), sorted(set(whole))


def _shortlist_of(queries: list[Query]) -> Query:
    """The deck's shortlist: the statement that leaves out swiped listings (``handje_swipe``)."""
    return next(query for query in queries if "handje_swipe" in query[0])


async def _timed(call: Callable[[], Awaitable[Any]]) -> float:
    started = time.perf_counter()
    await call()
    return time.perf_counter() - started


async def _measure(options: argparse.Namespace) -> dict[str, Any]:
    """Load the data, then time the deck and the bare SQL for ``options.people`` people."""
    # Importing the backend binds Piccolo's tables to the database the environment names, so
    # only the child, started with that environment, imports it.
    from backend.app import create_app
    from backend.listings.tables import Listing
    from backend.matching.service import DeckFilters
    from backend.settings import Settings
    from tests.perf.data import Scale, generate, recreate_database

    clock = _Clock(options.database)
    settings = Settings.from_env()
    await recreate_database(settings)
    data = await generate(Scale().times(options.scale), settings=settings, progress=clock.say)
    engine = Listing._meta.db
    app = create_app(settings)
    if isinstance(engine, PostgresEngine):
        bare = _BareSql(postgres=await asyncpg.connect(settings.database_url))
    else:
        bare = _BareSql(sqlite=sqlite3.connect(settings.sqlite_path))
    # The app's own start-up opens the connection pool, configured as in production.
    async with app.lifespan():
        wanted = data.sample_user_ids[: options.people + WARM_UP_CALLS]
        people = [await app.state.accounts.account(user_id) for user_id in wanted]
        filters = DeckFilters(radius_km=RADIUS_KM)
        samples = await _samples(app.state.matching, engine, people, filters, bare)
        load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
        clock.say(f"timed {len(samples)} people x {ROUNDS} rounds (load average {load})")
        return await _report(clock, samples, bare)


async def _samples(
    matching: Any, engine: Any, people: list[Any], filters: Any, bare: _BareSql
) -> list[Sample]:
    """Per person: page one (untimed, its cards become the held cursor), page two recorded
    once for its SQL, then page two timed through the service and as bare SQL, alternately;
    each person's figure is the median of a few rounds, which keeps other processes' bursts out
    while the spread between people (dense cities against villages) stays in the percentiles.
    """
    for person in people[:WARM_UP_CALLS]:
        await matching.deck(person, filters, limit=PAGE)
    measured = people[WARM_UP_CALLS:]
    cursors = [(await matching.deck(person, filters, limit=PAGE)).cursor for person in measured]
    recorded = []
    for person, cursor in zip(measured, cursors, strict=True):
        with _recording(engine) as queries:
            await matching.deck(person, filters, cursor=cursor, limit=PAGE)
        recorded.append(queries)
    samples = []
    for person, cursor, queries in zip(measured, cursors, recorded, strict=True):
        shortlist = _shortlist_of(queries)
        deck, bare_all, bare_shortlist = [], [], []
        for _ in range(ROUNDS):
            page_two = partial(matching.deck, person, filters, cursor=cursor, limit=PAGE)
            deck.append(await _timed(page_two))
            bare_all.append(await bare.seconds(queries))
            bare_shortlist.append(await bare.seconds([shortlist]))
        samples.append(
            Sample(
                deck_seconds=statistics.median(deck),
                bare_seconds=statistics.median(bare_all),
                shortlist_seconds=statistics.median(bare_shortlist),
                queries=queries,
            )
        )
    return samples


async def _report(clock: _Clock, samples: list[Sample], bare: _BareSql) -> dict[str, Any]:
    """Print the figures and the plans at the bare p95; return the summary."""
    deck = [sample.deck_seconds for sample in samples]
    bare_all = [sample.bare_seconds for sample in samples]
    shortlist = [sample.shortlist_seconds for sample in samples]
    figures = {
        "p50_ms": _percentile(deck, 50),
        "p95_ms": _percentile(deck, 95),
        "bare_p50_ms": _percentile(bare_all, 50),
        "bare_p95_ms": _percentile(bare_all, 95),
        "shortlist_p95_ms": _percentile(shortlist, 95),
    }
    figures["ratio"] = figures["p95_ms"] / figures["bare_p95_ms"]
    statements = len(samples[0].queries)
    clock.say(f"deck (service): p50 {figures['p50_ms']:.1f} ms, p95 {figures['p95_ms']:.1f} ms")
    clock.say(
        f"its {statements} statements bare: p50 {figures['bare_p50_ms']:.1f} ms,"
        f" p95 {figures['bare_p95_ms']:.1f} ms (shortlist alone p95"
        f" {figures['shortlist_p95_ms']:.1f} ms); ratio deck/bare p95 {figures['ratio']:.2f}"
    )
    ordered = sorted(samples, key=lambda sample: sample.bare_seconds)
    typical = ordered[round(0.95 * (len(ordered) - 1))].queries
    for number, query in enumerate(typical, start=1):
        clock.say(f"plan of statement {number} of {statements} at the bare p95:")
        plan = await bare.plan(query)
        for line in plan:
            print(f"    {line}", flush=True)
        used, whole = _index_use(plan)
        clock.say(f"indexes used: {', '.join(used) or 'none'}")
        clock.say(f"tables read whole: {', '.join(whole) or 'none'}")
    return {name: round(value, 2) for name, value in figures.items()}


# -- The parent: one child per database ---------------------------------------------------------


def _run_child(database: str, options: argparse.Namespace) -> dict[str, Any]:
    """Run one database's measurement in a child process; its progress streams through."""
    with tempfile.TemporaryDirectory(prefix="handje-bench-") as data_dir:
        url = options.postgres_url if database == "postgres" else ""
        env = {
            **os.environ,
            "HANDJE_DATA_DIR": data_dir,
            "HANDJE_DATABASE_URL": url or f"sqlite:///{Path(data_dir) / 'handje.sqlite3'}",
            "HANDJE_JOB_INTERVAL_SECONDS": "0",
            "HANDJE_PUSH_WORKER": "false",
            "HANDJE_DATABASE_POOL_SIZE": str(POOL_SIZE),
        }
        env.pop("HANDJE_REDIS_URL", None)
        command = [
            sys.executable, "-m", "tests.perf.feed", "--child", "--database", database,
            "--scale", str(options.scale), "--people", str(options.people),
        ]  # fmt: skip
        child = subprocess.Popen(
            command, cwd=REPOSITORY, env=env, stdout=subprocess.PIPE, text=True
        )
        assert child.stdout is not None
        last = ""
        for line in child.stdout:
            print(line, end="", flush=True)
            last = line
        if child.wait() != 0:
            raise SystemExit(f"the {database} run failed")
        return json.loads(last)


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print its figures, the JSON summary last."""
    options = _arguments(argv)
    if options.child:
        print(json.dumps(asyncio.run(_measure(options))), flush=True)
        return
    chosen = DATABASES if options.database == "both" else (options.database,)
    results = {database: _run_child(database, options) for database in chosen}
    postgres, sqlite = results.get("postgres", {}), results.get("sqlite", {})
    summary = {
        "pg_p50_ms": postgres.get("p50_ms"),
        "pg_p95_ms": postgres.get("p95_ms"),
        "sqlite_p95_ms": sqlite.get("p95_ms"),
        "pg_ratio": postgres.get("ratio"),
        "sqlite_ratio": sqlite.get("ratio"),
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()

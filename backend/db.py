"""Database engines and start-up: SQLite (embedded, WAL) or PostgreSQL, and migrations."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any
from uuid import UUID

from piccolo.apps.migrations.commands.forwards import run_forwards
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType

from backend.settings import Settings

SQLITE_BUSY_TIMEOUT_SECONDS = 15


def engine_for(settings: Settings) -> Engine:
    """The Piccolo engine for the configured database URL."""
    if settings.is_sqlite:
        settings.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        return SQLiteEngine(path=str(settings.sqlite_path), timeout=SQLITE_BUSY_TIMEOUT_SECONDS)
    return PostgresEngine(config={"dsn": settings.database_url})


def enable_sqlite_wal(settings: Settings) -> None:
    """Switch the SQLite file to WAL so the worker and web processes don't lock each other out.

    WAL is a property of the file, so setting it once (before the app starts) is enough.
    """
    if not settings.is_sqlite:
        return
    settings.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(settings.sqlite_path, timeout=SQLITE_BUSY_TIMEOUT_SECONDS) as connection:
        connection.execute("PRAGMA journal_mode=WAL")


async def migrate(settings: Settings) -> None:
    """Apply every pending migration of every domain app."""
    enable_sqlite_wal(settings)
    result = await run_forwards(app_name="all")
    if not result.success:
        raise RuntimeError(f"migrations failed: {result.message}")


def write_transaction(engine: Engine) -> Any:
    """A transaction for read-then-write work.

    On SQLite it takes the write lock at the start (IMMEDIATE): two deferred transactions that
    both read and then write would otherwise fail with "database is locked" instead of waiting.
    """
    if isinstance(engine, SQLiteEngine):
        return engine.transaction(transaction_type=TransactionType.immediate)
    return engine.transaction()


def rows_table(
    engine: Engine, name: str, columns: Sequence[tuple[str, str]], rows: Sequence[Sequence[Any]]
) -> tuple[str, list[Any]]:
    """``name(column, …) AS (…)`` for a WITH clause: ``rows`` as a table in one statement, and
    its query parameters. ``columns`` are (name, PostgreSQL type) pairs; ``rows`` is not empty.

    PostgreSQL gets one typed array per column, so the statement reads the same for any number
    of rows and its prepared plan is reused; SQLite gets a VALUES list.
    """
    names = ", ".join(column for column, _ in columns)
    if isinstance(engine, PostgresEngine):
        arrays = ", ".join(f"{{}}::{kind}[]" for _, kind in columns)
        # Names and types come from the caller's code, never from input.
        return f"{name}({names}) AS (SELECT * FROM unnest({arrays}))", [  # noqa: S608
            list(values) for values in zip(*rows, strict=True)
        ]
    placeholders = "(" + ", ".join("{}" for _ in columns) + ")"
    values = ", ".join(placeholders for _ in rows)
    return f"{name}({names}) AS (VALUES {values})", [value for row in rows for value in row]


def ids_table(engine: Engine, name: str, ids: Iterable[UUID]) -> tuple[str, list[Any]]:
    """``rows_table`` of one column, ``id``: ``ids`` (not empty) as a table in one statement."""
    return rows_table(engine, name, (("id", "uuid"),), [(id_,) for id_ in ids])

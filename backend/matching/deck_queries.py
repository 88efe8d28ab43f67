"""The deck's SQL statements, written out because the query builder cannot say them in one.

1. ``shortlist``: the newest unswiped listings the actor may see in a set of cells, with what
   ranking needs and whether each answers one of the actor's own listings. Swipes, held cards,
   own organisations and blocks (both ways) are subqueries, so one round trip does it all, and
   every column it reads is in ``handje_listing_deck``: the shortlist never touches the table.
2. ``page``: the chosen cards in full, with owner names, interest counts and photos (a card's
   listing photos and its owner's profile photo), one row per photo.
3. ``skip``: a left swipe, recorded only on a listing the actor may respond to, and only once.

All are plain SQL that PostgreSQL and SQLite run alike; ``{}`` marks a parameter. ``fetch``
runs them: on PostgreSQL straight on a pooled asyncpg connection, as Piccolo's query strings
and row dicts would cost more than ranking the cards does; elsewhere through Piccolo.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from piccolo.engine.postgres import PostgresEngine

from backend.listings import lifecycle
from backend.listings.tables import Listing
from backend.matching import states

LISTING_COLUMNS = (
    "id", "kind", "title", "description", "category", "timing", "needed_on", "weekdays",
    "owner_user", "owner_organisation", "status", "paused", "found_help", "region_cell",
    "region_name", "created_at", "expires_at",
)  # fmt: skip
PHOTO_COLUMNS = ("id", "purpose", "key_prefix", "width", "height")

Statement = tuple[str, list[object]]


async def fetch(statement: Statement) -> Sequence[Mapping[str, Any]]:
    """The rows of ``statement``, as the driver returns them (asyncpg records or dicts).

    Inside a transaction, or without a pool, Piccolo runs it on the right connection.
    """
    sql, args = statement
    engine = Listing._meta.db
    if not isinstance(engine, PostgresEngine) or not engine.pool:
        return await Listing.raw(sql, *args)
    if engine.current_transaction.get() is not None:
        return await Listing.raw(sql, *args)
    numbered = sql.format(*(f"${number}" for number in range(1, len(args) + 1)))
    async with engine.pool.acquire() as connection:
        return await connection.fetch(numbered, *args)


def _marks(values: Iterable[object], args: list[object]) -> str:
    """``{}, {}, …`` for ``values``, which join ``args`` in order."""
    values = list(values)
    args.extend(values)
    return ", ".join("{}" for _ in values)


def shortlist(
    actor_id: UUID,
    cells: Iterable[str],
    kinds: Iterable[str],
    categories: Iterable[str],
    held: list[UUID],
    limit: int,
) -> Statement:
    """Up to ``limit`` candidates, newest first; ``categories`` empty means all."""
    args: list[object] = [actor_id, actor_id]
    sql = [
        "WITH hidden AS (SELECT blocked AS person FROM handje_block WHERE blocker = {}"
        " UNION SELECT blocker FROM handje_block WHERE blocked = {})",
        "SELECT l.id, l.kind, l.category, l.region_cell, l.created_at, l.owner_user,",
        " l.owner_organisation, EXISTS (SELECT 1 FROM handje_listing AS own",
        "  WHERE own.owner_user = {} AND own.category = l.category AND own.kind <> l.kind",
    ]
    args.append(actor_id)
    sql.append(f"  AND own.status IN ({_marks(sorted(lifecycle.ACTIVE), args)})) AS answers_own")
    sql.append("FROM handje_listing AS l")
    sql.append(f"WHERE l.region_cell IN ({_marks(sorted(cells), args)})")
    sql.append(f" AND l.status IN ({_marks(sorted(lifecycle.ACTIVE), args)})")
    sql.append(" AND l.paused = {}")
    args.append(False)
    sql.append(f" AND l.kind IN ({_marks(sorted(kinds), args)})")
    if categories:
        sql.append(f" AND l.category IN ({_marks(sorted(categories), args)})")
    if held:
        sql.append(f" AND l.id NOT IN ({_marks(held, args)})")
    sql += [
        " AND (l.owner_user IS NULL OR l.owner_user <> {})",
        ' AND l.id NOT IN (SELECT listing FROM handje_swipe WHERE "user" = {})',
        " AND (l.owner_organisation IS NULL OR l.owner_organisation NOT IN",
        '  (SELECT organisation FROM handje_organisation_member WHERE "user" = {}))',
        " AND (l.owner_user IS NULL OR l.owner_user NOT IN (SELECT person FROM hidden))",
        " AND (l.created_by IS NULL OR l.created_by NOT IN (SELECT person FROM hidden))",
        "ORDER BY l.created_at DESC LIMIT {}",
    ]
    args += [actor_id, actor_id, actor_id, limit]
    return "\n".join(sql), args


def skip(actor_id: UUID, listing_id: UUID, swipe_id: UUID, now: datetime) -> Statement:
    """Insert a left swipe unless the listing is not visible, is the actor's (or one of their
    organisations'), or was swiped before; returns the new swipe's id, or no row.
    """
    args: list[object] = [swipe_id, actor_id, states.LEFT, now, listing_id]
    sql = [
        'INSERT INTO handje_swipe (id, "user", listing, direction, created_at)',
        "SELECT {}, {}, l.id, {}, {} FROM handje_listing AS l",
        "WHERE l.id = {}",
        f" AND l.status IN ({_marks(sorted(lifecycle.ACTIVE), args)})",
        " AND l.paused = {}",
        " AND (l.owner_user IS NULL OR l.owner_user <> {})",
        " AND (l.owner_organisation IS NULL OR l.owner_organisation NOT IN",
        '  (SELECT organisation FROM handje_organisation_member WHERE "user" = {}))',
        'ON CONFLICT ("user", listing) DO NOTHING',
        "RETURNING id",
    ]
    args += [False, actor_id, actor_id]
    return "\n".join(sql), args


def page(listing_ids: list[UUID]) -> Statement:
    """The listings in full, one row per photo (``photo_*`` empty for a card without any)."""
    args: list[object] = [*sorted(states.COUNTED)]
    listing = ", ".join(f"l.{column}" for column in LISTING_COLUMNS)
    photo = ", ".join(f"p.{column} AS photo_{column}" for column in PHOTO_COLUMNS)
    sql = [
        f"SELECT {listing}, u.display_name AS owner_user_name,",
        " o.name AS owner_organisation_name, (SELECT COUNT(*) FROM handje_interest AS i",
        f"  WHERE i.listing = l.id AND i.state IN ({', '.join('{}' for _ in states.COUNTED)}))"
        " AS interested,",
        f" {photo}",
        "FROM handje_listing AS l",
        "LEFT JOIN handje_user AS u ON u.id = l.owner_user",
        "LEFT JOIN handje_organisation AS o ON o.id = l.owner_organisation",
        "LEFT JOIN handje_photo AS p ON p.listing = l.id",
        " OR (p.owner = l.owner_user AND p.purpose = {})",
    ]
    args.append("profile")
    sql.append(f"WHERE l.id IN ({_marks(listing_ids, args)})")
    sql.append("ORDER BY p.position")
    return "\n".join(sql), args


def photo_of(row: dict[str, Any]) -> dict[str, Any] | None:
    """The photo columns of a ``page`` row, without their prefix; None for a card without one."""
    if row["photo_id"] is None:
        return None
    return {column: row[f"photo_{column}"] for column in PHOTO_COLUMNS}

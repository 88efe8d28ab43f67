"""The lookups every message and read mark makes go through an index, not a scan of the table:
a conversation's match (its people) and a person's unread notifications of a conversation
(settled by reading it)."""

from __future__ import annotations

from uuid import uuid4

import pytest
from litestar import Litestar
from piccolo.engine.postgres import PostgresEngine

from backend.matching.tables import Match

LOOKUPS = [
    ("SELECT helper FROM handje_match WHERE conversation = {}", "handje_match_conversation"),
    (
        'SELECT id FROM handje_notification WHERE conversation = {} AND "user" = {} '
        "AND read_at IS NULL",
        "handje_notification_unread_conversation",
    ),
]


async def query_plan(sql: str) -> str:
    """How the database would run ``sql`` (its placeholders filled with new ids), as text;
    PostgreSQL is told to avoid a scan wherever it can, so a tiny table does not decide."""
    ids = [uuid4() for _ in range(sql.count("{}"))]
    engine = Match._meta.db
    if isinstance(engine, PostgresEngine):
        async with engine.transaction():
            await Match.raw("SET LOCAL enable_seqscan = off")
            rows = await Match.raw(f"EXPLAIN {sql}", *ids)
    else:
        rows = await Match.raw(f"EXPLAIN QUERY PLAN {sql}", *ids)
    return "\n".join(str(value) for row in rows for value in row.values())


@pytest.mark.parametrize(("sql", "index"), LOOKUPS)
async def test_the_lookup_goes_through_its_index(app: Litestar, sql: str, index: str) -> None:
    assert index in await query_plan(sql)

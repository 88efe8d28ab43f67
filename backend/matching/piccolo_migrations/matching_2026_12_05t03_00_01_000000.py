"""A conversation's match (its people, for every message and read mark) is found through an
index instead of a scan of all matches."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-12-05T03:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "index matches by conversation"
NAME = "handje_match_conversation"


class Match(Table, tablename="handje_match"):
    pass


async def create_index() -> None:
    await Match.raw(f'CREATE INDEX {NAME} ON "handje_match" ("conversation")')


async def drop_index() -> None:
    await Match.raw(f"DROP INDEX {NAME}")


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="matching", description=DESCRIPTION)
    manager.add_raw(create_index)
    manager.add_raw_backwards(drop_index)
    return manager

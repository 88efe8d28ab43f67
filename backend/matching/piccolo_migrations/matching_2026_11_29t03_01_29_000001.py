"""One swipe and one interest per person and listing (unique indexes work on both databases)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-29T03:01:29:000001"
VERSION = "1.38.0"
DESCRIPTION = "one swipe and one interest per person and listing"


class Swipe(Table, tablename="handje_swipe"):
    pass


INDEXES = (
    ("handje_swipe_user_listing", "handje_swipe", '"user", "listing"'),
    ("handje_interest_listing_user", "handje_interest", '"listing", "user"'),
)


async def create_unique_indexes() -> None:
    for name, table, columns in INDEXES:
        await Swipe.raw(f'CREATE UNIQUE INDEX {name} ON "{table}" ({columns})')


async def drop_unique_indexes() -> None:
    for name, _, _ in INDEXES:
        await Swipe.raw(f"DROP INDEX {name}")


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="matching", description=DESCRIPTION)
    manager.add_raw(create_unique_indexes)
    manager.add_raw_backwards(drop_unique_indexes)
    return manager

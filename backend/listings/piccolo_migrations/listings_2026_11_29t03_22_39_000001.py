"""An index for the Discover deck: active listings in a set of cells, newest first.

Its leading columns let both databases look up each (cell, status, paused, kind) of the deck's
filter directly; without statistics SQLite otherwise picks the index on ``status`` and reads
every active listing in the country. The other columns cover the filter, the order and what
ranking needs, so a shortlist that selects only these columns never touches the table.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-29T03:22:39:000001"
VERSION = "1.38.0"
DESCRIPTION = "deck index on listings"

NAME = "handje_listing_deck"
COLUMNS = (
    '"region_cell", "status", "paused", "kind", "category", "created_at",'
    ' "owner_user", "owner_organisation", "id"'
)


class Listing(Table, tablename="handje_listing"):
    pass


async def create_deck_index() -> None:
    await Listing.raw(f'CREATE INDEX {NAME} ON "handje_listing" ({COLUMNS})')


async def drop_deck_index() -> None:
    await Listing.raw(f"DROP INDEX {NAME}")


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="listings", description=DESCRIPTION)
    manager.add_raw(create_deck_index)
    manager.add_raw_backwards(drop_deck_index)
    return manager

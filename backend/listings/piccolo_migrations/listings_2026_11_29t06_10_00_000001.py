"""The deck index gains ``created_by``: the deck leaves out listings posted by someone blocked
either way (an organisation's listing names its poster there), and with that column in the
index the whole shortlist is still answered from the index alone.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-29T06:10:00:000001"
VERSION = "1.38.0"
DESCRIPTION = "deck index covers created_by"

NAME = "handje_listing_deck"
BEFORE = (
    '"region_cell", "status", "paused", "kind", "category", "created_at",'
    ' "owner_user", "owner_organisation", "id"'
)
AFTER = f'{BEFORE}, "created_by"'


class Listing(Table, tablename="handje_listing"):
    pass


async def _recreate(columns: str) -> None:
    await Listing.raw(f"DROP INDEX {NAME}")
    await Listing.raw(f'CREATE INDEX {NAME} ON "handje_listing" ({columns})')


async def cover_created_by() -> None:
    await _recreate(AFTER)


async def uncover_created_by() -> None:
    await _recreate(BEFORE)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="listings", description=DESCRIPTION)
    manager.add_raw(cover_created_by)
    manager.add_raw_backwards(uncover_created_by)
    return manager

"""A person is a member of an organisation once (a unique index works on SQLite and PostgreSQL)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-29T02:28:01:581259"
VERSION = "1.38.0"
DESCRIPTION = "one membership per person"


class Membership(Table, tablename="handje_organisation_member"):
    pass


async def create_unique_index() -> None:
    await Membership.raw(
        "CREATE UNIQUE INDEX handje_organisation_member_unique "
        'ON "handje_organisation_member" ("organisation", "user")'
    )


async def drop_unique_index() -> None:
    await Membership.raw("DROP INDEX handje_organisation_member_unique")


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="organisations", description=DESCRIPTION)
    manager.add_raw(create_unique_index)
    manager.add_raw_backwards(drop_unique_index)
    return manager

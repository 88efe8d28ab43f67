"""Reading a conversation settles its unread message notifications through an index: without
it, every batch of read marks scanned the whole notifications table."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-12-05T03:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "index unread notifications by conversation and person"
NAME = "handje_notification_unread_conversation"


class Notification(Table, tablename="handje_notification"):
    pass


async def create_index() -> None:
    await Notification.raw(
        f'CREATE INDEX {NAME} ON "handje_notification" ("conversation", "user") '
        "WHERE read_at IS NULL"
    )


async def drop_index() -> None:
    await Notification.raw(f"DROP INDEX {NAME}")


async def forwards() -> MigrationManager:
    manager = MigrationManager(
        migration_id=ID, app_name="notifications", description=DESCRIPTION
    )
    manager.add_raw(create_index)
    manager.add_raw_backwards(drop_index)
    return manager

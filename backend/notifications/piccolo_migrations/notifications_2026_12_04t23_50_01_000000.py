"""Notifications recorded before they named their conversation in a column get it from
``data``, where it was always named."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.sqlite import SQLiteEngine
from piccolo.table import Table

ID = "2026-12-04T23:50:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "copy notifications' conversations from their data"


class Notification(Table, tablename="handje_notification"):
    pass


async def copy_conversations() -> None:
    """Fill the ``conversation`` column from ``data`` where a notification names one."""
    if isinstance(Notification._meta.db, SQLiteEngine):
        found = "json_extract(data, '$.conversation_id')"
    else:
        found = "CAST(CAST(data AS jsonb) ->> 'conversation_id' AS uuid)"
    await Notification.raw(f"UPDATE handje_notification SET conversation = {found}")  # noqa: S608


async def forwards() -> MigrationManager:
    manager = MigrationManager(
        migration_id=ID, app_name="notifications", description=DESCRIPTION
    )
    manager.add_raw(copy_conversations)
    return manager

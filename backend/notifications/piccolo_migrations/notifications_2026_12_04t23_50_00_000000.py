"""A notification names the conversation it is about in a column of its own.

Reading a conversation settles its notifications, and the bell of a conversation's page leaves
that conversation's out: both look them up by this column instead of matching the JSON text.
(The next migration fills it for notifications recorded before.)
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import UUID
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-04T23:50:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "notifications name their conversation"


async def forwards() -> MigrationManager:
    manager = MigrationManager(
        migration_id=ID, app_name="notifications", description=DESCRIPTION
    )
    manager.add_column(
        table_class_name="Notification",
        tablename="handje_notification",
        column_name="conversation",
        db_column_name="conversation",
        column_class_name="UUID",
        column_class=UUID,
        params={
            "default": None,
            "null": True,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )
    return manager

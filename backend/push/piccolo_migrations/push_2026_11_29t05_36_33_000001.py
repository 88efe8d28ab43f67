"""One mute per person and conversation; an index for finding due deliveries."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-29T05:36:33:000001"
VERSION = "1.38.0"
DESCRIPTION = "unique mutes, due deliveries index"


class PushDelivery(Table, tablename="handje_push_delivery"):
    pass


INDEXES = (
    (
        "CREATE UNIQUE INDEX handje_conversation_mute_user_conversation "
        'ON "handje_conversation_mute" ("user", "conversation")'
    ),
    'CREATE INDEX handje_push_delivery_due ON "handje_push_delivery" ("state", "not_before")',
)


async def create_indexes() -> None:
    for statement in INDEXES:
        await PushDelivery.raw(statement)


async def drop_indexes() -> None:
    await PushDelivery.raw("DROP INDEX handje_conversation_mute_user_conversation")
    await PushDelivery.raw("DROP INDEX handje_push_delivery_due")


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="push", description=DESCRIPTION)
    manager.add_raw(create_indexes)
    manager.add_raw_backwards(drop_indexes)
    return manager

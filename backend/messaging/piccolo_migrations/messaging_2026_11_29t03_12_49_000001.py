"""Unique message order, idempotent resends, one participation and one block per pair."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-29T03:12:49:000001"
VERSION = "1.38.0"
DESCRIPTION = "unique indexes for messages, participations and blocks"


class Message(Table, tablename="handje_message"):
    pass


INDEXES = (
    ("handje_message_conversation_seq", "handje_message", '"conversation", "seq"'),
    ("handje_message_sender_client", "handje_message", '"sender", "client_id"'),
    ("handje_participation_unique", "handje_participation", '"conversation", "user"'),
    ("handje_block_pair", "handje_block", '"blocker", "blocked"'),
)


async def create_unique_indexes() -> None:
    for name, table, columns in INDEXES:
        await Message.raw(f'CREATE UNIQUE INDEX {name} ON "{table}" ({columns})')


async def drop_unique_indexes() -> None:
    for name, _, _ in INDEXES:
        await Message.raw(f"DROP INDEX {name}")


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="messaging", description=DESCRIPTION)
    manager.add_raw(create_unique_indexes)
    manager.add_raw_backwards(drop_unique_indexes)
    return manager

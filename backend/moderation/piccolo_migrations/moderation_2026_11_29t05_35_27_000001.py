"""The audit log is append-only: the database itself refuses updates and deletes of its rows."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.sqlite import SQLiteEngine
from piccolo.table import Table

ID = "2026-11-29T05:35:27:000001"
VERSION = "1.38.0"
DESCRIPTION = "append-only audit log"


class AuditEntry(Table, tablename="handje_audit_entry"):
    pass


SQLITE_TRIGGERS = tuple(
    f"CREATE TRIGGER handje_audit_no_{verb.lower()} BEFORE {verb} ON handje_audit_entry "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
    for verb in ("UPDATE", "DELETE")
)
POSTGRES_STATEMENTS = (
    "CREATE FUNCTION handje_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$",
    "CREATE TRIGGER handje_audit_append_only BEFORE UPDATE OR DELETE ON handje_audit_entry "
    "FOR EACH ROW EXECUTE FUNCTION handje_audit_append_only()",
)


def _is_sqlite() -> bool:
    return isinstance(AuditEntry._meta.db, SQLiteEngine)


async def forbid_changes() -> None:
    for statement in SQLITE_TRIGGERS if _is_sqlite() else POSTGRES_STATEMENTS:
        await AuditEntry.raw(statement)


async def allow_changes() -> None:
    if _is_sqlite():
        for verb in ("update", "delete"):
            await AuditEntry.raw(f"DROP TRIGGER handje_audit_no_{verb}")
        return
    await AuditEntry.raw("DROP TRIGGER handje_audit_append_only ON handje_audit_entry")
    await AuditEntry.raw("DROP FUNCTION handje_audit_append_only()")


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="moderation", description=DESCRIPTION)
    manager.add_raw(forbid_changes)
    manager.add_raw_backwards(allow_changes)
    return manager

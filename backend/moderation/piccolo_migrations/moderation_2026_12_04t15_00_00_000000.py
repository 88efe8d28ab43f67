"""The audit log stays append-only, but deleting an account may pseudonymise its entries.

The database still refuses every delete, and every update except one that only replaces the
person's details: ids may become NULL, and a changed name or reason must hold the pseudonym
(``[deleted user …]``) that the account deletion writes.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.sqlite import SQLiteEngine
from piccolo.table import Table

from backend.moderation.piccolo_migrations import (
    moderation_2026_11_29t05_35_27_000001 as strict,
)

ID = "2026-12-04T15:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "audit log entries may be pseudonymised"


class AuditEntry(Table, tablename="handje_audit_entry"):
    pass


PSEUDONYM = "'%[deleted user %'"
# Only the person's details change, and each changed text holds the pseudonym.
REDACTION_ONLY = (
    "NEW.id = OLD.id AND NEW.action = OLD.action AND NEW.created_at = OLD.created_at "
    "AND NEW.case_id IS NOT DISTINCT FROM OLD.case_id "
    "AND (NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id OR NEW.actor_id IS NULL) "
    "AND (NEW.user_id IS NOT DISTINCT FROM OLD.user_id OR NEW.user_id IS NULL) "
    f"AND (NEW.actor_name = OLD.actor_name OR NEW.actor_name LIKE {PSEUDONYM}) "
    f"AND (NEW.reason = OLD.reason OR NEW.reason LIKE {PSEUDONYM})"
)
REFUSE = "SELECT RAISE(ABORT, 'the audit log is append-only')"
SQLITE_TRIGGERS = (
    "CREATE TRIGGER handje_audit_no_delete BEFORE DELETE ON handje_audit_entry "
    f"BEGIN {REFUSE}; END",
    "CREATE TRIGGER handje_audit_no_update BEFORE UPDATE ON handje_audit_entry "
    # SQLite spells "IS NOT DISTINCT FROM" as "IS".
    f"WHEN NOT ({REDACTION_ONLY.replace('IS NOT DISTINCT FROM', 'IS')}) BEGIN {REFUSE}; END",
)
POSTGRES_STATEMENTS = (
    "CREATE FUNCTION handje_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    f"IF TG_OP = 'UPDATE' AND {REDACTION_ONLY} THEN RETURN NEW; END IF; "
    "RAISE EXCEPTION 'the audit log is append-only'; END $$",
    "CREATE TRIGGER handje_audit_append_only BEFORE UPDATE OR DELETE ON handje_audit_entry "
    "FOR EACH ROW EXECUTE FUNCTION handje_audit_append_only()",
)


def _is_sqlite() -> bool:
    return isinstance(AuditEntry._meta.db, SQLiteEngine)


async def forbid_changes() -> None:
    """Install the guard (after ``allow_changes``)."""
    for statement in SQLITE_TRIGGERS if _is_sqlite() else POSTGRES_STATEMENTS:
        await AuditEntry.raw(statement)


async def allow_changes() -> None:
    """Lift the guard (the triggers have the same names as before)."""
    await strict.allow_changes()


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="moderation", description=DESCRIPTION)

    async def replace_guard() -> None:
        await strict.allow_changes()
        await forbid_changes()

    async def restore_strict_guard() -> None:
        await allow_changes()
        await strict.forbid_changes()

    manager.add_raw(replace_guard)
    manager.add_raw_backwards(restore_strict_guard)
    return manager

"""Piccolo app registration for the moderation domain."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from backend.moderation.tables import (
    Action,
    AuditEntry,
    BannedEmail,
    Case,
    CaseReport,
    ConversationRead,
    EndedSession,
    IpRecord,
    Restriction,
)

APP_CONFIG = AppConfig(
    app_name="moderation",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[
        Case,
        CaseReport,
        Action,
        Restriction,
        BannedEmail,
        EndedSession,
        ConversationRead,
        AuditEntry,
        IpRecord,
    ],
    migration_dependencies=[
        "backend.accounts.piccolo_app",
        "backend.listings.piccolo_app",
        "backend.messaging.piccolo_app",
    ],
    commands=[],
)

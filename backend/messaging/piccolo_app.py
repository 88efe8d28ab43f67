"""Piccolo app registration for the messaging domain."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from backend.messaging.tables import Block, Conversation

APP_CONFIG = AppConfig(
    app_name="messaging",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[Conversation, Block],
    migration_dependencies=["backend.accounts.piccolo_app"],
    commands=[],
)

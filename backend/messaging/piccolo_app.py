"""Piccolo app registration for the messaging domain."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from backend.messaging.tables import Block, Conversation, Message, Participation, Report

APP_CONFIG = AppConfig(
    app_name="messaging",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[Conversation, Message, Participation, Block, Report],
    migration_dependencies=["backend.accounts.piccolo_app", "backend.listings.piccolo_app"],
    commands=[],
)

"""Piccolo app registration for the accounts domain."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from backend.accounts.tables import User, UserSession

APP_CONFIG = AppConfig(
    app_name="accounts",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[User, UserSession],
    migration_dependencies=[],
    commands=[],
)

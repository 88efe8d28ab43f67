"""Piccolo app registration for the listings domain."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from backend.listings.tables import Listing

APP_CONFIG = AppConfig(
    app_name="listings",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[Listing],
    migration_dependencies=["backend.accounts.piccolo_app", "backend.organisations.piccolo_app"],
    commands=[],
)

"""Piccolo app registration for the media domain."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from backend.media.tables import Photo

APP_CONFIG = AppConfig(
    app_name="media",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[Photo],
    migration_dependencies=["backend.accounts.piccolo_app", "backend.listings.piccolo_app"],
    commands=[],
)

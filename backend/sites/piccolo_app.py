"""Piccolo app registration for the sites domain."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from backend.sites.tables import Site, SiteAdmin

APP_CONFIG = AppConfig(
    app_name="sites",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[Site, SiteAdmin],
    migration_dependencies=["backend.accounts.piccolo_app"],
    commands=[],
)

"""Piccolo app registration for the organisations domain."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from backend.organisations.tables import Membership, Organisation

APP_CONFIG = AppConfig(
    app_name="organisations",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[Organisation, Membership],
    migration_dependencies=["backend.accounts.piccolo_app"],
    commands=[],
)

"""Piccolo app registration for the privacy domain."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from backend.privacy.tables import Consent, DataExport, InactivityWarning, PageCount

APP_CONFIG = AppConfig(
    app_name="privacy",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[Consent, DataExport, InactivityWarning, PageCount],
    migration_dependencies=["backend.accounts.piccolo_app"],
    commands=[],
)

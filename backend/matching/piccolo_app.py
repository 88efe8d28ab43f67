"""Piccolo app registration for the matching domain."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from backend.matching.tables import Interest, Match, Recommendation, Swipe

APP_CONFIG = AppConfig(
    app_name="matching",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[Swipe, Interest, Match, Recommendation],
    migration_dependencies=[
        "backend.accounts.piccolo_app",
        "backend.listings.piccolo_app",
        "backend.messaging.piccolo_app",
    ],
    commands=[],
)

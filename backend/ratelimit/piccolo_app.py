"""Piccolo app registration for the rate-limit counters."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from backend.ratelimit.tables import RateCounter

APP_CONFIG = AppConfig(
    app_name="ratelimit",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[RateCounter],
    migration_dependencies=[],
    commands=[],
)

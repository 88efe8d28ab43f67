"""Piccolo app registration for the statistics domain."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from backend.statistics.tables import MonthlyFigure

APP_CONFIG = AppConfig(
    app_name="statistics",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[MonthlyFigure],
    migration_dependencies=[],
    commands=[],
)

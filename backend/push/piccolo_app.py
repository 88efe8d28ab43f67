"""Piccolo app registration for the push domain."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from backend.push.tables import (
    ConversationMute,
    ListingTip,
    NotificationSettings,
    PushDelivery,
    PushSubscription,
)

APP_CONFIG = AppConfig(
    app_name="push",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[
        PushSubscription,
        NotificationSettings,
        ConversationMute,
        PushDelivery,
        ListingTip,
    ],
    migration_dependencies=[
        "backend.accounts.piccolo_app",
        "backend.listings.piccolo_app",
        "backend.messaging.piccolo_app",
        "backend.notifications.piccolo_app",
    ],
    commands=[],
)

"""Piccolo's configuration: the engine chosen by ``HANDJE_DATABASE_URL`` and the domain apps."""

from piccolo.conf.apps import AppRegistry

from backend.db import engine_for
from backend.settings import Settings

DB = engine_for(Settings.from_env())

APP_REGISTRY = AppRegistry(
    apps=[
        "backend.accounts.piccolo_app",
        "backend.ratelimit.piccolo_app",
        "backend.organisations.piccolo_app",
        "backend.sites.piccolo_app",
        "backend.listings.piccolo_app",
        "backend.notifications.piccolo_app",
        "backend.media.piccolo_app",
        "backend.messaging.piccolo_app",
        "backend.matching.piccolo_app",
        "backend.push.piccolo_app",
        "backend.moderation.piccolo_app",
        "backend.statistics.piccolo_app",
        "backend.privacy.piccolo_app",
    ]
)

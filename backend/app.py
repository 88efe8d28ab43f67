"""The Litestar application factory."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from litestar import Litestar
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from piccolo.engine.postgres import PostgresEngine
from redis.asyncio import Redis

from backend.accounts.api import AuthController, AuthFormController, MeController
from backend.accounts.passwords import PasswordHashing
from backend.accounts.service import Accounts
from backend.accounts.tables import User
from backend.keys import load_or_create_keys
from backend.listings.api import ListingsController
from backend.listings.service import Listings
from backend.matching.api import MatchingController
from backend.matching.service import Matching
from backend.media.api import PhotosController, serve_photo
from backend.media.service import Media
from backend.media.storage import storage_from_settings
from backend.messaging.api import ConversationsController, SafetyController
from backend.messaging.live import channels_plugin, live_events, publisher
from backend.messaging.service import Messaging
from backend.moderation.cases import file_report
from backend.moderation.service import Moderation
from backend.moderation.standing import Standing
from backend.organisations.api import OrganisationsController
from backend.organisations.service import Organisations
from backend.privacy.api import PrivacyController
from backend.privacy.news import RegionalNews
from backend.privacy.retention import Retention
from backend.privacy.service import Privacy
from backend.push.api import PUSH_REFRESH_PATTERN, NotificationCentreController, PushController
from backend.push.service import Push
from backend.push.subscriptions import delete_subscriptions
from backend.ratelimit.client import ClientAddressMiddleware
from backend.ratelimit.service import (
    CounterStore,
    DatabaseCounterStore,
    RateLimiter,
    RedisCounterStore,
)
from backend.regions.api import RegionsController
from backend.regions.gazetteer import search_places
from backend.settings import Settings
from backend.sites.resolution import SiteMiddleware, SiteSwitchController, site_info
from backend.sites.service import Sites
from backend.statistics.api import StatisticsController
from backend.statistics.service import Statistics
from backend.web.auth import PUBLIC_ASSET_PATHS, SessionAuthMiddleware
from backend.web.cookies import csrf_cookie_name
from backend.web.errors import EXCEPTION_HANDLERS
from backend.web.health import health
from backend.web.security import (
    SecurityHeadersMiddleware,
    WebsocketOriginMiddleware,
    content_security_policy,
)
from backend.worker import in_process_worker
from frontend.i18n import translator
from frontend.mount import frontend_router
from frontend.shell import inline_script_hashes

# Photo cleaning runs in threads (Pillow releases the GIL while decoding and resizing), at most
# two at once, so that a burst of uploads cannot starve the event loop's own thread.
PHOTO_WORKERS = 2


def _counter_store(settings: Settings) -> CounterStore:
    if settings.redis_url:
        return RedisCounterStore(Redis.from_url(settings.redis_url))
    return DatabaseCounterStore()


def _csrf_config(settings: Settings, secret: str) -> CSRFConfig:
    return CSRFConfig(
        secret=secret,
        cookie_name=csrf_cookie_name(settings),
        header_name="x-csrf-token",
        cookie_secure=settings.https,
        cookie_samesite="lax",
        # The service worker cannot read the CSRF cookie; a refresh must name the old endpoint.
        exclude=[*PUBLIC_ASSET_PATHS, PUSH_REFRESH_PATTERN],
    )


def _pooled_postgres(settings: Settings) -> PostgresEngine | None:
    engine = User._meta.db
    if isinstance(engine, PostgresEngine) and settings.database_pool_size > 0:
        return engine
    return None


async def _open_database_pool(app: Litestar) -> None:
    settings = app.state.settings
    if engine := _pooled_postgres(settings):
        await engine.start_connection_pool(
            min_size=1, max_size=settings.database_pool_size, reset=_keep_session
        )


async def _keep_session(_connection: object) -> None:
    """Skip asyncpg's ``RESET ALL`` round trip on every release: no code here changes session
    state (no SET, LISTEN or advisory locks), and an open transaction is still rolled back.
    """


async def _close_database_pool(app: Litestar) -> None:
    if engine := _pooled_postgres(app.state.settings):
        await engine.close_connection_pool()


async def _load_gazetteer(_: Litestar) -> None:
    # Building the town list takes a moment; do it at start-up, off the event loop.
    await asyncio.to_thread(search_places, "a")


# A serving process keeps each open page's objects (hundreds of KiB) while it is open. With
# Python's thresholds (700, 10, 10) the objects of messages in flight reach the oldest generation
# so often that full collections, which scan every open page, came every few seconds and paused
# the event loop for over a second with 1,000 pages open (tests/perf/messaging.py). Collecting
# the youngest generation less often lets those objects die first; the oldest is scanned rarely.
GC_THRESHOLDS = (20_000, 5, 100)


async def _tune_garbage_collection(_: Litestar) -> None:
    gc.set_threshold(*GC_THRESHOLDS)


def _constant(value: object) -> Callable[[], object]:
    return lambda: value


def create_app(settings: Settings | None = None) -> Litestar:
    """Build the app for ``settings`` (read from the environment when not given)."""
    settings = settings or Settings.from_env()
    keys = load_or_create_keys(settings.secrets_dir)
    limiter = RateLimiter(_counter_store(settings), ip_factor=settings.ip_limit_factor)
    accounts = Accounts(
        settings,
        PasswordHashing(memory_kib=settings.argon2_memory_kib, time_cost=settings.argon2_time_cost),
        limiter,
    )
    organisations = Organisations()
    storage = storage_from_settings(settings)
    media = Media(
        settings,
        storage,
        limiter,
        organisations,
        keys.signing_key,
        ThreadPoolExecutor(max_workers=PHOTO_WORKERS, thread_name_prefix="photos"),
    )
    listings = Listings(settings, organisations, media, limiter)
    matching = Matching(settings, listings, organisations, media, limiter)
    listings.on_publish(matching.recommend)
    channels = channels_plugin(settings)
    messaging = Messaging(listings, limiter, publisher(channels))
    standing = Standing(settings)
    accounts.guard_with(standing)
    messaging.on_report(file_report)
    sites = Sites()
    privacy = Privacy(settings, accounts, media)
    services = {
        "accounts": accounts,
        "organisations": organisations,
        "media": media,
        "listings": listings,
        "matching": matching,
        "messaging": messaging,
        "standing": standing,
        "moderation": Moderation(publisher(channels), delete_subscriptions),
        "sites": sites,
        "statistics": Statistics(sites, organisations),
        "privacy": privacy,
        "retention": Retention(settings, privacy, media),
        "news": RegionalNews(sites),
    }
    services["push"] = Push(settings, keys.vapid_public_key, services["messaging"], translator)
    image_origins = (storage.image_origin,) if storage.image_origin else ()
    csp = content_security_policy(inline_script_hashes(), image_origins=image_origins)
    return Litestar(
        route_handlers=[
            health,
            AuthController,
            AuthFormController,
            MeController,
            RegionsController,
            OrganisationsController,
            ListingsController,
            PhotosController,
            MatchingController,
            ConversationsController,
            SafetyController,
            StatisticsController,
            PrivacyController,
            PushController,
            NotificationCentreController,
            live_events,
            serve_photo,
            SiteSwitchController,
            site_info,
            frontend_router(),
        ],
        middleware=[
            ClientAddressMiddleware(),
            SecurityHeadersMiddleware(settings, csp),
            WebsocketOriginMiddleware(settings),
            SiteMiddleware(),
            SessionAuthMiddleware(),
        ],
        csrf_config=_csrf_config(settings, keys.signing_key),
        dependencies={
            name: Provide(_constant(value), use_cache=True, sync_to_thread=False)
            for name, value in {"settings": settings, **services}.items()
        },
        exception_handlers=EXCEPTION_HANDLERS,
        state=State({"settings": settings, "app_keys": keys, **services}),
        on_startup=[_open_database_pool, _load_gazetteer, _tune_garbage_collection],
        on_shutdown=[_close_database_pool],
        lifespan=[in_process_worker],
        plugins=[channels],
        openapi_config=OpenAPIConfig(title="Handje", version="0.1.0", path="/schema"),
        request_max_body_size=settings.max_body_bytes,
    )

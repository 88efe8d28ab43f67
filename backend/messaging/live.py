"""Live events: Litestar channels (in memory, or Redis for several processes) and a websocket."""

from __future__ import annotations

import contextlib
from typing import Any

from litestar import WebSocket, websocket
from litestar.channels import ChannelsPlugin
from litestar.channels.backends.memory import MemoryChannelsBackend
from litestar.channels.backends.redis import RedisChannelsPubSubBackend
from litestar.di import NamedDependency
from litestar.exceptions import WebSocketDisconnect
from redis.asyncio import Redis

from backend.messaging.service import Publish, inbox_channel
from backend.settings import Settings


def channels_plugin(settings: Settings) -> ChannelsPlugin:
    """In-process channels by default; Redis pub/sub when ``HANDJE_REDIS_URL`` is set."""
    backend = (
        RedisChannelsPubSubBackend(redis=Redis.from_url(settings.redis_url))
        if settings.redis_url
        else MemoryChannelsBackend()
    )
    return ChannelsPlugin(backend=backend, arbitrary_channels_allowed=True)


def publisher(plugin: ChannelsPlugin) -> Publish:
    """The services' one door to live updates (called after the change is stored)."""

    async def publish(event: dict[str, Any], channels: list[str]) -> None:
        try:
            await plugin.wait_published(event, channels)
        except RuntimeError:
            # The channels are not running in a process that does not serve (a command-line job,
            # a test without the app's lifespan): nobody here listens, and clients catch up from
            # what was stored.
            return

    return publish


@websocket("/api/live", tags=["messaging"])
async def live_events(socket: WebSocket, channels: NamedDependency[ChannelsPlugin]) -> None:
    """The signed-in person's events (new messages, read receipts) as JSON lines.

    The Origin is checked by the app's websocket middleware before this runs.
    """
    signed_in = socket.scope.get("auth")
    if signed_in is None:
        await socket.close(code=4401, reason="log in first")
        return
    await socket.accept()
    async with channels.start_subscription([inbox_channel(signed_in.account.id)]) as subscriber:
        with contextlib.suppress(WebSocketDisconnect):
            async for event in subscriber.iter_events():
                await socket.send_text(event.decode() if isinstance(event, bytes) else event)

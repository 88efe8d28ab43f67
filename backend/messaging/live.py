"""Live events: Litestar channels (in memory, or Redis for several processes) and the websocket
that carries them to a page and answers its commands.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncGenerator, Coroutine, Iterable
from typing import Any
from uuid import UUID

import msgspec
from litestar import WebSocket, websocket
from litestar.channels import ChannelsBackend, ChannelsPlugin, Subscriber
from litestar.channels.backends.memory import MemoryChannelsBackend
from litestar.channels.backends.redis import RedisChannelsPubSubBackend
from litestar.di import NamedDependency
from litestar.exceptions import WebSocketDisconnect
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from backend.accounts.service import Accounts
from backend.messaging.live_commands import LiveCommands, SessionEnded
from backend.messaging.service import Messaging, Publish, inbox_channel
from backend.settings import Settings
from backend.web.websocket_protocol import LIVE_SOCKET_PATH

logger = logging.getLogger(__name__)
LISTENER_RETRY_SECONDS = 1.0
# Told to every subscription in this process once its Redis connection is back: what was
# published meanwhile is lost (pub/sub keeps nothing), so live views catch up from what was stored.
RESYNC_EVENT = b'{"type":"resync"}'
# A subscriber that stops taking events (a page whose socket is still open but not read) holds
# at most this many; the oldest go first, and the page catches up at the gap in seq it sees.
SUBSCRIBER_BACKLOG = 1_000


class _EventHead(msgspec.Struct):
    """What the live socket reads of an event to decide whether its page needs it."""

    type: str = ""
    reader: str | None = None


_read_head = msgspec.json.Decoder(_EventHead).decode


class OrderedRedisPubSub(RedisChannelsPubSubBackend):
    """Redis pub/sub whose (un)subscriptions go out one at a time, in the order they were made,
    and whose listener outlives a lost Redis connection.

    All subscriptions share one pub/sub connection, which redis-py opens on the first SUBSCRIBE
    without a lock: first subscriptions made at the same time each opened a connection of their
    own, and only the last one is read, so the channels subscribed on the others never
    delivered anything in this process. Likewise an UNSUBSCRIBE overtaken by a later SUBSCRIBE
    of the same channel would leave it unsubscribed while it is believed subscribed. Events
    published at the same time go out together, in order, in one pipeline.
    """

    def __init__(self, *, redis: Redis) -> None:
        super().__init__(redis=redis)
        self._turns = asyncio.Lock()
        self._watched: Any = None  # the pub/sub connection whose reconnects we hear of
        self._resync = False
        self._outbox: list[tuple[bytes, set[str], asyncio.Future[None]]] = []
        self._sender: asyncio.Task[None] | None = None

    async def publish(self, data: bytes, channels: Iterable[str]) -> None:
        """Publish ``data`` to ``channels``, together with whatever else is published meanwhile.

        One task sends what is waiting as one pipeline on one connection, in the order it was
        published, so a burst (a batch of stored messages) costs one round trip and does not
        open a connection per event (redis-py refuses more than its pool holds).
        """
        published = asyncio.get_running_loop().create_future()
        self._outbox.append((data, set(channels), published))
        if self._sender is None or self._sender.done():
            self._sender = asyncio.create_task(self._send_outbox())
        await published

    async def _send_outbox(self) -> None:
        while self._outbox:
            batch, self._outbox = self._outbox, []
            try:
                async with self._redis.pipeline(transaction=False) as pipe:
                    for data, channels, _ in batch:
                        for channel in channels:
                            pipe.publish(channel, data)
                    await pipe.execute()
            except Exception as error:  # every publisher of the batch hears of it
                for *_, published in batch:
                    if not published.done():
                        published.set_exception(error)
                continue
            for *_, published in batch:
                if not published.done():
                    published.set_result(None)

    async def subscribe(self, channels: Iterable[str]) -> None:
        """Subscribe to ``channels`` once every earlier (un)subscription has gone out."""
        async with self._turns:
            await super().subscribe(channels)
            connection = self._pub_sub.connection
            if connection is not None and connection is not self._watched:
                connection.register_connect_callback(self._reconnected)
                self._watched = connection

    async def _reconnected(self, _connection: Any) -> None:
        # redis-py has subscribed the channels again (its own callback runs first).
        self._resync = True

    async def unsubscribe(self, channels: Iterable[str]) -> None:
        """Stop listening on ``channels`` once every earlier (un)subscription has gone out."""
        async with self._turns:
            await super().unsubscribe(channels)

    async def settled(self) -> None:
        """Wait until every (un)subscription asked for so far has been sent to Redis."""
        async with self._turns:
            return

    def _listened(self) -> set[bytes]:
        pub_sub = self._pub_sub
        return pub_sub.channels.keys() - pub_sub.pending_unsubscribe_channels

    async def stream_events(self) -> AsyncGenerator[tuple[str, Any], None]:
        """The events of the subscribed channels, as Litestar's, and a ``resync`` event on each
        of them once a lost connection is back; losing it for longer than redis-py's retries
        no longer ends live events in this process.
        """
        failing = False
        while True:
            if self._resync:
                self._resync = False
                for channel in self._listened():
                    yield channel.decode(), RESYNC_EVENT
            await self._has_subscribed.wait()
            try:
                message = await self._pub_sub.get_message(
                    ignore_subscribe_messages=True, timeout=self._stream_sleep_no_subscriptions
                )
            except (RedisConnectionError, RedisTimeoutError, OSError):
                if not failing:  # once per outage, not once per retry
                    logger.warning("the Redis connection for live events is lost; retrying")
                failing = True
                await asyncio.sleep(LISTENER_RETRY_SECONDS)
                continue
            failing = False
            # A message can still come for a channel just unsubscribed from.
            if message is not None and message["channel"] in self._listened():
                yield message["channel"].decode(), message["data"]


class SettledChannelsPlugin(ChannelsPlugin):
    """Channels whose subscription is in place when ``subscribe`` returns.

    Litestar returns at once to a second subscriber of a channel whose first subscription is
    still on its way to Redis; a page that loaded then could miss what was sent meanwhile.
    """

    async def subscribe(
        self, channels: str | Iterable[str], history: int | None = None
    ) -> Subscriber:
        """A subscriber of ``channels``, once the backend listens to them."""
        subscriber = await super().subscribe(channels, history)
        if isinstance(self._backend, OrderedRedisPubSub):
            try:
                await self._backend.settled()
            except BaseException:
                await self.unsubscribe(subscriber, channels)
                raise
        return subscriber


def channels_plugin(settings: Settings) -> ChannelsPlugin:
    """In-process channels by default; Redis pub/sub when ``HANDJE_REDIS_URL`` is set."""
    backend = (
        OrderedRedisPubSub(redis=Redis.from_url(settings.redis_url))
        if settings.redis_url
        else MemoryChannelsBackend()
    )
    return channels_over(backend)


def channels_over(backend: ChannelsBackend) -> ChannelsPlugin:
    """The app's channels over ``backend``: any channel name, and a bounded backlog per
    subscriber."""
    return SettledChannelsPlugin(
        backend=backend,
        arbitrary_channels_allowed=True,
        subscriber_max_backlog=SUBSCRIBER_BACKLOG,
        subscriber_backlog_strategy="dropleft",
    )


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
        except (RedisConnectionError, RedisTimeoutError) as error:
            # The change is stored; open pages catch up from what was stored.
            logger.warning("a live event could not be published to Redis: %s", error)

    return publish


@websocket(LIVE_SOCKET_PATH, tags=["messaging"])
async def live_events(
    socket: WebSocket,
    channels: NamedDependency[ChannelsPlugin],
    messaging: NamedDependency[Messaging],
    accounts: NamedDependency[Accounts],
) -> None:
    """The signed-in person's events (new messages, read receipts) as JSON lines; after
    ``{"type": "resync"}`` events may have been lost, so a client catches up from what it saw.

    At the same time it answers the person's commands (``live_commands``), one at a time and in
    order: a command waits for the one before it, so a flood is held back by the connection.
    The Origin is checked by the app's websocket middleware before this runs.
    """
    signed_in = socket.scope.get("auth")
    if signed_in is None:
        await socket.close(code=4401, reason="log in first")
        return
    await socket.accept()
    turn = asyncio.Lock()  # events and replies go out whole, one at a time
    commands = LiveCommands(messaging, accounts, signed_in)
    async with channels.start_subscription([inbox_channel(signed_in.account.id)]) as subscriber:
        with contextlib.suppress(WebSocketDisconnect):
            await _until_either_ends(
                _forward_events(socket, turn, subscriber, signed_in.account.id),
                _answer_commands(socket, turn, commands),
            )


async def _forward_events(
    socket: WebSocket, turn: asyncio.Lock, subscriber: Subscriber, viewer: UUID
) -> None:
    """Send the page every event of the inbox but the viewer's own read marks: those tell the
    viewer's other pages (their unread counts, over their own subscription), not this one.
    """
    own_read = str(viewer)
    async for event in subscriber.iter_events():
        try:
            head = _read_head(event)
        except msgspec.DecodeError:  # not one of ours: the page decides
            head = _EventHead()
        if head.type == "read" and head.reader == own_read:
            continue
        async with turn:
            await socket.send_text(event)


async def _answer_commands(socket: WebSocket, turn: asyncio.Lock, commands: LiveCommands) -> None:
    """Answer commands until the client leaves, or close the socket once the session ended."""
    while True:
        frame = await socket.receive_text()
        try:
            reply = await commands.answer(frame)
        except SessionEnded:
            async with turn:
                await socket.close(code=4401, reason="log in first")
            return
        if reply is not None:
            async with turn:
                await socket.send_text(reply)


async def _until_either_ends(*jobs: Coroutine[Any, Any, None]) -> None:
    """Run ``jobs`` together until one of them ends; stop the others; raise what it raised."""
    tasks = [asyncio.create_task(job) for job in jobs]
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    for task in done:
        task.result()

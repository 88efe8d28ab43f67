"""Live events through Redis reach every subscription, however many pages subscribe at once."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import replace
from uuid import uuid4

import pytest
from litestar.channels import ChannelsPlugin, Subscriber
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError

from backend.messaging.live import (
    OrderedRedisPubSub,
    channels_over,
    channels_plugin,
    publisher,
)
from backend.messaging.service import inbox_channel
from backend.settings import Settings
from tests.live_server import free_port

REDIS_URL = "redis://127.0.0.1:6379/11"


@pytest.fixture
async def redis_channels(settings: Settings) -> AsyncIterator[ChannelsPlugin]:
    """The app's channels over Redis, started as a serving process starts them."""
    try:
        await Redis.from_url(REDIS_URL).ping()
    except RedisConnectionError:
        pytest.skip("Redis is not running on 127.0.0.1:6379 (.ci/run starts it)")
    async with channels_plugin(replace(settings, redis_url=REDIS_URL)) as plugin:
        yield plugin


async def next_event(subscriber: Subscriber) -> dict:
    """The subscriber's next event (within five seconds)."""
    async with asyncio.timeout(5):
        async for raw in subscriber.iter_events():
            return json.loads(raw)
    raise AssertionError("the subscription ended")


async def test_pages_that_subscribe_at_the_same_time_all_get_their_events(
    redis_channels: ChannelsPlugin,
) -> None:
    inboxes = [inbox_channel(uuid4()) for _ in range(6)]
    async with contextlib.AsyncExitStack() as stack:
        subscribers = await asyncio.gather(
            *(stack.enter_async_context(redis_channels.start_subscription([c])) for c in inboxes)
        )
        publish = publisher(redis_channels)
        for number, inbox in enumerate(inboxes):
            await publish({"type": "message", "seq": number}, [inbox])
        events = [await next_event(subscriber) for subscriber in subscribers]
    assert [event["seq"] for event in events] == list(range(6))


async def test_a_second_subscription_to_an_inbox_gets_what_is_sent_right_after_it_opened(
    redis_channels: ChannelsPlugin,
) -> None:
    """A page subscribes while the tab bar's subscription to the same inbox is on its way."""
    inbox = inbox_channel(uuid4())
    opened = asyncio.Event()

    async def tab_bar() -> None:
        async with redis_channels.start_subscription([inbox]):
            opened.set()
            await asyncio.sleep(10)

    tab_bar_task = asyncio.create_task(tab_bar())
    await asyncio.sleep(0)  # the tab bar's subscription is on its way to Redis
    try:
        async with redis_channels.start_subscription([inbox]) as page:
            await publisher(redis_channels)({"type": "message", "seq": 1}, [inbox])
            event = await next_event(page)
    finally:
        tab_bar_task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await tab_bar_task
    assert event["seq"] == 1


async def test_after_the_redis_connection_was_lost_every_subscription_is_told_to_catch_up(
    redis_channels: ChannelsPlugin,
) -> None:
    inboxes = [inbox_channel(uuid4()) for _ in range(2)]
    async with contextlib.AsyncExitStack() as stack:
        subscribers = [
            await stack.enter_async_context(redis_channels.start_subscription([inbox]))
            for inbox in inboxes
        ]
        admin = Redis.from_url(REDIS_URL)
        listening = redis_channels._backend._pub_sub.connection  # the one pub/sub connection
        port = listening._writer.get_extra_info("sockname")[1]
        (client,) = [c for c in await admin.client_list() if c["addr"].endswith(f":{port}")]
        await admin.client_kill_filter(_id=client["id"])
        await admin.aclose()
        events = [await next_event(subscriber) for subscriber in subscribers]
        publish = publisher(redis_channels)
        for number, inbox in enumerate(inboxes):
            await publish({"type": "message", "seq": number}, [inbox])
        after = [await next_event(subscriber) for subscriber in subscribers]
    assert events == [{"type": "resync"}, {"type": "resync"}]
    assert [event["seq"] for event in after] == [0, 1]


class RedisLink:
    """A TCP link to Redis that can be cut and restored, as a network or a Redis restart does."""

    def __init__(self) -> None:
        self.port = free_port()
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def restore(self) -> None:
        """Accept connections again."""
        self._server = await asyncio.start_server(self._relay, "127.0.0.1", self.port)

    async def cut(self) -> None:
        """Drop every connection and refuse new ones."""
        assert self._server is not None
        self._server.close()
        for writer in list(self._writers):
            writer.transport.abort()
        await self._server.wait_closed()

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", 6379)
        self._writers |= {writer, upstream_writer}

        async def pipe(source: asyncio.StreamReader, target: asyncio.StreamWriter) -> None:
            with contextlib.suppress(OSError):
                while data := await source.read(65536):
                    target.write(data)
                    await target.drain()
            target.transport.abort()

        await asyncio.gather(pipe(reader, upstream_writer), pipe(upstream_reader, writer))


async def test_live_events_come_again_after_redis_was_away_longer_than_its_retries(
    redis_channels: ChannelsPlugin,
) -> None:
    link = RedisLink()
    await link.restore()
    # No retries: the outage outlasts them at once (by default they take a few seconds).
    client = Redis.from_url(f"redis://127.0.0.1:{link.port}/11", retry=Retry(NoBackoff(), 0))
    inbox = inbox_channel(uuid4())
    async with (
        channels_over(OrderedRedisPubSub(redis=client)) as channels,
        channels.start_subscription([inbox]) as subscriber,
    ):
        await link.cut()
        await asyncio.sleep(1.5)  # the listener finds the connection gone and fails to connect
        await link.restore()
        resync = await next_event(subscriber)
        await publisher(redis_channels)({"type": "message", "seq": 1}, [inbox])
        event = await next_event(subscriber)
        await link.cut()
    assert (resync, event["seq"]) == ({"type": "resync"}, 1)


async def test_a_burst_larger_than_the_connection_pool_is_published_whole_and_in_order(
    redis_channels: ChannelsPlugin,
) -> None:
    """A batch of stored messages is published at once; redis-py's pool holds 100 connections."""
    inbox = inbox_channel(uuid4())
    async with redis_channels.start_subscription([inbox]) as subscriber:
        publish = publisher(redis_channels)
        burst = [publish({"type": "message", "seq": seq}, [inbox]) for seq in range(300)]
        await asyncio.gather(*burst)
        seqs = [(await next_event(subscriber))["seq"] for _ in range(300)]
    assert seqs == list(range(300))

"""A subscriber that stops taking events holds a bounded backlog: the newest events, so that the
page sees a gap in seq and catches up from what was stored."""

from __future__ import annotations

import asyncio
import json

from backend.messaging.live import SUBSCRIBER_BACKLOG, channels_plugin
from backend.settings import Settings


async def test_a_subscriber_that_stops_reading_keeps_only_the_newest_events(
    settings: Settings,
) -> None:
    published = SUBSCRIBER_BACKLOG + 50
    async with channels_plugin(settings) as channels:
        subscriber = await channels.subscribe(["inbox:stalled"])
        for seq in range(published):
            await channels.wait_published({"seq": seq}, ["inbox:stalled"])
        # The plugin hands events on in a task of its own, and tells nobody when it is done.
        async with asyncio.timeout(5):
            while subscriber.qsize < SUBSCRIBER_BACKLOG:  # noqa: ASYNC110
                await asyncio.sleep(0.01)
        await asyncio.sleep(0.05)
        assert subscriber.qsize == SUBSCRIBER_BACKLOG
        events = subscriber.iter_events()
        assert json.loads(await anext(events))["seq"] == published - SUBSCRIBER_BACKLOG

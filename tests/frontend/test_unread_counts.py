"""The tab bar's unread count follows the live events alone, and agrees with a recount."""

from __future__ import annotations

import asyncio
import json

from litestar import Litestar

from backend.messaging.live import channels_plugin, publisher
from backend.messaging.service import Messaging, inbox_channel
from backend.ratelimit.service import DatabaseCounterStore, RateLimiter
from backend.settings import Settings
from frontend.components.chat import UnreadCounts
from frontend.components.inbox import InboxEvent
from frontend.routes import DISCOVER
from tests.factories import make_account, make_match, place_in


async def test_unread_counts_follow_live_events_like_a_recount(
    app: Litestar, settings: Settings
) -> None:
    owner = await place_in(app, await make_account(app), "Utrecht")
    helper = await place_in(app, await make_account(app), "Utrecht")
    neighbour = await place_in(app, await make_account(app), "Utrecht")
    first = await make_match(app, owner, helper)
    second = await make_match(app, owner, neighbour)
    await app.state.messaging.send(helper, first, client_id="before", body="Al eerder")
    counts = UnreadCounts(str(owner.id), await app.state.messaging.conversations(owner))
    assert counts.total == 1
    # The owner's inbox channel, as a page's subscription hears it (own read marks too).
    async with (
        channels_plugin(settings) as channels,
        channels.start_subscription([inbox_channel(owner.id)]) as subscriber,
    ):
        limiter = RateLimiter(DatabaseCounterStore())
        messaging = Messaging(app.state.listings, limiter, publisher(channels))
        events = subscriber.iter_events()

        async def next_event() -> InboxEvent:
            return json.loads(await asyncio.wait_for(anext(events), timeout=5))

        # A read it cannot place (no message seen live there) asks for a recount.
        await messaging.mark_read(owner, first, 1)
        assert not counts.apply(await next_event(), DISCOVER)
        counts = UnreadCounts(str(owner.id), await messaging.conversations(owner))
        assert counts.total == 0

        for number in range(2):
            await messaging.send(helper, first, client_id=f"h{number}", body=f"Hoi {number}")
            event = await next_event()
            assert counts.apply(event, DISCOVER)
            assert counts.apply(event, DISCOVER)  # the same event twice counts once
        assert counts.total == 2
        recount = await messaging.conversations(owner)
        assert counts.total == sum(summary.unread for summary in recount)

        # On the second conversation's own page its messages are read there.
        await messaging.send(neighbour, second, client_id="n0", body="Ik ben er")
        assert counts.apply(await next_event(), str(second))
        assert counts.total == 2

        await messaging.mark_read(owner, first, 3)
        assert counts.apply(await next_event(), DISCOVER)
        assert counts.total == 0

        # A gap (an event was missed) asks for a recount too.
        for number in (2, 3):
            await messaging.send(helper, first, client_id=f"h{number}", body=f"Hoi {number}")
        await next_event()
        assert not counts.apply(await next_event(), DISCOVER)

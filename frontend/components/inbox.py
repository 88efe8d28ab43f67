"""The signed-in person's live events in a browser tab: one subscription to their inbox channel,
shared by every live part of the page (the tab bar's unread badge, the bell, the page itself).

Each event is parsed once and handed to each part's own queue, so a part that is busy (say,
loading the conversation list) holds up no other part.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

from litestar.channels import ChannelsPlugin
from reactpy import create_context, use_async_effect, use_context, use_ref
from reactpy.utils import Ref

from backend.messaging.service import inbox_channel
from frontend.context import use_page

logger = logging.getLogger(__name__)
InboxEvent = dict[str, Any]
Handlers = tuple[Callable[[], Awaitable[None]], Callable[[InboxEvent], Awaitable[None]]]
_OPENED: InboxEvent = {}  # put on a part's queue when the subscription is (again) in place


class InboxListener:
    """One live part: when the subscription is in place it runs ``subscribed`` (load there, so
    that no event falls in a gap), then ``on_event`` for each event, one at a time.
    """

    def __init__(self, handlers: Ref[Handlers]) -> None:
        self._handlers = handlers  # the newest render's handlers
        self._queue: asyncio.Queue[InboxEvent] = asyncio.Queue()

    def opened(self) -> None:
        """The subscription is in place."""
        self._queue.put_nowait(_OPENED)

    def hear(self, event: InboxEvent) -> None:
        """An event arrived (shared with the other parts: never changed)."""
        self._queue.put_nowait(event)

    async def run(self) -> None:
        """Handle what arrives, until cancelled (the part unmounts)."""
        while True:
            event = await self._queue.get()
            subscribed, on_event = self._handlers.current
            try:
                await (subscribed() if event is _OPENED else on_event(event))
            except Exception:  # one failed update must not end the live view
                logger.exception("a live update failed")


class InboxHub:
    """A tab's subscription to one person's inbox channel and the parts that listen to it."""

    def __init__(self) -> None:
        self._listeners: set[InboxListener] = set()
        self._open = False

    def add(self, listener: InboxListener) -> None:
        """Let ``listener`` hear the events from now on."""
        self._listeners.add(listener)
        if self._open:
            listener.opened()

    def remove(self, listener: InboxListener) -> None:
        """Stop telling ``listener``."""
        self._listeners.discard(listener)

    async def run(self, channels: ChannelsPlugin, user_id: UUID) -> None:
        """Subscribe to ``user_id``'s inbox and hand each event to every listener, until
        cancelled.
        """
        async with channels.start_subscription([inbox_channel(user_id)]) as subscriber:
            self._open = True
            try:
                for listener in list(self._listeners):
                    listener.opened()
                async for raw in subscriber.iter_events():
                    event = json.loads(raw)
                    for listener in list(self._listeners):
                        listener.hear(event)
            finally:
                self._open = False


InboxContext = create_context(None)


def use_inbox_events(
    subscribed: Callable[[], Awaitable[None]], on_event: Callable[[InboxEvent], Awaitable[None]]
) -> None:
    """Listen to the signed-in person's inbox channel while the component is mounted.

    ``subscribed`` runs once the subscription is in place (load there, so that no event falls
    in a gap), then ``on_event`` runs for each event, one at a time.
    """
    hub: InboxHub | None = use_context(InboxContext)
    page = use_page()
    user_id = page.signed_in.account.id if page.signed_in else None
    handlers = use_ref((subscribed, on_event))
    handlers.current = (subscribed, on_event)

    async def listen() -> None:
        if user_id is None or hub is None:
            return
        listener = InboxListener(handlers)
        hub.add(listener)
        try:
            await listener.run()
        finally:
            hub.remove(listener)

    use_async_effect(listen, [user_id])

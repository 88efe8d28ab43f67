"""The signed-in person's live events in a browser tab: one subscription to their inbox channel,
shared by every live part of the page (the tab bar's unread badge, the bell, the page itself).

Each event is parsed once and handed to each part. A part decides at once what an event means
for it (most live messages mean nothing, or a new count): only what it must wait for (a query)
goes to its own queue, so a part that is busy (say, loading the conversation list) holds up no
other part, and an event that needs no waiting costs no task switch.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any
from uuid import UUID

import msgspec
from litestar.channels import ChannelsPlugin
from reactpy import create_context, use_async_effect, use_context, use_ref
from reactpy.utils import Ref

from backend.messaging.service import inbox_channel
from frontend.context import use_page

logger = logging.getLogger(__name__)
InboxEvent = dict[str, Any]
# What a part does with an event, at once; what it returns (say, a reload) it awaits in turn.
OnEvent = Callable[[InboxEvent], Awaitable[None] | None]
Handlers = tuple[Callable[[], Awaitable[None]], OnEvent]
_OPENED: InboxEvent = {}  # put on a part's queue when the subscription is (again) in place


class InboxListener:
    """One live part: when the subscription is in place it runs ``subscribed`` (load there, so
    that no event falls in a gap), then ``on_event`` for each event, in order. ``on_event``
    runs as the event arrives unless the part is still busy with an earlier one.
    """

    def __init__(self, handlers: Ref[Handlers]) -> None:
        self._handlers = handlers  # the newest render's handlers
        self._queue: asyncio.Queue[InboxEvent | Awaitable[None]] = asyncio.Queue()
        self._busy = False

    def opened(self) -> None:
        """The subscription is in place."""
        self._queue.put_nowait(_OPENED)

    def hear(self, event: InboxEvent) -> None:
        """An event arrived (shared with the other parts: never changed)."""
        if self._busy or not self._queue.empty():
            self._queue.put_nowait(event)  # after what came before it
            return
        waiting = self._handle(event)
        if waiting is not None:
            self._queue.put_nowait(waiting)

    def _handle(self, event: InboxEvent) -> Awaitable[None] | None:
        try:
            return self._handlers.current[1](event)
        except Exception:  # one failed update must not end the live view
            logger.exception("a live update failed")
            return None

    async def run(self) -> None:
        """Handle what waits, until cancelled (the part unmounts)."""
        try:
            while True:
                item = await self._queue.get()
                self._busy = True
                try:
                    await self._finish(item)
                finally:
                    self._busy = False
        finally:
            while not self._queue.empty():  # unmounted: what waits is never awaited
                item = self._queue.get_nowait()
                if isinstance(item, Coroutine):
                    item.close()

    async def _finish(self, item: InboxEvent | Awaitable[None]) -> None:
        if item is _OPENED:
            waiting: Awaitable[None] | None = self._handlers.current[0]()
        elif isinstance(item, dict):
            waiting = self._handle(item)
        else:
            waiting = item
        try:
            if waiting is not None:
                await waiting
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
                    event = msgspec.json.decode(raw)
                    for listener in list(self._listeners):
                        listener.hear(event)
            finally:
                self._open = False


InboxContext = create_context(None)


def use_inbox_events(subscribed: Callable[[], Awaitable[None]], on_event: OnEvent) -> None:
    """Listen to the signed-in person's inbox channel while the component is mounted.

    ``subscribed`` runs once the subscription is in place (load there, so that no event falls
    in a gap), then ``on_event`` for each event, in order: it acts at once and returns what is
    left to wait for (a coroutine), or ``None``; the next event waits for that.
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

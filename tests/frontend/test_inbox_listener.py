"""A live part of a page handles an inbox event at once unless it must wait, and in order."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable

from reactpy.utils import Ref

from frontend.components.inbox import InboxEvent, InboxListener


async def test_a_part_acts_at_once_unless_busy_and_keeps_the_order() -> None:
    seen: list[object] = []
    reloaded = asyncio.Event()

    async def loaded() -> None:
        seen.append("loaded")

    async def reload() -> None:
        seen.append("reloading")
        await reloaded.wait()
        seen.append("reloaded")

    def on_event(event: InboxEvent) -> Awaitable[None] | None:
        seen.append(event["n"])
        return reload() if event["n"] == 2 else None

    listener = InboxListener(Ref((loaded, on_event)))
    running = asyncio.create_task(listener.run())
    await asyncio.sleep(0)
    listener.hear({"n": 1})
    assert seen == [1]  # handled as it arrived: no task switch needed
    listener.hear({"n": 2})
    listener.hear({"n": 3})  # waits until the reload asked for by the event before is done
    await asyncio.sleep(0)
    assert seen == [1, 2, "reloading"]
    reloaded.set()
    for _ in range(3):
        await asyncio.sleep(0)
    assert seen == [1, 2, "reloading", "reloaded", 3]

    listener.opened()  # the subscription is in place (again): load, then go on
    listener.hear({"n": 4})
    for _ in range(3):
        await asyncio.sleep(0)
    assert seen[-2:] == ["loaded", 4]
    running.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await running

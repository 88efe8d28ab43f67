"""The conversation page opens the form to report a message only for someone else's message in
that conversation, whatever the browser names (the JavaScript log asks through ``onReport``).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any

from litestar import Litestar
from websockets.asyncio.client import ClientConnection, connect

from tests.factories import make_account, make_match, place_in
from tests.live_clients import browser_for, log_in_to
from tests.perf.ui import apply_update

PAGE_SOCKET = "/reactpy/frontend.app.root/?path=%2Fmessages%2F{conversation}&qs="
REPORT_FORM = "message-report-area"  # where the page shows the form


def event_target(node: Any, name: str) -> str | None:
    """The target of the first ``name`` event handler under ``node``."""
    if not isinstance(node, dict):
        return None
    handler = node.get("eventHandlers", {}).get(name)
    if handler is not None:
        return handler["target"]
    for child in node.get("children", ()):
        if (found := event_target(child, name)) is not None:
            return found
    return None


async def updates_until(
    socket: ClientConnection, model: dict[str, Any], seconds: float, wanted: str = ""
) -> str:
    """Apply layout updates to ``model`` for ``seconds`` or until one contains ``wanted``;
    return the text of all of them.
    """
    seen = ""
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(seconds):
            while not wanted or wanted not in seen:
                update = json.loads(await socket.recv())
                if update.get("type") == "layout-update":
                    apply_update(model, update["path"], update["model"])
                    seen += json.dumps(update)
    return seen


async def test_only_someone_elses_message_in_this_conversation_can_be_reported(
    app: Litestar, live_server: str
) -> None:
    anna = await place_in(app, await make_account(app, display_name="Anna"), "Utrecht")
    bram = await place_in(app, await make_account(app, display_name="Bram"), "Utrecht")
    carla = await place_in(app, await make_account(app, display_name="Carla"), "Utrecht")
    here = await make_match(app, anna, bram)
    elsewhere = await make_match(app, carla, bram)
    messaging = app.state.messaging
    annas = await messaging.send(anna, here, client_id="a", body="Hoi Bram")
    brams = await messaging.send(bram, here, client_id="b", body="Hoi Anna")
    carlas = await messaging.send(carla, elsewhere, client_id="c", body="Hoi Bram, Carla hier")
    async with browser_for(live_server) as client:
        await log_in_to(client, bram.email)
        cookie = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
        async with connect(
            live_server.replace("http://", "ws://") + PAGE_SOCKET.format(conversation=here),
            origin=live_server,
            additional_headers={"cookie": cookie},
            max_size=None,
        ) as socket:
            model: dict[str, Any] = {}
            await updates_until(socket, model, 10, wanted="onReport")
            target = event_target(model, "onReport")
            assert target is not None

            async def ask(message_id: object, seq: object) -> None:
                data = {"messageId": str(message_id), "seq": seq}
                event = {"type": "layout-event", "target": target, "data": [data]}
                await socket.send(json.dumps(event))

            # Carla's message (Bram may report it on its own page), Bram's own, and nonsense.
            await ask(carlas.id, carlas.seq)
            await ask(brams.id, brams.seq)
            await ask("not an id", "one")
            assert REPORT_FORM not in await updates_until(socket, model, 2)

            await ask(annas.id, annas.seq)
            opened = await updates_until(socket, model, 10, wanted=REPORT_FORM)
    assert REPORT_FORM in opened
    assert f"report-{annas.id}" in opened

"""An open conversation page shows what was stored even when its live event never came."""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any

import pytest
from litestar import Litestar
from websockets.asyncio.client import ClientConnection

from frontend.pages.messages import CATCH_UP_SECONDS
from tests.factories import make_account, make_match, place_in
from tests.live_clients import browser_for, log_in_to
from tests.messaging.test_conversation_page import page_socket, update_with
from tests.perf.ui import apply_update


async def settled(socket: ClientConnection, model: dict[str, Any]) -> None:
    """Apply updates until none came for two seconds."""
    with contextlib.suppress(TimeoutError):
        while True:
            update = json.loads(await asyncio.wait_for(socket.recv(), timeout=2))
            if update.get("type") == "layout-update":
                apply_update(model, update["path"], update["model"])


async def test_the_open_page_shows_a_message_whose_live_event_was_lost(
    app: Litestar, live_server: str
) -> None:
    owner = await place_in(app, await make_account(app), "Utrecht")
    helper = await place_in(app, await make_account(app, display_name="Sam"), "Utrecht")
    conversation = await make_match(app, owner, helper)
    await app.state.messaging.send(helper, conversation, client_id="seen", body="Wel gezien")
    async with browser_for(live_server) as owner_client:
        await log_in_to(owner_client, owner.email)
        async with page_socket(live_server, owner_client, conversation) as socket:
            model: dict[str, Any] = {}
            await update_with(socket, model, lambda text: "Wel gezien" in text)
            await settled(socket, model)  # marking it read
            # Nothing new: the page's checks send nothing to the browser.
            with pytest.raises(TimeoutError):
                await asyncio.wait_for(socket.recv(), timeout=CATCH_UP_SECONDS + 1)
            # Stored by the test's own app, whose channels do not run: no live event is sent,
            # as when an event is lost, and no later message reveals a gap.
            await app.state.messaging.send(helper, conversation, client_id="lost", body="Gemist")
            started = asyncio.get_running_loop().time()
            await update_with(socket, model, lambda text: "Gemist" in text)
            waited = asyncio.get_running_loop().time() - started
    assert waited < CATCH_UP_SECONDS + 2

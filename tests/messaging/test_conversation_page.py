"""The conversation page over its own ReactPy websocket: a new message costs one small update,
and what the other side wrote is marked read once the page has shown it.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import httpx
from litestar import Litestar
from websockets.asyncio.client import ClientConnection, connect

from tests.factories import make_account, make_match, place_in
from tests.live_clients import browser_for, log_in_to
from tests.perf.ui import apply_update

PAGE_SOCKET = "/reactpy/frontend.app.root/?path=%2Fmessages%2F{conversation}&qs="


def page_socket(base_url: str, client: httpx.AsyncClient, conversation: object) -> connect:
    """The ReactPy websocket of ``client``'s conversation page, as the browser opens it."""
    cookie = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
    return connect(
        base_url.replace("http://", "ws://") + PAGE_SOCKET.format(conversation=conversation),
        origin=base_url,
        additional_headers={"cookie": cookie},
        max_size=None,
    )


async def update_with(
    socket: ClientConnection, model: dict[str, Any], wanted: Callable[[str], bool]
) -> str:
    """Apply layout updates to ``model`` until one whose text is ``wanted``; return that one."""
    async with asyncio.timeout(10):
        while True:
            raw = await socket.recv()
            text = raw if isinstance(raw, str) else raw.decode()
            update = json.loads(text)
            if update.get("type") == "layout-update":
                apply_update(model, update["path"], update["model"])
                if wanted(text):
                    return text


async def test_a_new_message_sends_only_itself_to_the_open_page(
    app: Litestar, live_server: str
) -> None:
    owner = await place_in(app, await make_account(app), "Utrecht")
    helper = await place_in(app, await make_account(app, display_name="Sam"), "Utrecht")
    conversation = await make_match(app, owner, helper)
    for number in range(3):
        await app.state.messaging.send(
            helper, conversation, client_id=f"old-{number}", body=f"Eerder bericht {number}"
        )
    async with browser_for(live_server) as owner_client, browser_for(live_server) as helper_client:
        await log_in_to(owner_client, owner.email)
        helper_headers = await log_in_to(helper_client, helper.email)
        async with page_socket(live_server, owner_client, conversation) as socket:
            model: dict[str, Any] = {}
            await update_with(socket, model, lambda text: "Eerder bericht 2" in text)
            sent = await helper_client.post(
                f"/api/conversations/{conversation}/messages",
                json={"client_id": "new", "body": "Het nieuwe bericht"},
                headers=helper_headers,
            )
            assert sent.status_code == 201
            update = await update_with(socket, model, lambda text: "Het nieuwe bericht" in text)
    assert "Eerder bericht" not in update
    assert len(update) < 4_000
    assert "Eerder bericht 0" in json.dumps(model)


async def test_the_open_page_marks_a_burst_read_and_the_sender_sees_it(
    app: Litestar, live_server: str
) -> None:
    owner = await place_in(app, await make_account(app), "Utrecht")
    helper = await place_in(app, await make_account(app), "Utrecht")
    conversation = await make_match(app, owner, helper)
    async with browser_for(live_server) as owner_client, browser_for(live_server) as helper_client:
        await log_in_to(owner_client, owner.email)
        helper_headers = await log_in_to(helper_client, helper.email)
        async with (
            page_socket(live_server, owner_client, conversation) as owner_page,
            page_socket(live_server, helper_client, conversation) as helper_page,
        ):
            helper_model: dict[str, Any] = {}
            await update_with(helper_page, helper_model, lambda text: "Say hello" in text)
            await update_with(owner_page, {}, lambda text: "Say hello" in text)
            for number in range(3):
                sent = await helper_client.post(
                    f"/api/conversations/{conversation}/messages",
                    json={"client_id": f"burst-{number}", "body": f"Deel {number}"},
                    headers=helper_headers,
                )
                assert sent.status_code == 201
            await update_with(helper_page, helper_model, lambda text: '"Read"' in text)
    header = await app.state.messaging.view(helper, conversation)
    assert header.read_by_partner_seq == 3
    summaries = await app.state.messaging.conversations(owner)
    assert [summary.unread for summary in summaries] == [0]

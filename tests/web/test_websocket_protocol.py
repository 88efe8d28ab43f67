"""Each websocket is set up by its path at the handshake: the live socket goes uncompressed and
takes small frames only; the page socket keeps per-message compression."""

from __future__ import annotations

import json

import pytest
from litestar import Litestar
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosedError

from backend.web.websocket_protocol import LIVE_MAX_FRAME_BYTES
from tests.factories import make_account
from tests.live_clients import (
    browser_for,
    live_socket,
    log_in_to,
    next_event,
    profile_page_socket_url,
)


async def test_the_live_socket_is_uncompressed_and_closes_on_a_frame_over_its_limit(
    app: Litestar, live_server: str
) -> None:
    person = await make_account(app)
    async with browser_for(live_server) as client:
        await log_in_to(client, person.email)
        async with live_socket(live_server, client) as socket:
            assert "Sec-WebSocket-Extensions" not in socket.response.headers
            await socket.send("x" * (LIVE_MAX_FRAME_BYTES - 16))  # within: an error reply
            assert "at most" in (await next_event(socket))["error"]
            await socket.send("x" * (LIVE_MAX_FRAME_BYTES + 1))
            with pytest.raises(ConnectionClosedError):
                await socket.recv()
            assert socket.close_code == 1009  # message too big


async def test_the_page_socket_is_compressed(live_server: str) -> None:
    async with connect(profile_page_socket_url(live_server), origin=live_server) as socket:
        extensions = socket.response.headers["Sec-WebSocket-Extensions"]
        assert extensions.startswith("permessage-deflate")
        assert json.loads(await socket.recv())["type"] == "layout-update"

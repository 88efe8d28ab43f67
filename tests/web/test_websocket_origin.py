"""Every websocket checks the Origin header at the handshake (cross-site websocket hijacking)."""

from __future__ import annotations

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from tests.live_clients import profile_page_socket_url


async def test_a_foreign_origin_is_refused(live_server: str) -> None:
    with pytest.raises(InvalidStatus) as refused:
        async with connect(profile_page_socket_url(live_server), origin="https://evil.example"):
            pass
    assert refused.value.response.status_code == 403


async def test_a_missing_origin_is_refused(live_server: str) -> None:
    with pytest.raises(InvalidStatus):
        async with connect(profile_page_socket_url(live_server)):
            pass


async def test_the_apps_own_origin_is_accepted(live_server: str) -> None:
    async with connect(profile_page_socket_url(live_server), origin=live_server) as socket:
        first_update = await socket.recv()
    assert "layout-update" in first_update

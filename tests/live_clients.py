"""Clients of a live server as one browser would be: HTTP with its own cookie jar, and the live
events socket of its session.
"""

from __future__ import annotations

import asyncio
import json

import httpx
from websockets.asyncio.client import ClientConnection, connect

from tests.factories import PASSWORD

PROFILE_PAGE_SOCKET = "/reactpy/frontend.app.root/?path=%2Fprofile&qs="


def browser_for(base_url: str) -> httpx.AsyncClient:
    """An HTTP client with its own cookie jar, as one browser would be."""
    return httpx.AsyncClient(base_url=base_url, timeout=10)


async def log_in_to(client: httpx.AsyncClient, email: str) -> dict[str, str]:
    """Log in; return the headers an unsafe request needs."""
    await client.get("/login")
    headers = {"x-csrf-token": client.cookies["handje_csrf"]}
    response = await client.post(
        "/api/auth/login", json={"email": email, "password": PASSWORD}, headers=headers
    )
    assert response.status_code == 200
    return headers


def profile_page_socket_url(base_url: str) -> str:
    """The websocket URL of the profile page's ReactPy socket on ``base_url``."""
    return base_url.replace("http://", "ws://") + PROFILE_PAGE_SOCKET


def live_socket(base_url: str, client: httpx.AsyncClient) -> connect:
    """The live-events websocket of ``client``'s session."""
    cookie = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
    return connect(
        base_url.replace("http://", "ws://") + "/api/live",
        origin=base_url,
        additional_headers={"cookie": cookie},
    )


async def next_event(socket: ClientConnection) -> dict:
    """The next live event (within five seconds)."""
    return json.loads(await asyncio.wait_for(socket.recv(), timeout=5))

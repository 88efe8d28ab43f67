"""Live messages across processes (Redis), and catching up after a disconnect."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import httpx
import pytest
from litestar import Litestar
from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import InvalidStatus

from tests.conftest import TEST_DATA_DIR
from tests.factories import PASSWORD, make_account, make_match, place_in
from tests.live_server import running_server

REDIS_URL = "redis://127.0.0.1:6379/14"


@pytest.fixture(scope="module")
def two_servers() -> Iterator[tuple[str, str]]:
    """Two app processes sharing the database, the data directory and Redis."""
    try:
        Redis.from_url(REDIS_URL).ping()
    except RedisConnectionError:
        pytest.skip("Redis is not running on 127.0.0.1:6379 (.ci/run starts it)")
    shared = TEST_DATA_DIR / "two-servers"
    with (
        running_server(shared, HANDJE_REDIS_URL=REDIS_URL) as first,
        running_server(shared, HANDJE_REDIS_URL=REDIS_URL) as second,
    ):
        yield first, second


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


async def test_a_message_sent_through_one_process_reaches_a_client_on_the_other(
    app: Litestar, two_servers: tuple[str, str]
) -> None:
    first, second = two_servers
    owner = await place_in(app, await make_account(app), "Utrecht")
    helper = await place_in(app, await make_account(app), "Utrecht")
    conversation = await make_match(app, owner, helper)
    async with (
        browser_for(second) as helper_client,
        browser_for(first) as owner_client,
    ):
        await log_in_to(helper_client, helper.email)
        owner_headers = await log_in_to(owner_client, owner.email)
        async with live_socket(second, helper_client) as socket:
            await asyncio.sleep(0.3)  # the subscription is in place
            sent = await owner_client.post(
                f"/api/conversations/{conversation}/messages",
                json={"client_id": "cross-1", "body": "Via proces A"},
                headers=owner_headers,
            )
            assert sent.status_code == 201
            event = await next_event(socket)
    assert event == {"type": "message", "conversation": str(conversation), "seq": 1}


async def test_a_client_that_was_away_catches_up_in_order(app: Litestar, live_server: str) -> None:
    owner = await place_in(app, await make_account(app), "Utrecht")
    helper = await place_in(app, await make_account(app), "Utrecht")
    conversation = await make_match(app, owner, helper)
    async with (
        browser_for(live_server) as helper_client,
        browser_for(live_server) as owner_client,
    ):
        await log_in_to(helper_client, helper.email)
        owner_headers = await log_in_to(owner_client, owner.email)

        async def send(client_id: str, body: str) -> None:
            response = await owner_client.post(
                f"/api/conversations/{conversation}/messages",
                json={"client_id": client_id, "body": body},
                headers=owner_headers,
            )
            assert response.status_code == 201

        async with live_socket(live_server, helper_client) as socket:
            await asyncio.sleep(0.3)
            await send("c0", "Eerste")
            last_seen = (await next_event(socket))["seq"]
        for number in range(1, 4):  # the helper is offline now
            await send(f"c{number}", f"Gemist {number}")
        missed = await helper_client.get(
            f"/api/conversations/{conversation}/messages", params={"after": last_seen}
        )
    assert [item["body"] for item in missed.json()] == ["Gemist 1", "Gemist 2", "Gemist 3"]
    assert [item["seq"] for item in missed.json()] == [2, 3, 4]


async def test_the_live_socket_refuses_a_foreign_origin(live_server: str) -> None:
    with pytest.raises(InvalidStatus):
        async with connect(
            live_server.replace("http://", "ws://") + "/api/live", origin="https://evil.example"
        ):
            pass

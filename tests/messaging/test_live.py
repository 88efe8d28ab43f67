"""Live messages across processes (Redis), and catching up after a disconnect."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import pytest
from litestar import Litestar
from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from backend.accounts.service import ProfileChanges
from tests.conftest import TEST_DATA_DIR
from tests.factories import (
    PASSWORD,
    make_account,
    make_conversation,
    make_match,
    make_organisation_match,
    place_in,
)
from tests.live_clients import browser_for, live_socket, log_in_to, next_event
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


async def test_a_message_sent_through_one_process_reaches_a_client_on_the_other(
    app: Litestar, two_servers: tuple[str, str]
) -> None:
    first, second = two_servers
    owner, helper, conversation = await make_conversation(app)
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
    message = event.pop("message")
    assert event == {
        "type": "message",
        "conversation": str(conversation),
        "seq": 1,
        "client_id": "cross-1",
    }
    assert (message["seq"], message["sender"], message["body"]) == (
        1,
        str(owner.id),
        "Via proces A",
    )


async def test_a_client_that_was_away_catches_up_in_order(app: Litestar, live_server: str) -> None:
    owner, helper, conversation = await make_conversation(app)
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


async def test_a_live_message_carries_only_what_every_participant_may_see(
    app: Litestar, live_server: str
) -> None:
    owner = await place_in(app, await make_account(app), "Utrecht")
    owner = await app.state.accounts.change_phone(
        owner, current_password=PASSWORD, phone="0612345678"
    )
    helper = await place_in(app, await make_account(app, display_name="Sam"), "Utrecht")
    conversation = await make_match(app, owner, helper)
    await app.state.messaging.acknowledge_safety(owner, conversation)
    await app.state.messaging.share_phone(owner, conversation, True)
    await app.state.messaging.block(helper, owner.id)
    await app.state.messaging.unblock(helper, owner.id)
    async with browser_for(live_server) as owner_client, browser_for(live_server) as helper_client:
        await log_in_to(owner_client, owner.email)
        helper_headers = await log_in_to(helper_client, helper.email)
        async with live_socket(live_server, owner_client) as socket:
            await asyncio.sleep(0.3)
            sent = await helper_client.post(
                f"/api/conversations/{conversation}/messages",
                json={"client_id": "p1", "body": "Bel me maar, zullen we afspreken?"},
                headers=helper_headers,
            )
            assert sent.status_code == 201
            message = (await next_event(socket))["message"]
    assert set(message) == {
        "id",
        "seq",
        "sender",
        "sender_name",
        "kind",
        "body",
        "created_at",
        "concerns",
    }
    assert message["concerns"] == ["meeting"]
    assert (message["sender_name"], message["kind"], message["body"]) == (
        "Sam",
        "text",
        "Bel me maar, zullen we afspreken?",
    )
    assert "0612345678" not in json.dumps(message)


async def test_every_member_of_an_organisation_gets_the_live_message(
    app: Litestar, live_server: str
) -> None:
    owner = await place_in(app, await make_account(app), "Utrecht")
    colleague = await place_in(app, await make_account(app), "Utrecht")
    helper = await place_in(app, await make_account(app, display_name="Sam"), "Utrecht")
    _, conversation = await make_organisation_match(app, owner, colleague, helper)
    async with (
        browser_for(live_server) as owner_client,
        browser_for(live_server) as colleague_client,
        browser_for(live_server) as helper_client,
    ):
        await log_in_to(owner_client, owner.email)
        await log_in_to(colleague_client, colleague.email)
        helper_headers = await log_in_to(helper_client, helper.email)
        async with (
            live_socket(live_server, owner_client) as owner_socket,
            live_socket(live_server, colleague_client) as colleague_socket,
        ):
            await asyncio.sleep(0.3)
            sent = await helper_client.post(
                f"/api/conversations/{conversation}/messages",
                json={"client_id": "o1", "body": "Ik doe mee"},
                headers=helper_headers,
            )
            assert sent.status_code == 201
            events = [await next_event(owner_socket), await next_event(colleague_socket)]
    assert [event["message"]["body"] for event in events] == ["Ik doe mee", "Ik doe mee"]


@pytest.mark.parametrize("turned_off", ["reader", "writer"])
async def test_a_read_is_not_told_when_either_side_turned_read_receipts_off(
    app: Litestar, live_server: str, turned_off: str
) -> None:
    reader, writer, conversation = await make_conversation(app)
    quiet = reader if turned_off == "reader" else writer
    await app.state.accounts.update_profile(quiet, ProfileChanges(read_receipts=False))
    async with browser_for(live_server) as reader_client, browser_for(live_server) as writer_client:
        reader_headers = await log_in_to(reader_client, reader.email)
        writer_headers = await log_in_to(writer_client, writer.email)
        await writer_client.post(
            f"/api/conversations/{conversation}/messages",
            json={"client_id": "r1", "body": "Gelezen?"},
            headers=writer_headers,
        )
        async with live_socket(live_server, writer_client) as socket:
            await asyncio.sleep(0.3)
            read = await reader_client.post(
                f"/api/conversations/{conversation}/read", json={"seq": 1}, headers=reader_headers
            )
            assert read.status_code == 204
            with pytest.raises(TimeoutError):
                await asyncio.wait_for(socket.recv(), timeout=1)

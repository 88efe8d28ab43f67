"""Commands over the live socket: send, read and newest, their replies, refusals and errors."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Collection
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from uuid import UUID, uuid4

import pytest
from litestar import Litestar
from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed

from backend.accounts.service import Account
from backend.accounts.tables import UserSession
from backend.messaging.live_commands import MAX_COMMAND_CHARS, SESSION_RECHECK_SECONDS
from tests.factories import (
    make_account,
    make_conversation,
    make_organisation_match,
    place_in,
)
from tests.live_clients import browser_for, live_socket, log_in_to, next_event

EVENT_TYPES = {"message", "read", "resync"}


async def next_reply(socket: ClientConnection, client_ids: Collection[str] = ()) -> dict:
    """The next frame that answers a command: a reply, or the live event of a message stored by
    a send of ``client_ids`` (it answers that send). Other live events are skipped.
    """
    while True:
        frame = await next_event(socket)
        if frame["type"] not in EVENT_TYPES or frame.get("client_id") in client_ids:
            return frame


async def ask(socket: ClientConnection, command: dict | str | bytes) -> dict:
    """Send a command (a dict as JSON, text or bytes as they are); return what answers it."""
    await socket.send(json.dumps(command) if isinstance(command, dict) else command)
    sending = [command["client_id"]] if isinstance(command, dict) and "client_id" in command else []
    return await next_reply(socket, sending)


async def newest(socket: ClientConnection, conversation: UUID) -> dict:
    """Ask for the conversation's newest seq (a reply also shows that the socket listens)."""
    return await ask(socket, {"type": "newest", "conversation": str(conversation)})


def send_command(conversation: UUID, client_id: str, body: object, **fields: object) -> dict:
    """A ``send`` command."""
    return {
        "type": "send",
        "conversation": str(conversation),
        "client_id": client_id,
        "body": body,
        **fields,
    }


@dataclass
class Sockets:
    """The live sockets of people signed in on a live server."""

    base_url: str
    stack: AsyncExitStack

    async def of(self, person: Account) -> ClientConnection:
        """``person``'s live socket, listening."""
        client = await self.stack.enter_async_context(browser_for(self.base_url))
        await log_in_to(client, person.email)
        return await self.stack.enter_async_context(live_socket(self.base_url, client))


@asynccontextmanager
async def sockets_on(base_url: str) -> AsyncIterator[Sockets]:
    """Open live sockets on ``base_url``; they close at the end."""
    async with AsyncExitStack() as stack:
        yield Sockets(base_url, stack)


@dataclass
class Chat:
    """An owner and a helper in one conversation, each with a live socket that listens."""

    owner: Account
    helper: Account
    conversation: UUID
    owner_socket: ClientConnection
    helper_socket: ClientConnection
    sockets: Sockets


@pytest.fixture
async def chat(app: Litestar, live_server: str) -> AsyncIterator[Chat]:
    """A fresh conversation whose two people are connected."""
    owner, helper, conversation = await make_conversation(app, owner_name="Ria")
    async with sockets_on(live_server) as sockets:
        owner_socket = await sockets.of(owner)
        helper_socket = await sockets.of(helper)
        for socket in (owner_socket, helper_socket):
            assert (await newest(socket, conversation))["seq"] == 0
        yield Chat(owner, helper, conversation, owner_socket, helper_socket, sockets)


async def stored_bodies(app: Litestar, chat: Chat) -> list[str]:
    """The bodies of the conversation's stored messages, in order."""
    return [view.body for view in await app.state.messaging.history(chat.owner, chat.conversation)]


async def test_a_message_sent_over_the_socket_is_stored_and_reaches_the_partner(
    app: Litestar, chat: Chat
) -> None:
    answer = await ask(chat.owner_socket, send_command(chat.conversation, "c1", "Hallo Sam"))
    event = await next_event(chat.helper_socket)
    stored = await app.state.messaging.history(chat.helper, chat.conversation)
    assert [(view.seq, view.body, view.sender_id) for view in stored] == [
        (1, "Hallo Sam", chat.owner.id)
    ]
    # The sender's answer is the message's live event, the one the partner gets: it names the
    # client id. No reply of its own follows: the next frame answers the next command.
    assert (event["type"], event["seq"], event["message"]["body"]) == ("message", 1, "Hallo Sam")
    assert (event["client_id"], event["message"]["id"]) == ("c1", str(stored[0].id))
    assert answer == event
    assert (await newest(chat.owner_socket, chat.conversation))["type"] == "newest"


async def test_a_resent_client_id_stores_one_message_and_replies_the_same_seq(
    app: Litestar, chat: Chat
) -> None:
    stored = await ask(chat.owner_socket, send_command(chat.conversation, "c1", "Eerste"))
    first = await ask(chat.owner_socket, send_command(chat.conversation, "c1", "Eerste"))
    second = await ask(chat.owner_socket, send_command(chat.conversation, "c1", "Eerste"))
    assert first == {
        "type": "sent",
        "conversation": str(chat.conversation),
        "client_id": "c1",
        "seq": 1,
        "id": stored["message"]["id"],
    }
    assert second == first
    assert await stored_bodies(app, chat) == ["Eerste"]


@pytest.mark.parametrize(
    ("body", "concerns"),
    [
        ("Zullen we afspreken bij het station om 10 uur?", ["meeting"]),
        ("Mijn rekening is NL91 ABNA 0417 1643 00, bel 0612345678", ["iban", "phone"]),
    ],
)
async def test_a_text_with_safety_concerns_is_held_until_it_is_approved(
    app: Litestar, chat: Chat, body: str, concerns: list[str]
) -> None:
    held = await ask(chat.owner_socket, send_command(chat.conversation, "c1", body))
    assert held == {
        "type": "held",
        "conversation": str(chat.conversation),
        "client_id": "c1",
        "concerns": concerns,
    }
    assert await stored_bodies(app, chat) == []
    approved = send_command(chat.conversation, "c1", body, approved=True)
    assert (await ask(chat.owner_socket, approved))["type"] == "message"
    assert await stored_bodies(app, chat) == [body]


async def test_a_thank_you_note_is_never_held(app: Litestar, chat: Chat) -> None:
    body = "Dank je! Zullen we afspreken bij het station om 10 uur?"
    thanks = send_command(chat.conversation, "t1", body, kind="thanks")
    assert (await ask(chat.helper_socket, thanks))["type"] == "message"
    assert await stored_bodies(app, chat) == [body]


def refusal(conversation: UUID, client_id: str, error: str) -> dict:
    """The reply to a refused ``send``."""
    return {
        "type": "refused",
        "conversation": str(conversation),
        "client_id": client_id,
        "error": error,
    }


async def test_an_empty_message_is_refused(app: Litestar, chat: Chat) -> None:
    reply = await ask(chat.owner_socket, send_command(chat.conversation, "c1", "   "))
    assert reply == refusal(chat.conversation, "c1", "Write a message first.")


async def test_a_stranger_is_refused_as_if_the_conversation_did_not_exist(
    app: Litestar, chat: Chat
) -> None:
    stranger = await chat.sockets.of(await make_account(app))
    elsewhere = uuid4()
    replies = [
        await ask(stranger, send_command(chat.conversation, "s1", "Hoi")),
        await ask(stranger, send_command(elsewhere, "s2", "Hoi")),
    ]
    assert replies == [
        refusal(chat.conversation, "s1", "Not found."),
        refusal(elsewhere, "s2", "Not found."),
    ]
    assert await stored_bodies(app, chat) == []


async def test_a_blocked_conversation_refuses_messages(app: Litestar, chat: Chat) -> None:
    await app.state.messaging.block(chat.helper, chat.owner.id)
    reply = await ask(chat.owner_socket, send_command(chat.conversation, "c1", "Hallo?"))
    assert reply == refusal(chat.conversation, "c1", "This conversation has ended.")
    assert await stored_bodies(app, chat) == []


async def test_sending_faster_than_the_limit_per_minute_is_refused(
    app: Litestar, chat: Chat
) -> None:
    limit = app.state.messaging.per_minute.max_hits
    for number in range(limit):
        command = send_command(chat.conversation, f"c{number}", f"Bericht {number}")
        assert (await ask(chat.owner_socket, command))["type"] == "message"
    reply = await ask(chat.owner_socket, send_command(chat.conversation, "late", "Nog een"))
    assert reply == refusal(chat.conversation, "late", app.state.messaging.per_minute.message)
    assert len(await stored_bodies(app, chat)) == limit


async def test_a_read_over_the_socket_is_stored_and_told_to_the_partner_only(
    app: Litestar, chat: Chat
) -> None:
    await ask(chat.owner_socket, send_command(chat.conversation, "c1", "Gelezen?"))
    read = {"type": "read", "conversation": str(chat.conversation), "seq": 1}
    await chat.helper_socket.send(json.dumps(read))
    while (event := await next_event(chat.owner_socket))["type"] != "read":
        pass
    view = await app.state.messaging.view(chat.owner, chat.conversation)
    assert event == {**read, "reader": str(chat.helper.id)}
    assert view.read_by_partner_seq == 1
    # The reader's own page is not told: only their other pages' unread counts need it.
    await ask(chat.owner_socket, send_command(chat.conversation, "c2", "Mooi zo"))
    helper_saw = [await next_event(chat.helper_socket)]
    while helper_saw[-1].get("seq") != 2:
        helper_saw.append(await next_event(chat.helper_socket))
    assert [seen["type"] for seen in helper_saw] == ["message", "message"]
    # A stored read has no reply: the next reply is the one to the next command.
    assert (await newest(chat.helper_socket, chat.conversation))["type"] == "newest"


async def test_a_stranger_cannot_mark_a_conversation_read(app: Litestar, chat: Chat) -> None:
    stranger = await chat.sockets.of(await make_account(app))
    read = {"type": "read", "conversation": str(chat.conversation), "seq": 1}
    assert await ask(stranger, read) == {
        "type": "refused",
        "conversation": str(chat.conversation),
        "error": "Not found.",
    }


async def test_newest_names_the_newest_seq_only_to_a_participant(app: Litestar, chat: Chat) -> None:
    for number in range(2):
        await ask(chat.owner_socket, send_command(chat.conversation, f"c{number}", "Hoi"))
    stranger = await chat.sockets.of(await make_account(app))
    assert await newest(chat.helper_socket, chat.conversation) == {
        "type": "newest",
        "conversation": str(chat.conversation),
        "seq": 2,
    }
    assert await newest(stranger, chat.conversation) == {
        "type": "refused",
        "conversation": str(chat.conversation),
        "error": "Not found.",
    }


async def test_frames_that_are_no_command_get_an_error_and_the_socket_keeps_working(
    chat: Chat,
) -> None:
    conversation = str(chat.conversation)
    frames: list[dict | str | bytes] = [
        "{not json",
        b"\x00\x01",
        {"type": "shout", "conversation": conversation},
        {"conversation": conversation},
        {"type": "read", "conversation": conversation, "seq": "one"},
        {"type": "newest", "conversation": "not-a-uuid"},
        send_command(chat.conversation, "c1", ["Hallo"]),
        send_command(chat.conversation, "c1", "x" * MAX_COMMAND_CHARS),
    ]
    replies = [await ask(chat.owner_socket, frame) for frame in frames]
    assert [set(reply) for reply in replies] == [{"type", "error"}] * len(frames)
    assert {reply["type"] for reply in replies} == {"error"}
    assert "at most" in replies[-1]["error"]
    assert (await newest(chat.owner_socket, chat.conversation))["seq"] == 0


async def test_commands_are_answered_in_the_order_they_came(chat: Chat) -> None:
    frames = [
        json.dumps(send_command(chat.conversation, "c1", "Een")),
        "{not json",
        json.dumps({"type": "newest", "conversation": str(chat.conversation)}),
        json.dumps(send_command(chat.conversation, "c2", "Twee")),
    ]
    for frame in frames:  # all sent before the first answer comes
        await chat.owner_socket.send(frame)
    answers = [await next_reply(chat.owner_socket, {"c1", "c2"}) for _ in frames]
    # Replies come in order; a stored message's answer is its live event, in seq order.
    assert [
        (answer["type"], answer.get("seq")) for answer in answers if "client_id" not in answer
    ] == [
        ("error", None),
        ("newest", 1),  # after "Een" was stored, before "Twee"
    ]
    assert [
        (answer["client_id"], answer["seq"]) for answer in answers if "client_id" in answer
    ] == [
        ("c1", 1),
        ("c2", 2),
    ]


async def test_a_removed_organisation_member_loses_the_conversation_on_the_next_check(
    app: Litestar, live_server: str
) -> None:
    owner = await place_in(app, await make_account(app), "Utrecht")
    colleague = await place_in(app, await make_account(app), "Utrecht")
    helper = await place_in(app, await make_account(app), "Utrecht")
    organisation, conversation = await make_organisation_match(app, owner, colleague, helper)
    async with sockets_on(live_server) as sockets:
        socket = await sockets.of(colleague)
        assert (await newest(socket, conversation))["type"] == "newest"
        await app.state.organisations.remove_member(owner, organisation, colleague.id)
        await asyncio.sleep(SESSION_RECHECK_SECONDS)
        assert (await newest(socket, conversation))["error"] == "Not found."


@pytest.mark.parametrize("ended_by", ["log-out", "session deleted"])
async def test_a_command_after_the_session_ended_closes_the_socket(
    app: Litestar, live_server: str, ended_by: str
) -> None:
    person = await make_account(app)
    async with browser_for(live_server) as client:
        headers = await log_in_to(client, person.email)
        async with live_socket(live_server, client) as socket:
            assert (await newest(socket, uuid4()))["type"] == "refused"
            if ended_by == "log-out":
                assert (await client.post("/api/auth/logout", headers=headers)).status_code == 204
            else:
                await UserSession.delete().where(UserSession.user == person.id)
            await asyncio.sleep(SESSION_RECHECK_SECONDS)
            await socket.send(json.dumps({"type": "newest", "conversation": str(uuid4())}))
            with pytest.raises(ConnectionClosed):
                await next_event(socket)
    assert (socket.close_code, socket.close_reason) == (4401, "log in first")

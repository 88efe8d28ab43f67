"""The conversation page's own live socket: a lost event is noticed, a burst is marked read once,
the partner's text stays text, a sent message is settled by its own event, the safety prompt
holds a message back, and a refusal gives the text back.
"""

from __future__ import annotations

import asyncio
import json
from uuid import UUID

from litestar import Litestar
from playwright.async_api import Page, WebSocket, expect

from backend.accounts.service import Account
from tests.browser.journeys import log_in
from tests.browser.test_messages_in_browser import chatting, message_log, send
from tests.factories import make_conversation

# A lost event is noticed by the page's "newest" check, every 15 seconds in a lively conversation.
MISSED_MESSAGE_TIMEOUT_MS = 20_000
RESEND_MS = 5_000  # a send without an answer goes again after this long


async def post_message(page: Page, conversation_id: UUID, client_id: str, body: str) -> None:
    """Send a message over HTTP in ``page``'s session (it is published live, like any other)."""
    cookies = {cookie["name"]: cookie["value"] for cookie in await page.context.cookies()}
    response = await page.request.post(
        f"/api/conversations/{conversation_id}/messages",
        data={"client_id": client_id, "body": body},
        headers={"x-csrf-token": cookies["handje_csrf"]},
    )
    assert response.status == 201


def commands_sent(page: Page) -> list[dict]:
    """The commands ``page`` sends over its live socket from now on."""
    commands: list[dict] = []

    def watch(socket: WebSocket) -> None:
        if socket.url.endswith("/api/live"):
            socket.on("framesent", lambda frame: commands.append(json.loads(frame)))

    page.on("websocket", watch)
    return commands


async def stored_bodies(app: Litestar, account: Account, conversation_id: UUID) -> list[str]:
    """What the conversation holds, oldest first."""
    return [message.body for message in await app.state.messaging.history(account, conversation_id)]


async def test_a_message_whose_live_event_was_lost_appears(app: Litestar, phone: Page) -> None:
    anna, bram, conversation_id = await make_conversation(app, "Anna", "Bram", "Leiden")
    await app.state.messaging.send(bram, conversation_id, client_id="seen", body="Wel gezien")
    await log_in(phone, anna.email)
    await phone.goto(f"/messages/{conversation_id}")
    await expect(message_log(phone).get_by_text("Wel gezien")).to_be_visible()

    # Stored by the test's own app, whose channels do not run: no live event is sent, as when
    # an event is lost, and no later message reveals a gap.
    await app.state.messaging.send(bram, conversation_id, client_id="lost", body="Gemist")
    await expect(message_log(phone).get_by_text("Gemist")).to_be_visible(
        timeout=MISSED_MESSAGE_TIMEOUT_MS
    )


async def test_a_burst_is_marked_read_once_and_the_sender_sees_it(
    app: Litestar, phone: Page, second_phone: Page
) -> None:
    anna, bram, conversation_id = await chatting(app, phone, second_phone)
    commands = commands_sent(phone)
    await phone.goto(f"/messages/{conversation_id}")
    await second_phone.goto(f"/messages/{conversation_id}")
    await expect(message_log(phone)).to_contain_text("No messages yet. Say hello!")
    await expect(message_log(second_phone)).to_contain_text("No messages yet. Say hello!")

    # Sent together, as a burst is: the page hears of all three within its second of waiting.
    await asyncio.gather(
        *(
            post_message(second_phone, conversation_id, f"burst-{number}", f"Deel {number}")
            for number in range(3)
        )
    )
    await expect(
        message_log(phone).get_by_role("listitem", name="Message from Bram")
    ).to_have_count(3)
    await expect(second_phone.locator(".message-mine .message-read")).to_have_count(1)
    await expect(second_phone.locator(".message-mine").last).to_contain_text("Read")

    reads = [command for command in commands if command["type"] == "read"]
    assert reads == [{"type": "read", "conversation": str(conversation_id), "seq": 3}]
    assert (await app.state.messaging.view(bram, conversation_id)).read_by_partner_seq == 3
    assert [line.unread for line in await app.state.messaging.conversations(anna)] == [0]


async def test_html_from_the_partner_is_shown_as_text(
    app: Litestar, phone: Page, second_phone: Page
) -> None:
    _anna, _bram, conversation_id = await chatting(app, phone, second_phone)
    await phone.goto(f"/messages/{conversation_id}")
    await expect(message_log(phone)).to_contain_text("No messages yet. Say hello!")

    html = '<img src="x" onerror="window.injected = true"><b>vet</b>'
    await post_message(second_phone, conversation_id, "html", html)
    received = message_log(phone).get_by_role("listitem", name="Message from Bram")
    await expect(received.locator(".message-body")).to_have_text(html)
    await expect(received.locator("img, b")).to_have_count(0)
    assert await phone.evaluate("window.injected") is None


async def test_a_sent_message_leaves_the_outbox_on_its_own_live_event(
    app: Litestar, phone: Page
) -> None:
    anna, _bram, conversation_id = await make_conversation(app, "Anna", "Bram", "Leiden")
    await log_in(phone, anna.email)
    commands = commands_sent(phone)
    await phone.goto(f"/messages/{conversation_id}")

    await send(phone, "Tot zaterdag!")
    await expect(message_log(phone).get_by_text("Tot zaterdag!")).to_be_visible()
    # Well before a send without an answer goes again (5 s): the event was the answer.
    await expect(phone.locator(".composer-pending")).to_have_count(0, timeout=RESEND_MS - 1_000)
    outbox = await phone.evaluate(f"localStorage.getItem('handje-outbox:{conversation_id}')")
    assert json.loads(outbox) == []
    assert [command["body"] for command in commands if command["type"] == "send"] == [
        "Tot zaterdag!"
    ]


async def test_a_held_message_goes_after_send_anyway(app: Litestar, phone: Page) -> None:
    anna, _bram, conversation_id = await make_conversation(app, "Anna", "Bram", "Leiden")
    await log_in(phone, anna.email)
    await phone.goto(f"/messages/{conversation_id}")
    text = "Kom je morgen om 10 uur bij de bakker?"

    await send(phone, text)
    prompt = phone.get_by_role("group", name="Before you send")
    await expect(prompt).to_contain_text("Meeting for the first time?")
    await prompt.get_by_role("button", name="Edit").click()
    await expect(phone.get_by_label("Message", exact=True)).to_have_value(text)
    assert await stored_bodies(app, anna, conversation_id) == []

    await phone.get_by_role("button", name="Send", exact=True).click()
    await prompt.get_by_role("button", name="Send anyway").click()
    await expect(prompt).to_have_count(0)
    await expect(message_log(phone).get_by_text(text)).to_be_visible()
    await expect(phone.locator(".composer-pending")).to_have_count(0)
    assert await stored_bodies(app, anna, conversation_id) == [text]


async def test_a_refused_message_says_why_and_comes_back_to_edit(
    app: Litestar, phone: Page
) -> None:
    anna, bram, conversation_id = await make_conversation(app, "Anna", "Bram", "Leiden")
    await log_in(phone, anna.email)
    await phone.goto(f"/messages/{conversation_id}")
    await expect(message_log(phone)).to_contain_text("No messages yet. Say hello!")
    # Blocked by the test's own app: the open page hears nothing of it.
    await app.state.messaging.block(bram, anna.id)

    await send(phone, "Ben je er nog?")
    await expect(phone.get_by_role("alert")).to_have_text("This conversation has ended.")
    await expect(phone.get_by_text("This conversation has ended.")).to_have_count(1)
    await expect(phone.get_by_label("Message", exact=True)).to_have_count(0)
    assert await stored_bodies(app, anna, conversation_id) == []

    await app.state.messaging.unblock(bram, anna.id)
    await phone.reload()
    await expect(phone.get_by_label("Message", exact=True)).to_have_value("Ben je er nog?")
    await expect(message_log(phone)).to_contain_text("No messages yet. Say hello!")

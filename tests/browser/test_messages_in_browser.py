"""Two neighbours chat on their phones: live messages, unread badge, read receipts, the phone
number after the safety advice, a safety card for bank details, and an offline draft sent later.
"""

from __future__ import annotations

import json
import re
from uuid import UUID

from litestar import Litestar
from playwright.async_api import Locator, Page, expect

from backend.accounts.service import Account
from tests.browser.journeys import log_in
from tests.factories import PASSWORD, make_conversation

LISTING = re.compile("Help with groceries on Saturday")


async def send(page: Page, text: str) -> None:
    """Type a message and press Send."""
    await page.get_by_label("Message", exact=True).fill(text)
    await page.get_by_role("button", name="Send", exact=True).click()


async def chatting(app: Litestar, phone: Page, second_phone: Page) -> tuple[Account, Account, UUID]:
    """Anna and Bram have a conversation, logged in on ``phone`` and ``second_phone``."""
    anna, bram, conversation_id = await make_conversation(app, "Anna", "Bram", "Leiden")
    await log_in(phone, anna.email)
    await log_in(second_phone, bram.email)
    return anna, bram, conversation_id


def message_log(page: Page) -> Locator:
    """The conversation's messages."""
    return page.get_by_role("log", name="Messages")


async def test_two_neighbours_chat_live(app: Litestar, phone: Page, second_phone: Page) -> None:
    _anna, _bram, conversation_id = await chatting(app, phone, second_phone)

    await second_phone.get_by_role("link", name="Messages").click()
    line = second_phone.get_by_role("link", name=LISTING)
    await expect(line).to_contain_text("Anna")
    await expect(line).to_contain_text("No messages yet")
    await expect(second_phone.get_by_role("link", name="Notifications, 1 unread")).to_be_visible()

    await phone.goto(f"/messages/{conversation_id}")
    await expect(phone.get_by_role("heading", name="Bram", exact=True)).to_be_visible()
    await expect(phone.get_by_role("link", name=LISTING)).to_be_visible()
    await send(phone, "Hoi Bram, past zaterdag om tien uur?")
    await expect(
        message_log(phone).get_by_text("Hoi Bram, past zaterdag om tien uur?")
    ).to_be_visible()
    await expect(phone.get_by_label("Message", exact=True)).to_have_value("")

    # Bram's list and unread badge change without a reload.
    await expect(line).to_contain_text("Hoi Bram, past zaterdag")
    await expect(line).to_contain_text("1 new")
    tabs = second_phone.get_by_role("navigation", name="Main")
    await expect(tabs.locator(".tab-badge")).to_have_text("1")
    # The bell counts the message on top of the match, live too.
    await expect(second_phone.get_by_role("link", name="Notifications, 2 unread")).to_be_visible()

    await line.click()
    received = message_log(second_phone).get_by_role("listitem", name="Message from Anna")
    await expect(received).to_contain_text("Hoi Bram, past zaterdag om tien uur?")
    await expect(tabs.locator(".tab-badge")).to_have_count(0)
    await expect(phone.locator(".message-mine .message-read")).to_contain_text("Read")
    # Reading the conversation settles its notification; the match's stays.
    await expect(second_phone.get_by_role("link", name="Notifications, 1 unread")).to_be_visible()

    # A message in the conversation Anna has open is read there, not counted by her bell.
    anna_bell = phone.get_by_role("link", name="Notifications, 1 unread")
    await expect(anna_bell).to_be_visible()
    await send(second_phone, "Prima, tot dan!")
    answer = message_log(phone).get_by_role("listitem", name="Message from Bram")
    await expect(answer).to_contain_text("Prima, tot dan!")
    await expect(anna_bell).to_be_visible()  # her bell leaves this conversation out
    await send(second_phone, "Tot zaterdag!")
    await expect(message_log(phone).get_by_text("Tot zaterdag!")).to_be_visible()
    await phone.wait_for_timeout(1000)  # the bell hears of a message as the page does
    await expect(anna_bell).to_be_visible()


async def test_the_phone_number_comes_after_the_safety_advice(
    app: Litestar, phone: Page, second_phone: Page
) -> None:
    anna, bram, conversation_id = await make_conversation(app, "Anna", "Bram", "Leiden")
    anna = await app.state.accounts.change_phone(
        anna, current_password=PASSWORD, phone="0612345678"
    )
    await log_in(phone, anna.email)
    await log_in(second_phone, bram.email)

    await phone.goto(f"/messages/{conversation_id}")
    await phone.get_by_role("button", name="Share my number with Bram").click()
    advice = phone.get_by_role("group", name="Call first, then meet.")
    await expect(advice).to_contain_text("Meet in a public place the first time.")
    await advice.get_by_role("button", name="I understand").click()
    await expect(phone.get_by_role("button", name="Stop sharing my number")).to_be_visible()

    await second_phone.goto(f"/messages/{conversation_id}")
    call = second_phone.get_by_role("link", name="Call Anna")
    await expect(call).to_have_attribute("href", "tel:+31612345678")
    await expect(
        second_phone.get_by_role("button", name=re.compile("Share my number"))
    ).to_have_count(0)
    await call.click()
    await expect(second_phone.get_by_role("group", name="Call first, then meet.")).to_be_visible()


async def test_bank_details_get_a_prompt_and_a_safety_card(
    app: Litestar, phone: Page, second_phone: Page
) -> None:
    _anna, _bram, conversation_id = await chatting(app, phone, second_phone)
    await second_phone.goto(f"/messages/{conversation_id}")
    await phone.goto(f"/messages/{conversation_id}")

    await send(phone, "Mijn rekening is NL91 ABNA 0417 1643 00")
    prompt = phone.get_by_role("group", name="Before you send")
    await expect(prompt).to_contain_text("Never send money or bank details")
    await expect(message_log(phone).get_by_text("NL91 ABNA")).to_have_count(0)
    await prompt.get_by_role("button", name="Send anyway").click()
    await expect(prompt).to_have_count(0)
    await expect(message_log(phone).get_by_text("NL91 ABNA 0417 1643 00")).to_be_visible()
    await expect(message_log(phone).get_by_role("note", name="Safety tip")).to_have_count(0)

    received = message_log(second_phone).get_by_role("listitem", name="Message from Anna")
    await expect(received).to_contain_text("NL91 ABNA 0417 1643 00")
    await expect(received.get_by_role("note", name="Safety tip")).to_contain_text(
        "Never send money or bank details"
    )


async def test_links_open_only_after_the_leaving_note(
    app: Litestar, phone: Page, second_phone: Page
) -> None:
    _anna, _bram, conversation_id = await chatting(app, phone, second_phone)
    await phone.goto(f"/messages/{conversation_id}")
    await send(phone, "Kijk <b>hier</b>: https://example.org/fiets?kleur=rood.")

    await second_phone.goto(f"/messages/{conversation_id}")
    received = message_log(second_phone).get_by_role("listitem", name="Message from Anna")
    await expect(received).to_contain_text("Kijk <b>hier</b>:")
    await expect(received.get_by_role("link")).to_have_count(0)
    await received.get_by_role("button", name="https://example.org/fiets?kleur=rood").click()
    leaving = received.get_by_role("group", name="You are leaving Handje")
    await expect(leaving).to_contain_text("https://example.org/fiets?kleur=rood")
    open_link = leaving.get_by_role("link", name="Open link")
    await expect(open_link).to_have_attribute("href", "https://example.org/fiets?kleur=rood")
    await expect(open_link).to_have_attribute("rel", "noopener noreferrer nofollow")


async def test_a_message_written_offline_is_sent_once_later(app: Litestar, phone: Page) -> None:
    anna, _bram, conversation_id = await make_conversation(app, "Anna", "Bram", "Leiden")
    await log_in(phone, anna.email)
    # As if the message was composed offline and the tab was closed before it could go.
    draft = [{"clientId": "4f1c" * 8, "body": "Geschreven in de trein"}]
    await phone.evaluate(
        "([key, value]) => window.localStorage.setItem(key, value)",
        [f"handje-outbox:{conversation_id}", json.dumps(draft)],
    )

    await phone.goto(f"/messages/{conversation_id}")
    sent = message_log(phone).get_by_text("Geschreven in de trein")
    await expect(sent).to_have_count(1)
    await expect(phone.locator(".composer-pending")).to_have_count(0)
    await phone.reload()
    await expect(message_log(phone).get_by_role("listitem")).to_have_count(1)
    await expect(sent).to_have_count(1)


async def test_report_block_and_unblock(app: Litestar, phone: Page) -> None:
    _anna, bram, conversation_id = await make_conversation(app, "Anna", "Bram", "Leiden")
    await log_in(phone, bram.email)
    await phone.goto(f"/messages/{conversation_id}")
    await phone.get_by_text("Block or report").click()

    await phone.get_by_role("button", name="Report Anna").click()
    report = phone.get_by_role("form", name="Report Anna")
    await report.get_by_label("What is wrong?").select_option("spam")
    await report.get_by_role("button", name="Send report").click()
    await expect(phone.get_by_role("status")).to_have_text(
        "Thank you. A moderator will look at it."
    )

    await phone.get_by_role("button", name="Block Anna").click()
    await phone.get_by_role("button", name="Yes, block Anna").click()
    await expect(phone.get_by_text("This conversation has ended.")).to_be_visible()
    await expect(phone.get_by_label("Message", exact=True)).to_have_count(0)
    await phone.get_by_role("link", name="← Messages").click()
    await expect(phone.get_by_role("link", name=LISTING)).to_contain_text("Ended")

    await phone.get_by_role("link", name="Profile").click()
    receipts = phone.get_by_role("switch", name="Read receipts")
    await expect(receipts).to_have_attribute("aria-checked", "true")
    await receipts.click()
    await expect(receipts).to_have_attribute("aria-checked", "false")
    blocked = phone.get_by_role("list", name="Blocked people")
    await blocked.get_by_role("button", name="Unblock Anna").click()
    await expect(phone.get_by_text("Anna is no longer blocked.")).to_be_visible()
    await expect(phone.get_by_text("You have not blocked anyone.")).to_be_visible()
    await phone.goto(f"/messages/{conversation_id}")
    await expect(phone.get_by_label("Message", exact=True)).to_be_visible()

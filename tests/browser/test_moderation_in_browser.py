"""A neighbour reports a message; a moderator on a tablet finds it in the queue, opens the case
and suspends the sender, whose phone is signed out and says why and until when. Members cannot
open the desk; the Safety centre is linked from the prompts, the person and the listing."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from litestar import Litestar
from playwright.async_api import Browser, Page, expect

from tests.browser.conftest import PHONE
from tests.browser.journeys import log_in
from tests.factories import (
    PASSWORD,
    make_account,
    make_conversation,
    make_listing,
    make_match,
    place_in,
)
from tests.moderation.audit_cleanup import empty_audit_log
from tests.moderation.people import make_staff, reported_message

TABLET = {"width": 1024, "height": 768}
SCAM = "Stuur eerst 50 euro, dan kom ik helpen"


async def _context_page(browser: Browser, live_server: str, viewport: dict[str, int]) -> Page:
    context = await browser.new_context(viewport=viewport, base_url=live_server, locale="en-GB")
    context.set_default_timeout(10_000)
    return await context.new_page()


@pytest.fixture
async def sender_phone(browser: Browser, live_server: str) -> AsyncIterator[Page]:
    """The reported person's phone."""
    page = await _context_page(browser, live_server, PHONE)
    yield page
    await page.context.close()


@pytest.fixture
async def tablet(browser: Browser, live_server: str) -> AsyncIterator[Page]:
    """The moderator's tablet; the audit log it writes to is emptied afterwards."""
    page = await _context_page(browser, live_server, TABLET)
    yield page
    await page.context.close()
    await empty_audit_log()


async def test_a_reported_sender_is_suspended_from_the_desk_and_told_why(
    app: Litestar, phone: Page, sender_phone: Page, tablet: Page
) -> None:
    anna, bram, conversation = await make_conversation(app, "Anna", "Bram", "Leiden")
    await app.state.messaging.send(bram, conversation, client_id="scam", body=SCAM)
    moderator = await make_staff(app, name="Mo")
    await log_in(sender_phone, bram.email)
    await sender_phone.get_by_role("link", name="Messages").click()

    # Anna reports the message.
    await log_in(phone, anna.email)
    await phone.goto(f"/messages/{conversation}")
    message = phone.get_by_role("listitem", name="Message from Bram")
    await message.get_by_role("button", name="Report this message").click()
    report = phone.get_by_role("form", name="Report this message")
    await report.get_by_label("What is wrong?").select_option("fraud")
    await report.get_by_label("Tell us more (optional)").fill("Hij vraagt om geld vooraf.")
    await report.get_by_role("button", name="Send report").click()
    await expect(phone.get_by_text("Thank you. A moderator will look at it.")).to_be_visible()

    # The moderator finds it at the top of the queue and opens the case.
    await log_in(tablet, moderator.email)
    await tablet.goto("/desk")
    cases = tablet.get_by_role("list", name="Cases")
    case = cases.get_by_role("link").first
    await expect(case).to_contain_text("Message: Bram")
    await expect(case).to_contain_text("Fraud or a scam")
    await case.click()
    await expect(tablet.get_by_text(SCAM)).to_be_visible()
    await expect(tablet.get_by_text("Hij vraagt om geld vooraf.")).to_be_visible()
    people = tablet.get_by_role("region", name="People involved")
    await expect(people.get_by_role("heading", name="Bram")).to_be_visible()

    action = tablet.get_by_role("form", name="Take action")
    await action.get_by_label("Action").select_option("suspend")
    await action.get_by_label("Days").fill("3")
    await action.get_by_label("Reason (the person concerned sees it)").fill(
        "Asking for money is not allowed."
    )
    await action.get_by_role("button", name="Confirm").click()
    await expect(tablet.get_by_text("Closed: Suspend")).to_be_visible()

    # Bram's phone is signed out at once and says why and until when.
    notice = sender_phone.get_by_role("alert")
    await expect(notice).to_contain_text("Your account is suspended until")
    await expect(notice).to_contain_text("Asking for money is not allowed.")
    await sender_phone.goto("/messages")
    await expect(sender_phone.get_by_role("alert")).to_contain_text("suspended until")


async def test_removing_the_reported_message_closes_the_case_on_the_desk(
    app: Litestar, tablet: Page
) -> None:
    case = await reported_message(app, body=SCAM)
    moderator = await make_staff(app, name="Mo")
    await log_in(tablet, moderator.email)
    await tablet.goto(f"/desk/cases/{case.case_id}")
    await expect(tablet.get_by_role("region", name="Reported content")).to_contain_text(SCAM)

    action = tablet.get_by_role("form", name="Take action")
    await action.get_by_label("Action").select_option("remove_message")
    await action.get_by_label("Reason (the person concerned sees it)").fill("Vraagt om geld.")
    await action.get_by_role("button", name="Confirm").click()

    await expect(tablet.get_by_text("Closed: Remove the message")).to_be_visible()
    content = tablet.get_by_role("region", name="Reported content")
    await expect(content).to_contain_text("(removed)")
    await expect(content).not_to_contain_text(SCAM)
    taken = tablet.get_by_role("region", name="Actions taken")
    await expect(taken).to_contain_text("Remove the message")
    await expect(taken).to_contain_text("Vraagt om geld.")

    # A warning can still follow, about the sender.
    await action.get_by_label("Action").select_option("warn")
    await action.get_by_label("Reason (the person concerned sees it)").fill("Vraag nooit geld.")
    await action.get_by_role("button", name="Confirm").click()
    await expect(tablet.get_by_text("Closed: Warn")).to_be_visible()
    await expect(taken).to_contain_text("Vraag nooit geld.")
    await expect(tablet.get_by_role("form", name="Take action")).to_have_count(0)
    await tablet.get_by_role("link", name="← All cases").click()
    await expect(tablet.get_by_text("No cases here. Well done!")).to_be_visible()
    await tablet.get_by_label("State").select_option("closed")
    await expect(tablet.get_by_role("list", name="Cases")).to_contain_text("Message: Sam")


async def test_a_member_cannot_open_the_desk(app: Litestar, phone: Page) -> None:
    member = await make_account(app)
    await log_in(phone, member.email)
    await phone.goto("/desk")
    await expect(phone.get_by_role("heading", name="Page not found")).to_be_visible()
    await expect(phone.get_by_text("Only moderators can see this.")).to_be_visible()


async def test_a_warning_reaches_the_person_in_the_safety_centre(
    app: Litestar, phone: Page
) -> None:
    case = await reported_message(app, body="Geld?")
    await app.state.moderation.act(
        await make_staff(app), case.case_id, "warn", "Vraag nooit om geld."
    )
    try:
        await log_in(phone, case.sender.email)
        await phone.goto("/profile")
        await phone.get_by_role("link", name="Safety centre: how to help safely").click()
        await expect(phone.get_by_role("heading", name="Safety centre")).to_be_visible()
        for advice in (
            "Call first",
            "Meet in public the first time",
            "Never send money",
            "Tell someone where you go",
            "If something feels wrong",
            "How to report",
        ):
            await expect(phone.get_by_role("heading", name=advice)).to_be_visible()
        messages = phone.get_by_role("region", name="Messages from the moderators")
        await expect(messages).to_contain_text(
            "A moderator warned you. Reason: Vraag nooit om geld."
        )
    finally:
        await empty_audit_log()


async def test_the_safety_centre_is_linked_from_the_prompts_the_person_and_the_listing(
    app: Litestar, phone: Page
) -> None:
    anna = await place_in(app, await make_account(app, display_name="Anna"), "Leiden")
    anna = await app.state.accounts.change_phone(
        anna, current_password=PASSWORD, phone="0612345678"
    )
    bram = await place_in(app, await make_account(app, display_name="Bram"), "Leiden")
    conversation = await make_match(app, anna, bram)
    listing = await make_listing(app, bram, title="Ik help met verhuizen")
    await log_in(phone, anna.email)

    await phone.goto(f"/messages/{conversation}")
    await phone.get_by_label("Message", exact=True).fill("Mijn rekening is NL91 ABNA 0417 1643 00")
    await phone.get_by_role("button", name="Send", exact=True).click()
    before_sending = phone.get_by_role("group", name="Before you send")
    await expect(
        before_sending.get_by_role("link", name="More in the Safety centre")
    ).to_be_visible()
    await before_sending.get_by_role("button", name="Edit").click()

    await phone.get_by_role("button", name="Share my number with Bram").click()
    call_first = phone.get_by_role("group", name="Call first, then meet.")
    await call_first.get_by_role("link", name="More in the Safety centre").click()
    await expect(phone.get_by_role("heading", name="Safety centre")).to_be_visible()

    await phone.goto(f"/messages/{conversation}")
    await phone.get_by_text("Block or report").click()
    await phone.get_by_role("link", name="Safety centre: how to help safely").click()
    await expect(phone.get_by_role("heading", name="Safety centre")).to_be_visible()

    await phone.goto(f"/listings/{listing.id}")
    about = phone.get_by_role("region", name="Safety")
    await expect(about.get_by_role("button", name="Report Bram")).to_be_visible()
    await about.get_by_role("link", name="Safety centre: how to help safely").click()
    await expect(phone.get_by_role("heading", name="Meet in public the first time")).to_be_visible()


async def test_an_admin_reads_the_audit_log_and_a_moderator_cannot(
    app: Litestar, tablet: Page
) -> None:
    case = await reported_message(app, body=SCAM)
    moderator = await make_staff(app, name="Mo")
    await app.state.moderation.read_conversation(moderator, case.case_id)
    await app.state.moderation.act(moderator, case.case_id, "warn", "Vraag nooit om geld.")

    await log_in(tablet, moderator.email)
    await tablet.goto("/desk/audit")
    await expect(tablet.get_by_text("Only admins can do this.")).to_be_visible()

    admin = await make_staff(app, "admin", "Ada")
    await tablet.context.clear_cookies()
    await log_in(tablet, admin.email)
    await tablet.goto("/desk")
    await tablet.get_by_role("link", name="Audit log").click()
    rows = tablet.get_by_role("row")
    await expect(rows.filter(has_text="Read the conversation")).to_contain_text("Mo")
    warned = rows.filter(has_text="Warn")
    await expect(warned).to_contain_text("Vraag nooit om geld.")
    await warned.get_by_role("link").click()
    await expect(tablet.get_by_role("region", name="Reported content")).to_contain_text(SCAM)

"""Profile → Privacy on a phone: download one's data, then delete the account for good."""

from __future__ import annotations

import asyncio
import io
import json
import re
import zipfile

from litestar import Litestar
from playwright.async_api import Browser, Page, expect

from backend.privacy.tables import PageCount
from tests.browser.conftest import PHONE
from tests.browser.journeys import log_in, sign_up
from tests.browser.test_messages_in_browser import message_log
from tests.factories import PASSWORD, make_conversation


async def _open_privacy_settings(phone: Page) -> None:
    await phone.get_by_role("link", name="Profile").click()
    await phone.get_by_role("link", name="Privacy settings").click()
    await expect(phone.get_by_role("heading", name="Privacy", exact=True)).to_be_visible()


async def test_request_an_export_and_download_it(phone: Page) -> None:
    email = await sign_up(phone, name="Exporteur")
    await log_in(phone, email)
    await _open_privacy_settings(phone)

    news = phone.get_by_role("switch", name="News from your region")
    # Withdrawing is the same one tap as giving.
    for checked in ("true", "false", "true"):
        await news.click()
        await expect(news).to_have_attribute("aria-checked", checked)
    await phone.get_by_role("button", name="Prepare my data").click()
    download_link = phone.get_by_role("link", name=re.compile("Download your data"))
    async with phone.expect_download() as started:
        await download_link.click()
    download = await started.value

    archive = zipfile.ZipFile(io.BytesIO((await download.path()).read_bytes()))
    data = json.loads(archive.read("data.json"))
    assert data["profile"]["email"] == email
    first, again = data["consents"]
    assert (first["purpose"], again["purpose"]) == ("newsletter", "newsletter")
    assert first["withdrawn_at"] is not None
    assert again["withdrawn_at"] is None


async def _views_of(page: str) -> int:
    rows = await PageCount.select(PageCount.views).where(PageCount.page == page)
    return sum(row["views"] for row in rows)


async def test_pages_are_counted_only_after_counting_is_allowed(phone: Page) -> None:
    email = await sign_up(phone, name="Teller")
    await log_in(phone, email)
    await _open_privacy_settings(phone)
    assert await _views_of("profile") == 0

    await phone.get_by_role("switch", name="Help improve Handje").click()
    await expect(phone.get_by_role("switch", name="Help improve Handje")).to_have_attribute(
        "aria-checked", "true"
    )
    await phone.get_by_role("link", name="Profile", exact=True).click()
    await expect(phone.get_by_role("link", name="Privacy settings")).to_be_visible()
    for _ in range(50):
        if await _views_of("profile"):
            break
        await asyncio.sleep(0.1)

    assert await _views_of("profile") == 1


async def test_delete_the_account_and_fail_to_sign_in_with_it(phone: Page) -> None:
    email = await sign_up(phone, name="Vertrekker")
    await log_in(phone, email)
    await _open_privacy_settings(phone)

    deletion = phone.get_by_role("form", name="Delete your account")
    await deletion.get_by_label("Your password").fill("not my password at all")
    await deletion.get_by_role("button", name="Delete my account for good").click()
    await expect(deletion.get_by_role("alert")).to_have_text("Your current password is not right.")
    await deletion.get_by_label("Your password").fill(PASSWORD)
    await deletion.get_by_role("button", name="Delete my account for good").click()
    await expect(phone.get_by_role("heading", name="Create your account")).to_be_visible()

    await phone.goto("/login")
    await phone.get_by_label("Email address").fill(email)
    await phone.get_by_label("Password").fill(PASSWORD)
    await phone.get_by_role("button", name="Log in").click()
    await expect(phone.get_by_role("alert")).to_have_text("Wrong email address or password.")


async def test_the_other_side_keeps_the_conversation_with_a_deleted_person(
    app: Litestar, phone: Page
) -> None:
    anna, bram, conversation_id = await make_conversation(app, "Anna", "Bram", "Leiden")
    await app.state.messaging.send(anna, conversation_id, client_id="a", body="Om tien uur?")
    await app.state.messaging.send(bram, conversation_id, client_id="b", body="Ja, tot dan!")
    await app.state.privacy.delete_account(anna, password=PASSWORD)
    await log_in(phone, bram.email)

    await phone.get_by_role("link", name="Messages").click()
    line = phone.get_by_role("link", name=re.compile("Deleted listing"))
    await expect(line).to_contain_text("Deleted user")
    await expect(line).to_contain_text("Ended")
    await line.click()

    await expect(phone.get_by_role("heading", name="Deleted user", exact=True)).to_be_visible()
    log = message_log(phone)
    await expect(log.get_by_role("listitem", name="Message from Deleted user")).to_have_text(
        re.compile("Removed with the sender's account.")
    )
    await expect(log.get_by_text("Ja, tot dan!")).to_be_visible()
    await expect(phone.get_by_text("This conversation has ended.")).to_be_visible()
    await expect(phone.get_by_label("Message", exact=True)).to_have_count(0)
    await phone.goto("/matches")
    match = phone.get_by_role("article", name="Deleted listing")
    await expect(match.get_by_role("link", name="Open Messages")).to_be_visible()


async def test_the_privacy_statement_is_open_to_everyone_in_dutch_and_english(
    phone: Page, browser: Browser, live_server: str
) -> None:
    await phone.goto("/privacy")
    await expect(phone.get_by_role("heading", name="How long we keep it")).to_be_visible()
    await expect(phone.get_by_text("No advertising, no trackers")).to_be_visible()

    dutch = await browser.new_context(viewport=PHONE, base_url=live_server, locale="nl-NL")
    try:
        page = await dutch.new_page()
        await page.goto("/privacy")
        await expect(page.get_by_role("heading", name="Hoe lang we het bewaren")).to_be_visible()
    finally:
        await dutch.close()

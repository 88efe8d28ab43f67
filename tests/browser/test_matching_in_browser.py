"""Swipe on a phone: drag a card right, undo, use the button; the owner accepts; both see it."""

from __future__ import annotations

import re

from litestar import Litestar
from playwright.async_api import Browser, Page, expect

from tests.browser.conftest import PHONE
from tests.browser.journeys import choose_region, log_in, sign_up
from tests.factories import PASSWORD, make_account, make_listing, place_in


async def drag_card(page: Page, distance: int) -> None:
    """Drag the top card sideways with the pointer, as a finger would."""
    card = page.get_by_role("region", name="Cards").locator(
        "article.deck-card:not(.deck-card-behind)"
    )
    box = await card.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    await page.mouse.move(x, y)
    await page.mouse.down()
    for step in range(1, 11):
        await page.mouse.move(x + distance * step / 10, y + 4)
    await page.mouse.up()


async def test_swipe_undo_swipe_then_the_owner_accepts(
    app: Litestar, browser: Browser, live_server: str, phone: Page
) -> None:
    owner = await place_in(app, await make_account(app, display_name="Henk"), "Leiden")
    await make_listing(app, owner, title="Hulp bij de heg snoeien", category="garden")

    await log_in(phone, await sign_up(phone, name="Fatima"))
    await choose_region(phone, "Leiden")
    await phone.get_by_role("link", name="Discover").click()
    deck = phone.get_by_role("region", name="Cards")
    await expect(deck.get_by_role("article", name="Hulp bij de heg snoeien")).to_be_visible()

    await drag_card(phone, 220)
    await expect(phone.get_by_text("Sent! You will hear when they answer.")).to_be_visible()
    await expect(deck).to_have_count(0)

    await phone.get_by_role("button", name="Undo the last swipe").click()
    await expect(deck.get_by_role("article", name="Hulp bij de heg snoeien")).to_be_visible()

    await phone.get_by_label(re.compile("Your note")).fill("Ik heb een heggenschaar!")
    await deck.get_by_role("button", name=re.compile("^I can help")).click()
    await expect(phone.get_by_text("Sent! You will hear when they answer.")).to_be_visible()

    await phone.get_by_role("link", name="My matches").click()
    sent = phone.get_by_role("region", name="Sent")
    await expect(sent.get_by_text("Waiting for an answer")).to_be_visible()
    await expect(sent).not_to_contain_text(re.compile("PageContext|csrf|Settings"))

    owner_context = await browser.new_context(viewport=PHONE, base_url=live_server, locale="en-GB")
    owner_page = await owner_context.new_page()
    await owner_page.goto("/login")
    await owner_page.get_by_label("Email address").fill(owner.email)
    await owner_page.get_by_label("Password").fill(PASSWORD)
    await owner_page.get_by_role("button", name="Log in").click()
    await owner_page.goto("/listings")
    await expect(
        owner_page.get_by_role("article", name="Hulp bij de heg snoeien").get_by_text("1 response")
    ).to_be_visible()
    await owner_page.goto("/matches")
    waiting = owner_page.get_by_role("region", name="Waiting for your answer")
    await expect(waiting.get_by_text("Ik heb een heggenschaar!")).to_be_visible()
    await waiting.get_by_role("button", name="Accept Fatima").click()
    matches = owner_page.get_by_role("region", name="Matches")
    await expect(matches.get_by_role("article", name="Hulp bij de heg snoeien")).to_be_visible()
    await owner_context.close()

    await phone.reload()
    await expect(
        phone.get_by_role("region", name="Matches").get_by_role(
            "article", name="Hulp bij de heg snoeien"
        )
    ).to_be_visible()


async def test_arrow_keys_skip_and_help(app: Litestar, phone: Page) -> None:
    neighbour = await place_in(app, await make_account(app), "Zwolle")
    await make_listing(app, neighbour, title="Eerste kaart")
    await make_listing(app, neighbour, title="Tweede kaart", kind="offer", category="lending")
    await log_in(phone, await sign_up(phone))
    await choose_region(phone, "Zwolle")
    await phone.get_by_role("link", name="Discover").click()
    deck = phone.get_by_role("region", name="Cards")
    first = deck.locator("article.deck-card:not(.deck-card-behind)")
    title = await first.get_attribute("aria-label")
    await phone.keyboard.press("ArrowLeft")
    await expect(first).not_to_have_attribute("aria-label", title or "")
    await phone.keyboard.press("ArrowRight")
    await expect(phone.get_by_text("You have seen everything nearby")).to_be_visible()

"""Create a request on a phone through every step, then find, extend and close it."""

from __future__ import annotations

import re

from playwright.async_api import Page, expect

from tests.browser.journeys import change_at_once, choose_region, listing_text_step, log_in, sign_up


async def test_create_a_request_through_every_step_then_extend_and_close_it(phone: Page) -> None:
    await log_in(phone, await sign_up(phone))
    await choose_region(phone, "Haarlem")

    await phone.get_by_role("link", name="My listings", exact=True).click()
    await phone.get_by_role("link", name="New request or offer").click()
    wizard = phone.get_by_role("form", name="New request or offer")
    await expect(wizard.get_by_text("Step 1 of 6")).to_be_visible()
    await wizard.get_by_role("button", name="Next").click()
    await expect(wizard.get_by_role("alert")).to_have_text("Choose request or offer.")
    await wizard.get_by_role("button", name="I need help").click()
    await wizard.get_by_role("button", name="Next").click()

    await wizard.get_by_role("button", name=re.compile("Pets")).click()
    await wizard.get_by_role("button", name="Next").click()

    await wizard.get_by_label("Title").fill("Who can walk my dog on Saturdays?")
    await wizard.get_by_label("Description").fill("Bobby is a friendly beagle.")
    await wizard.get_by_role("button", name="Next").click()

    await wizard.get_by_role("button", name="Every week").click()
    await wizard.get_by_role("button", name="Saturday").click()
    await wizard.get_by_role("button", name="Next").click()

    await expect(wizard.get_by_text("Region: Haarlem")).to_be_visible()
    await wizard.get_by_role("button", name="Next").click()

    await expect(wizard.get_by_text("Step 6 of 6")).to_be_visible()
    await expect(wizard.get_by_text("Every week on Saturday")).to_be_visible()
    await wizard.get_by_role("button", name="Publish").click()

    detail = phone.get_by_role("region", name="Who can walk my dog on Saturdays?")
    await expect(detail.get_by_text("Haarlem")).to_be_visible()
    await expect(detail.get_by_text("Open", exact=True)).to_be_visible()

    await phone.get_by_role("link", name="My listings", exact=True).click()
    await phone.get_by_role("button", name=re.compile("Who can walk my dog")).click()
    detail = phone.get_by_role("region", name="Who can walk my dog on Saturdays?")
    visible_until = await detail.get_by_text(re.compile("^Visible until")).text_content()
    await detail.get_by_role("button", name="Extend").click()
    await expect(detail.get_by_text(re.compile("^Visible until"))).not_to_have_text(
        visible_until or ""
    )

    await detail.get_by_role("button", name="Close").click()
    await expect(detail.get_by_text("Did you find help through Handje?")).to_be_visible()
    await detail.get_by_role("button", name="Yes", exact=True).click()
    await expect(detail.get_by_text("Closed", exact=True)).to_be_visible()
    await expect(detail.get_by_role("button", name="Edit")).to_have_count(0)


async def test_an_address_in_the_text_asks_for_confirmation(phone: Page) -> None:
    wizard = await listing_text_step(phone, "Utrecht", "I can help", "Garden")
    await wizard.get_by_label("Title").fill("Tuinhulp")
    await wizard.get_by_label("Description").fill("Kom langs op Kerkstraat 12.")
    for _ in range(3):
        await wizard.get_by_role("button", name="Next").click()
    await wizard.get_by_role("button", name="Publish").click()
    await expect(
        wizard.get_by_text(re.compile("Share your address only in a private"))
    ).to_be_visible()
    await wizard.get_by_role("button", name="Publish anyway").click()
    await expect(phone.get_by_role("region", name="Tuinhulp")).to_be_visible()


async def test_text_filled_in_and_sent_at_once_is_all_kept(phone: Page) -> None:
    """Autofill and Enter send both fields and the step before the page renders again."""
    wizard = await listing_text_step(phone, "Leiden", "I need help", "Shopping")
    await change_at_once(
        phone, {"title": "Groceries on Fridays", "description": "The shop is two streets away."}
    )
    await expect(wizard.get_by_text("Step 4 of 6")).to_be_visible()
    await wizard.get_by_role("button", name="Back").click()
    await expect(wizard.get_by_label("Title")).to_have_value("Groceries on Fridays")
    await expect(wizard.get_by_label("Description")).to_have_value("The shop is two streets away.")

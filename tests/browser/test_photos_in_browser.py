"""A photo taken through the listing form shows as a thumbnail on the listing's card."""

from __future__ import annotations

import re

from playwright.async_api import Page, expect

from tests.browser.journeys import listing_text_step, log_in, sign_up
from tests.media.photo_files import jpeg_with_gps


async def test_a_photo_goes_through_the_listing_form_onto_the_card(phone: Page) -> None:
    wizard = await listing_text_step(phone, "Leiden", "I can help", "Lending things")

    picker = wizard.get_by_label("Add a photo")
    await expect(picker).to_have_attribute("accept", "image/*")
    await picker.set_input_files(
        {"name": "ladder.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps(1600, 1200)}
    )
    thumbnail = wizard.get_by_role("list", name="Photos").get_by_role("img", name="Photo")
    await expect(thumbnail).to_have_attribute("src", re.compile(r"/media/photos/.+/thumb\.webp$"))

    await wizard.get_by_label("Title").fill("Ladder te leen")
    for _ in range(3):
        await wizard.get_by_role("button", name="Next").click()
    await wizard.get_by_role("button", name="Publish").click()
    await expect(phone.get_by_role("region", name="Ladder te leen")).to_be_visible()

    await phone.get_by_role("link", name="My listings", exact=True).click()
    card = phone.get_by_role("article", name="Ladder te leen")
    image = card.locator("img.listing-photo")
    await expect(image).to_have_attribute("src", re.compile(r"thumb\.webp$"))
    assert await image.evaluate("img => img.complete && img.naturalWidth > 0")


async def test_a_file_that_is_not_a_photo_gets_a_friendly_message(phone: Page) -> None:
    await log_in(phone, await sign_up(phone))
    await phone.get_by_role("link", name="Profile").click()
    await phone.get_by_label("Add a photo").set_input_files(
        {"name": "notes.jpg", "mimeType": "image/jpeg", "buffer": b"just some text" * 50}
    )
    await expect(phone.get_by_text(re.compile("not a photo we can read"))).to_be_visible()

"""A switch tapped twice quickly ends where it started: each tap sends the state the switch should
end in, from the newest one, even when the second tap reaches the server before the page renders
the first."""

from __future__ import annotations

import asyncio

from litestar import Litestar
from playwright.async_api import Locator, Page, expect

from backend.accounts.service import Account
from tests.browser.journeys import log_in
from tests.factories import make_account, make_listing, place_in

SETTLE_MS = 2_500  # both taps stored (generous: a loaded CI machine saves slowly)


async def tap_twice_at_once(control: Locator) -> None:
    """Two taps sent together, as a quick double tap on a slow phone or network does."""
    await control.evaluate("(element) => { element.click(); element.click(); }")


async def tap_a_switch_twice_at_once(
    app: Litestar, phone: Page, path: str, name: str, checked: str
) -> tuple[Account, Locator]:
    """Anna opens ``path`` and taps the switch ``name`` (showing ``checked``) twice at once; it
    shows the same again, and one more tap turns it over."""
    anna = await make_account(app, display_name="Anna")
    await log_in(phone, anna.email)
    await phone.goto(path)
    switch = phone.get_by_role("switch", name=name)
    await expect(switch).to_have_attribute("aria-checked", checked)
    await tap_twice_at_once(switch)
    await phone.wait_for_timeout(SETTLE_MS)
    await expect(switch).to_have_attribute("aria-checked", checked)
    return anna, switch


async def test_read_receipts_tapped_twice_quickly_stay_on(app: Litestar, phone: Page) -> None:
    anna, receipts = await tap_a_switch_twice_at_once(
        app, phone, "/profile", "Read receipts", "true"
    )
    assert (await app.state.accounts.account(anna.id)).read_receipts
    await receipts.click()
    await expect(receipts).to_have_attribute("aria-checked", "false")


async def test_a_consent_tapped_twice_quickly_stays_off(app: Litestar, phone: Page) -> None:
    anna, news = await tap_a_switch_twice_at_once(
        app, phone, "/profile/privacy", "News from your region", "false"
    )
    assert (await app.state.privacy.consents(anna))["newsletter"] is None
    await news.click()
    await expect(news).to_have_attribute("aria-checked", "true")


async def test_pause_tapped_twice_quickly_leaves_the_listing_open(
    app: Litestar, phone: Page
) -> None:
    anna = await place_in(app, await make_account(app, display_name="Anna"), "Leiden")
    listing = await make_listing(app, anna)
    await log_in(phone, anna.email)
    await phone.goto(f"/listings/{listing.id}")
    pause = phone.get_by_role("button", name="Pause", exact=True)
    await expect(pause).to_be_visible()

    await tap_twice_at_once(pause)

    await phone.wait_for_timeout(SETTLE_MS)
    assert not (await app.state.listings.view(anna, listing.id)).paused
    await expect(phone.get_by_role("button", name="Pause", exact=True)).to_be_visible()
    await phone.get_by_role("button", name="Pause", exact=True).click()
    await expect(phone.get_by_role("button", name="Resume", exact=True)).to_be_visible()
    # The page shows the new state at once and stores it in the background.
    for _ in range(50):
        if (await app.state.listings.view(anna, listing.id)).paused:
            break
        await asyncio.sleep(0.1)
    assert (await app.state.listings.view(anna, listing.id)).paused

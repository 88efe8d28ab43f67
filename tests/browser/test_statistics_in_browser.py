"""An admin reads the statistics charts on a tablet, finds the CSV download and sends
regional news."""

from __future__ import annotations

from datetime import UTC, datetime

from litestar import Litestar
from playwright.async_api import Browser, expect

from tests.browser.journeys import log_in, sign_up
from tests.factories import make_account, make_listing, place_in

TABLET = {"width": 1024, "height": 768}


async def test_an_admin_reads_the_charts_and_sends_regional_news_on_a_tablet(
    browser: Browser, live_server: str, app: Litestar
) -> None:
    owner = await place_in(app, await make_account(app), "Haarlem")
    await app.state.privacy.set_consent(owner, "newsletter", True)
    for _ in range(6):
        await make_listing(app, owner, category="shopping")
    await app.state.statistics.compute_month(datetime.now(UTC).date())
    context = await browser.new_context(viewport=TABLET, base_url=live_server, locale="en-GB")
    context.set_default_timeout(10_000)
    tablet = await context.new_page()
    try:
        email = await sign_up(tablet, name="Beheerder")
        await app.state.accounts.grant_role(email, "admin")
        await log_in(tablet, email)
        await tablet.get_by_role("link", name="Profile").click()
        await tablet.get_by_role("link", name="Open statistics").click()

        activity = tablet.get_by_role("img", name="Listings, interests and matches per month")
        await expect(activity).to_be_visible()
        await expect(tablet.get_by_role("img", name="Thank-you notes per month")).to_be_visible()
        await expect(tablet.get_by_role("link", name="Download as CSV")).to_have_attribute(
            "href", "/api/statistics/national/figures.csv"
        )
        figure = tablet.get_by_role("figure").filter(has=activity)
        await figure.get_by_text("Show the numbers").click()
        table = figure.get_by_role("table", name="Listings, interests and matches per month")
        await expect(table.get_by_role("cell", name="6", exact=True)).to_be_visible()
        await expect(table.get_by_role("cell", name="<5").first).to_be_visible()

        news = tablet.get_by_role("form", name="Regional news")
        await news.get_by_label("Your news").fill("Buurtfeest zaterdag om 14:00")
        await news.get_by_role("button", name="Send the news").click()
        await expect(news.get_by_role("status")).to_have_text("Sent. People reached: 1.")
    finally:
        await context.close()

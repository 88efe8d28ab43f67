"""Chromium (Debian's, never a downloaded one) at a phone viewport against a live server."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser, Page, async_playwright

CHROMIUM = "/usr/bin/chromium"
PHONE = {"width": 390, "height": 844}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test in this folder as a browser test."""
    for item in items:
        if "tests/browser/" in str(item.path):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    """One headless chromium for the run."""
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        )
        yield chromium
        await chromium.close()


@pytest.fixture
async def phone(browser: Browser, live_server: str) -> AsyncIterator[Page]:
    """A fresh phone-sized browser profile (English) on the live server."""
    context = await browser.new_context(
        viewport=PHONE, base_url=live_server, locale="en-GB", has_touch=True, is_mobile=True
    )
    context.set_default_timeout(10_000)
    page = await context.new_page()
    yield page
    await context.close()


@pytest.fixture
async def second_phone(browser: Browser, live_server: str) -> AsyncIterator[Page]:
    """The other person's phone: a browser profile of its own."""
    context = await browser.new_context(
        viewport=PHONE, base_url=live_server, locale="en-GB", has_touch=True, is_mobile=True
    )
    context.set_default_timeout(10_000)
    yield await context.new_page()
    await context.close()

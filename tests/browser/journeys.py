"""Steps a person takes, shared by the browser tests."""

from __future__ import annotations

import re

from playwright.async_api import Locator, Page, expect

from tests.factories import PASSWORD, unique_email


async def sign_up(page: Page, name: str = "Anneke") -> str:
    """Create an account through the sign-up form; return its email address."""
    email = unique_email("browser")
    await page.goto("/")
    await expect(page.get_by_role("heading", name="Create your account")).to_be_visible()
    await page.get_by_label("Your first name").fill(name)
    await page.get_by_label("Email address").fill(email)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Create account").click()
    await expect(page.get_by_role("heading", name="Log in", exact=True)).to_be_visible()
    return email


async def log_in(page: Page, email: str) -> None:
    """Log in through the log-in form and arrive on Discover."""
    if not page.url.endswith("/login"):
        await page.goto("/login")
    await page.get_by_label("Email address").fill(email)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Log in").click()
    await expect(page.get_by_role("heading", name="Discover", exact=True)).to_be_visible()


async def choose_region(phone: Page, town: str) -> None:
    """Pick the home town on the profile page."""
    await phone.get_by_role("link", name="Profile").click()
    await phone.get_by_label("Search your town or village").fill(town)
    await phone.get_by_role("button", name=re.compile(rf"^{town} ·")).click()
    await expect(phone.get_by_text(f"Region: {town}")).to_be_visible()


async def listing_text_step(phone: Page, town: str, kind: str, category: str) -> Locator:
    """A new person in ``town`` starts a listing (``kind``: the kind button's name) in
    ``category`` and reaches the title and photos step; returns the wizard form.
    """
    await log_in(phone, await sign_up(phone))
    await choose_region(phone, town)
    await phone.goto("/listings/new")
    wizard = phone.get_by_role("form", name="New request or offer")
    await wizard.get_by_role("button", name=kind).click()
    await wizard.get_by_role("button", name="Next").click()
    await wizard.get_by_role("button", name=re.compile(category)).click()
    await wizard.get_by_role("button", name="Next").click()
    await expect(wizard.get_by_label("Title")).to_be_visible()
    return wizard


async def change_at_once(
    page: Page, values: dict[str, str], taps: tuple[str, ...] = (), *, submit: bool = True
) -> None:
    """Fill in fields (by id), tap buttons or labels (by their text) and submit, all in one go.

    Autofill and Enter do so too: every event can reach the server before the page renders again.
    """
    await page.evaluate(
        """([values, taps, submit]) => {
            let form = null;
            for (const [id, value] of Object.entries(values)) {
                const control = document.getElementById(id);
                control.value = value;
                control.dispatchEvent(new Event("input", {bubbles: true}));
                control.dispatchEvent(new Event("change", {bubbles: true}));
                form = control.form;
            }
            for (const text of taps) {
                [...document.querySelectorAll("button, label")]
                    .find((element) => element.textContent.includes(text))
                    .click();
            }
            if (submit) {
                form.requestSubmit();
            }
        }""",
        [values, list(taps), submit],
    )

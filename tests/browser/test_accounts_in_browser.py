"""Sign up, log out, log in, edit the profile and switch the language on a phone."""

from __future__ import annotations

import re

from playwright.async_api import Page, expect

from tests.browser.journeys import change_at_once, log_in, sign_up
from tests.factories import PASSWORD


async def test_sign_up_log_out_and_log_in_again(phone: Page) -> None:
    email = await sign_up(phone)
    await expect(phone.get_by_role("status")).to_contain_text("your account is ready")
    await expect(phone.get_by_label("Email address")).to_have_value(email)
    await log_in(phone, email)
    await expect(phone).to_have_url(re.compile(r"/discover$"))

    await phone.get_by_role("link", name="Profile").click()
    await expect(phone.get_by_role("heading", name="Profile", exact=True)).to_be_visible()
    await phone.get_by_role("button", name="Log out").click()
    await expect(phone.get_by_role("heading", name="Log in", exact=True)).to_be_visible()
    await phone.goto("/profile")
    await expect(phone.get_by_role("heading", name="Create your account")).to_be_visible()

    await log_in(phone, email)


async def test_a_wrong_password_shows_a_friendly_message(phone: Page) -> None:
    email = await sign_up(phone)
    await phone.get_by_label("Password").fill("not my password at all")
    await phone.get_by_role("button", name="Log in").click()
    await expect(phone.get_by_role("alert")).to_have_text("Wrong email address or password.")
    await expect(phone.get_by_label("Email address")).to_have_value(email)


async def test_edit_the_profile(phone: Page) -> None:
    await log_in(phone, await sign_up(phone))
    await phone.get_by_role("link", name="Profile").click()

    details = phone.get_by_role("form", name="Your profile")
    await details.get_by_label("Display name").fill("Anneke de Vries")
    await details.get_by_label("About you").fill("Ik fiets graag en help met boodschappen.")
    await details.get_by_role("button", name=re.compile("Garden")).click()
    await expect(details.get_by_role("button", name=re.compile("Garden"))).to_have_attribute(
        "aria-pressed", "true"
    )
    await details.get_by_role("button", name="Save profile").click()
    await expect(details.get_by_role("status")).to_have_text("Saved.")

    phone_form = phone.get_by_role("form", name="Phone number")
    await phone_form.get_by_label("New phone number").fill("12345")
    await phone_form.get_by_label("Current password").fill(PASSWORD)
    await phone_form.get_by_role("button", name="Save").click()
    await expect(phone_form.get_by_role("alert")).to_have_text("That phone number is not valid.")
    await phone_form.get_by_label("New phone number").fill("06 1234 5678")
    await phone_form.get_by_label("Current password").fill(PASSWORD)
    await phone_form.get_by_role("button", name="Save").click()
    await expect(phone.get_by_text("Your number: +31612345678")).to_be_visible()

    await phone.reload()
    details = phone.get_by_role("form", name="Your profile")
    await expect(details.get_by_label("Display name")).to_have_value("Anneke de Vries")
    await expect(details.get_by_label("About you")).to_have_value(
        "Ik fiets graag en help met boodschappen."
    )
    await expect(details.get_by_role("button", name=re.compile("Garden"))).to_have_attribute(
        "aria-pressed", "true"
    )


async def test_switch_the_language(phone: Page) -> None:
    await log_in(phone, await sign_up(phone))
    await phone.get_by_role("link", name="Profile").click()
    await phone.get_by_role("button", name="Nederlands").click()
    await expect(phone.get_by_role("heading", name="Profiel", exact=True)).to_be_visible()
    await expect(phone.get_by_role("link", name="Ontdekken")).to_be_visible()
    await phone.reload()
    await expect(phone.get_by_role("heading", name="Profiel", exact=True)).to_be_visible()
    await expect(phone.locator("html")).to_have_attribute("lang", "nl")
    await phone.get_by_role("button", name="English").click()
    await expect(phone.get_by_role("heading", name="Profile", exact=True)).to_be_visible()


async def test_a_visitor_can_choose_the_language_before_signing_up(phone: Page) -> None:
    await phone.goto("/signup")
    await phone.get_by_role("button", name="Nederlands").click()
    await expect(phone.get_by_role("heading", name="Maak je account aan")).to_be_visible()


async def test_profile_filled_in_and_saved_at_once_is_all_kept(phone: Page) -> None:
    """Typing, a tap on a chip and Enter can all reach the server before the page renders again."""
    await log_in(phone, await sign_up(phone))
    await phone.get_by_role("link", name="Profile").click()
    details = phone.get_by_role("form", name="Your profile")
    await expect(details.get_by_label("Display name")).to_be_visible()
    await change_at_once(
        phone,
        {"display_name": "Anneke de Vries", "bio": "Ik fiets graag."},
        taps=("Garden", "Shopping"),
    )
    await expect(details.get_by_role("status")).to_have_text("Saved.")
    await phone.reload()
    details = phone.get_by_role("form", name="Your profile")
    await expect(details.get_by_label("Display name")).to_have_value("Anneke de Vries")
    await expect(details.get_by_label("About you")).to_have_value("Ik fiets graag.")
    for name in ("Garden", "Shopping"):
        await expect(details.get_by_role("button", name=re.compile(name))).to_have_attribute(
            "aria-pressed", "true"
        )

"""Start an organisation on a phone, edit it, add a member, and the rules an owner meets."""

from __future__ import annotations

import re
from uuid import uuid4

from litestar import Litestar
from playwright.async_api import Page, expect

from tests.browser.journeys import log_in, sign_up
from tests.factories import make_account, unique_email


async def start_organisation(phone: Page, name: str, town: str) -> None:
    """Go to the organisations page from the profile and start one there."""
    await phone.get_by_role("link", name="Profile").click()
    await phone.get_by_role("link", name="Your organisations").click()
    await expect(phone.get_by_text("No organisations yet")).to_be_visible()
    form = phone.get_by_role("form", name="Start an organisation")
    await form.get_by_label("Name").fill(name)
    await form.get_by_label("Description").fill("Wij helpen elkaar in de buurt.")
    await form.get_by_label("Search the town or village").fill(town)
    await form.get_by_role("button", name=re.compile(rf"^{town} ·")).click()
    await expect(form.get_by_text(f"Region: {town}")).to_be_visible()
    await form.get_by_role("button", name="Start organisation").click()
    await expect(phone.get_by_role("heading", name=name, exact=True)).to_be_visible()


async def test_start_an_organisation_add_a_member_and_stay_its_owner(
    phone: Page, app: Litestar
) -> None:
    await log_in(phone, await sign_up(phone, "Anneke"))
    await start_organisation(phone, "Buurtteam De Krim", "Amsterdam")

    members = phone.get_by_role("region", name="Members")
    await expect(members.get_by_role("article", name="Anneke")).to_contain_text("Owner")
    profile = phone.get_by_role("form", name="Organisation profile")
    await profile.get_by_label("Website (optional)").fill("https://dekrim.example")
    await profile.get_by_role("button", name="Save").click()
    await expect(profile.get_by_role("status")).to_have_text("Saved.")

    await phone.get_by_role("link", name="← Your organisations").click()
    card = phone.get_by_role("link", name=re.compile("Buurtteam De Krim"))
    await expect(card).to_contain_text("Owner")
    await expect(card).to_contain_text("1 member")
    await card.click()

    bram = unique_email("bram")
    await make_account(app, email=bram, display_name="Bram")
    invite = phone.get_by_role("form", name="Add a member")
    await invite.get_by_label("Their email address").fill(bram)
    await invite.get_by_label("Role").select_option("manager")
    await invite.get_by_role("button", name="Add member").click()
    await expect(invite.get_by_role("status")).to_have_text(f"{bram} is now a member.")
    await expect(members.get_by_role("article", name="Bram")).to_contain_text("Manager")
    await expect(members).not_to_contain_text(bram)

    await invite.get_by_label("Their email address").fill(unique_email("nobody"))
    await invite.get_by_role("button", name="Add member").click()
    await expect(invite.get_by_role("alert")).to_have_text("No account with that email address.")

    leaving = phone.get_by_role("region", name="Leave organisation")
    await leaving.get_by_role("button", name="Leave organisation").click()
    await leaving.get_by_role("button", name="Yes, leave").click()
    await expect(leaving.get_by_role("alert")).to_have_text(
        "An organisation needs at least one owner."
    )
    await expect(phone.get_by_role("heading", name="Buurtteam De Krim")).to_be_visible()

    bram_card = members.get_by_role("article", name="Bram")
    await bram_card.get_by_label("Role").select_option("owner")
    await bram_card.get_by_role("button", name="Change role").click()
    await expect(members.get_by_role("status")).to_have_text("Saved.")
    await expect(bram_card).to_contain_text("Owner")
    await bram_card.get_by_role("button", name="Remove").click()
    await (
        bram_card.get_by_role("group", name="Remove Bram")
        .get_by_role("button", name="Yes, remove")
        .click()
    )
    await expect(members.get_by_role("status")).to_have_text("Bram is no longer a member.")
    await expect(bram_card).to_have_count(0)


async def test_an_organisation_you_do_not_belong_to_looks_like_a_missing_one(
    phone: Page, app: Litestar
) -> None:
    others = await app.state.organisations.create(await make_account(app), "Tuinclub Noord")
    await log_in(phone, await sign_up(phone))
    for organisation_id in (others.id, uuid4()):
        await phone.goto(f"/organisations/{organisation_id}")
        await expect(phone.get_by_role("alert")).to_have_text("Not found.")
        await expect(phone.get_by_text("Tuinclub Noord")).to_have_count(0)

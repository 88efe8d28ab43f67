"""The organisations service as other domains use it: regions, the public card, membership."""

from __future__ import annotations

import asyncio
from uuid import uuid4

import pytest
from litestar import Litestar

from backend.errors import Forbidden, NotFound
from backend.organisations.service import OrganisationChanges, Organisations, OrganisationView
from backend.organisations.tables import Membership
from backend.regions.model import Region
from tests.factories import make_account

UTRECHT = Region(cell="871969a6bffffff", name="Utrecht")


async def test_region_is_kept_and_shown_on_the_public_card(app: Litestar) -> None:
    owner = await make_account(app)
    organisations = Organisations()
    created = await organisations.create(
        owner, "Buurtteam Lombok", website="https://lombok.example", region=UTRECHT
    )
    assert (created.region_cell, created.region_name) == (UTRECHT.cell, "Utrecht")
    card = await organisations.public_card(created.id)
    assert (card.name, card.website, card.region_name) == (
        "Buurtteam Lombok",
        "https://lombok.example",
        "Utrecht",
    )
    cleared = await organisations.update(owner, created.id, OrganisationChanges(remove_region=True))
    assert (cleared.region_cell, cleared.region_name) == (None, None)


async def test_public_card_of_a_missing_organisation_is_not_found() -> None:
    with pytest.raises(NotFound):
        await Organisations().public_card(uuid4())


async def test_require_member_gives_the_role_and_refuses_everyone_else(app: Litestar) -> None:
    owner = await make_account(app)
    manager = await make_account(app)
    outsider = await make_account(app)
    organisations = Organisations()
    created = await organisations.create(owner, "Voedselbank Oost")
    await organisations.invite(owner, created.id, manager.email)
    assert await organisations.require_member(owner.id, created.id) == "owner"
    assert await organisations.require_member(manager.id, created.id) == "manager"
    with pytest.raises(NotFound):
        await organisations.require_member(outsider.id, created.id)


async def test_member_organisation_ids_lists_only_the_users_organisations(app: Litestar) -> None:
    person = await make_account(app)
    stranger = await make_account(app)
    organisations = Organisations()
    first = await organisations.create(person, "Voedselbank Oost")
    second = await organisations.create(person, "Buurtteam West")
    await organisations.create(stranger, "Zorgteam Noord")
    assert set(await organisations.member_organisation_ids(person.id)) == {first.id, second.id}


async def test_member_user_ids_lists_every_member_of_the_organisation(app: Litestar) -> None:
    owner = await make_account(app)
    manager = await make_account(app)
    stranger = await make_account(app)
    organisations = Organisations()
    created = await organisations.create(owner, "Voedselbank Oost")
    await organisations.invite(owner, created.id, manager.email)
    await organisations.create(stranger, "Zorgteam Noord")
    assert set(await organisations.member_user_ids(created.id)) == {owner.id, manager.id}


async def test_the_database_refuses_a_second_membership_of_the_same_person(
    app: Litestar,
) -> None:
    owner = await make_account(app)
    created = await Organisations().create(owner, "Voedselbank Oost")
    with pytest.raises(Exception, match=r"(?i)unique"):
        await Membership(organisation=created.id, user=owner.id, role="manager").save()


async def test_two_owners_demoting_each_other_at_once_leave_one_owner(app: Litestar) -> None:
    first = await make_account(app)
    second = await make_account(app)
    organisations = Organisations()
    created = await organisations.create(first, "Voedselbank Oost")
    await organisations.invite(first, created.id, second.email, role="owner")
    results = await asyncio.gather(
        organisations.change_role(first, created.id, second.id, "manager"),
        organisations.change_role(second, created.id, first.id, "manager"),
        return_exceptions=True,
    )
    assert sum(isinstance(result, OrganisationView) for result in results) == 1
    assert sum(isinstance(result, Forbidden) for result in results) == 1
    roles = [
        await organisations.require_member(account.id, created.id) for account in (first, second)
    ]
    assert sorted(roles) == ["manager", "owner"]

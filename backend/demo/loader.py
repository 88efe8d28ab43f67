"""Loads the demo data through the same services the app uses (idempotent)."""

from __future__ import annotations

from typing import Any

from backend.accounts.service import Account, ProfileChanges
from backend.accounts.tables import User
from backend.app import create_app
from backend.demo.data import (
    DEMO_LISTINGS,
    DEMO_ORGANISATIONS,
    DEMO_PASSWORD,
    DEMO_PEOPLE,
    DEMO_SITE,
    DemoListing,
)
from backend.demo.pictures import listing_picture, profile_picture
from backend.listings.drafts import ListingDraft
from backend.regions.service import region_from_place
from backend.settings import Settings


async def load_demo(settings: Settings) -> int:
    """Create the demo data unless it is there; return how many demo accounts were created."""
    services = create_app(settings).state
    if await User.exists().where(User.email == DEMO_PEOPLE[0].email):
        return 0
    people: dict[str, Account] = {}
    for index, person in enumerate(DEMO_PEOPLE):
        account = await services.accounts.sign_up(
            email=person.email,
            password=DEMO_PASSWORD,
            display_name=person.name,
            language=person.language,
            ip=f"demo-{index}",
        )
        if account is None:
            continue
        if person.role != "member":
            account = await services.accounts.grant_role(person.email, person.role)
        await services.media.upload(account, profile_picture(person.name), purpose="profile")
        people[person.name] = await services.accounts.update_profile(
            account,
            ProfileChanges(
                account_kind=person.kind,
                bio=person.bio,
                interests=list(person.interests),
                region=region_from_place(person.town),
            ),
        )
    organisations = await _load_organisations(services, people)
    for listing in DEMO_LISTINGS:
        await _load_listing(services, people, organisations, listing)
    slug, name, host, town, radius_km = DEMO_SITE
    if await services.sites.by_slug(slug) is None:
        await services.sites.create(
            slug=slug, name=name, hosts=[host], centre=region_from_place(town), radius_km=radius_km
        )
    return len(people)


async def _load_organisations(services: Any, people: dict[str, Account]) -> dict[str, Any]:
    created = {}
    for demo in DEMO_ORGANISATIONS:
        owner = people[demo.owner]
        organisation = await services.organisations.create(
            owner,
            demo.name,
            description=demo.description,
            website=demo.website,
            region=region_from_place(demo.town),
        )
        for member in demo.members:
            await services.organisations.invite(owner, organisation.id, people[member].email)
        created[demo.name] = (owner, organisation.id)
    return created


async def _load_listing(
    services: Any, people: dict[str, Account], organisations: dict[str, Any], demo: DemoListing
) -> None:
    owner, organisation_id = organisations.get(demo.author, (people.get(demo.author), None))
    draft = ListingDraft(
        kind=demo.kind,
        title=demo.title,
        description=demo.description,
        category=demo.category,
        timing=demo.timing,
        weekdays=demo.weekdays,
        region=region_from_place(demo.town) if demo.town else None,
        organisation_id=organisation_id,
    )
    photo_ids = []
    if demo.with_photo:
        photo = await services.media.upload(owner, listing_picture(demo.title), purpose="listing")
        photo_ids.append(photo.id)
    await services.listings.create(owner, draft, confirm_address=True, photo_ids=photo_ids)

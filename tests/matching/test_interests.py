"""Interests and matches: swipe right, accept or decline, idempotence, who may, limits."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from backend.accounts.service import ProfileChanges
from backend.app import create_app
from backend.errors import NotFound, TooManyRequests
from backend.listings.tables import Listing
from backend.matching.tables import Match, Swipe
from backend.messaging.tables import Conversation
from backend.notifications.service import notifications_for
from backend.settings import Settings
from tests.factories import csrf_headers, log_in, make_account, make_listing, place_in


async def _person(app: Litestar, town: str = "Utrecht"):
    return await place_in(app, await make_account(app), town)


async def test_interest_accept_match_and_conversation(app: Litestar) -> None:
    owner = await _person(app)
    helper = await _person(app)
    listing = await make_listing(app, owner)
    interest_id = await app.state.matching.swipe(helper, listing.id, "right", "Ik help graag!")
    received = await app.state.matching.received(owner, listing.id)
    assert [(view.person_id, view.note) for view in received] == [(helper.id, "Ik help graag!")]
    assert [n["kind"] for n in await notifications_for(owner.id)] == ["interest_received"]

    accepted = await app.state.matching.accept(owner, interest_id)
    assert accepted.state == "accepted"
    assert accepted.conversation_id is not None
    assert await Conversation.exists().where(Conversation.id == accepted.conversation_id)
    status = await Listing.select(Listing.status).where(Listing.id == listing.id).first()
    assert status["status"] == "in_progress"
    helper_side = await app.state.matching.my_matches(helper)
    owner_side = await app.state.matching.my_matches(owner)
    assert [view.id for view in helper_side.matches] == [interest_id]
    assert [view.id for view in owner_side.matches] == [interest_id]
    assert owner_side.received == []
    assert "interest_accepted" in [n["kind"] for n in await notifications_for(helper.id)]


async def test_declining_is_quiet(app: Litestar) -> None:
    owner = await _person(app)
    helper = await _person(app)
    listing = await make_listing(app, owner)
    interest_id = await app.state.matching.swipe(helper, listing.id, "right")
    await app.state.matching.decline(owner, interest_id)
    sent = (await app.state.matching.my_matches(helper)).sent
    assert [view.state for view in sent] == ["declined"]
    assert [n["kind"] for n in await notifications_for(helper.id)] == []
    assert await Match.count() == 0


async def test_a_double_accept_in_parallel_creates_one_match(app: Litestar) -> None:
    owner = await _person(app)
    helper = await _person(app)
    listing = await make_listing(app, owner)
    interest_id = await app.state.matching.swipe(helper, listing.id, "right")
    results = await asyncio.gather(
        app.state.matching.accept(owner, interest_id),
        app.state.matching.accept(owner, interest_id),
        app.state.matching.accept(owner, interest_id),
    )
    assert {view.state for view in results} == {"accepted"}
    assert len({view.conversation_id for view in results}) == 1
    assert await Match.count() == 1
    assert await Conversation.count() == 1


async def test_organisation_members_accept_and_several_volunteers_match(app: Litestar) -> None:
    owner = await _person(app)
    manager = await _person(app)
    organisation = await app.state.organisations.create(owner, "Voedselbank")
    await app.state.organisations.invite(owner, organisation.id, manager.email)
    vacancy = await make_listing(app, owner, kind="offer", organisation_id=organisation.id)
    volunteers = [await _person(app) for _ in range(2)]
    for volunteer in volunteers:
        interest_id = await app.state.matching.swipe(volunteer, vacancy.id, "right")
        await app.state.matching.accept(manager, interest_id)
    assert await Match.count() == 2
    done = await app.state.listings.mark_done(owner, vacancy.id)
    assert done.status == "done"


async def test_only_the_owner_side_may_see_accept_or_decline(app: Litestar) -> None:
    owner = await _person(app)
    helper = await _person(app)
    stranger = await _person(app)
    listing = await make_listing(app, owner)
    interest_id = await app.state.matching.swipe(helper, listing.id, "right")
    for attempt in (
        app.state.matching.accept(stranger, interest_id),
        app.state.matching.decline(stranger, interest_id),
        app.state.matching.accept(helper, interest_id),
    ):
        with pytest.raises(NotFound):
            await attempt
    assert await Match.count() == 0


async def test_interest_endpoints_hide_other_peoples_interests(
    app: Litestar, client: AsyncTestClient, other_client: AsyncTestClient
) -> None:
    owner = await _person(app)
    listing = await make_listing(app, owner)
    helper = await _person(app)
    interest_id = await app.state.matching.swipe(helper, listing.id, "right")
    stranger = await _person(app)
    await log_in(client, stranger.email)
    headers = await csrf_headers(client)
    accept = await client.post(f"/api/matching/interests/{interest_id}/accept", headers=headers)
    listed = await client.get(f"/api/matching/listings/{listing.id}/interests")
    assert accept.status_code == 404
    assert listed.status_code == 403
    await log_in(other_client, owner.email)
    own = await other_client.get(f"/api/matching/listings/{listing.id}/interests")
    assert [item["id"] for item in own.json()] == [str(interest_id)]


async def test_swipes_through_the_api(app: Litestar, client: AsyncTestClient) -> None:
    listing = await make_listing(app, await _person(app))
    viewer = await _person(app)
    await log_in(client, viewer.email)
    headers = await csrf_headers(client)
    right = await client.post(
        "/api/matching/swipes",
        json={"listing_id": str(listing.id), "direction": "right", "note": "Hallo!"},
        headers=headers,
    )
    assert right.status_code == 200
    assert right.json()["interest_id"]
    again = await client.post(
        "/api/matching/swipes",
        json={"listing_id": str(listing.id), "direction": "right"},
        headers=headers,
    )
    assert again.json()["interest_id"] == right.json()["interest_id"]
    undo = await client.post("/api/matching/swipes/undo", headers=headers)
    assert undo.json() == {"listing_id": str(listing.id)}
    bad = await client.post(
        "/api/matching/swipes",
        json={"listing_id": str(listing.id), "direction": "up"},
        headers=headers,
    )
    assert bad.status_code == 400


async def test_swiping_ones_own_listing_is_not_possible(app: Litestar) -> None:
    owner = await _person(app)
    listing = await make_listing(app, owner)
    with pytest.raises(NotFound):
        await app.state.matching.swipe(owner, listing.id, "right")


async def test_new_interests_per_day_are_limited(settings: Settings) -> None:
    app = create_app(replace(settings, interests_per_day=2))
    viewer = await _person(app)
    listings = [await make_listing(app, await _person(app)) for _ in range(3)]
    await app.state.matching.swipe(viewer, listings[0].id, "right")
    await app.state.matching.swipe(viewer, listings[1].id, "right")
    with pytest.raises(TooManyRequests) as limited:
        await app.state.matching.swipe(viewer, listings[2].id, "right")
    assert "tomorrow" in limited.value.message
    assert await app.state.matching.swipe(viewer, listings[2].id, "left") is None


async def test_a_new_listing_is_recommended_to_people_nearby_who_like_it(app: Litestar) -> None:

    fan = await _person(app, "Utrecht")
    await app.state.accounts.update_profile(fan, ProfileChanges(interests=["pets"]))
    await app.state.accounts.update_profile(
        await _person(app, "Groningen"), ProfileChanges(interests=["pets"])
    )
    owner = await _person(app, "Utrecht")
    await make_listing(app, owner, category="pets", title="Hond uitlaten")
    notifications = await notifications_for(fan.id)
    assert [(n["kind"], n["data"]["title"]) for n in notifications] == [
        ("recommendation", "Hond uitlaten")
    ]


async def test_a_second_swipe_keeps_the_first_decision(app: Litestar) -> None:
    owner = await _person(app)
    helped, skipped = await make_listing(app, owner), await make_listing(app, owner)
    viewer = await _person(app)
    interest_id = await app.state.matching.swipe(viewer, helped.id, "right")
    assert await app.state.matching.swipe(viewer, helped.id, "left") == interest_id
    assert await app.state.matching.swipe(viewer, skipped.id, "left") is None
    assert await app.state.matching.swipe(viewer, skipped.id, "left") is None
    rows = await Swipe.select(Swipe.listing, Swipe.direction).where(Swipe.user == viewer.id)
    assert sorted((row["listing"], row["direction"]) for row in rows) == sorted(
        [(helped.id, "right"), (skipped.id, "left")]
    )


async def test_a_left_swipe_is_refused_on_cards_the_deck_never_shows(app: Litestar) -> None:
    viewer = await _person(app)
    neighbour = await _person(app)
    own = await make_listing(app, viewer)
    team = await app.state.organisations.create(viewer, "Mijn team")
    teams = await make_listing(app, viewer, organisation_id=team.id)
    paused = await make_listing(app, neighbour)
    await app.state.listings.set_paused(neighbour, paused.id, True)
    closed = await make_listing(app, neighbour)
    await app.state.listings.close(neighbour, closed.id, None)
    for listing in (own, teams, paused, closed):
        with pytest.raises(NotFound):
            await app.state.matching.swipe(viewer, listing.id, "left")
    assert await Swipe.count().where(Swipe.user == viewer.id) == 0

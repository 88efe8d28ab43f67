"""The Discover deck: what it never shows, its order, its cursor, and local sites."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from piccolo.engine.postgres import PostgresEngine

from backend.accounts.service import ProfileChanges
from backend.errors import NotFound
from backend.listings.drafts import ListingDraft
from backend.listings.tables import Listing
from backend.matching.service import DeckFilters
from backend.messaging.tables import Block
from backend.regions.service import region_from_place
from tests.factories import make_account, make_listing, place_in, signed_in_client
from tests.media.photo_files import jpeg_with_gps


async def _person(app: Litestar, town: str = "Utrecht", **profile: object):
    account = await place_in(app, await make_account(app), town)
    if profile:
        account = await app.state.accounts.update_profile(account, ProfileChanges(**profile))
    return account


async def _deck_page(app: Litestar, viewer, **filters: object):
    return await app.state.matching.deck(viewer, DeckFilters(**filters))


async def _deck_titles(app: Litestar, viewer, **filters: object) -> list[str]:
    return [card.listing.title for card in (await _deck_page(app, viewer, **filters)).cards]


async def test_the_deck_hides_what_it_must(app: Litestar) -> None:
    viewer = await _person(app)
    neighbour = await _person(app)
    await make_listing(app, viewer, title="My own")
    await make_listing(app, neighbour, title="Visible")
    swiped = await make_listing(app, neighbour, title="Swiped")
    await app.state.matching.swipe(viewer, swiped.id, "left")
    paused = await make_listing(app, neighbour, title="Paused")
    await app.state.listings.set_paused(neighbour, paused.id, True)
    closed = await make_listing(app, neighbour, title="Closed")
    await app.state.listings.close(neighbour, closed.id, None)
    expired = await make_listing(app, neighbour, title="Expired")
    await Listing.update({Listing.expires_at: datetime.now(UTC) - timedelta(days=1)}).where(
        Listing.id == expired.id
    )
    await app.state.listings.expire_due()
    blocker = await _person(app)
    await make_listing(app, blocker, title="From someone who blocked me")
    await Block.insert(Block(blocker=blocker.id, blocked=viewer.id))
    blocked = await _person(app)
    await make_listing(app, blocked, title="From someone I blocked")
    await Block.insert(Block(blocker=viewer.id, blocked=blocked.id))
    organisation = await app.state.organisations.create(viewer, "My team")
    await make_listing(app, viewer, title="My team's", organisation_id=organisation.id)
    far = await _person(app, "Groningen")
    await make_listing(app, far, title="Far away")

    assert await _deck_titles(app, viewer) == ["Visible"]


async def test_an_organisation_listing_posted_by_a_blocked_person_stays_hidden(
    app: Litestar,
) -> None:
    viewer = await _person(app)
    blocked = await _person(app)
    team = await app.state.organisations.create(blocked, "Their team")
    await make_listing(app, blocked, title="Their team's", organisation_id=team.id)
    await Block.insert(Block(blocker=viewer.id, blocked=blocked.id))
    assert await _deck_titles(app, viewer) == []


async def test_a_card_carries_photos_owner_and_how_many_offered_help(app: Litestar) -> None:
    viewer = await _person(app)
    owner = await _person(app)
    profile = await app.state.media.upload(owner, jpeg_with_gps(), purpose="profile")
    first = await app.state.media.upload(owner, jpeg_with_gps(colour="red"), purpose="listing")
    second = await app.state.media.upload(owner, jpeg_with_gps(colour="blue"), purpose="listing")
    draft = ListingDraft(
        kind="request", title="With photos", description="Two photos.", category="garden"
    )
    listing = await app.state.listings.create(owner, draft, photo_ids=[second.id, first.id])
    helpers = [await _person(app) for _ in range(3)]
    interests = [await app.state.matching.swipe(h, listing.id, "right") for h in helpers]
    await app.state.matching.accept(owner, interests[0])
    await app.state.matching.decline(owner, interests[1])
    await make_listing(app, await _person(app), title="Without photos")

    cards = {card.listing.title: card for card in (await _deck_page(app, viewer)).cards}

    card = cards["With photos"]
    assert [photo.id for photo in card.listing.photos] == [second.id, first.id]
    assert card.owner_photo is not None
    assert card.owner_photo.id == profile.id
    assert card.listing.owner.name == owner.display_name
    assert card.interested == 2  # accepted and pending; the declined one does not count
    bare = cards["Without photos"]
    assert bare.listing.photos == ()
    assert bare.owner_photo is None
    assert bare.interested == 0


async def test_an_undone_swipe_brings_the_card_back(app: Litestar) -> None:
    viewer = await _person(app)
    listing = await make_listing(app, await _person(app), title="Undo me")
    interest_id = await app.state.matching.swipe(viewer, listing.id, "right", "I can help!")
    assert interest_id is not None
    assert await _deck_titles(app, viewer) == []
    assert await app.state.matching.undo(viewer) == listing.id
    assert await _deck_titles(app, viewer) == ["Undo me"]
    assert (await app.state.matching.my_matches(viewer)).sent == []


async def test_filters_narrow_the_deck(app: Litestar) -> None:
    viewer = await _person(app, "Amsterdam")
    neighbour = await _person(app, "Amsterdam")
    await make_listing(app, neighbour, title="Request for pets", category="pets")
    await make_listing(app, neighbour, title="Offer of lifts", kind="offer", category="transport")
    haarlem = await _person(app, "Haarlem")
    await make_listing(app, haarlem, title="In Haarlem", category="pets")
    assert await _deck_titles(app, viewer, kinds=frozenset({"offer"})) == ["Offer of lifts"]
    assert await _deck_titles(app, viewer, categories=frozenset({"pets"})) == ["Request for pets"]
    assert "In Haarlem" in await _deck_titles(app, viewer, radius_km=25)


async def test_closer_and_better_fitting_cards_come_first(app: Litestar) -> None:
    viewer = await _person(app, "Amsterdam", interests=["garden"])
    await make_listing(app, viewer, title="I need a lift", category="transport")
    near = await _person(app, "Amsterdam")
    further = await _person(app, "Haarlem")
    await make_listing(app, further, title="Far, no fit", category="other")
    await make_listing(app, near, title="Near, no fit", category="other")
    await make_listing(app, further, title="Far, garden", category="garden")
    await make_listing(app, further, title="Far, lift offer", kind="offer", category="transport")
    titles = await _deck_titles(app, viewer, radius_km=30)
    assert titles.index("Near, no fit") < titles.index("Far, no fit")
    assert titles.index("Far, garden") < titles.index("Far, no fit")
    assert titles[0] == "Far, lift offer"  # answers my own request


async def test_one_owner_does_not_fill_the_deck(app: Litestar) -> None:
    viewer = await _person(app)
    busy = await _person(app)
    others = [await _person(app) for _ in range(3)]
    for number, other in enumerate(others):
        await make_listing(app, other, title=f"Other {number}")
    for number in range(6):  # the newest: without spreading they would all come first
        await make_listing(app, busy, title=f"Busy {number}")
    titles = await _deck_titles(app, viewer)
    owners = ["busy" if title.startswith("Busy") else "other" for title in titles]
    assert owners[:7] == ["busy", "other", "busy", "other", "busy", "other", "busy"]


async def test_the_cursor_pages_through_without_repeating(app: Litestar) -> None:
    viewer = await _person(app)
    neighbour = await _person(app)
    for number in range(5):
        await make_listing(app, neighbour, title=f"Card {number}")
    first = await app.state.matching.deck(viewer, DeckFilters(), limit=2)
    second = await app.state.matching.deck(viewer, DeckFilters(), cursor=first.cursor, limit=2)
    third = await app.state.matching.deck(viewer, DeckFilters(), cursor=second.cursor, limit=2)
    seen = [card.listing.title for page in (first, second, third) for card in page.cards]
    assert len(seen) == len(set(seen)) == 5


async def test_a_local_site_deck_stays_inside_its_area(app: Litestar) -> None:
    site = await app.state.sites.create(
        slug="leiden-helpt",
        name="Leiden helpt",
        hosts=["leiden.handje.test"],
        centre=region_from_place("Leiden"),
        radius_km=6,
    )
    viewer = await _person(app, "Leiden")
    await make_listing(app, await _person(app, "Leiden"), title="In Leiden")
    await make_listing(app, await _person(app, "Den Haag"), title="In Den Haag")
    national = await app.state.matching.deck(viewer, DeckFilters(radius_km=30))
    local = await app.state.matching.deck(viewer, DeckFilters(radius_km=30), site=site)
    assert {card.listing.title for card in national.cards} == {"In Leiden", "In Den Haag"}
    assert [card.listing.title for card in local.cards] == ["In Leiden"]


async def test_the_deck_api_answers_with_cards(app: Litestar, client: AsyncTestClient) -> None:
    viewer = await signed_in_client(app, client)
    await place_in(app, viewer, "Zwolle")
    listing = await make_listing(app, await _person(app, "Zwolle"), title="Help in Zwolle")
    response = await client.get("/api/matching/deck", params={"radius_km": 5})
    assert response.status_code == 200
    cards = response.json()["cards"]
    assert [card["listing"]["id"] for card in cards] == [str(listing.id)]
    assert cards[0]["interested"] == 0
    assert response.json()["cursor"]
    bad = await client.get("/api/matching/deck", params={"cursor": "not-a-cursor"})
    assert bad.status_code == 400


async def test_a_pooled_server_reads_the_deck_as_piccolo_does(app: Litestar) -> None:
    # Servers on PostgreSQL run the deck's statements on a pooled connection, not via Piccolo.
    engine = Listing._meta.db
    if not isinstance(engine, PostgresEngine):
        pytest.skip("only PostgreSQL has a connection pool")
    viewer = await _person(app)
    owner = await _person(app)
    first, *_ = [await make_listing(app, owner, title=f"Kaart {n}") for n in range(3)]
    through_piccolo = await _deck_page(app, viewer)
    await engine.start_connection_pool(min_size=1, max_size=2)
    try:
        pooled = await _deck_page(app, viewer)
        await app.state.matching.swipe(viewer, first.id, "left")
        with pytest.raises(NotFound):
            await app.state.matching.swipe(owner, first.id, "left")
        after_swipe = await _deck_titles(app, viewer)
    finally:
        await engine.close_connection_pool()
    assert pooled == through_piccolo
    assert sorted(after_swipe) == ["Kaart 1", "Kaart 2"]

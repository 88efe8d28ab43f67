"""The expiry job, renewal, distances and radius search, local sites, and no stored coordinates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from litestar import Litestar
from litestar.testing import AsyncTestClient

from backend.accounts.tables import User
from backend.listings.tables import Listing
from backend.notifications.service import notifications_for
from backend.regions.service import region_from_place
from tests.factories import csrf_headers, make_account, make_listing, place_in, signed_in_client


async def _somebody_in(app: Litestar, town: str):
    return await place_in(app, await make_account(app), town)


async def test_the_job_expires_listings_and_notifies_the_owner(app: Litestar) -> None:
    owner = await _somebody_in(app, "Haarlem")
    listing = await make_listing(app, owner)
    later = datetime.now(UTC) + timedelta(weeks=9)
    run = await app.state.listings.expire_due(later)
    assert run.expired == 1
    assert (await app.state.listings.view(owner, listing.id)).status == "expired"
    kinds = [notification["kind"] for notification in await notifications_for(owner.id)]
    assert kinds == ["listing_expired"]
    assert (await app.state.listings.expire_due(later)).expired == 0


async def test_owners_are_reminded_once_a_week_before(app: Litestar) -> None:
    owner = await _somebody_in(app, "Haarlem")
    await make_listing(app, owner)
    almost = datetime.now(UTC) + timedelta(weeks=8) - timedelta(days=6)
    assert (await app.state.listings.expire_due(almost)).reminded == 1
    assert (await app.state.listings.expire_due(almost)).reminded == 0
    notifications = await notifications_for(owner.id)
    assert [item["kind"] for item in notifications] == ["listing_expires_soon"]
    assert notifications[0]["data"]["title"] == "Help with groceries on Saturday"
    too_early = datetime.now(UTC) + timedelta(weeks=6)
    assert (await app.state.listings.expire_due(too_early)).reminded == 0


async def test_organisation_members_all_get_the_reminder(app: Litestar) -> None:
    owner = await _somebody_in(app, "Haarlem")
    manager = await _somebody_in(app, "Haarlem")
    organisation = await app.state.organisations.create(owner, "Repair Café")
    await app.state.organisations.invite(owner, organisation.id, manager.email, "manager")
    await make_listing(app, owner, organisation_id=organisation.id, kind="offer")
    await app.state.listings.expire_due(datetime.now(UTC) + timedelta(weeks=8, days=-1))
    assert len(await notifications_for(owner.id)) == 1
    assert len(await notifications_for(manager.id)) == 1


async def test_an_expired_listing_stays_with_its_owner_and_can_be_renewed(
    app: Litestar, client: AsyncTestClient
) -> None:
    owner = await place_in(app, await signed_in_client(app, client), "Haarlem")
    listing = await make_listing(app, owner)
    await app.state.listings.expire_due(datetime.now(UTC) + timedelta(weeks=9))
    mine = (await client.get("/api/listings/mine")).json()
    assert [item["status"] for item in mine["personal"]] == ["expired"]
    renewed = await client.post(
        f"/api/listings/{listing.id}/extend", headers=await csrf_headers(client)
    )
    assert renewed.json()["status"] == "open"
    assert datetime.fromisoformat(renewed.json()["expires_at"]) > datetime.now(UTC)


async def test_radius_search_works_from_the_cells(app: Litestar, client: AsyncTestClient) -> None:
    await place_in(app, await signed_in_client(app, client), "Amsterdam")
    in_haarlem = await make_listing(app, await _somebody_in(app, "Haarlem"), title="Haarlem")
    in_amsterdam = await make_listing(app, await _somebody_in(app, "Amsterdam"), title="Amsterdam")
    await make_listing(app, await _somebody_in(app, "Groningen"), title="Groningen")

    near = (await client.get("/api/listings", params={"radius_km": 10})).json()
    wider = (await client.get("/api/listings", params={"radius_km": 25})).json()
    assert [item["id"] for item in near] == [str(in_amsterdam.id)]
    assert [item["id"] for item in wider] == [str(in_amsterdam.id), str(in_haarlem.id)]
    assert 14 <= wider[1]["distance_km"] <= 22


async def test_own_paused_and_closed_listings_are_not_in_the_search(
    app: Litestar, client: AsyncTestClient
) -> None:
    me = await place_in(app, await signed_in_client(app, client), "Utrecht")
    await make_listing(app, me)
    neighbour = await _somebody_in(app, "Utrecht")
    paused = await make_listing(app, neighbour)
    await app.state.listings.set_paused(neighbour, paused.id, True)
    closed = await make_listing(app, neighbour)
    await app.state.listings.close(neighbour, closed.id, False)
    assert (await client.get("/api/listings", params={"radius_km": 5})).json() == []


async def test_a_local_site_shows_only_listings_in_its_area(
    app: Litestar, client: AsyncTestClient
) -> None:
    await app.state.sites.create(
        slug="haarlem-helpt",
        name="Haarlem helpt",
        hosts=["haarlem.handje.test"],
        centre=region_from_place("Haarlem"),
        radius_km=8,
    )
    await place_in(app, await signed_in_client(app, client), "Haarlem")
    in_haarlem = await make_listing(app, await _somebody_in(app, "Haarlem"))
    await make_listing(app, await _somebody_in(app, "Amsterdam"))

    national = (await client.get("/api/listings", params={"radius_km": 30})).json()
    local = (
        await client.get(
            "/api/listings", params={"radius_km": 30}, headers={"host": "haarlem.handje.test"}
        )
    ).json()
    assert len(national) == 2
    assert [item["id"] for item in local] == [str(in_haarlem.id)]


async def test_a_listing_posted_on_a_local_site_also_appears_nationally(
    app: Litestar, client: AsyncTestClient, other_client: AsyncTestClient
) -> None:
    await app.state.sites.create(
        slug="zwolle-helpt",
        name="Zwolle helpt",
        hosts=["zwolle.handje.test"],
        centre=region_from_place("Zwolle"),
        radius_km=10,
    )
    await place_in(app, await signed_in_client(app, client), "Zwolle")
    posted = await client.post(
        "/api/listings",
        json={"kind": "offer", "title": "Fietsen repareren", "category": "odd-jobs"},
        headers={**await csrf_headers(client), "host": "zwolle.handje.test"},
    )
    assert posted.status_code == 201
    await place_in(app, await signed_in_client(app, other_client), "Zwolle")
    national = (await other_client.get("/api/listings", params={"radius_km": 5})).json()
    assert [item["id"] for item in national] == [posted.json()["id"]]


async def test_no_coordinates_are_ever_stored(app: Litestar, client: AsyncTestClient) -> None:
    account = await signed_in_client(app, client)
    headers = await csrf_headers(client)
    located = await client.post(
        "/api/regions/locate", json={"latitude": 52.38123, "longitude": 4.63789}, headers=headers
    )
    assert located.status_code == 200
    await client.patch(
        "/api/me", json={"region": {"cell": located.json()["cell"]}}, headers=headers
    )
    await client.post(
        "/api/listings",
        json={"kind": "offer", "title": "Boodschappen doen", "category": "shopping"},
        headers=headers,
    )
    columns = {column._meta.name for table in (User, Listing) for column in table._meta.columns}
    assert not {name for name in columns if "lat" in name or "lon" in name or "address" in name}
    user_row = await User.select().where(User.id == account.id).first()
    listing_row = await Listing.select().first()
    stored = repr(user_row) + repr(listing_row)
    assert "52.38" not in stored
    assert "4.637" not in stored
    assert "4.63" not in stored

"""Listings through the JSON API: create, edit, pause, extend, close, delete, and who may."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from litestar import Litestar
from litestar.testing import AsyncTestClient

from backend.listings.tables import Listing
from tests.factories import (
    csrf_headers,
    log_in,
    make_account,
    make_listing,
    place_in,
    signed_in_client,
)

NEW_REQUEST = {
    "kind": "request",
    "title": "Who can walk my dog on Saturdays?",
    "description": "Bobby is a friendly beagle.",
    "category": "pets",
    "region": {"place": "Haarlem"},
}


async def _member_in(app: Litestar, client: AsyncTestClient, town: str = "Haarlem"):
    account = await signed_in_client(app, client)
    return await place_in(app, account, town)


async def test_a_request_is_created_with_its_region_name_only(
    app: Litestar, client: AsyncTestClient
) -> None:
    await _member_in(app, client, "Amsterdam")
    response = await client.post(
        "/api/listings", json=NEW_REQUEST, headers=await csrf_headers(client)
    )
    assert response.status_code == 201, response.text
    listing = response.json()
    assert listing["region_name"] == "Haarlem"
    assert listing["status"] == "open"
    assert listing["can_manage"] is True
    assert not {"region_cell", "cell", "latitude", "longitude", "address"} & listing.keys()
    expires = datetime.fromisoformat(listing["expires_at"])
    assert timedelta(weeks=8) - timedelta(minutes=1) < expires - datetime.now(UTC)


async def test_the_profile_region_is_the_default(app: Litestar, client: AsyncTestClient) -> None:
    await _member_in(app, client, "Utrecht")
    body = {key: value for key, value in NEW_REQUEST.items() if key != "region"}
    response = await client.post("/api/listings", json=body, headers=await csrf_headers(client))
    assert response.json()["region_name"] == "Utrecht"


async def test_without_any_region_the_member_is_asked_to_choose_one(
    app: Litestar, client: AsyncTestClient
) -> None:
    await signed_in_client(app, client)
    body = {key: value for key, value in NEW_REQUEST.items() if key != "region"}
    response = await client.post("/api/listings", json=body, headers=await csrf_headers(client))
    assert response.status_code == 400
    assert response.json()["field"] == "region"


async def test_invalid_listings_get_400_naming_the_field(
    app: Litestar, client: AsyncTestClient
) -> None:
    await _member_in(app, client)
    headers = await csrf_headers(client)
    for change, field in (
        ({"kind": "wish"}, "kind"),
        ({"category": "astrology"}, "category"),
        ({"title": "Hi"}, "title"),
        ({"timing": "date", "needed_on": "2001-01-01"}, "needed_on"),
        ({"timing": "weekly", "weekdays": []}, "weekdays"),
        ({"region": {"place": "Atlantis"}}, "region"),
    ):
        response = await client.post(
            "/api/listings", json={**NEW_REQUEST, **change}, headers=headers
        )
        assert response.status_code == 400, change
        assert response.json()["field"] == field


async def test_an_address_is_not_saved_until_confirmed(
    app: Litestar, client: AsyncTestClient
) -> None:
    await _member_in(app, client)
    headers = await csrf_headers(client)
    body = {**NEW_REQUEST, "description": "Kom langs op Kerkstraat 12, 2011 AB Haarlem."}
    refused = await client.post("/api/listings", json=body, headers=headers)
    assert refused.status_code == 400
    assert refused.json()["field"] == "address"
    assert "private message" in refused.json()["detail"]
    assert await Listing.count() == 0
    confirmed = await client.post(
        "/api/listings", json={**body, "confirm_address": True}, headers=headers
    )
    assert confirmed.status_code == 201


async def test_the_owner_edits_and_others_may_not(
    app: Litestar, client: AsyncTestClient, other_client: AsyncTestClient
) -> None:
    owner = await _member_in(app, client)
    listing = await make_listing(app, owner)
    await _member_in(app, other_client)
    change = {**NEW_REQUEST, "title": "Dog walker wanted"}
    edited = await client.patch(
        f"/api/listings/{listing.id}", json=change, headers=await csrf_headers(client)
    )
    assert edited.json()["title"] == "Dog walker wanted"
    other_headers = await csrf_headers(other_client)
    attempts = [
        other_client.patch(f"/api/listings/{listing.id}", json=change, headers=other_headers),
        other_client.post(f"/api/listings/{listing.id}/extend", headers=other_headers),
        other_client.post(f"/api/listings/{listing.id}/close", json={}, headers=other_headers),
        other_client.post(
            f"/api/listings/{listing.id}/pause", json={"paused": True}, headers=other_headers
        ),
        other_client.delete(f"/api/listings/{listing.id}", headers=other_headers),
    ]
    for attempt in attempts:
        assert (await attempt).status_code == 403
    assert (await Listing.select(Listing.title).first())["title"] == "Dog walker wanted"


async def test_hidden_and_missing_listings_answer_the_same_404(
    app: Litestar, client: AsyncTestClient, other_client: AsyncTestClient
) -> None:
    owner = await _member_in(app, client)
    listing = await make_listing(app, owner)
    await app.state.listings.set_paused(owner, listing.id, True)
    await _member_in(app, other_client)
    paused = await other_client.get(f"/api/listings/{listing.id}")
    missing = await other_client.get("/api/listings/8d3c1a52-1111-4aaa-9bbb-123456789abc")
    assert paused.status_code == missing.status_code == 404
    assert paused.json() == missing.json()
    assert (await client.get(f"/api/listings/{listing.id}")).status_code == 200


async def test_a_closed_listing_cannot_be_edited(app: Litestar, client: AsyncTestClient) -> None:
    owner = await _member_in(app, client)
    listing = await make_listing(app, owner)
    headers = await csrf_headers(client)
    closed = await client.post(
        f"/api/listings/{listing.id}/close", json={"found_help": True}, headers=headers
    )
    assert closed.json()["status"] == "closed"
    assert closed.json()["found_help"] is True
    edit = await client.patch(f"/api/listings/{listing.id}", json=NEW_REQUEST, headers=headers)
    assert edit.status_code == 409
    assert edit.json()["detail"] == "This listing is closed, so it can no longer be changed."
    row = await Listing.select(Listing.found_help, Listing.closed_at).first()
    assert row["found_help"] is True
    assert row["closed_at"] is not None


async def test_extending_adds_another_period(app: Litestar, client: AsyncTestClient) -> None:
    owner = await _member_in(app, client)
    listing = await make_listing(app, owner)
    response = await client.post(
        f"/api/listings/{listing.id}/extend", headers=await csrf_headers(client)
    )
    extended = datetime.fromisoformat(response.json()["expires_at"])
    assert extended - listing.expires_at > timedelta(weeks=8) - timedelta(minutes=1)


async def test_delete_removes_the_listing(app: Litestar, client: AsyncTestClient) -> None:
    owner = await _member_in(app, client)
    listing = await make_listing(app, owner)
    response = await client.delete(
        f"/api/listings/{listing.id}", headers=await csrf_headers(client)
    )
    assert response.status_code == 204
    assert (await client.get(f"/api/listings/{listing.id}")).status_code == 404


async def test_organisation_members_manage_organisation_listings(
    app: Litestar, client: AsyncTestClient, other_client: AsyncTestClient
) -> None:
    owner = await _member_in(app, client)
    manager = await _member_in(app, other_client)
    organisation = await app.state.organisations.create(owner, "Voedselbank Haarlem")
    await app.state.organisations.invite(owner, organisation.id, manager.email, "manager")
    created = await client.post(
        "/api/listings",
        json={**NEW_REQUEST, "kind": "offer", "organisation_id": str(organisation.id)},
        headers=await csrf_headers(client),
    )
    assert created.json()["owner"] == {
        "kind": "organisation",
        "id": str(organisation.id),
        "name": "Voedselbank Haarlem",
    }
    listing_id = created.json()["id"]
    paused = await other_client.post(
        f"/api/listings/{listing_id}/pause",
        json={"paused": True},
        headers=await csrf_headers(other_client),
    )
    assert paused.json()["paused"] is True
    mine = (await other_client.get("/api/listings/mine")).json()
    assert mine["personal"] == []
    assert [group["organisation"]["name"] for group in mine["organisations"]] == [
        "Voedselbank Haarlem"
    ]


async def test_members_of_other_organisations_may_not_post_or_manage(
    app: Litestar, client: AsyncTestClient, other_client: AsyncTestClient
) -> None:
    owner = await _member_in(app, client)
    organisation = await app.state.organisations.create(owner, "Buurtteam Oost")
    listing = await make_listing(app, owner, organisation_id=organisation.id)
    outsider = await _member_in(app, other_client)
    await app.state.organisations.create(outsider, "Another team")
    headers = await csrf_headers(other_client)
    post_as = await other_client.post(
        "/api/listings",
        json={**NEW_REQUEST, "organisation_id": str(organisation.id)},
        headers=headers,
    )
    assert post_as.status_code == 404
    close = await other_client.post(f"/api/listings/{listing.id}/close", json={}, headers=headers)
    assert close.status_code == 403


async def test_listings_need_a_session(client: AsyncTestClient) -> None:
    assert (await client.get("/api/listings/mine")).status_code == 401
    response = await client.post(
        "/api/listings", json=NEW_REQUEST, headers=await csrf_headers(client)
    )
    assert response.status_code == 401


async def test_log_in_factory_still_works_for_a_second_device(
    app: Litestar, other_client: AsyncTestClient
) -> None:
    account = await make_account(app)
    await log_in(other_client, account.email)
    assert (await other_client.get("/api/listings/mine")).json() == {
        "personal": [],
        "organisations": [],
    }

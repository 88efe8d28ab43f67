"""Organisations through the JSON API: owners, managers, outsiders and the last-owner rule."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from litestar import Litestar
from litestar.testing import AsyncTestClient

from backend.accounts.service import Account
from tests.factories import csrf_headers, make_account, signed_in_client

BASE = "/api/organisations"


async def create_organisation(client: AsyncTestClient, **fields: Any) -> dict[str, Any]:
    """Create an organisation as ``client`` and return it."""
    body = {"name": "Voedselbank Oost", **fields}
    response = await client.post(BASE, json=body, headers=await csrf_headers(client))
    assert response.status_code == 201, response.text
    return response.json()


async def invite(
    client: AsyncTestClient, organisation_id: str, email: str, role: str = "manager"
) -> Any:
    """Invite ``email`` into the organisation as ``client``; return the response."""
    return await client.post(
        f"{BASE}/{organisation_id}/members",
        json={"email": email, "role": role},
        headers=await csrf_headers(client),
    )


async def owner_and_manager(
    app: Litestar, client: AsyncTestClient, other_client: AsyncTestClient
) -> tuple[dict[str, Any], Account, Account]:
    """An organisation owned by ``client``'s account with ``other_client``'s as manager."""
    owner = await signed_in_client(app, client, display_name="Olga")
    manager = await signed_in_client(app, other_client, display_name="Mo")
    organisation = await create_organisation(client)
    assert (await invite(client, organisation["id"], manager.email)).status_code == 201
    return organisation, owner, manager


async def test_creating_an_organisation_makes_the_creator_its_owner(
    app: Litestar, client: AsyncTestClient
) -> None:
    account = await signed_in_client(app, client, display_name="Olga")
    created = await create_organisation(
        client, description=" Wij delen eten. ", website="https://voedselbank.example"
    )
    assert created["name"] == "Voedselbank Oost"
    assert created["description"] == "Wij delen eten."
    assert created["my_role"] == "owner"
    assert created["members"] == [
        {"user_id": str(account.id), "display_name": "Olga", "role": "owner"}
    ]
    mine = (await client.get(BASE)).json()
    assert [organisation["id"] for organisation in mine] == [created["id"]]


async def test_mine_lists_only_my_organisations_sorted_by_name(
    app: Litestar, client: AsyncTestClient, other_client: AsyncTestClient
) -> None:
    await signed_in_client(app, client)
    await signed_in_client(app, other_client)
    for name in ("Zorgteam Noord", "Buurtteam West"):
        await create_organisation(client, name=name)
    await create_organisation(other_client, name="Anders")
    mine = (await client.get(BASE)).json()
    assert [organisation["name"] for organisation in mine] == ["Buurtteam West", "Zorgteam Noord"]


async def test_owner_invites_an_existing_account_by_email(
    app: Litestar, client: AsyncTestClient, other_client: AsyncTestClient
) -> None:
    await signed_in_client(app, client, display_name="Olga")
    manager = await signed_in_client(app, other_client, display_name="Mo")
    organisation = await create_organisation(client)
    response = await invite(client, organisation["id"], manager.email.upper())
    assert response.status_code == 201
    roles = {member["display_name"]: member["role"] for member in response.json()["members"]}
    assert roles == {"Olga": "owner", "Mo": "manager"}
    [seen_by_manager] = (await other_client.get(BASE)).json()
    assert seen_by_manager["id"] == organisation["id"]
    assert seen_by_manager["my_role"] == "manager"


async def test_inviting_an_unknown_email_is_404_with_a_message(
    app: Litestar, client: AsyncTestClient
) -> None:
    await signed_in_client(app, client)
    organisation = await create_organisation(client)
    response = await invite(client, organisation["id"], "nobody@example.nl")
    assert response.status_code == 404
    assert response.json()["detail"] == "No account with that email address."
    assert response.json()["field"] == "email"


async def test_inviting_a_member_again_is_a_conflict(
    app: Litestar, client: AsyncTestClient, other_client: AsyncTestClient
) -> None:
    organisation, _, manager = await owner_and_manager(app, client, other_client)
    response = await invite(client, organisation["id"], manager.email, role="owner")
    assert response.status_code == 409
    roles = [
        member["role"]
        for member in (await client.get(f"{BASE}/{organisation['id']}")).json()["members"]
    ]
    assert sorted(roles) == ["manager", "owner"]


async def test_manager_cannot_invite_remove_or_change_roles(
    app: Litestar, client: AsyncTestClient, other_client: AsyncTestClient
) -> None:
    organisation, owner, _ = await owner_and_manager(app, client, other_client)
    newcomer = await make_account(app)
    member_url = f"{BASE}/{organisation['id']}/members/{owner.id}"
    headers = await csrf_headers(other_client)
    for response in (
        await invite(other_client, organisation["id"], newcomer.email),
        await other_client.patch(member_url, json={"role": "manager"}, headers=headers),
        await other_client.delete(member_url, headers=headers),
    ):
        assert response.status_code == 403
        assert response.json()["detail"] == "Only an owner can do this."
    members = (await client.get(f"{BASE}/{organisation['id']}")).json()["members"]
    assert {member["role"] for member in members} == {"owner", "manager"}


async def test_owners_and_managers_edit_the_profile(
    app: Litestar, client: AsyncTestClient, other_client: AsyncTestClient
) -> None:
    organisation, _, _ = await owner_and_manager(app, client, other_client)
    url = f"{BASE}/{organisation['id']}"
    by_manager = await other_client.patch(
        url, json={"description": "Elke vrijdag open."}, headers=await csrf_headers(other_client)
    )
    assert by_manager.status_code == 200
    by_owner = await client.patch(
        url, json={"name": "Voedselbank Oost-Zuid"}, headers=await csrf_headers(client)
    )
    assert by_owner.json()["name"] == "Voedselbank Oost-Zuid"
    assert by_owner.json()["description"] == "Elke vrijdag open."


async def test_outsiders_get_the_same_404_as_for_a_missing_organisation(
    app: Litestar, client: AsyncTestClient, other_client: AsyncTestClient
) -> None:
    owner = await signed_in_client(app, client)
    outsider = await signed_in_client(app, other_client)
    await create_organisation(other_client, name="Buurtteam West")
    target = await create_organisation(client)
    headers = await csrf_headers(other_client)

    async def answers(organisation_id: str) -> list[tuple[int, Any]]:
        url = f"{BASE}/{organisation_id}"
        member_url = f"{url}/members/{owner.id}"
        responses = (
            await other_client.get(url),
            await other_client.patch(url, json={"name": "Gekaapt"}, headers=headers),
            await invite(other_client, organisation_id, outsider.email),
            await other_client.patch(member_url, json={"role": "manager"}, headers=headers),
            await other_client.delete(member_url, headers=headers),
        )
        return [(response.status_code, response.json()) for response in responses]

    expected = [(404, {"status_code": 404, "detail": "Not found."})] * 5
    assert await answers(target["id"]) == expected
    assert await answers(str(uuid4())) == expected
    assert (await client.get(f"{BASE}/{target['id']}")).json()["name"] == "Voedselbank Oost"


async def test_last_owner_can_neither_leave_nor_be_demoted(
    app: Litestar, client: AsyncTestClient, other_client: AsyncTestClient
) -> None:
    organisation, owner, _ = await owner_and_manager(app, client, other_client)
    url = f"{BASE}/{organisation['id']}/members/{owner.id}"
    headers = await csrf_headers(client)
    for response in (
        await client.delete(url, headers=headers),
        await client.patch(url, json={"role": "manager"}, headers=headers),
    ):
        assert response.status_code == 409
        assert response.json()["detail"] == "An organisation needs at least one owner."
    assert (await client.get(f"{BASE}/{organisation['id']}")).json()["my_role"] == "owner"


async def test_an_owner_may_leave_once_there_is_another_owner(
    app: Litestar, client: AsyncTestClient, other_client: AsyncTestClient
) -> None:
    organisation, owner, manager = await owner_and_manager(app, client, other_client)
    headers = await csrf_headers(client)
    members_url = f"{BASE}/{organisation['id']}/members"
    promoted = await client.patch(
        f"{members_url}/{manager.id}", json={"role": "owner"}, headers=headers
    )
    assert promoted.status_code == 200
    assert (await client.delete(f"{members_url}/{owner.id}", headers=headers)).status_code == 204
    assert (await client.get(f"{BASE}/{organisation['id']}")).status_code == 404
    left_behind = (await other_client.get(f"{BASE}/{organisation['id']}")).json()
    assert [member["display_name"] for member in left_behind["members"]] == ["Mo"]


async def test_a_manager_may_leave(
    app: Litestar, client: AsyncTestClient, other_client: AsyncTestClient
) -> None:
    organisation, _, manager = await owner_and_manager(app, client, other_client)
    url = f"{BASE}/{organisation['id']}/members/{manager.id}"
    response = await other_client.delete(url, headers=await csrf_headers(other_client))
    assert response.status_code == 204
    assert (await other_client.get(f"{BASE}/{organisation['id']}")).status_code == 404
    assert (await other_client.get(BASE)).json() == []


async def test_owner_removes_a_member(
    app: Litestar, client: AsyncTestClient, other_client: AsyncTestClient
) -> None:
    organisation, _, manager = await owner_and_manager(app, client, other_client)
    url = f"{BASE}/{organisation['id']}/members/{manager.id}"
    assert (await client.delete(url, headers=await csrf_headers(client))).status_code == 204
    assert (await other_client.get(f"{BASE}/{organisation['id']}")).status_code == 404
    members = (await client.get(f"{BASE}/{organisation['id']}")).json()["members"]
    assert [member["role"] for member in members] == ["owner"]


async def test_members_never_see_each_others_email(
    app: Litestar, client: AsyncTestClient, other_client: AsyncTestClient
) -> None:
    organisation, owner, manager = await owner_and_manager(app, client, other_client)
    for viewer, hidden in ((client, manager.email), (other_client, owner.email)):
        response = await viewer.get(f"{BASE}/{organisation['id']}")
        assert hidden not in response.text
        members = response.json()["members"]
        assert {key for member in members for key in member} == {"user_id", "display_name", "role"}


async def test_website_must_be_an_http_address(app: Litestar, client: AsyncTestClient) -> None:
    await signed_in_client(app, client)
    headers = await csrf_headers(client)
    for website in (
        "javascript:alert(1)",
        "ftp://voedselbank.example",
        "voedselbank.example",
        "https://",
        "https://voedselbank.example/" + "a" * 200,
    ):
        response = await client.post(
            BASE, json={"name": "Voedselbank", "website": website}, headers=headers
        )
        assert response.status_code == 400, website
        assert response.json()["field"] == "website"
    assert (await client.get(BASE)).json() == []


async def test_region_is_chosen_from_the_town_list(app: Litestar, client: AsyncTestClient) -> None:
    await signed_in_client(app, client)
    created = await create_organisation(client, region={"place": "utrecht"})
    assert created["region_name"] == "Utrecht"
    assert created["region_cell"]
    unknown = await client.patch(
        f"{BASE}/{created['id']}",
        json={"region": {"place": "Atlantis"}},
        headers=await csrf_headers(client),
    )
    assert (unknown.status_code, unknown.json()["field"]) == (400, "region")


async def test_invalid_names_and_roles_get_400_with_the_field(
    app: Litestar, client: AsyncTestClient, other_client: AsyncTestClient
) -> None:
    organisation, _, manager = await owner_and_manager(app, client, other_client)
    headers = await csrf_headers(client)
    short_name = await client.patch(
        f"{BASE}/{organisation['id']}", json={"name": " x "}, headers=headers
    )
    bad_role = await client.patch(
        f"{BASE}/{organisation['id']}/members/{manager.id}", json={"role": "boss"}, headers=headers
    )
    assert (short_name.status_code, short_name.json()["field"]) == (400, "name")
    assert (bad_role.status_code, bad_role.json()["field"]) == (400, "role")


async def test_every_route_needs_sign_in(client: AsyncTestClient) -> None:
    headers = await csrf_headers(client)
    url = f"{BASE}/{uuid4()}"
    member_url = f"{url}/members/{uuid4()}"
    for response in (
        await client.get(BASE),
        await client.post(BASE, json={"name": "Voedselbank"}, headers=headers),
        await client.get(url),
        await client.patch(url, json={"name": "Voedselbank"}, headers=headers),
        await client.post(f"{url}/members", json={"email": "a@example.nl"}, headers=headers),
        await client.patch(member_url, json={"role": "owner"}, headers=headers),
        await client.delete(member_url, headers=headers),
    ):
        assert response.status_code == 401

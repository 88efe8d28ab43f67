"""Profile changes through the JSON API: validation, re-authentication, session ends."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient

from backend.accounts.tables import User
from tests.factories import PASSWORD, csrf_headers, log_in, make_account, signed_in_client


async def test_profile_fields_are_saved_and_returned(
    app: Litestar, client: AsyncTestClient
) -> None:
    await signed_in_client(app, client)
    response = await client.patch(
        "/api/me",
        json={
            "display_name": "  Anneke   de Vries ",
            "account_kind": "organisation",
            "bio": "Ik help graag.",
            "interests": ["garden", "pets", "garden"],
            "language": "nl",
        },
        headers=await csrf_headers(client),
    )
    assert response.status_code == 200
    me = response.json()
    assert me["display_name"] == "Anneke de Vries"
    assert me["account_kind"] == "organisation"
    assert me["interests"] == ["garden", "pets"]
    assert me["language"] == "nl"
    assert "password_hash" not in me


async def test_invalid_profile_values_get_400_with_a_message(
    app: Litestar, client: AsyncTestClient
) -> None:
    await signed_in_client(app, client)
    headers = await csrf_headers(client)
    for body, field in (
        ({"language": "fr"}, "language"),
        ({"interests": ["astrology"]}, "interests"),
        ({"display_name": "x"}, "display_name"),
        ({"account_kind": "robot"}, "account_kind"),
        ({"bio": "x" * 501}, "bio"),
    ):
        response = await client.patch("/api/me", json=body, headers=headers)
        assert response.status_code == 400, body
        assert response.json()["field"] == field
        assert response.json()["detail"]


async def test_phone_number_is_validated_and_stored_in_e164(
    app: Litestar, client: AsyncTestClient
) -> None:
    account = await signed_in_client(app, client)
    headers = await csrf_headers(client)
    bad = await client.post(
        "/api/me/phone", json={"current_password": PASSWORD, "phone": "12345"}, headers=headers
    )
    assert bad.status_code == 400
    assert bad.json()["detail"] == "That phone number is not valid."
    good = await client.post(
        "/api/me/phone",
        json={"current_password": PASSWORD, "phone": "06 1234 5678"},
        headers=headers,
    )
    assert good.status_code == 200
    assert good.json()["phone"] == "+31612345678"
    assert (await User.select(User.phone).where(User.id == account.id).first())["phone"] == (
        "+31612345678"
    )
    removed = await client.post(
        "/api/me/phone", json={"current_password": PASSWORD, "phone": None}, headers=headers
    )
    assert removed.json()["phone"] is None


async def test_phone_and_email_changes_need_the_password(
    app: Litestar, client: AsyncTestClient
) -> None:
    account = await signed_in_client(app, client)
    headers = await csrf_headers(client)
    phone = await client.post(
        "/api/me/phone",
        json={"current_password": "not my password", "phone": "+31612345678"},
        headers=headers,
    )
    email = await client.post(
        "/api/me/email",
        json={"current_password": "not my password", "email": "new@example.nl"},
        headers=headers,
    )
    assert phone.status_code == email.status_code == 403
    row = await User.select(User.phone, User.email).where(User.id == account.id).first()
    assert row == {"phone": None, "email": account.email}


async def test_email_change_with_the_password(app: Litestar, client: AsyncTestClient) -> None:
    await signed_in_client(app, client)
    taken = await make_account(app)
    headers = await csrf_headers(client)
    clash = await client.post(
        "/api/me/email", json={"current_password": PASSWORD, "email": taken.email}, headers=headers
    )
    assert clash.status_code == 409
    changed = await client.post(
        "/api/me/email",
        json={"current_password": PASSWORD, "email": "Nieuw@Example.NL"},
        headers=headers,
    )
    assert changed.json()["email"] == "nieuw@example.nl"


async def test_password_change_ends_the_other_sessions_only(
    app: Litestar, client: AsyncTestClient, other_client: AsyncTestClient
) -> None:
    account = await signed_in_client(app, client)
    await log_in(other_client, account.email)
    response = await client.post(
        "/api/me/password",
        json={"current_password": PASSWORD, "new_password": "a brand new passphrase"},
        headers=await csrf_headers(client),
    )
    assert response.status_code == 204
    assert (await client.get("/api/me")).status_code == 200
    assert (await other_client.get("/api/me")).status_code == 401
    await log_in(other_client, account.email, "a brand new passphrase")


async def test_password_change_refuses_a_wrong_current_password(
    app: Litestar, client: AsyncTestClient
) -> None:
    account = await signed_in_client(app, client)
    response = await client.post(
        "/api/me/password",
        json={"current_password": "wrong", "new_password": "a brand new passphrase"},
        headers=await csrf_headers(client),
    )
    assert response.status_code == 403
    await log_in(client, account.email, PASSWORD)

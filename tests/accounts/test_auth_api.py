"""Sign-up, log-in, log-out, throttling and sessions through the JSON API."""

from __future__ import annotations

import time

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from backend.accounts.service import ProfileChanges, session_id_for
from backend.accounts.tables import User, UserSession
from backend.errors import NotAuthenticated
from backend.regions.service import region_from_place
from tests.factories import PASSWORD, csrf_headers, log_in, make_account, unique_email


async def test_sign_up_creates_an_account_with_an_argon2id_hash(client: AsyncTestClient) -> None:
    email = unique_email()
    response = await client.post(
        "/api/auth/signup",
        json={"email": email.upper(), "password": PASSWORD, "display_name": "Anneke"},
        headers=await csrf_headers(client),
    )
    assert response.status_code == 202
    row = await User.select().where(User.email == email).first()
    assert row["display_name"] == "Anneke"
    assert row["password_hash"].startswith("$argon2id$")
    assert PASSWORD not in row["password_hash"]


async def test_sign_up_answers_the_same_for_a_taken_address(
    app: Litestar, client: AsyncTestClient
) -> None:
    taken = await make_account(app)
    headers = await csrf_headers(client)
    fresh = await client.post(
        "/api/auth/signup",
        json={"email": unique_email(), "password": PASSWORD, "display_name": "Kim"},
        headers=headers,
    )
    again = await client.post(
        "/api/auth/signup",
        json={"email": taken.email, "password": "another long password", "display_name": "Kim"},
        headers=headers,
    )
    assert (fresh.status_code, fresh.json()) == (again.status_code, again.json())
    assert await User.count().where(User.email == taken.email) == 1


async def test_sign_up_refuses_short_and_common_passwords(client: AsyncTestClient) -> None:
    headers = await csrf_headers(client)
    for password, message in (
        ("short", "Use at least 10 characters."),
        ("1234567890", "This password is too common. Choose another one."),
        ("x" * 300, "Use at most 256 characters."),
    ):
        response = await client.post(
            "/api/auth/signup",
            json={"email": unique_email(), "password": password, "display_name": "Kim"},
            headers=headers,
        )
        assert response.status_code == 400
        assert response.json()["detail"] == message
        assert response.json()["field"] == "password"


async def test_a_64_character_password_is_allowed(app: Litestar, client: AsyncTestClient) -> None:
    password = "a long passphrase that is easy to remember and hard to guess 1234"
    assert len(password) >= 64
    account = await make_account(app, password=password)
    await log_in(client, account.email, password)


async def test_log_in_sets_an_httponly_lax_session_cookie(
    app: Litestar, client: AsyncTestClient
) -> None:
    account = await make_account(app)
    response = await client.post(
        "/api/auth/login",
        json={"email": account.email, "password": PASSWORD},
        headers=await csrf_headers(client),
    )
    assert response.status_code == 200
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("handje_session=")
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert (await client.get("/api/me")).json()["email"] == account.email


async def test_wrong_password_and_unknown_email_get_the_same_answer(
    app: Litestar, client: AsyncTestClient
) -> None:
    account = await make_account(app)
    headers = await csrf_headers(client)

    async def attempt(email: str) -> tuple[int, dict, float]:
        started = time.perf_counter()
        response = await client.post(
            "/api/auth/login",
            json={"email": email, "password": "not the password"},
            headers=headers,
        )
        return response.status_code, response.json(), time.perf_counter() - started

    wrong = [await attempt(account.email) for _ in range(3)]
    unknown = [await attempt(unique_email()) for _ in range(3)]
    assert {(status, str(body)) for status, body, _ in wrong + unknown} == {(401, str(wrong[0][1]))}
    # Both verify a hash: an unknown address is not answered noticeably faster. The fastest
    # of three attempts each keeps a busy machine's pauses out of the comparison.
    fastest_wrong = min(seconds for _, _, seconds in wrong)
    fastest_unknown = min(seconds for _, _, seconds in unknown)
    assert fastest_unknown > fastest_wrong / 3


async def test_failed_log_ins_are_throttled_per_account_with_retry_after(
    app: Litestar, client: AsyncTestClient, other_client: AsyncTestClient
) -> None:
    account = await make_account(app)
    headers = await csrf_headers(client)
    limit = app.state.settings.login_account_limit
    for _ in range(limit):
        response = await client.post(
            "/api/auth/login",
            json={"email": account.email, "password": "wrong guess"},
            headers=headers,
        )
        assert response.status_code == 401
    blocked = await client.post(
        "/api/auth/login", json={"email": account.email, "password": PASSWORD}, headers=headers
    )
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) > 0
    assert "Too many attempts" in blocked.json()["detail"]
    # The count lives in the shared store: another client (another process) sees it too.
    other = await other_client.post(
        "/api/auth/login",
        json={"email": account.email, "password": PASSWORD},
        headers=await csrf_headers(other_client),
    )
    assert other.status_code == 429


async def test_failed_log_ins_are_throttled_per_ip(app: Litestar, client: AsyncTestClient) -> None:
    headers = await csrf_headers(client)
    for _ in range(app.state.settings.login_ip_limit):
        await client.post(
            "/api/auth/login",
            json={"email": unique_email(), "password": "wrong guess"},
            headers=headers,
        )
    account = await make_account(app)
    response = await client.post(
        "/api/auth/login", json={"email": account.email, "password": PASSWORD}, headers=headers
    )
    assert response.status_code == 429


async def test_log_in_rotates_the_session_id(app: Litestar, client: AsyncTestClient) -> None:
    account = await make_account(app)
    await log_in(client, account.email)
    first = client.cookies["handje_session"]
    await log_in(client, account.email)
    second = client.cookies["handje_session"]
    assert first != second
    assert not await UserSession.exists().where(UserSession.id == session_id_for(first))
    assert await UserSession.exists().where(UserSession.id == session_id_for(second))


async def test_session_tokens_are_stored_only_as_hashes(
    app: Litestar, client: AsyncTestClient
) -> None:
    account = await make_account(app)
    await log_in(client, account.email)
    token = client.cookies["handje_session"]
    assert len(token) >= 22  # at least 128 random bits, base64url
    assert not await UserSession.exists().where(UserSession.id == token)


async def test_log_out_ends_the_session_and_clears_site_data(
    app: Litestar, client: AsyncTestClient
) -> None:
    account = await make_account(app)
    await log_in(client, account.email)
    token = client.cookies["handje_session"]
    response = await client.post("/api/auth/logout", headers=await csrf_headers(client))
    assert response.status_code == 204
    assert "cookies" in response.headers["clear-site-data"]
    assert not await UserSession.exists().where(UserSession.id == session_id_for(token))
    client.cookies.set("handje_session", token)
    assert (await client.get("/api/me")).status_code == 401


async def test_requests_without_a_session_get_401(client: AsyncTestClient) -> None:
    assert (await client.get("/api/me")).status_code == 401
    response = await client.patch(
        "/api/me", json={"display_name": "Nobody"}, headers=await csrf_headers(client)
    )
    assert response.status_code == 401


async def test_unsafe_requests_without_the_csrf_token_are_refused(
    app: Litestar, client: AsyncTestClient
) -> None:
    account = await make_account(app)
    await log_in(client, account.email)
    response = await client.patch("/api/me", json={"display_name": "Forged"})
    assert response.status_code == 403
    forged = await client.patch(
        "/api/me", json={"display_name": "Forged"}, headers={"x-csrf-token": "forged"}
    )
    assert forged.status_code == 403
    assert (await client.get("/api/me")).json()["display_name"] == account.display_name


async def test_a_live_page_sees_its_session_end(app: Litestar) -> None:
    account = await make_account(app)
    opened = await app.state.accounts.log_in(
        email=account.email, password=PASSWORD, ip="192.0.2.7", user_agent="test"
    )
    session_id = opened.signed_in.session_id
    changes = ProfileChanges(interests=["pets", "shopping"], region=region_from_place("Utrecht"))
    changed = await app.state.accounts.update_profile(account, changes)
    assert (await app.state.accounts.still_signed_in(session_id)).account == changed
    await app.state.accounts.log_out(session_id)
    with pytest.raises(NotAuthenticated):
        await app.state.accounts.still_signed_in(session_id)

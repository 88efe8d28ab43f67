"""The form posts behind the sign-up, log-in and log-out pages."""

from __future__ import annotations

from litestar.testing import AsyncTestClient

from backend.web.flash import FLASH_COOKIE
from tests.factories import PASSWORD, csrf_headers, unique_email


async def _post_form(client: AsyncTestClient, path: str, **fields: str):
    token = (await csrf_headers(client))["x-csrf-token"]
    return await client.post(path, data={**fields, "_csrf_token": token}, follow_redirects=False)


async def test_sign_up_then_log_in_through_the_forms(client: AsyncTestClient) -> None:
    email = unique_email()
    signed_up = await _post_form(
        client, "/auth/signup", email=email, password=PASSWORD, display_name="Joost"
    )
    assert signed_up.status_code == 303
    assert signed_up.headers["location"] == "/login"
    assert FLASH_COOKIE in signed_up.cookies

    logged_in = await _post_form(client, "/auth/login", email=email, password=PASSWORD)
    assert logged_in.status_code == 303
    assert logged_in.headers["location"] == "/discover"
    assert "handje_session" in logged_in.cookies
    assert FLASH_COOKIE not in client.cookies  # the notice is used up
    assert (await client.get("/api/me")).json()["display_name"] == "Joost"


async def test_a_wrong_password_returns_to_the_log_in_page(client: AsyncTestClient) -> None:
    response = await _post_form(client, "/auth/login", email=unique_email(), password="nope")
    assert response.status_code == 303
    assert response.headers["location"] == "/login"
    assert "handje_session" not in response.cookies


async def test_form_posts_need_the_csrf_token(client: AsyncTestClient) -> None:
    response = await client.post(
        "/auth/login", data={"email": unique_email(), "password": PASSWORD}
    )
    assert response.status_code == 403


async def test_log_out_form_clears_the_session(client: AsyncTestClient) -> None:
    email = unique_email()
    await _post_form(client, "/auth/signup", email=email, password=PASSWORD, display_name="Jo")
    await _post_form(client, "/auth/login", email=email, password=PASSWORD)
    response = await _post_form(client, "/auth/logout")
    assert response.status_code == 303
    assert response.headers["location"] == "/login"
    assert "cookies" in response.headers["clear-site-data"]
    assert (await client.get("/api/me")).status_code == 401

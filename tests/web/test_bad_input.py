"""Malformed, oversized and mistyped bodies get a 4xx with a message, never a 500."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.factories import csrf_headers, signed_in_client


async def test_malformed_json_gets_400(client: AsyncTestClient) -> None:
    response = await client.post(
        "/api/auth/login",
        content=b'{"email": "a@b.nl", "password": ',
        headers={**await csrf_headers(client), "content-type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["detail"]


async def test_wrong_types_and_unknown_fields_get_400(client: AsyncTestClient) -> None:
    headers = await csrf_headers(client)
    wrong_type = await client.post(
        "/api/auth/login", json={"email": 5, "password": []}, headers=headers
    )
    unknown = await client.post(
        "/api/auth/login",
        json={"email": "a@b.nl", "password": "x", "is_admin": True},
        headers=headers,
    )
    missing = await client.post("/api/auth/login", json={}, headers=headers)
    for response in (wrong_type, unknown, missing):
        assert response.status_code == 400
        assert response.json()["detail"]


async def test_oversized_bodies_get_413(app: Litestar, client: AsyncTestClient) -> None:
    await signed_in_client(app, client)
    response = await client.patch(
        "/api/me",
        content=b'{"bio": "' + b"x" * (app.state.settings.max_body_bytes + 10) + b'"}',
        headers={**await csrf_headers(client), "content-type": "application/json"},
    )
    assert response.status_code == 413


async def test_a_wrong_content_type_gets_a_4xx(client: AsyncTestClient) -> None:
    headers = await csrf_headers(client)
    as_text = await client.post(
        "/api/auth/login",
        content=b"email=a@b.nl&password=x",
        headers={**headers, "content-type": "text/plain"},
    )
    as_form = await client.post(
        "/api/auth/login", data={"email": "a@b.nl", "password": "x"}, headers=headers
    )
    for response in (as_text, as_form):
        assert 400 <= response.status_code < 500
        assert response.json()["detail"]


async def test_overlong_fields_get_400(client: AsyncTestClient) -> None:
    response = await client.post(
        "/api/auth/signup",
        json={"email": "a" * 400 + "@b.nl", "password": "x" * 2000, "display_name": "Kim"},
        headers=await csrf_headers(client),
    )
    assert response.status_code == 400


async def test_form_posts_with_bad_input_redirect_with_a_notice(client: AsyncTestClient) -> None:
    response = await client.post(
        "/auth/signup",
        data={
            "email": "not-an-address",
            "password": "long enough password",
            "display_name": "Kim",
            "_csrf_token": (await csrf_headers(client))["x-csrf-token"],
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/signup"
    assert "handje_flash" in response.cookies

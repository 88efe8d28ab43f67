"""Security headers on every response; cookie flags over https."""

from __future__ import annotations

import re
from dataclasses import replace

from litestar import Litestar
from litestar.testing import AsyncTestClient

from backend.app import create_app
from backend.settings import Settings
from tests.factories import PASSWORD, make_account, signed_in_client


async def test_pages_and_api_answers_carry_the_security_headers(
    app: Litestar, client: AsyncTestClient
) -> None:
    await signed_in_client(app, client)
    for path in ("/discover", "/api/me", "/health"):
        response = await client.get(path)
        csp = response.headers["content-security-policy"]
        assert "default-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "same-origin"
        assert response.headers["cache-control"] == "no-store"
        assert "strict-transport-security" not in response.headers


async def test_the_policy_allows_no_third_party_origin(client: AsyncTestClient) -> None:
    csp = (await client.get("/signup")).headers["content-security-policy"]
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert not re.search(r"https?://", csp)
    page = (await client.get("/signup")).text
    assert not re.search(r"(src|href)=\"(https?:)?//", page)


async def test_static_assets_may_be_cached(client: AsyncTestClient) -> None:
    response = await client.get("/static/boot.js")
    assert response.status_code == 200
    assert "max-age" in response.headers["cache-control"]


async def test_over_https_cookies_are_secure_and_host_prefixed(settings: Settings) -> None:
    https_app = create_app(replace(settings, https=True))
    account = await make_account(https_app)
    async with AsyncTestClient(https_app, base_url="https://handje.test") as client:
        page = await client.get("/login")
        assert page.headers["strict-transport-security"].startswith("max-age=")
        csrf = page.cookies["__Host-handje_csrf"]
        response = await client.post(
            "/api/auth/login",
            json={"email": account.email, "password": PASSWORD},
            headers={"x-csrf-token": csrf},
        )
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("__Host-handje_session=")
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    assert "Path=/" in cookie
    assert "Domain" not in cookie

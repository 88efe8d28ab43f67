"""Which site a request is on: by host name, or by the ``/s/<slug>`` cookie for local testing."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.sites.factories import make_site

HAARLEM_HOST = "haarlem.handje.test"


async def test_api_site_answers_the_local_site_of_the_host(
    app: Litestar, client: AsyncTestClient
) -> None:
    site = await make_site(app.state.sites, hosts=(HAARLEM_HOST,), radius_km=15)
    response = await client.get("/api/site", headers={"Host": "Haarlem.Handje.Test:8000"})
    assert response.status_code == 200
    assert response.json() == {
        "national": False,
        "slug": site.slug,
        "name": site.name,
        "primary_colour": "#0f766e",
        "accent_colour": "#f59e0b",
        "centre_name": "Haarlem",
        "radius_km": 15,
    }


async def test_api_site_answers_national_for_any_other_host(
    app: Litestar, client: AsyncTestClient
) -> None:
    await make_site(app.state.sites, hosts=(HAARLEM_HOST,))
    response = await client.get("/api/site")
    assert response.status_code == 200
    assert response.json()["national"] is True
    assert response.json()["slug"] is None


async def test_path_switch_remembers_the_site_in_a_cookie(
    app: Litestar, client: AsyncTestClient
) -> None:
    site = await make_site(app.state.sites)
    response = await client.get(f"/s/{site.slug}", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    assert "path=/" in cookie
    answer = (await client.get("/api/site")).json()
    assert (answer["national"], answer["slug"]) == (False, site.slug)


async def test_path_switch_to_national_forgets_the_site(
    app: Litestar, client: AsyncTestClient
) -> None:
    site = await make_site(app.state.sites)
    await client.get(f"/s/{site.slug}", follow_redirects=False)
    response = await client.get("/s/national", follow_redirects=False)
    assert response.status_code == 303
    assert (await client.get("/api/site")).json()["national"] is True


async def test_path_switch_to_an_unknown_site_is_not_found(
    app: Litestar, client: AsyncTestClient
) -> None:
    app.state.sites.forget_cache()
    response = await client.get("/s/nowhere", follow_redirects=False)
    assert response.status_code == 404
    assert "handje_site" not in client.cookies


async def test_host_name_wins_over_the_cookie(app: Litestar, client: AsyncTestClient) -> None:
    by_cookie = await make_site(app.state.sites)
    by_host = await make_site(app.state.sites, hosts=(HAARLEM_HOST,))
    await client.get(f"/s/{by_cookie.slug}", follow_redirects=False)
    answer = (await client.get("/api/site", headers={"Host": HAARLEM_HOST})).json()
    assert answer["slug"] == by_host.slug

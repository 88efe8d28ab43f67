"""The regions API: town search and rounding the browser's position to a region."""

from __future__ import annotations

import h3
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.factories import csrf_headers, signed_in_client

UTRECHT_DOM = {"latitude": 52.0907, "longitude": 5.1214}


async def test_region_search_needs_sign_in(client: AsyncTestClient) -> None:
    response = await client.get("/api/regions/search", params={"q": "utr"})
    assert response.status_code == 401


async def test_region_search_returns_towns_with_province_and_cell(
    app: Litestar, client: AsyncTestClient
) -> None:
    await signed_in_client(app, client)
    response = await client.get("/api/regions/search", params={"q": "utr"})
    assert response.status_code == 200
    first = response.json()[0]
    assert set(first) == {"name", "province", "cell"}
    assert (first["name"], first["province"]) == ("Utrecht", "Utrecht")
    assert h3.get_resolution(first["cell"]) == 7


async def test_region_search_without_a_match_returns_an_empty_list(
    app: Litestar, client: AsyncTestClient
) -> None:
    await signed_in_client(app, client)
    response = await client.get("/api/regions/search", params={"q": "xyzzy"})
    assert response.status_code == 200
    assert response.json() == []


async def test_region_search_needs_a_query_of_1_to_80_characters(
    app: Litestar, client: AsyncTestClient
) -> None:
    await signed_in_client(app, client)
    for params in ({}, {"q": ""}, {"q": "a" * 81}):
        response = await client.get("/api/regions/search", params=params)
        assert response.status_code == 400, params


async def test_locate_needs_sign_in(client: AsyncTestClient) -> None:
    response = await client.post(
        "/api/regions/locate", json=UTRECHT_DOM, headers=await csrf_headers(client)
    )
    assert response.status_code == 401


async def test_locate_rounds_a_position_to_a_region_cell_and_a_town_name(
    app: Litestar, client: AsyncTestClient
) -> None:
    await signed_in_client(app, client)
    response = await client.post(
        "/api/regions/locate", json=UTRECHT_DOM, headers=await csrf_headers(client)
    )
    assert response.status_code == 200
    region = response.json()
    assert region == {"cell": h3.latlng_to_cell(52.0907, 5.1214, 7), "name": "Utrecht"}
    assert "latitude" not in response.text
    assert "longitude" not in response.text


async def test_locate_refuses_a_bad_latitude_or_a_point_abroad_with_400(
    app: Litestar, client: AsyncTestClient
) -> None:
    await signed_in_client(app, client)
    headers = await csrf_headers(client)
    for body in (
        {"latitude": 95.0, "longitude": 5.1},
        {"latitude": 48.8566, "longitude": 2.3522},
        {"latitude": "north", "longitude": 5.1},
        {"latitude": 52.09},
    ):
        response = await client.post("/api/regions/locate", json=body, headers=headers)
        assert response.status_code == 400, body
        assert response.json()["detail"]
    far = await client.post(
        "/api/regions/locate", json={"latitude": 48.8566, "longitude": 2.3522}, headers=headers
    )
    assert far.json()["field"] == "region"

"""Operations endpoints: health and the OpenAPI schema."""

from __future__ import annotations

import pytest
from litestar.testing import AsyncTestClient
from piccolo.engine.postgres import PostgresEngine

from backend.accounts.tables import User


async def test_health_reports_a_reachable_database(client: AsyncTestClient) -> None:
    response = await client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


async def test_health_reports_503_when_the_database_is_unreachable(
    client: AsyncTestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A real engine pointed at a port where nothing listens.
    unreachable = PostgresEngine(config={"dsn": "postgresql://nobody@127.0.0.1:9/none"})
    monkeypatch.setattr(User._meta, "db", unreachable)
    response = await client.get("/health")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable"}


async def test_openapi_schema_lists_the_api(client: AsyncTestClient) -> None:
    schema = (await client.get("/schema/openapi.json")).json()
    assert "/api/auth/login" in schema["paths"]
    assert "/api/me" in schema["paths"]
    assert "/auth/login" not in schema["paths"]

"""``GET /health``: is the database reachable?"""

from __future__ import annotations

import asyncio

from litestar import Response, get
from litestar.status_codes import HTTP_200_OK, HTTP_503_SERVICE_UNAVAILABLE

from backend.accounts.tables import User

HEALTH_TIMEOUT_SECONDS = 3


@get("/health", tags=["operations"])
async def health() -> Response[dict[str, str]]:
    """200 when the database answers, 503 (with the same JSON shape) when it does not."""
    try:
        await asyncio.wait_for(User.raw("SELECT 1"), timeout=HEALTH_TIMEOUT_SECONDS)
    except Exception:  # any driver error or a timeout means: not reachable
        return Response(
            {"status": "unavailable", "database": "unreachable"},
            status_code=HTTP_503_SERVICE_UNAVAILABLE,
        )
    return Response({"status": "ok", "database": "ok"}, status_code=HTTP_200_OK)

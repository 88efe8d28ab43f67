"""Sending encrypted push requests over HTTP: no redirects, timeouts, bounded reads, and a cap on
concurrent requests per push service."""

from __future__ import annotations

import asyncio
import logging
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

from backend.push.protocol import PushRequest, push_service_origin

MAX_RESPONSE_BYTES = 4_096
# httpx logs every request's URL at INFO; a push endpoint is a secret capability URL.
logging.getLogger("httpx").setLevel(logging.WARNING)
NETWORK_ERROR = 0  # the status recorded when no answer came (retried like a 5xx)


@dataclass(frozen=True)
class PushResponse:
    """What the push service answered: a status (0: no answer) and its Retry-After in seconds."""

    status: int
    retry_after: float | None = None


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


class PushSender:
    """One HTTP client for every push service, with at most ``per_service`` requests in flight
    to each (so that one slow service cannot take every connection)."""

    def __init__(
        self,
        *,
        per_service: int,
        timeout_seconds: float = 10.0,
        verify: ssl.SSLContext | None = None,
        max_connections: int = 64,
    ) -> None:
        self._per_service = per_service
        self._limits: dict[str, asyncio.Semaphore] = {}
        self._client = httpx.AsyncClient(
            follow_redirects=False,
            timeout=httpx.Timeout(timeout_seconds, connect=5.0),
            verify=verify or ssl.create_default_context(),
            # Connections are few and kept: httpcore's pool scans every connection per request.
            limits=httpx.Limits(
                max_connections=max_connections, max_keepalive_connections=max_connections
            ),
            trust_env=False,
        )

    def _limit(self, origin: str) -> asyncio.Semaphore:
        if origin not in self._limits:
            self._limits[origin] = asyncio.Semaphore(self._per_service)
        return self._limits[origin]

    async def send(self, request: PushRequest) -> PushResponse:
        """POST one request; a network error or timeout comes back as status 0."""
        async with self._limit(push_service_origin(request.endpoint)):
            try:
                async with self._client.stream(
                    "POST", request.endpoint, content=request.body, headers=request.headers
                ) as response:
                    await _drain(response)
                    retry_after = parse_retry_after(
                        response.headers.get("retry-after"), datetime.now(UTC)
                    )
                    return PushResponse(response.status_code, retry_after)
            except httpx.HTTPError:
                return PushResponse(NETWORK_ERROR)

    async def close(self) -> None:
        """Close the connections."""
        await self._client.aclose()


async def _drain(response: httpx.Response) -> None:
    """Read at most ``MAX_RESPONSE_BYTES`` of the body: we never need more than the status."""
    read = 0
    async for chunk in response.aiter_raw():
        read += len(chunk)
        if read >= MAX_RESPONSE_BYTES:
            break

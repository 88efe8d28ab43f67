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
    """Sends with at most ``per_service`` requests in flight to each push service (so that one
    slow service cannot take every connection).

    Each push service gets ``per_service`` httpx transports of one kept-alive connection each,
    lent out one request at a time: httpcore's pool checks every connection it holds on every
    request, which costs more than the encryption once a pool holds a dozen connections. The
    transport follows no redirects and keeps no cookies, so no client is needed around it.
    """

    def __init__(
        self,
        *,
        per_service: int,
        timeout_seconds: float = 10.0,
        verify: ssl.SSLContext | None = None,
    ) -> None:
        self._per_service = per_service
        self._timeout = httpx.Timeout(timeout_seconds, connect=5.0).as_dict()
        self._verify = verify or ssl.create_default_context()
        self._idle: dict[str, asyncio.Queue[httpx.AsyncHTTPTransport]] = {}
        self._transports: list[httpx.AsyncHTTPTransport] = []

    def _idle_transports(self, origin: str) -> asyncio.Queue[httpx.AsyncHTTPTransport]:
        if origin not in self._idle:
            idle: asyncio.Queue[httpx.AsyncHTTPTransport] = asyncio.Queue()
            for _ in range(self._per_service):
                transport = httpx.AsyncHTTPTransport(
                    verify=self._verify,
                    limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
                    trust_env=False,
                )
                self._transports.append(transport)
                idle.put_nowait(transport)
            self._idle[origin] = idle
        return self._idle[origin]

    async def send(self, request: PushRequest) -> PushResponse:
        """POST one request; a network error or timeout comes back as status 0."""
        idle = self._idle_transports(push_service_origin(request.endpoint))
        transport = await idle.get()
        try:
            post = httpx.Request(
                "POST",
                request.endpoint,
                content=request.body,
                headers=request.headers,
                extensions={"timeout": self._timeout},
            )
            response = await transport.handle_async_request(post)
            try:
                await _drain(response)
            finally:
                await response.aclose()
            retry_after = parse_retry_after(response.headers.get("retry-after"), datetime.now(UTC))
            return PushResponse(response.status_code, retry_after)
        except httpx.HTTPError:
            return PushResponse(NETWORK_ERROR)
        finally:
            idle.put_nowait(transport)

    async def close(self) -> None:
        """Close the connections."""
        for transport in self._transports:
            await transport.aclose()


async def _drain(response: httpx.Response) -> None:
    """Read at most ``MAX_RESPONSE_BYTES`` of the body: we never need more than the status."""
    read = 0
    async for chunk in response.aiter_raw():
        read += len(chunk)
        if read >= MAX_RESPONSE_BYTES:
            break

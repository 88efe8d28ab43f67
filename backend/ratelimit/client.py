"""The caller's IP address for the request or websocket being served, for per-IP limits.

Services take the acting account, not the connection; the address travels in a context
variable set at the edge, so every limit that counts an account also counts its network, for
the JSON API and the ReactPy pages (a websocket's event handlers run inside its connection).
"""

from __future__ import annotations

from contextvars import ContextVar

from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

CLIENT_IP: ContextVar[str | None] = ContextVar("handje_client_ip", default=None)


class ClientAddressMiddleware(ASGIMiddleware):
    """Remembers the client's address (resolved by uvicorn's proxy headers) for the limiter."""

    scopes = (ScopeType.HTTP, ScopeType.WEBSOCKET)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        client = scope.get("client")
        token = CLIENT_IP.set(client[0] if client else None)
        try:
            await next_app(scope, receive, send)
        finally:
            CLIENT_IP.reset(token)

"""Authentication at the edge: resolve the session cookie for every request and websocket."""

from __future__ import annotations

import re

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.enums import ScopeType
from litestar.exceptions import NotAuthorizedException
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

from backend.accounts.service import Accounts, SignedIn
from backend.web.cookies import session_token

# Paths that never need to know who is asking: skip the session lookup for them.
PUBLIC_ASSET_PATHS = (
    "^/static/",
    "^/reactpy/static/",
    "^/reactpy/modules/",
    "^/sw/",
    "^/service-worker.js$",
    "^/manifest.webmanifest$",
    "^/health$",
)
_PUBLIC_ASSET_PATTERN = re.compile("|".join(PUBLIC_ASSET_PATHS))


class SessionAuthMiddleware(ASGIMiddleware):
    """Puts the signed-in account (or None) in ``scope["user"]``, its session in ``scope["auth"]``.

    It also runs for websockets, so ReactPy components read the same identity.
    """

    scopes = (ScopeType.HTTP, ScopeType.WEBSOCKET)

    @staticmethod
    def should_bypass_for_scope(scope: Scope) -> bool:
        """Static assets, PWA files and health checks need no identity."""
        return bool(_PUBLIC_ASSET_PATTERN.match(scope["path"]))

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        connection: ASGIConnection = ASGIConnection(scope)
        state = connection.app.state
        token = session_token(connection, state.settings)
        accounts: Accounts = state.accounts
        signed_in = await accounts.resolve_session(token) if token else None
        scope["user"] = signed_in.account if signed_in else None
        scope["auth"] = signed_in
        await next_app(scope, receive, send)


def require_sign_in(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    """Guard: 401 unless the request carries a live session."""
    if connection.scope.get("auth") is None:
        raise NotAuthorizedException("Please log in first.")


def current_session(request: Request) -> SignedIn:
    """Dependency: the caller's session (handlers that use it are behind ``require_sign_in``)."""
    signed_in = request.scope.get("auth")
    if signed_in is None:
        raise NotAuthorizedException("Please log in first.")
    return signed_in

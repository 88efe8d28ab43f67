"""Security headers on every response and the Origin check on every websocket handshake."""

from __future__ import annotations

from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from backend.settings import Settings


def content_security_policy(script_hashes: tuple[str, ...], image_origins: tuple[str, ...]) -> str:
    """A policy that allows no third-party origin: scripts only from us (and hashed inline ones)."""
    scripts = " ".join(["'self'", *(f"'{digest}'" for digest in script_hashes)])
    images = " ".join(["'self'", "data:", "blob:", *image_origins])
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            "style-src 'self'",
            f"img-src {images}",
            "connect-src 'self'",
            "font-src 'self'",
            "manifest-src 'self'",
            "worker-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


class SecurityHeadersMiddleware(ASGIMiddleware):
    """Adds CSP, nosniff, referrer and framing rules, HSTS over https, and ``no-store`` by default.

    A response that sets its own Cache-Control (static files) keeps it; everything else
    (pages, API answers) is never stored by browsers or proxies.
    """

    scopes = (ScopeType.HTTP,)

    def __init__(self, settings: Settings, csp: str) -> None:
        self._headers = {
            "Content-Security-Policy": csp,
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "same-origin",
            "X-Frame-Options": "DENY",
            "Cross-Origin-Opener-Policy": "same-origin",
            "Permissions-Policy": "geolocation=(self), camera=(self), microphone=()",
        }
        if settings.https:
            self._headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableScopeHeaders.from_message(message)
                for name, value in self._headers.items():
                    headers.setdefault(name, value)
                headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await next_app(scope, receive, send_with_headers)


def expected_origins(scope: Scope, settings: Settings) -> set[str]:
    """The origins this request may come from: our own host and the configured ones."""
    host = dict(scope["headers"]).get(b"host", b"").decode("latin-1")
    scheme = "https" if scope.get("scheme") in {"https", "wss"} or settings.https else "http"
    return {f"{scheme}://{host}", *settings.allowed_origins}


class WebsocketOriginMiddleware(ASGIMiddleware):
    """Refuses a websocket handshake whose ``Origin`` is not the app's own.

    Browsers send cookies on cross-site websocket handshakes, so without this check any web
    page could drive a signed-in user's live session.
    """

    scopes = (ScopeType.WEBSOCKET,)

    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        origin = dict(scope["headers"]).get(b"origin", b"").decode("latin-1").rstrip("/")
        if origin not in expected_origins(scope, self._settings):
            await send({"type": "websocket.close", "code": 1008, "reason": "origin not allowed"})
            return
        await next_app(scope, receive, send)

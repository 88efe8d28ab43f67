"""The session cookie: its name, flags and how it is set and cleared."""

from __future__ import annotations

from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie

from backend.settings import Settings

SESSION_COOKIE = "handje_session"


def session_cookie_name(settings: Settings) -> str:
    """``__Host-`` pins the cookie to this host over https (Secure, Path=/, no Domain)."""
    return f"__Host-{SESSION_COOKIE}" if settings.https else SESSION_COOKIE


def csrf_cookie_name(settings: Settings) -> str:
    """The CSRF double-submit cookie, also ``__Host-`` pinned over https."""
    return "__Host-handje_csrf" if settings.https else "handje_csrf"


def session_token(connection: ASGIConnection, settings: Settings) -> str | None:
    """The session cookie's value on an HTTP request or websocket handshake."""
    return connection.cookies.get(session_cookie_name(settings)) or None


def session_cookie(settings: Settings, token: str) -> Cookie:
    """The cookie that carries a new session (HttpOnly, SameSite=Lax, Secure over https)."""
    return Cookie(
        key=session_cookie_name(settings),
        value=token,
        path="/",
        max_age=settings.session_days * 86_400,
        httponly=True,
        secure=settings.https,
        samesite="lax",
    )


def cleared_session_cookie(settings: Settings) -> Cookie:
    """A cookie that removes the session cookie from the browser."""
    return Cookie(
        key=session_cookie_name(settings),
        value="",
        path="/",
        max_age=0,
        httponly=True,
        secure=settings.https,
        samesite="lax",
    )

"""Which site a request is on: the middleware that decides it, the routes that show or switch it.

A local site is recognised by its host name. For trying sites out locally (one host, several
sites) ``/s/<slug>`` remembers a site in the ``handje_site`` cookie, used when the host is no
site's; ``/s/national`` forgets it.
"""

from __future__ import annotations

from litestar import Controller, Request, get
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie
from litestar.di import NamedDependency
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.params import FromPath
from litestar.response import Redirect
from litestar.status_codes import HTTP_303_SEE_OTHER
from litestar.types import ASGIApp, Receive, Scope, Send

from backend.errors import NotFound
from backend.settings import Settings
from backend.sites.schemas import CurrentSite
from backend.sites.service import Sites, SiteView
from backend.web.auth import SessionAuthMiddleware

SITE_COOKIE = "handje_site"


async def resolve_site(connection: ASGIConnection, sites: Sites) -> SiteView | None:
    """The local site of a connection: by host name first, else by the ``handje_site`` cookie."""
    site = await sites.for_host(connection.headers.get("host", ""))
    if site is None and (slug := connection.cookies.get(SITE_COOKIE)):
        site = await sites.by_slug(slug)
    return site


class SiteMiddleware(ASGIMiddleware):
    """Puts the local site (or None for the national site) in ``scope["site"]``.

    It also runs for websockets, so ReactPy pages see the same site.
    """

    scopes = (ScopeType.HTTP, ScopeType.WEBSOCKET)
    # The same static assets, PWA files and health checks need no site either.
    should_bypass_for_scope = staticmethod(SessionAuthMiddleware.should_bypass_for_scope)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        connection: ASGIConnection = ASGIConnection(scope)
        sites: Sites = connection.app.state.sites
        scope["site"] = await resolve_site(connection, sites)  # type: ignore[typeddict-unknown-key]
        await next_app(scope, receive, send)


def current_site(connection: ASGIConnection) -> SiteView | None:
    """The site the connection is on (None: the national site), as the middleware found it."""
    return connection.scope.get("site")  # type: ignore[return-value]


def _site_cookie(settings: Settings, slug: str) -> Cookie:
    """The cookie that remembers a chosen site; an empty slug removes it."""
    return Cookie(
        key=SITE_COOKIE,
        value=slug,
        path="/",
        max_age=None if slug else 0,
        httponly=True,
        secure=settings.https,
        samesite="lax",
    )


class SiteSwitchController(Controller):
    """Choose a site by path instead of by host name (for local testing)."""

    path = "/s"
    include_in_schema = False

    @get("/national", status_code=HTTP_303_SEE_OTHER)
    async def national(self, settings: NamedDependency[Settings]) -> Redirect:
        """Go back to the national site."""
        return Redirect("/", cookies=[_site_cookie(settings, "")], status_code=HTTP_303_SEE_OTHER)

    @get("/{slug:str}", status_code=HTTP_303_SEE_OTHER)
    async def local(
        self, request: Request, slug: FromPath[str], settings: NamedDependency[Settings]
    ) -> Redirect:
        """Remember the local site ``slug`` for this browser; 404 when there is none."""
        site = await request.app.state.sites.by_slug(slug)
        if site is None:
            raise NotFound("There is no site with this name.")
        return Redirect(
            "/", cookies=[_site_cookie(settings, site.slug)], status_code=HTTP_303_SEE_OTHER
        )


@get("/api/site", tags=["sites"])
async def site_info(request: Request) -> CurrentSite:
    """The site this request is on; public, so that every page can show its name and colours."""
    return CurrentSite.of(current_site(request))

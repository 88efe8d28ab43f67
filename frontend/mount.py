"""Litestar routes for the UI: the HTML shell, the ReactPy mount, static files and the PWA files."""

from __future__ import annotations

from pathlib import Path

from litestar import Request, Response, get
from litestar.datastructures import CacheControlHeader
from litestar.handlers import asgi
from litestar.response import File
from litestar.router import Router
from litestar.static_files import create_static_files_router
from litestar.types import Receive, Scope, Send
from reactpy.executors.asgi.middleware import ReactPyMiddleware

from frontend import reactpy_patches
from frontend.i18n import language_from_accept
from frontend.routes import PAGE_PATHS
from frontend.shell import REACTPY_PREFIX, ROOT_COMPONENT, page_html

FRONTEND_DIR = Path(__file__).parent
SERVICE_WORKER_DIR = FRONTEND_DIR.parent / "service-worker"
STATIC_CACHE = CacheControlHeader(public=True, max_age=3600)
REVALIDATE = CacheControlHeader(no_cache=True)


async def _not_found(scope: Scope, _receive: Receive, send: Send) -> None:
    """Whatever under the ReactPy prefix is not ReactPy's."""
    if scope["type"] == "websocket":
        await send({"type": "websocket.close", "code": 1008})
        return
    await send({"type": "http.response.start", "status": 404, "headers": []})
    await send({"type": "http.response.body", "body": b"Not found"})


reactpy_patches.apply()
_reactpy = ReactPyMiddleware(
    app=_not_found, root_components=[ROOT_COMPONENT], path_prefix=REACTPY_PREFIX
)


@asgi(REACTPY_PREFIX.rstrip("/"), is_mount=True, copy_scope=True)
async def reactpy_mount(scope: Scope, receive: Receive, send: Send) -> None:
    """ReactPy's websocket, client files and web modules, behind Litestar's middleware.

    Litestar strips the mount prefix from ``path``; ReactPy routes on the full path.
    """
    scope["path"] = scope["raw_path"].decode("latin-1")
    await _reactpy(scope, receive, send)  # type: ignore[arg-type]


@get(list(PAGE_PATHS), include_in_schema=False)
async def app_page(request: Request) -> Response[str]:
    """The document every page starts from, in the user's language."""
    account = request.scope.get("user")
    language = (
        account.language
        if account
        else language_from_accept(request.headers.get("accept-language", ""))
    )
    return Response(page_html(language), media_type="text/html")


def _pwa_file(name: str, media_type: str, headers: dict[str, str] | None = None) -> File:
    return File(
        SERVICE_WORKER_DIR / name,
        media_type=media_type,
        content_disposition_type="inline",
        headers=headers,
    )


@get("/service-worker.js", include_in_schema=False, cache_control=REVALIDATE)
async def service_worker() -> File:
    """The service worker, at the root so that its scope is the whole app."""
    return _pwa_file("service-worker.js", "text/javascript", {"Service-Worker-Allowed": "/"})


@get("/manifest.webmanifest", include_in_schema=False, cache_control=REVALIDATE)
async def manifest() -> File:
    """The web app manifest that makes Handje installable."""
    return _pwa_file("manifest.webmanifest", "application/manifest+json")


@get("/offline", include_in_schema=False, cache_control=REVALIDATE)
async def offline_page() -> File:
    """The page the service worker shows when the network is gone."""
    return _pwa_file("offline.html", "text/html")


def frontend_router() -> Router:
    """Every UI route, ready to register on the app."""
    return Router(
        path="/",
        include_in_schema=False,
        route_handlers=[
            reactpy_mount,
            app_page,
            service_worker,
            manifest,
            offline_page,
            create_static_files_router(
                path="/static", directories=[FRONTEND_DIR / "static"], cache_control=STATIC_CACHE
            ),
            create_static_files_router(
                path="/sw", directories=[SERVICE_WORKER_DIR / "sw"], cache_control=REVALIDATE
            ),
        ],
    )

"""The HTML document every page starts from: head, import map, and the ReactPy mount point."""

from __future__ import annotations

import base64
import hashlib
import html
import json

from frontend.i18n import translator

REACTPY_PREFIX = "/reactpy/"
ROOT_COMPONENT = "frontend.app.root"

IMPORT_MAP = json.dumps(
    {
        "imports": {
            "react": f"{REACTPY_PREFIX}static/preact.js",
            "react-dom": f"{REACTPY_PREFIX}static/preact-dom.js",
            "react-dom/client": f"{REACTPY_PREFIX}static/preact-dom.js",
            "react/jsx-runtime": f"{REACTPY_PREFIX}static/preact-jsx-runtime.js",
        }
    },
    separators=(",", ":"),
)


def inline_script_hashes() -> tuple[str, ...]:
    """CSP hashes of the one inline script (the import map), so no 'unsafe-inline' is needed."""
    digest = hashlib.sha256(IMPORT_MAP.encode()).digest()
    return (f"sha256-{base64.b64encode(digest).decode()}",)


def page_html(language: str) -> str:
    """The document for any page; the ReactPy client renders the page itself."""
    t = translator(language)
    description = html.escape(t("Neighbours helping neighbours."))
    needs_javascript = html.escape(t("Handje needs JavaScript to work."))
    return (
        "<!doctype html>"
        f'<html lang="{html.escape(language)}">'
        "<head>"
        '<meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">'
        "<title>Handje</title>"
        f'<meta name="description" content="{description}">'
        '<meta name="theme-color" content="#0f766e">'
        '<link rel="manifest" href="/manifest.webmanifest">'
        '<link rel="icon" href="/static/icons/favicon.svg" type="image/svg+xml">'
        '<link rel="apple-touch-icon" href="/static/icons/icon-192.png">'
        '<link rel="stylesheet" href="/static/app.css">'
        f'<script type="importmap">{IMPORT_MAP}</script>'
        '<script type="module" src="/static/boot.js"></script>'
        "</head>"
        "<body>"
        f"<noscript>{needs_javascript}</noscript>"
        '<div id="app"></div>'
        "</body>"
        "</html>"
    )

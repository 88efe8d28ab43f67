"""Page frame and the bottom tab bar."""

from __future__ import annotations

from typing import Any

from reactpy import component, html, use_connection
from reactpy.types import VdomDict
from reactpy_router import link

from frontend.components.chat import use_unread_count
from frontend.components.notifications import notification_bell, push_prompt
from frontend.context import use_page
from frontend.routes import DISCOVER, MESSAGES, MY_LISTINGS, PROFILE

TABS = (
    (DISCOVER, "🧭", "Discover"),
    (MY_LISTINGS, "📋", "My listings"),
    (MESSAGES, "💬", "Messages"),
    (PROFILE, "👤", "Profile"),
)


@component
def tab_bar() -> VdomDict:
    """Bottom navigation between the four main pages; the current one is marked as such.

    Messages carries the number of unread messages, kept up to date live.
    """
    page = use_page()
    t = page.t
    current = use_connection().location.path
    unread = use_unread_count(current)
    tabs = [
        link(
            {
                "to": path,
                "className": "tab",
                "aria-current": "page" if current == path else None,
            },
            html.span({"className": "tab-icon", "aria-hidden": "true"}, icon),
            html.span({"className": "tab-label"}, t(label)),
            _unread_badge(unread, t) if path == MESSAGES and unread else "",
            key=path,
        )
        for path, icon, label in TABS
    ]
    return html.nav({"className": "tabbar", "aria-label": t("Main")}, *tabs)


def _unread_badge(count: int, t: Any) -> VdomDict:
    return html.fragment(
        html.span({"className": "tab-badge", "aria-hidden": "true"}, str(count)),
        html.span({"className": "visually-hidden"}, t("{count} unread").format(count=count)),
    )


@component
def member_page(title: str, *children: Any) -> VdomDict:
    """A signed-in page: a header with the title, the content, and the tab bar.

    On a local site the header names the site and the page takes the site's colours.
    """
    site = use_page().site
    theme = (
        {
            "--brand": site.primary_colour,
            "--brand-text": site.primary_colour,
            "--accent": site.accent_colour,
        }
        if site
        else {}
    )
    return html.div(
        {"className": "app", "style": theme},
        html.main(
            {"className": "page"},
            html.header(
                {"className": "page-header"},
                html.p({"className": "site-name"}, site.name) if site else "",
                html.h1(title),
                notification_bell(),
            ),
            html.div({"className": "page-body"}, push_prompt(), *children),
        ),
        tab_bar(),
    )


def empty_state(icon: str, heading: str, text: str) -> VdomDict:
    """A friendly placeholder for a page or list with nothing in it yet."""
    return html.div(
        {"className": "empty-state"},
        html.div({"className": "empty-state-icon", "aria-hidden": "true"}, icon),
        html.h2(heading),
        html.p(text),
    )

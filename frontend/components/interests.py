"""Interests as the two sides see them: a card with the person and note, and accept/decline."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from reactpy import component, html, use_async_effect, use_state
from reactpy.types import VdomDict
from reactpy_router import link

from backend.errors import DomainError
from backend.matching import states
from backend.matching.service import InterestView
from frontend.components.events import on_event
from frontend.components.forms import notice
from frontend.context import use_page
from frontend.i18n import Translate
from frontend.stand_ins import shown


def interest_card(view: InterestView, t: Translate, *children: Any) -> VdomDict:
    """An interest: the listing, the person, their note."""
    title = shown(view.listing_title, t)
    return html.article(
        {"className": "card interest-card", "aria-label": title},
        html.h3(link({"to": f"/listings/{view.listing_id}"}, title)),
        html.p({"className": "interest-person"}, shown(view.person_name, t)),
        html.p({"className": "muted"}, view.person_bio) if view.person_bio else "",
        html.blockquote({"className": "interest-note"}, view.note) if view.note else "",
        *children,
    )


@component
def interest_decision(view: InterestView, changed: Callable[[], Awaitable[None]]) -> VdomDict:
    """Accept or decline one received interest."""
    page = use_page()
    t = page.t
    problem, set_problem = use_state("")

    async def decide(accept: bool) -> None:
        try:
            actor = await page.current_account()
            if accept:
                await page.matching.accept(actor, view.id)
            else:
                await page.matching.decline(actor, view.id)
        except DomainError as error:
            set_problem(t(error.message))
            return
        await changed()

    return html.div(
        html.div(
            {"className": "row"},
            html.button(
                {
                    "type": "button",
                    "className": "btn btn-primary",
                    "aria-label": t("Accept {name}").format(name=view.person_name),
                    "onClick": on_event(decide, True),
                },
                t("Accept"),
            ),
            html.button(
                {
                    "type": "button",
                    "className": "btn btn-secondary",
                    "aria-label": t("Decline {name}").format(name=view.person_name),
                    "onClick": on_event(decide, False),
                },
                t("Decline"),
            ),
        ),
        notice("error", problem),
    )


@component
def received_interests(listing_id: Any, changed: Callable[[], Awaitable[None]]) -> VdomDict:
    """Who offered help on (or wants) this listing, for the people who manage it."""
    page = use_page()
    t = page.t
    views, set_views = use_state(None)

    async def load() -> None:
        actor = await page.current_account()
        set_views(await page.matching.received(actor, listing_id))

    async def decided() -> None:
        await load()
        await changed()

    use_async_effect(load, [listing_id])
    if not views:
        return html.p({"className": "muted"}, t("Nobody has responded yet.")) if views == [] else ""
    visible = [view for view in views if view.state in {states.PENDING, states.ACCEPTED}]
    return html.section(
        {"className": "section", "aria-label": t("Responses")},
        html.h2(t("Responses")),
        *[
            interest_card(
                view,
                t,
                interest_decision(view, decided, key=f"decide-{view.id}")
                if view.state == states.PENDING
                else html.p({"className": "badge badge-open"}, t("Matched")),
            )
            for view in visible
        ],
    )

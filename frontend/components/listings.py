"""Listing cards and the listing detail with the owner's actions."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from reactpy import component, html, use_state
from reactpy.types import VdomDict
from reactpy_router import link

from backend.errors import DomainError
from backend.listings import lifecycle
from backend.listings.categories import CATEGORY_BY_SLUG
from backend.listings.service import ListingView
from backend.translatable import N_
from frontend.components.events import on_event
from frontend.components.forms import notice, use_latest
from frontend.components.interests import received_interests
from frontend.components.reporting import listing_reports
from frontend.context import PageContext, use_page
from frontend.formatting import day, distance_text, timing_text

STATUS_LABELS = {
    lifecycle.OPEN: "Open",
    lifecycle.IN_PROGRESS: "In progress",
    lifecycle.DONE: "Done",
    lifecycle.CLOSED: "Closed",
    lifecycle.EXPIRED: "Expired",
    lifecycle.HIDDEN: N_("Hidden by moderators"),
}
KIND_LABELS = {"request": "Request", "offer": "Offer"}


def status_badge(view: ListingView, t: Callable[[str], str]) -> VdomDict:
    """The status as a coloured badge (paused wins over open)."""
    status = "paused" if view.paused else view.status
    label = t("Paused") if view.paused else t(STATUS_LABELS[view.status])
    return html.span({"className": f"badge badge-{status}"}, label)


def _meta(view: ListingView, page: PageContext) -> VdomDict:
    t = page.t
    category = CATEGORY_BY_SLUG[view.category]
    distance = "" if view.can_manage else distance_text(view.distance_km, t)
    parts = [
        f"{category.icon} {category.label(page.language)}",
        view.region_name,
        distance,
        timing_text(view.timing, view.needed_on, view.weekdays, t, page.language),
    ]
    return html.p({"className": "listing-meta muted"}, " · ".join(part for part in parts if part))


def _expiry_line(view: ListingView, page: PageContext) -> VdomDict | str:
    t = page.t
    if view.status == lifecycle.EXPIRED:
        return html.p({"className": "muted"}, t("Expired. Renew it to show it again."))
    if view.status in lifecycle.ACTIVE:
        until = day(view.expires_at, page.language)
        return html.p({"className": "muted"}, t("Visible until {day}").format(day=until))
    return ""


def _picture(view: ListingView, variant: str) -> VdomDict:
    """The first photo, or the category's illustration when there is none."""
    if view.photos:
        return html.img(
            {
                "className": f"listing-photo listing-photo-{variant}",
                "src": view.photos[0].urls[variant],
                "alt": "",
                "loading": "lazy",
            }
        )
    icon = CATEGORY_BY_SLUG[view.category].icon
    return html.div({"className": "listing-illustration", "aria-hidden": "true"}, icon)


def listing_summary(
    view: ListingView, page: PageContext, *children: Any, photo: str = "thumb"
) -> VdomDict:
    """A compact card: picture, kind, title, status, category, region and when."""
    t = page.t
    return html.article(
        {"className": "card listing-card", "aria-label": view.title},
        _picture(view, photo),
        html.div(
            {"className": "row"},
            html.span({"className": f"badge badge-{view.kind}"}, t(KIND_LABELS[view.kind])),
            status_badge(view, t),
            html.span({"className": "badge badge-organisation"}, t("Organisation"))
            if view.owner.kind == "organisation"
            else "",
        ),
        html.h3(view.title),
        _meta(view, page),
        *children,
    )


@component
def listing_detail(view: ListingView, changed: Callable[[], Awaitable[None]]) -> VdomDict:
    """Everything about one listing; its owner (or organisation members) also get the actions."""
    page = use_page()
    t = page.t
    return html.section(
        {"className": "listing-detail", "aria-label": view.title},
        listing_summary(
            view,
            page,
            html.p({"className": "listing-owner"}, t("By {name}").format(name=view.owner.name)),
            _gallery(view, t),
            html.p({"className": "listing-description"}, view.description)
            if view.description
            else "",
            _expiry_line(view, page),
            photo="card",
        ),
        owner_actions(view, changed, key=f"actions-{view.id}-{view.status}-{view.paused}")
        if view.can_manage
        else "",
        received_interests(view.id, changed, key=f"interests-{view.id}")
        if view.can_manage
        else listing_reports(view, key=f"reports-{view.id}"),
    )


@component
def owner_actions(view: ListingView, changed: Callable[[], Awaitable[None]]) -> VdomDict:
    """Edit, extend or renew, pause or resume, close (with its question) and delete."""
    page = use_page()
    t = page.t
    asking, set_asking = use_state("")  # "" | "close" | "delete"
    problem, set_problem = use_state("")
    paused, pausing = use_latest(view.paused)

    async def act(action: Callable[[Any], Awaitable[Any]]) -> None:
        try:
            await action(await page.current_account())
        except DomainError as error:
            set_problem(t(error.message))
            return
        set_asking("")
        await changed()

    listings = page.listings

    async def pause_or_resume() -> None:
        # The opposite of the newest choice, saved as it is when saving: a second quick tap can
        # reach the server before this render is replaced.
        pausing.change(lambda was_paused: not was_paused)
        await act(lambda actor: listings.set_paused(actor, view.id, pausing.now))

    buttons: list[Any] = []
    if view.status not in lifecycle.FINAL:
        buttons.append(
            link({"to": f"/listings/{view.id}/edit", "className": "btn btn-secondary"}, t("Edit"))
        )
        label = t("Renew") if view.status == lifecycle.EXPIRED else t("Extend")
        buttons.append(_button(label, on_event(act, lambda actor: listings.extend(actor, view.id))))
    if view.status == lifecycle.IN_PROGRESS:
        buttons.append(
            _button(
                t("Mark as done"), on_event(act, lambda actor: listings.mark_done(actor, view.id))
            )
        )
    if view.status in lifecycle.ACTIVE:
        label = t("Resume") if paused else t("Pause")
        buttons.append(_button(label, on_event(pause_or_resume)))
        buttons.append(_button(t("Close"), on_event(set_asking, "close")))
    buttons.append(_button(t("Delete"), on_event(set_asking, "delete"), "btn-danger"))

    def close_with(found_help: bool | None) -> Callable[[Any], Awaitable[None]]:
        return on_event(act, lambda actor: listings.close(actor, view.id, found_help))

    question: VdomDict | str = ""
    if asking == "close":
        question = html.div(
            {"className": "card", "role": "group", "aria-label": t("Close this listing")},
            html.p(t("Did you find help through Handje?")),
            html.div(
                {"className": "row"},
                _button(t("Yes"), close_with(True), "btn-primary"),
                _button(t("No"), close_with(False)),
                _button(t("Rather not say"), close_with(None)),
            ),
        )
    elif asking == "delete":
        question = html.div(
            {"className": "card", "role": "group", "aria-label": t("Delete this listing")},
            html.p(t("Delete this listing for good?")),
            html.div(
                {"className": "row"},
                _button(
                    t("Yes, delete"),
                    on_event(act, lambda actor: listings.delete(actor, view.id)),
                    "btn-danger",
                ),
                _button(t("Cancel"), on_event(set_asking, "")),
            ),
        )
    return html.div(
        {"className": "listing-actions"},
        html.div({"className": "row"}, *buttons),
        question,
        notice("error", problem),
    )


def _gallery(view: ListingView, t: Callable[[str], str]) -> VdomDict | str:
    """The other photos of a listing, larger, for its detail view."""
    if len(view.photos) < 2:
        return ""
    return html.ul(
        {"className": "photo-gallery", "aria-label": t("Photos")},
        *[
            html.li(
                {"key": str(photo.id)},
                html.img({"src": photo.urls["card"], "alt": t("Photo"), "loading": "lazy"}),
            )
            for photo in view.photos[1:]
        ],
    )


def _button(label: str, on_click: Callable[[Any], Any], kind: str = "btn-secondary") -> VdomDict:
    return html.button({"type": "button", "className": f"btn {kind}", "onClick": on_click}, label)

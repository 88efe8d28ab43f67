"""My listings: personal and organisation listings, with the detail beside the list on a tablet."""

from __future__ import annotations

from uuid import UUID

from reactpy import component, html, use_async_effect, use_state
from reactpy.types import VdomDict
from reactpy_router import link

from backend.listings.service import ListingView, MyListings
from frontend.components.events import on_event
from frontend.components.layout import empty_state, member_page
from frontend.components.listings import listing_detail, listing_summary
from frontend.context import PageContext, use_page
from frontend.routes import NEW_LISTING


def _responses(count: int, page: PageContext) -> VdomDict:
    """How many people responded (offered help, or want the offer)."""
    text = (
        page.t("No responses yet")
        if count == 0
        else page.t("{count} responses").format(count=count)
    )
    return html.p({"className": "listing-responses"}, text)


def _group(
    title: str,
    views: list[ListingView],
    page: PageContext,
    select: object,
    selected: UUID | None,
    counts: dict[UUID, int],
) -> VdomDict:
    return html.section(
        {"className": "section", "aria-label": title},
        html.h2(title),
        html.ul(
            {"className": "listing-list"},
            *[
                html.li(
                    {"key": str(view.id)},
                    html.button(
                        {
                            "type": "button",
                            "className": "listing-select",
                            "aria-pressed": "true" if view.id == selected else "false",
                            "onClick": on_event(select, view.id),
                        },
                        listing_summary(view, page, _responses(counts.get(view.id, 0), page)),
                    ),
                )
                for view in views
            ],
        ),
    )


@component
def my_listings_page() -> VdomDict:
    """The signed-in person's requests and offers, and their organisations'."""
    page = use_page()
    t = page.t
    mine, set_mine = use_state(None)
    counts, set_counts = use_state({})
    selected, set_selected = use_state(None)

    async def load() -> None:
        actor = await page.current_account()
        mine = await page.listings.mine(actor)
        set_counts(await page.matching.interest_counts([view.id for view in _all(mine)]))
        set_mine(mine)

    use_async_effect(load, [])
    new_button = link(
        {"to": NEW_LISTING, "className": "btn btn-primary"}, t("New request or offer")
    )
    if mine is None:
        return member_page(t("My listings"), html.p({"aria-busy": "true"}, t("Loading…")))
    everything = _all(mine)
    if not everything:
        return member_page(
            t("My listings"),
            empty_state(
                "📋",
                t("No listings yet"),
                t("Ask for help or offer a hand: your requests and offers appear here."),
            ),
            new_button,
        )
    groups = (
        [_group(t("Personal"), mine.personal, page, set_selected, selected, counts)]
        if (mine.personal)
        else []
    )
    groups += [
        _group(owner.name, views, page, set_selected, selected, counts)
        for owner, views in mine.organisations
        if views
    ]
    chosen = next((view for view in everything if view.id == selected), None)
    detail = (
        html.div(
            {"className": "split-detail"},
            html.button(
                {
                    "type": "button",
                    "className": "btn btn-link split-back",
                    "onClick": on_event(set_selected, None),
                },
                t("← All my listings"),
            ),
            listing_detail(chosen, load, key=str(chosen.id)),
        )
        if chosen
        else html.div(
            {"className": "split-detail split-placeholder muted"},
            t("Choose a listing to see it here."),
        )
    )
    return member_page(
        t("My listings"),
        new_button,
        html.div(
            {"className": "split", "data-selected": "true" if chosen else "false"},
            html.div({"className": "split-list"}, *groups),
            detail,
        ),
    )


def _all(mine: MyListings) -> list[ListingView]:
    return [*mine.personal, *(view for _, views in mine.organisations for view in views)]

"""Discover: one card at a time, swipe right to help or to accept an offer, left to skip."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any
from uuid import UUID

from reactpy import component, html, use_async_effect, use_ref, use_state
from reactpy.reactjs import component_from_file
from reactpy.types import VdomDict
from reactpy_router import link

from backend.errors import DomainError, NotAuthenticated
from backend.listings.categories import CATEGORIES, CATEGORY_BY_SLUG
from backend.matching.service import DeckCard, DeckFilters
from frontend.components.events import on_event
from frontend.components.forms import field, notice, value_of
from frontend.components.layout import empty_state, member_page
from frontend.context import PageContext, use_page
from frontend.formatting import distance_text, timing_text
from frontend.routes import MATCHES, PROFILE

SwipeDeck = component_from_file(
    Path(__file__).parent.parent / "js" / "swipe.js", import_names="SwipeDeck", name="handje-swipe"
)
PREFETCH_BELOW = 5
SUGGESTED_NOTES = {
    "request": "Hi! I would like to help you with this.",
    "offer": "Hi! I would love to take you up on this.",
}


def _card_props(card: DeckCard, page: PageContext) -> dict[str, Any]:
    """What the JavaScript card shows; text is translated here, in Python."""
    t = page.t
    view = card.listing
    category = CATEGORY_BY_SLUG[view.category]
    distance = distance_text(view.distance_km, t)
    interested = (
        t("{count} people offered help").format(count=card.interested)
        if view.kind == "request"
        else t("{count} people are interested").format(count=card.interested)
    )
    return {
        "id": str(view.id),
        "title": view.title,
        "kind": view.kind,
        "kindLabel": t("Request") if view.kind == "request" else t("Offer"),
        "rightLabel": t("I can help") if view.kind == "request" else t("I'm interested"),
        "icon": category.icon,
        "photo": view.photos[0].urls["card"] if view.photos else None,
        "meta": " · ".join(
            part for part in (category.label(page.language), view.region_name, distance) if part
        ),
        "when": timing_text(view.timing, view.needed_on, view.weekdays, t, page.language),
        "ownerName": view.owner.name,
        "ownerPhoto": card.owner_photo.urls["thumb"] if card.owner_photo else None,
        "organisation": view.owner.kind == "organisation",
        "interested": interested if card.interested else "",
    }


@component
def deck_filters(filters: DeckFilters, change: Any) -> VdomDict:
    """Kind, categories and distance; every change reloads the deck."""
    page = use_page()
    t = page.t

    def toggle_kind(kind: str) -> None:
        kinds = filters.kinds ^ {kind}
        change(replace(filters, kinds=kinds or frozenset({kind})))

    def toggle_category(slug: str) -> None:
        change(replace(filters, categories=filters.categories ^ {slug}))

    def chip(label: str, pressed: bool, on_click: Any, key: str) -> VdomDict:
        return html.button(
            {
                "type": "button",
                "className": "chip",
                "aria-pressed": "true" if pressed else "false",
                "onClick": on_click,
                "key": key,
            },
            label,
        )

    return html.details(
        {"className": "deck-filters"},
        html.summary(t("Filters")),
        html.div(
            {"className": "chips", "role": "group", "aria-label": t("Show")},
            chip(t("Requests"), "request" in filters.kinds, on_event(toggle_kind, "request"), "r"),
            chip(t("Offers"), "offer" in filters.kinds, on_event(toggle_kind, "offer"), "o"),
        ),
        html.div(
            {"className": "chips", "role": "group", "aria-label": t("Categories")},
            *[
                chip(
                    f"{category.icon} {category.label(page.language)}",
                    category.slug in filters.categories,
                    on_event(toggle_category, category.slug),
                    category.slug,
                )
                for category in CATEGORIES
            ],
        ),
        field(
            "radius",
            t("Within {km} km").format(km=filters.radius_km),
            html.input(
                {
                    "type": "range",
                    "min": 1,
                    "max": 50,
                    "defaultValue": filters.radius_km,
                    "onChange": lambda event: change(
                        replace(filters, radius_km=int(value_of(event) or 10))
                    ),
                }
            ),
        ),
    )


@component
def discover_page() -> VdomDict:
    """The deck, with filters, a note for the next "I can help", and undo."""
    page = use_page()
    t = page.t
    filters, set_filters = use_state(DeckFilters())
    queue, set_queue = use_state(None)
    cursor = use_ref(None)
    loading = use_ref(False)
    can_undo, set_can_undo = use_state(False)
    message, set_message = use_state(("", ""))
    note = use_ref("")

    async def actor() -> Any:
        return (await page.accounts.still_signed_in(page.signed_in.session_id)).account

    async def fetch_more(current: list[DeckCard], reset: bool = False) -> None:
        if loading.current:
            return
        loading.current = True
        try:
            deck = await page.matching.deck(
                await actor(), filters, site=page.site, cursor=None if reset else cursor.current
            )
        except NotAuthenticated:
            page.set_signed_in(None)
            return
        except DomainError as error:
            set_message(("error", t(error.message)))
            set_queue([])
            return
        finally:
            loading.current = False
        cursor.current = deck.cursor
        known = {card.listing.id for card in current}
        set_queue([*current, *(card for card in deck.cards if card.listing.id not in known)])

    async def load() -> None:
        cursor.current = None
        await fetch_more([], reset=True)

    use_async_effect(load, [filters])

    async def decide(data: dict[str, Any]) -> None:
        listing_id = UUID(str(data["id"]))
        remaining = [card for card in queue or [] if card.listing.id != listing_id]
        decided = next((card for card in queue or [] if card.listing.id == listing_id), None)
        set_queue(remaining)
        direction = "right" if data.get("direction") == "right" else "left"
        text = note.current or (t(SUGGESTED_NOTES[decided.listing.kind]) if decided else "")
        try:
            await page.matching.swipe(
                await actor(), listing_id, direction, text if direction == "right" else ""
            )
        except DomainError as error:
            set_message(("error", t(error.message)))
            if decided is not None:
                set_queue([decided, *remaining])
            return
        note.current = ""
        set_can_undo(True)
        set_message(
            ("success", t("Sent! You will hear when they answer."))
            if direction == "right"
            else ("", "")
        )
        if len(remaining) < PREFETCH_BELOW:
            await fetch_more(remaining)

    async def undo() -> None:
        try:
            account = await actor()
            listing_id = await page.matching.undo(account)
            if listing_id is not None:
                card = await page.matching.card(account, listing_id)
                set_queue([card, *(c for c in queue or [] if c.listing.id != listing_id)])
        except DomainError as error:
            set_message(("error", t(error.message)))
            return
        set_can_undo(False)
        set_message(("info", t("Undone: the card is back.")))

    header = html.div(
        {"className": "row deck-header"},
        link({"to": MATCHES, "className": "btn btn-link"}, t("My matches")),
        html.button(
            {
                "type": "button",
                "className": "btn btn-secondary",
                "onClick": on_event(undo),
                "disabled": not can_undo,
                "aria-label": t("Undo the last swipe"),
            },
            "↶ ",
            t("Undo"),
        ),
    )
    if page.signed_in.account.region is None:
        return member_page(
            t("Discover"),
            empty_state(
                "📍",
                t("Where are you?"),
                t("Choose your town first, so we can show what is nearby."),
            ),
            link({"to": PROFILE, "className": "btn btn-primary"}, t("Choose your region")),
        )
    top = queue[0] if queue else None
    body: Any
    if queue is None:
        body = html.p({"aria-busy": "true"}, t("Loading…"))
    elif top is None:
        body = empty_state(
            "🌱",
            t("You have seen everything nearby"),
            t("Try a larger distance or other categories, or come back later."),
        )
    else:
        body = html.div(
            SwipeDeck(
                {
                    "cards": [_card_props(card, page) for card in queue[:3]],
                    "labels": {
                        "deck": t("Cards"),
                        "skip": t("Skip"),
                        "organisation": t("Organisation"),
                        "keys": t("Tip: use the arrow keys ← and →."),
                    },
                    "onDecide": decide,
                }
            ),
            field(
                "note",
                t("Your note with “{action}”").format(
                    action=t("I can help") if top.listing.kind == "request" else t("I'm interested")
                ),
                html.textarea(
                    {
                        "key": f"note-{top.listing.id}",
                        "defaultValue": t(SUGGESTED_NOTES[top.listing.kind]),
                        "rows": 2,
                        "maxLength": 500,
                        "onChange": lambda event: setattr(note, "current", value_of(event)),
                    }
                ),
            ),
        )
    return member_page(
        t("Discover"),
        header,
        notice(*message) if message[1] else "",
        deck_filters(filters, set_filters),
        body,
    )

"""Discover: one card at a time, swipe right to help or to accept an offer, left to skip."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any
from uuid import UUID

from reactpy import component, html, use_async_effect, use_ref, use_state
from reactpy.reactjs import component_from_file
from reactpy.types import VdomDict
from reactpy.utils import Ref
from reactpy_router import link

from backend.accounts.service import Account
from backend.errors import DomainError, NotAuthenticated
from backend.listings.categories import CATEGORIES, CATEGORY_BY_SLUG
from backend.matching.service import DeckCard, DeckFilters, encode_cursor
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
NO_MESSAGE = ("", "")
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

    # Each change applies to the latest filters, so quick taps before a render all count.
    def toggle_kind(kind: str) -> None:
        change(lambda now: replace(now, kinds=(now.kinds ^ {kind}) or frozenset({kind})))

    def toggle_category(slug: str) -> None:
        change(lambda now: replace(now, categories=now.categories ^ {slug}))

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
                        lambda now: replace(now, radius_km=int(value_of(event) or 10))
                    ),
                }
            ),
        ),
    )


class HeldCards:
    """The cards a Discover page holds: the few prefetched ones, in order, and nothing else.

    Swiped cards leave at once; the deck continues from the cards still held (the cursor), and
    the server's swipe table leaves out what was swiped, so nothing grows with every swipe.
    ``writing`` keeps swipes and undo in order, as they run after the next card is shown.
    ``show`` is set by ``card_stack``: it renders the held cards again, and nothing else.
    """

    def __init__(self) -> None:
        self.cards: tuple[DeckCard, ...] = ()
        self.loading = False
        self.writing = asyncio.Lock()
        self.show: Callable[[], None] = lambda: None

    def take(self, listing_id: UUID) -> DeckCard | None:
        """Remove the card of ``listing_id`` (None if this page does not hold it)."""
        card = next((card for card in self.cards if card.listing.id == listing_id), None)
        if card is not None:
            self.cards = tuple(held for held in self.cards if held is not card)
        return card

    def put_back(self, card: DeckCard) -> None:
        """Show ``card`` first again (an undo, or a swipe that failed)."""
        self.cards = (card, *(held for held in self.cards if held.listing.id != card.listing.id))

    def add(self, cards: list[DeckCard]) -> None:
        """Append the cards of a new page that are not held yet."""
        known = {card.listing.id for card in self.cards}
        self.cards += tuple(card for card in cards if card.listing.id not in known)

    @property
    def cursor(self) -> str:
        """Where the deck continues: after the cards held here."""
        return encode_cursor([card.listing.id for card in self.cards])


def _listing_id(data: dict[str, Any]) -> UUID | None:
    try:
        return UUID(str(data.get("id")))
    except ValueError:
        return None


@component
def card_stack(
    held: HeldCards, decide: Callable[[dict[str, Any]], Any], note: Ref[str]
) -> VdomDict:
    """The top cards and the note for the first: all that a swipe renders again."""
    page = use_page()
    t = page.t
    cards, set_cards = use_state(None)
    held.show = lambda: set_cards(held.cards)
    top = cards[0] if cards else None
    if cards is None:
        return html.p({"aria-busy": "true"}, t("Loading…"))
    if top is None:
        return empty_state(
            "🌱",
            t("You have seen everything nearby"),
            t("Try a larger distance or other categories, or come back later."),
        )
    return html.div(
        SwipeDeck(
            {
                "cards": [_card_props(card, page) for card in cards[:3]],
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


@component
def swipe_area(filters: DeckFilters) -> VdomDict:
    """The cards (``card_stack``), undo, a notice and the link to matches.

    A swipe shows the next (prefetched) card first; recording it and fetching more cards
    happen after that, so the person never waits on the database. Only the card stack renders
    again for a swipe; this area only when its notice or undo button changes.
    """
    page = use_page()
    t = page.t
    held = use_ref(HeldCards()).current
    can_undo, set_can_undo = use_state(False)
    message, set_message = use_state(NO_MESSAGE)
    note = use_ref("")

    def failed(error: DomainError) -> None:
        if isinstance(error, NotAuthenticated):
            page.set_signed_in(None)
        else:
            set_message(("error", t(error.message)))

    async def actor() -> Account:
        return await page.current_account()

    async def fetch_more(account: Account | None = None) -> None:
        if held.loading:
            return
        held.loading = True
        try:
            deck = await page.matching.deck(
                account or await actor(), filters, site=page.site, cursor=held.cursor
            )
        except DomainError as error:
            failed(error)
        else:
            held.add(deck.cards)
        finally:
            held.loading = False
        held.show()

    async def load() -> None:
        async with held.writing:
            held.cards = ()
            await fetch_more()

    use_async_effect(load, [filters])

    async def record(account: Account, card: DeckCard, direction: str) -> None:
        text = note.current or t(SUGGESTED_NOTES[card.listing.kind])
        note.current = ""
        await page.matching.swipe(
            account, card.listing.id, direction, text if direction == "right" else ""
        )
        set_can_undo(True)
        if direction == "right":
            set_message(("success", t("Sent! You will hear when they answer.")))
        else:
            set_message(NO_MESSAGE)

    async def decide(data: dict[str, Any]) -> None:
        listing_id = _listing_id(data)
        card = held.take(listing_id) if listing_id else None
        if card is None:
            return
        held.show()
        direction = "right" if data.get("direction") == "right" else "left"
        async with held.writing:
            try:
                account = await actor()
                await record(account, card, direction)
            except DomainError as error:
                held.put_back(card)
                held.show()
                failed(error)
                return
            if len(held.cards) < PREFETCH_BELOW:
                await fetch_more(account)

    async def undo() -> None:
        async with held.writing:
            try:
                account = await actor()
                listing_id = await page.matching.undo(account)
                if listing_id is not None:
                    held.put_back(await page.matching.card(account, listing_id))
                    held.show()
            except DomainError as error:
                failed(error)
                return
        set_can_undo(False)
        set_message(("info", t("Undone: the card is back.")))

    undo_button = html.button(
        {
            "type": "button",
            "className": "btn btn-secondary",
            "onClick": on_event(undo),
            "disabled": not can_undo,
            "aria-label": t("Undo the last swipe"),
        },
        "↶ ",
        t("Undo"),
    )
    return html.div(
        {"className": "swipe-area"},
        html.div(
            {"className": "row deck-header"},
            link({"to": MATCHES, "className": "btn btn-link"}, t("My matches")),
            undo_button,
        ),
        notice(*message),
        card_stack(held, decide, note),
    )


@component
def discover_page() -> VdomDict:
    """The deck, with filters, a note for the next "I can help", and undo."""
    page = use_page()
    t = page.t
    filters, set_filters = use_state(DeckFilters())
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
    return member_page(t("Discover"), deck_filters(filters, set_filters), swipe_area(filters))

"""Request and response bodies of the matching API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec

from backend.listings.schemas import ListingOut
from backend.matching.service import DeckCard, DeckPage, InterestView, MyMatches
from backend.media.schemas import PhotoOut


class SwipeIn(msgspec.Struct, forbid_unknown_fields=True):
    """A decision on a card; a right swipe may carry a short note."""

    listing_id: UUID
    direction: Literal["right", "left"]
    note: Annotated[str, msgspec.Meta(max_length=1000)] = ""


class SwipeOut(msgspec.Struct):
    """The interest a right swipe created (null for a left swipe)."""

    interest_id: UUID | None


class UndoOut(msgspec.Struct):
    """The listing whose card came back (null when there was nothing to undo)."""

    listing_id: UUID | None


class CardOut(msgspec.Struct):
    """One card of the deck."""

    listing: ListingOut
    interested: int
    owner_photo: PhotoOut | None

    @classmethod
    def from_card(cls, card: DeckCard) -> CardOut:
        """Build from the service's ``DeckCard``."""
        photo = PhotoOut.from_view(card.owner_photo) if card.owner_photo else None
        return cls(ListingOut.from_view(card.listing), card.interested, photo)


class DeckOut(msgspec.Struct):
    """A page of the deck and the cursor for the next one."""

    cards: list[CardOut]
    cursor: str

    @classmethod
    def from_page(cls, page: DeckPage) -> DeckOut:
        """Build from the service's ``DeckPage``."""
        return cls([CardOut.from_card(card) for card in page.cards], page.cursor)


class InterestOut(msgspec.Struct):
    """An interest; the state of a declined one reads "declined" only to its sender."""

    id: UUID
    state: str
    note: str
    listing_id: UUID
    listing_title: str
    person_id: UUID
    person_name: str
    person_bio: str
    created_at: datetime
    conversation_id: UUID | None

    @classmethod
    def from_view(cls, view: InterestView) -> InterestOut:
        """Build from the service's ``InterestView``."""
        return cls(**{name: getattr(view, name) for name in cls.__struct_fields__})


class MyMatchesOut(msgspec.Struct):
    """Sent interests, received interests waiting for a decision, and matches."""

    sent: list[InterestOut]
    received: list[InterestOut]
    matches: list[InterestOut]

    @classmethod
    def from_mine(cls, mine: MyMatches) -> MyMatchesOut:
        """Build from the service's ``MyMatches``."""
        return cls(
            sent=[InterestOut.from_view(view) for view in mine.sent],
            received=[InterestOut.from_view(view) for view in mine.received],
            matches=[InterestOut.from_view(view) for view in mine.matches],
        )

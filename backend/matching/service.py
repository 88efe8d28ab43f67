"""Matching rules: the deck, swipes and undo, interests, accept and decline, recommendations."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from piccolo.query.functions.aggregate import Count

from backend.accounts.service import Account
from backend.accounts.tables import User
from backend.db import write_transaction
from backend.errors import Conflict, Invalid, NotFound, TooManyRequests
from backend.listings import lifecycle
from backend.listings.service import Listings, ListingView
from backend.listings.tables import Listing
from backend.matching import deck_queries, ranking, states
from backend.matching.tables import Interest, Match, Recommendation, Swipe
from backend.media.service import Media, PhotoView
from backend.messaging.tables import Conversation
from backend.notifications.service import record_notifications
from backend.organisations.service import Organisations
from backend.ratelimit.service import Limit, RateLimiter
from backend.regions.cells import cells_within, distance_km
from backend.settings import Settings
from backend.sites.service import SiteView

SHORTLIST = 120
MAX_HELD = 60
RECOMMENDATION_RADIUS_KM = 10
RECOMMENDATIONS_PER_DAY = 3


@dataclass(frozen=True)
class DeckFilters:
    """What the person wants to see: kinds, categories (empty: all) and a radius."""

    kinds: frozenset[str] = frozenset({"request", "offer"})
    categories: frozenset[str] = frozenset()
    radius_km: int = 10


@dataclass(frozen=True)
class DeckCard:
    """One card: the listing, how many already offered help, and the owner's photo."""

    listing: ListingView
    interested: int
    owner_photo: PhotoView | None


@dataclass(frozen=True)
class DeckPage:
    """The next cards and the cursor that fetches the ones after them."""

    cards: list[DeckCard]
    cursor: str


@dataclass(frozen=True)
class InterestView:
    """An interest with its listing and the interested person, as either side sees it."""

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


@dataclass(frozen=True)
class MyMatches:
    """The "My matches" page: what I sent, what waits for my decision, and my matches."""

    sent: list[InterestView]
    received: list[InterestView]
    matches: list[InterestView]


def _now() -> datetime:
    return datetime.now(UTC)


def encode_cursor(held: list[UUID]) -> str:
    """The deck cursor: the cards already handed out but not yet swiped (their ids' bytes)."""
    return base64.urlsafe_b64encode(b"".join(listing_id.bytes for listing_id in held)).decode()


def decode_cursor(cursor: str | None) -> list[UUID]:
    """The held cards of a cursor; ``Invalid`` for a malformed one."""
    if not cursor:
        return []
    try:
        packed = base64.urlsafe_b64decode(cursor)
    except ValueError as error:
        raise Invalid("That deck position is not valid.", field="cursor") from error
    if len(packed) % 16:
        raise Invalid("That deck position is not valid.", field="cursor")
    size = min(len(packed), 16 * MAX_HELD)
    return [UUID(bytes=packed[start : start + 16]) for start in range(0, size, 16)]


class Matching:
    """The matching service, shared by the JSON API and the ReactPy pages."""

    def __init__(
        self,
        settings: Settings,
        listings: Listings,
        organisations: Organisations,
        media: Media,
        limiter: RateLimiter,
    ) -> None:
        self._settings = settings
        self._listings = listings
        self._organisations = organisations
        self._media = media
        self._limiter = limiter
        self.interests_per_network = Limit(
            "interests",
            settings.interests_per_day,
            86_400,
            "You offered help many times today. Thank you! You can do more tomorrow.",
        )

    async def deck(
        self,
        actor: Account,
        filters: DeckFilters,
        *,
        site: SiteView | None = None,
        cursor: str | None = None,
        limit: int = 20,
    ) -> DeckPage:
        """The next ``limit`` cards for the actor, best first (see ``ranking``)."""
        if actor.region is None:
            raise Invalid("Choose your region in your profile first.", field="region")
        if not 1 <= filters.radius_km <= 50:
            raise Invalid("Choose a distance from 1 to 50 km.", field="radius_km")
        held = decode_cursor(cursor)
        cells = cells_within(actor.region.cell, filters.radius_km)
        if site is not None:
            cells = frozenset(cell for cell in cells if site.contains(cell))
        if not cells:
            return DeckPage(cards=[], cursor=encode_cursor(held))
        rows = await deck_queries.fetch(
            deck_queries.shortlist(
                actor.id, cells, filters.kinds, filters.categories, held, SHORTLIST
            )
        )
        here = actor.region.cell
        candidates = [
            ranking.Candidate(
                listing_id=row["id"],
                owner_key=(row["owner_organisation"], row["owner_user"]),
                category=row["category"],
                distance_km=distance_km(here, row["region_cell"]),
                created_at=row["created_at"],
                answers_own_listing=bool(row["answers_own"]),
            )
            for row in rows
        ]
        interests = frozenset(actor.interests)
        best = ranking.ranked(candidates, interests, filters.radius_km, _now(), limit)
        chosen = [candidate.listing_id for candidate in best]
        cards = await self._cards(actor, chosen)
        return DeckPage(cards=cards, cursor=encode_cursor([*held, *chosen]))

    async def card(self, actor: Account, listing_id: UUID) -> DeckCard:
        """One listing as a card (the card that an undo brings back)."""
        await self._listings.view(actor, listing_id)  # NotFound unless the actor may see it
        return (await self._cards(actor, [listing_id]))[0]

    async def _cards(self, actor: Account, listing_ids: list[UUID]) -> list[DeckCard]:
        """The cards of ``listing_ids``, in that order, from one statement."""
        if not listing_ids:
            return []
        rows = await deck_queries.fetch(deck_queries.page(listing_ids))
        listings: dict[UUID, Any] = {}
        photos: dict[UUID, list[PhotoView]] = {listing_id: [] for listing_id in listing_ids}
        owner_photos: dict[UUID, PhotoView] = {}
        for row in rows:
            listings.setdefault(row["id"], row)
            if (photo := deck_queries.photo_of(row)) is None:
                continue
            if photo["purpose"] == "profile":
                owner_photos[row["id"]] = self._media.photo_view(photo)
            else:
                photos[row["id"]].append(self._media.photo_view(photo))
        return [
            DeckCard(
                self._listings.view_for(actor, listings[listing_id], tuple(photos[listing_id])),
                listings[listing_id]["interested"],
                owner_photos.get(listing_id),
            )
            for listing_id in listing_ids
        ]

    async def interest_counts(self, listing_ids: list[UUID]) -> dict[UUID, int]:
        """How many people offered help on (or want) each listing, declined ones not counted."""
        if not listing_ids:
            return {}
        rows = await (
            Interest.select(Interest.listing, Count(Interest.id, alias="interested"))
            .where(
                Interest.state.is_in(list(states.COUNTED)),
                Interest.listing.is_in(listing_ids),
            )
            .group_by(Interest.listing)
        )
        return {row["listing"]: row["interested"] for row in rows}

    async def swipe(
        self, actor: Account, listing_id: UUID, direction: str, note: str = ""
    ) -> UUID | None:
        """Record a decision on a card; a right swipe creates an interest (returned).

        Swiping the same card twice keeps the first decision.
        """
        if direction not in states.DIRECTIONS:
            raise Invalid("Swipe left or right.", field="direction")
        note = note.strip()
        if len(note) > 500:
            raise Invalid("Keep your note under 500 characters.", field="note")
        if direction == states.LEFT:
            # One statement checks that the card may be swiped and records it, once.
            if await deck_queries.fetch(deck_queries.skip(actor.id, listing_id, uuid4(), _now())):
                return None
            await self._listings.respondable_title(actor, listing_id)  # NotFound if hidden
            return await self._interest_id(actor.id, listing_id)
        title = await self._listings.respondable_title(actor, listing_id)
        await self._ensure_interest_allowance(actor)
        async with write_transaction(Swipe._meta.db):
            if await Swipe.exists().where(Swipe.user == actor.id, Swipe.listing == listing_id):
                return await self._interest_id(actor.id, listing_id)
            await Swipe.insert(Swipe(user=actor.id, listing=listing_id, direction=direction))
            interest = Interest(listing=listing_id, user=actor.id, note=note)
            await interest.save()
        recipients = await self._listings.manager_ids(listing_id)
        await record_notifications(
            recipients, "interest_received", {"listing_id": str(listing_id), "title": title}
        )
        return interest.id

    async def _ensure_interest_allowance(self, actor: Account) -> None:
        since = _now() - timedelta(days=1)
        today = await Interest.count().where(Interest.user == actor.id, Interest.created_at > since)
        if today >= self._settings.interests_per_day:
            raise TooManyRequests(
                "You offered help many times today. Thank you! You can do more tomorrow.",
                retry_after=3_600,
            )
        await self._limiter.consume_per_ip(self.interests_per_network)

    async def _interest_id(self, user_id: UUID, listing_id: UUID) -> UUID | None:
        row = (
            await Interest.select(Interest.id)
            .where(Interest.user == user_id, Interest.listing == listing_id)
            .first()
        )
        return row["id"] if row else None

    async def undo(self, actor: Account) -> UUID | None:
        """Take back the last swipe (free); its card returns. An accepted interest stays."""
        async with write_transaction(Swipe._meta.db):
            last = await (
                Swipe.select(Swipe.id, Swipe.listing)
                .where(Swipe.user == actor.id)
                .order_by(Swipe.created_at, ascending=False)
                .first()
            )
            if last is None:
                return None
            interest = (
                await Interest.select(Interest.id, Interest.state)
                .where(Interest.user == actor.id, Interest.listing == last["listing"])
                .first()
            )
            if interest is not None and interest["state"] == states.ACCEPTED:
                raise Conflict("This offer was already accepted, so it cannot be undone.")
            await Interest.delete().where(
                Interest.user == actor.id, Interest.listing == last["listing"]
            )
            await Swipe.delete().where(Swipe.id == last["id"])
        return last["listing"]

    async def received(self, actor: Account, listing_id: UUID) -> list[InterestView]:
        """The interests on a listing the actor manages (with notes and profiles)."""
        await self._listings.ensure_manager(actor, listing_id)
        return await self._interest_views(Interest.listing == listing_id)

    async def accept(self, actor: Account, interest_id: UUID) -> InterestView:
        """Accept an interest: one match and one conversation, however often this runs."""
        listing_id = await self._managed_interest(actor, interest_id)
        async with write_transaction(Interest._meta.db):
            changed = await (
                Interest.update(
                    {
                        Interest.state: states.ACCEPTED,
                        Interest.decided_at: _now(),
                        Interest.decided_by: actor.id,
                    }
                )
                .where(Interest.id == interest_id, Interest.state == states.PENDING)
                .returning(Interest.user)
            )
            if changed:
                conversation = Conversation()
                await conversation.save()
                await Match.insert(
                    Match(
                        interest=interest_id,
                        listing=listing_id,
                        helper=changed[0]["user"],
                        conversation=conversation.id,
                    )
                )
                await Listing.update({Listing.status: lifecycle.IN_PROGRESS}).where(
                    Listing.id == listing_id, Listing.status == lifecycle.OPEN
                )
        view = (await self._interest_views(Interest.id == interest_id))[0]
        if view.state != states.ACCEPTED:
            raise Conflict("This offer was already declined.")
        if changed:
            await record_notifications(
                [view.person_id],
                "interest_accepted",
                {"listing_id": str(listing_id), "conversation_id": str(view.conversation_id)},
            )
        return view

    async def decline(self, actor: Account, interest_id: UUID) -> InterestView:
        """Decline quietly: the other side sees "not this time" in their sent interests."""
        await self._managed_interest(actor, interest_id)
        await Interest.update(
            {
                Interest.state: states.DECLINED,
                Interest.decided_at: _now(),
                Interest.decided_by: actor.id,
            }
        ).where(Interest.id == interest_id, Interest.state == states.PENDING)
        view = (await self._interest_views(Interest.id == interest_id))[0]
        if view.state == states.ACCEPTED:
            raise Conflict("This offer was already accepted.")
        return view

    async def _managed_interest(self, actor: Account, interest_id: UUID) -> UUID:
        row = await Interest.select(Interest.listing).where(Interest.id == interest_id).first()
        if row is None:
            raise NotFound("Not found.")
        await self._listings.ensure_manager(actor, row["listing"], hidden=True)
        return row["listing"]

    async def my_matches(self, actor: Account) -> MyMatches:
        """Sent interests with their state, received ones waiting, and all matches."""
        managed = await self._listings.managed_ids(actor)
        sent = await self._interest_views(Interest.user == actor.id)
        received = await self._interest_views(Interest.listing.is_in(managed)) if managed else []
        return MyMatches(
            sent=[view for view in sent if view.state != states.ACCEPTED],
            received=[view for view in received if view.state == states.PENDING],
            matches=[view for view in [*sent, *received] if view.state == states.ACCEPTED],
        )

    async def _interest_views(self, where: Any) -> list[InterestView]:
        rows = await (
            Interest.select(
                Interest.id,
                Interest.state,
                Interest.note,
                Interest.listing,
                Interest.listing.title.as_alias("listing_title"),
                Interest.user,
                Interest.user.display_name.as_alias("person_name"),
                Interest.user.bio.as_alias("person_bio"),
                Interest.created_at,
            )
            .where(where)
            .order_by(Interest.created_at, ascending=False)
        )
        ids = [row["id"] for row in rows]
        conversations = {
            row["interest"]: row["conversation"]
            for row in await Match.select(Match.interest, Match.conversation).where(
                Match.interest.is_in(ids or [None])
            )
        }
        return [
            InterestView(
                id=row["id"],
                state=row["state"],
                note=row["note"],
                listing_id=row["listing"],
                listing_title=row["listing_title"],
                person_id=row["user"],
                person_name=row["person_name"],
                person_bio=row["person_bio"],
                created_at=row["created_at"],
                conversation_id=conversations.get(row["id"]),
            )
            for row in rows
        ]

    async def recommend(self, listing: ListingView, region_cell: str) -> int:
        """Record a recommendation for people nearby whose interests fit a new listing.

        At most a few per person per day; owners and their organisation are skipped.
        """
        cells = list(cells_within(region_cell, RECOMMENDATION_RADIUS_KM))
        managers = set(await self._listings.manager_ids(listing.id))
        people = await User.select(User.id, User.interests).where(User.region_cell.is_in(cells))
        since = _now() - timedelta(days=1)
        chosen = []
        for person in people:
            if person["id"] in managers or listing.category not in (person["interests"] or []):
                continue
            recent = await Recommendation.count().where(
                Recommendation.user == person["id"], Recommendation.created_at > since
            )
            if recent < RECOMMENDATIONS_PER_DAY:
                chosen.append(person["id"])
        if chosen:
            await Recommendation.insert(
                *[Recommendation(user=user_id, listing=listing.id) for user_id in chosen]
            )
            await record_notifications(
                chosen, "recommendation", {"listing_id": str(listing.id), "title": listing.title}
            )
        return len(chosen)

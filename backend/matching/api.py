"""Matching over HTTP: the deck, swipes and undo, interests, accept and decline."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody, QueryParameter

from backend.accounts.service import SignedIn
from backend.listings.drafts import KINDS
from backend.matching.schemas import DeckOut, InterestOut, MyMatchesOut, SwipeIn, SwipeOut, UndoOut
from backend.matching.service import DeckFilters, Matching
from backend.web.auth import current_session, require_sign_in


class MatchingController(Controller):
    """Discover and matches."""

    path = "/api/matching"
    tags = ["matching"]
    guards = [require_sign_in]
    dependencies = {"session": Provide(current_session, sync_to_thread=False)}

    @get("/deck")
    async def deck(
        self,
        request: Request,
        session: NamedDependency[SignedIn],
        matching: NamedDependency[Matching],
        kind: Annotated[list[str] | None, QueryParameter(max_items=2)] = None,
        category: Annotated[list[str] | None, QueryParameter(max_items=20)] = None,
        radius_km: Annotated[int, QueryParameter(ge=1, le=50)] = 10,
        cursor: Annotated[str | None, QueryParameter(max_length=4000)] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=50)] = 20,
    ) -> DeckOut:
        """The next cards: other people's listings near you that you have not swiped yet."""
        filters = DeckFilters(
            kinds=frozenset(kind or KINDS) & frozenset(KINDS),
            categories=frozenset(category or ()),
            radius_km=radius_km,
        )
        page = await matching.deck(
            session.account, filters, site=request.scope.get("site"), cursor=cursor, limit=limit
        )
        return DeckOut.from_page(page)

    @post("/swipes", status_code=200)
    async def swipe(
        self,
        data: JSONBody[SwipeIn],
        session: NamedDependency[SignedIn],
        matching: NamedDependency[Matching],
    ) -> SwipeOut:
        """Right: "I can help" / "I'm interested" (creates an interest). Left: skip."""
        interest_id = await matching.swipe(
            session.account, data.listing_id, data.direction, data.note
        )
        return SwipeOut(interest_id)

    @post("/swipes/undo", status_code=200)
    async def undo(
        self, session: NamedDependency[SignedIn], matching: NamedDependency[Matching]
    ) -> UndoOut:
        """Take back the last swipe."""
        return UndoOut(await matching.undo(session.account))

    @get("/mine")
    async def mine(
        self, session: NamedDependency[SignedIn], matching: NamedDependency[Matching]
    ) -> MyMatchesOut:
        """Sent interests, received interests waiting, and matches."""
        return MyMatchesOut.from_mine(await matching.my_matches(session.account))

    @get("/listings/{listing_id:uuid}/interests")
    async def received(
        self,
        listing_id: FromPath[UUID],
        session: NamedDependency[SignedIn],
        matching: NamedDependency[Matching],
    ) -> list[InterestOut]:
        """The interests on a listing you manage."""
        views = await matching.received(session.account, listing_id)
        return [InterestOut.from_view(view) for view in views]

    @post("/interests/{interest_id:uuid}/accept", status_code=200)
    async def accept(
        self,
        interest_id: FromPath[UUID],
        session: NamedDependency[SignedIn],
        matching: NamedDependency[Matching],
    ) -> InterestOut:
        """Accept: creates the match and its conversation (once, however often it is sent)."""
        return InterestOut.from_view(await matching.accept(session.account, interest_id))

    @post("/interests/{interest_id:uuid}/decline", status_code=200)
    async def decline(
        self,
        interest_id: FromPath[UUID],
        session: NamedDependency[SignedIn],
        matching: NamedDependency[Matching],
    ) -> InterestOut:
        """Decline quietly."""
        return InterestOut.from_view(await matching.decline(session.account, interest_id))

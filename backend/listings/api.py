"""Listings over HTTP: a thin controller over ``Listings``."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, Request, delete, get, patch, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from backend.accounts.service import SignedIn
from backend.listings.schemas import (
    ListingClose,
    ListingOut,
    ListingPause,
    ListingWrite,
    MyListingsOut,
)
from backend.listings.service import Listings
from backend.web.auth import current_session, require_sign_in


class ListingsController(Controller):
    """Requests and offers."""

    path = "/api/listings"
    tags = ["listings"]
    guards = [require_sign_in]
    dependencies = {"session": Provide(current_session, sync_to_thread=False)}

    @post("", status_code=HTTP_201_CREATED)
    async def create(
        self,
        request: Request,
        data: JSONBody[ListingWrite],
        session: NamedDependency[SignedIn],
        listings: NamedDependency[Listings],
    ) -> ListingOut:
        """Publish a request or an offer."""
        view = await listings.create(
            session.account,
            data.to_draft(),
            site=request.scope.get("site"),
            confirm_address=data.confirm_address,
            photo_ids=data.photo_ids,
        )
        return ListingOut.from_view(view)

    @get("")
    async def nearby(
        self,
        request: Request,
        session: NamedDependency[SignedIn],
        listings: NamedDependency[Listings],
        radius_km: Annotated[float, QueryParameter(ge=1, le=50)] = 10,
        kind: Annotated[str | None, QueryParameter(max_length=16)] = None,
        category: Annotated[str | None, QueryParameter(max_length=40)] = None,
    ) -> list[ListingOut]:
        """Other people's open listings near the caller's region (within this site's area)."""
        views = await listings.nearby(
            session.account,
            radius_km=radius_km,
            kind=kind,
            category=category,
            site=request.scope.get("site"),
        )
        return [ListingOut.from_view(view) for view in views]

    @get("/mine")
    async def mine(
        self, session: NamedDependency[SignedIn], listings: NamedDependency[Listings]
    ) -> MyListingsOut:
        """The caller's personal listings and those of their organisations."""
        return MyListingsOut.from_mine(await listings.mine(session.account))

    @get("/{listing_id:uuid}")
    async def detail(
        self,
        listing_id: FromPath[UUID],
        session: NamedDependency[SignedIn],
        listings: NamedDependency[Listings],
    ) -> ListingOut:
        """One listing."""
        return ListingOut.from_view(await listings.view(session.account, listing_id))

    @patch("/{listing_id:uuid}")
    async def update(
        self,
        listing_id: FromPath[UUID],
        data: JSONBody[ListingWrite],
        session: NamedDependency[SignedIn],
        listings: NamedDependency[Listings],
    ) -> ListingOut:
        """Edit a listing (not once it is closed)."""
        view = await listings.update(
            session.account,
            listing_id,
            data.to_draft(),
            confirm_address=data.confirm_address,
            photo_ids=data.photo_ids,
        )
        return ListingOut.from_view(view)

    @post("/{listing_id:uuid}/pause", status_code=200)
    async def pause(
        self,
        listing_id: FromPath[UUID],
        data: JSONBody[ListingPause],
        session: NamedDependency[SignedIn],
        listings: NamedDependency[Listings],
    ) -> ListingOut:
        """Pause or resume."""
        view = await listings.set_paused(session.account, listing_id, data.paused)
        return ListingOut.from_view(view)

    @post("/{listing_id:uuid}/extend", status_code=200)
    async def extend(
        self,
        listing_id: FromPath[UUID],
        session: NamedDependency[SignedIn],
        listings: NamedDependency[Listings],
    ) -> ListingOut:
        """Add another period, or renew an expired listing."""
        return ListingOut.from_view(await listings.extend(session.account, listing_id))

    @post("/{listing_id:uuid}/close", status_code=200)
    async def close(
        self,
        listing_id: FromPath[UUID],
        data: JSONBody[ListingClose],
        session: NamedDependency[SignedIn],
        listings: NamedDependency[Listings],
    ) -> ListingOut:
        """Close, answering "Did you find help through Handje?"."""
        view = await listings.close(session.account, listing_id, data.found_help)
        return ListingOut.from_view(view)

    @delete("/{listing_id:uuid}", status_code=HTTP_204_NO_CONTENT)
    async def remove(
        self,
        listing_id: FromPath[UUID],
        session: NamedDependency[SignedIn],
        listings: NamedDependency[Listings],
    ) -> None:
        """Delete for good."""
        await listings.delete(session.account, listing_id)

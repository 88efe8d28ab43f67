"""Request and response bodies of the listings API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec

from backend.listings.drafts import ListingDraft
from backend.listings.service import ListingView, MyListings, Owner
from backend.media.schemas import PhotoOut
from backend.regions.choice import RegionChoice, region_from_choice


class ListingWrite(msgspec.Struct, forbid_unknown_fields=True):
    """A new or changed listing; set ``confirm_address`` after the address warning."""

    kind: Annotated[str, msgspec.Meta(max_length=16)]
    title: Annotated[str, msgspec.Meta(max_length=300)]
    category: Annotated[str, msgspec.Meta(max_length=40)]
    description: Annotated[str, msgspec.Meta(max_length=4000)] = ""
    timing: Annotated[str, msgspec.Meta(max_length=16)] = "flexible"
    needed_on: date | None = None
    weekdays: Annotated[list[int], msgspec.Meta(max_length=7)] = []
    region: RegionChoice | None = None
    organisation_id: UUID | None = None
    confirm_address: bool = False
    photo_ids: Annotated[list[UUID], msgspec.Meta(max_length=4)] | None = None

    def to_draft(self) -> ListingDraft:
        """The service's draft (the region is resolved here, at the edge)."""
        return ListingDraft(
            kind=self.kind,
            title=self.title,
            description=self.description,
            category=self.category,
            timing=self.timing,
            needed_on=self.needed_on,
            weekdays=tuple(self.weekdays),
            region=region_from_choice(self.region) if self.region else None,
            organisation_id=self.organisation_id,
        )


class ListingClose(msgspec.Struct, forbid_unknown_fields=True):
    """The answer to "Did you find help through Handje?" (null: rather not say)."""

    found_help: bool | None = None


class ListingPause(msgspec.Struct, forbid_unknown_fields=True):
    """Pause (true) or resume (false)."""

    paused: bool


class OwnerOut(msgspec.Struct):
    """Who a listing belongs to."""

    kind: Literal["person", "organisation"]
    id: UUID
    name: str

    @classmethod
    def from_owner(cls, owner: Owner) -> OwnerOut:
        """Build from the service's ``Owner``."""
        return cls(kind=owner.kind, id=owner.id, name=owner.name)  # type: ignore[arg-type]


class ListingOut(msgspec.Struct):
    """A listing: region name and distance only, never a location."""

    id: UUID
    kind: str
    title: str
    description: str
    category: str
    timing: str
    needed_on: date | None
    weekdays: list[int]
    status: str
    paused: bool
    region_name: str
    distance_km: int | None
    owner: OwnerOut
    can_manage: bool
    created_at: datetime
    expires_at: datetime
    found_help: bool | None
    photos: list[PhotoOut]

    @classmethod
    def from_view(cls, view: ListingView) -> ListingOut:
        """Build from the service's ``ListingView``."""
        fields = {name: getattr(view, name) for name in cls.__struct_fields__}
        return cls(
            **{
                **fields,
                "owner": OwnerOut.from_owner(view.owner),
                "photos": [PhotoOut.from_view(photo) for photo in view.photos],
            }
        )


class OrganisationListingsOut(msgspec.Struct):
    """One organisation's listings."""

    organisation: OwnerOut
    listings: list[ListingOut]


class MyListingsOut(msgspec.Struct):
    """Personal listings and organisation listings, separately."""

    personal: list[ListingOut]
    organisations: list[OrganisationListingsOut]

    @classmethod
    def from_mine(cls, mine: MyListings) -> MyListingsOut:
        """Build from the service's ``MyListings``."""
        return cls(
            personal=[ListingOut.from_view(view) for view in mine.personal],
            organisations=[
                OrganisationListingsOut(
                    OwnerOut.from_owner(owner), [ListingOut.from_view(view) for view in views]
                )
                for owner, views in mine.organisations
            ],
        )

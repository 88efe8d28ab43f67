"""Request and response bodies of the organisations API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec

from backend.organisations.service import MANAGER, MemberView, OrganisationView
from backend.regions.choice import RegionChoice

# Generous edge limits; the service gives the friendly message for the real ones.
ShortText = Annotated[str, msgspec.Meta(max_length=320)]
LongText = Annotated[str, msgspec.Meta(max_length=4000)]


class Member(msgspec.Struct):
    """A member as the other members see them (never their email address)."""

    user_id: UUID
    display_name: str
    role: str

    @classmethod
    def from_view(cls, view: MemberView) -> Member:
        """Build from the service's ``MemberView``."""
        return cls(user_id=view.user_id, display_name=view.display_name, role=view.role)


class Organisation(msgspec.Struct):
    """An organisation as one of its members sees it."""

    id: UUID
    name: str
    description: str
    website: str
    region_name: str | None
    region_cell: str | None
    created_at: datetime
    my_role: str
    members: list[Member]

    @classmethod
    def from_view(cls, view: OrganisationView) -> Organisation:
        """Build from the service's ``OrganisationView``."""
        return cls(
            id=view.id,
            name=view.name,
            description=view.description,
            website=view.website,
            region_name=view.region_name,
            region_cell=view.region_cell,
            created_at=view.created_at,
            my_role=view.my_role,
            members=[Member.from_view(member) for member in view.members],
        )


class OrganisationCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A new organisation; the caller becomes its owner."""

    name: ShortText
    description: LongText = ""
    website: ShortText = ""
    region: RegionChoice | None = None


class OrganisationUpdate(msgspec.Struct, forbid_unknown_fields=True):
    """Profile fields to change; omitted fields stay as they are."""

    name: ShortText | None = None
    description: LongText | None = None
    website: ShortText | None = None
    region: RegionChoice | None = None


class MemberInvite(msgspec.Struct, forbid_unknown_fields=True):
    """The email address of an existing account and the role it gets."""

    email: ShortText
    role: ShortText = MANAGER


class MemberRoleChange(msgspec.Struct, forbid_unknown_fields=True):
    """A member's new role."""

    role: ShortText

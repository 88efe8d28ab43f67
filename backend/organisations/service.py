"""Organisation rules: profiles, members and their roles, and who may see or change what."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

from piccolo.custom_types import Combinable

from backend.accounts.profiles import clean_email
from backend.accounts.service import Account
from backend.accounts.tables import User
from backend.errors import Conflict, Forbidden, Invalid, NotFound
from backend.organisations.tables import Membership, Organisation
from backend.regions.model import Region

OWNER = "owner"
MANAGER = "manager"
ROLES = (OWNER, MANAGER)
MAX_DESCRIPTION_LENGTH = 1000
MAX_WEBSITE_LENGTH = 200
NOT_FOUND = "Not found."

_PROFILE_COLUMNS = (
    Organisation.id,
    Organisation.name,
    Organisation.description,
    Organisation.website,
    Organisation.region_cell,
    Organisation.region_name,
    Organisation.created_at,
)


@dataclass(frozen=True)
class MemberView:
    """A member as the other members see them: never their email address."""

    user_id: UUID
    display_name: str
    role: str


@dataclass(frozen=True)
class OrganisationView:
    """An organisation as one of its members sees it."""

    id: UUID
    name: str
    description: str
    website: str
    region_name: str | None
    region_cell: str | None
    created_at: datetime
    my_role: str
    members: tuple[MemberView, ...]


@dataclass(frozen=True)
class PublicOrganisation:
    """The card anyone may see, for example next to the organisation's listings."""

    id: UUID
    name: str
    description: str
    website: str
    region_name: str | None


@dataclass(frozen=True)
class OrganisationChanges:
    """Profile fields to change; None means unchanged, ``remove_region`` clears the region."""

    name: str | None = None
    description: str | None = None
    website: str | None = None
    region: Region | None = None
    remove_region: bool = False


def clean_name(name: str) -> str:
    """A trimmed organisation name of 2 to 80 characters."""
    cleaned = " ".join(name.split())
    if not 2 <= len(cleaned) <= 80:
        raise Invalid("Use a name of 2 to 80 characters.", field="name")
    return cleaned


def clean_description(description: str) -> str:
    """A trimmed description of at most 1000 characters."""
    cleaned = description.strip()
    if len(cleaned) > MAX_DESCRIPTION_LENGTH:
        raise Invalid("Keep the description to 1000 characters or fewer.", field="description")
    return cleaned


def clean_website(website: str) -> str:
    """An http(s) address of at most 200 characters, or empty for none."""
    cleaned = website.strip()
    if not cleaned:
        return ""
    parts = urlsplit(cleaned)
    well_formed = parts.scheme in {"http", "https"} and bool(parts.hostname)
    if not well_formed or len(cleaned) > MAX_WEBSITE_LENGTH or any(c.isspace() for c in cleaned):
        raise Invalid("Enter a web address that starts with http:// or https://.", field="website")
    return cleaned


def clean_role(role: str) -> str:
    """``owner`` or ``manager``."""
    if role not in ROLES:
        raise Invalid("Choose owner or manager.", field="role")
    return role


def _profile_values(changes: OrganisationChanges) -> dict[Any, Any]:
    values: dict[Any, Any] = {}
    if changes.name is not None:
        values[Organisation.name] = clean_name(changes.name)
    if changes.description is not None:
        values[Organisation.description] = clean_description(changes.description)
    if changes.website is not None:
        values[Organisation.website] = clean_website(changes.website)
    if changes.region is not None or changes.remove_region:
        values[Organisation.region_cell] = changes.region.cell if changes.region else None
        values[Organisation.region_name] = changes.region.name if changes.region else None
    return values


@asynccontextmanager
async def _membership_change(organisation_id: UUID) -> AsyncIterator[None]:
    """A transaction that serialises membership changes of one organisation.

    Its first statement is a write, which takes the row lock on PostgreSQL and the write lock on
    SQLite, so two owners demoting each other at once cannot leave the organisation ownerless.
    """
    async with Organisation._meta.db.transaction():
        await Organisation.update({Organisation.name: Organisation.name}).where(
            Organisation.id == organisation_id
        )
        yield


def _membership_of(user_id: UUID, organisation_id: UUID) -> Combinable:
    return (Membership.organisation == organisation_id) & (Membership.user == user_id)


async def _role_of(user_id: UUID, organisation_id: UUID) -> str | None:
    row = (
        await Membership.select(Membership.role)
        .where(_membership_of(user_id, organisation_id))
        .first()
    )
    return row["role"] if row else None


async def _refuse_last_owner(organisation_id: UUID, losing_role: str) -> None:
    """Refuse when a member with ``losing_role`` loses it and it is the last ``owner``."""
    if losing_role != OWNER:
        return
    owners = await Membership.count().where(
        (Membership.organisation == organisation_id) & (Membership.role == OWNER)
    )
    if owners <= 1:
        raise Conflict("An organisation needs at least one owner.")


async def _members_by_organisation(
    organisation_ids: list[UUID],
) -> dict[UUID, tuple[MemberView, ...]]:
    rows = (
        await Membership.select(
            Membership.organisation,
            Membership.user,
            Membership.user.display_name.as_alias("display_name"),
            Membership.role,
        )
        .where(Membership.organisation.is_in(organisation_ids))
        .order_by(Membership.user.display_name)
    )
    members: dict[UUID, list[MemberView]] = defaultdict(list)
    for row in rows:
        member = MemberView(row["user"], row["display_name"], row["role"])
        members[row["organisation"]].append(member)
    return {organisation_id: tuple(found) for organisation_id, found in members.items()}


async def _views(roles: dict[UUID, str]) -> list[OrganisationView]:
    """Views of the organisations in ``roles`` (id → the actor's role), sorted by name."""
    if not roles:
        return []
    ids = list(roles)
    rows = (
        await Organisation.select(*_PROFILE_COLUMNS)
        .where(Organisation.id.is_in(ids))
        .order_by(Organisation.name)
    )
    members = await _members_by_organisation(ids)
    return [
        OrganisationView(**row, my_role=roles[row["id"]], members=members.get(row["id"], ()))
        for row in rows
    ]


class Organisations:
    """The organisations service, shared by the JSON API, the pages and the listings domain."""

    async def require_member(self, actor_id: UUID, organisation_id: UUID) -> str:
        """The actor's role in the organisation; ``NotFound`` if they are not a member."""
        role = await _role_of(actor_id, organisation_id)
        if role is None:
            raise NotFound(NOT_FOUND)
        return role

    async def _require_owner(self, actor: Account, organisation_id: UUID) -> None:
        if await self.require_member(actor.id, organisation_id) != OWNER:
            raise Forbidden("Only an owner can do this.")

    async def member_organisation_ids(self, user_id: UUID) -> list[UUID]:
        """The ids of every organisation the user is a member of."""
        rows = await Membership.select(Membership.organisation).where(Membership.user == user_id)
        return [row["organisation"] for row in rows]

    async def member_user_ids(self, organisation_id: UUID) -> list[UUID]:
        """The ids of every member, for notices about the organisation's listings."""
        rows = await Membership.select(Membership.user).where(
            Membership.organisation == organisation_id
        )
        return [row["user"] for row in rows]

    async def create(
        self,
        actor: Account,
        name: str,
        description: str = "",
        website: str = "",
        region: Region | None = None,
    ) -> OrganisationView:
        """Create an organisation with the actor as its first owner."""
        profile = OrganisationChanges(name, description, website, region)
        organisation = Organisation(_profile_values(profile))
        async with Organisation._meta.db.transaction():
            await organisation.save()
            await Membership(organisation=organisation.id, user=actor.id, role=OWNER).save()
        return await self.view(actor, organisation.id)

    async def view(self, actor: Account, organisation_id: UUID) -> OrganisationView:
        """The full profile and member list; members only."""
        role = await self.require_member(actor.id, organisation_id)
        [view] = await _views({organisation_id: role})
        return view

    async def mine(self, actor: Account) -> list[OrganisationView]:
        """The organisations the actor is a member of, sorted by name."""
        rows = await Membership.select(Membership.organisation, Membership.role).where(
            Membership.user == actor.id
        )
        return await _views({row["organisation"]: row["role"] for row in rows})

    async def public_card(self, organisation_id: UUID) -> PublicOrganisation:
        """What anyone may see: name, description, website and region name."""
        row = (
            await Organisation.select(
                Organisation.id,
                Organisation.name,
                Organisation.description,
                Organisation.website,
                Organisation.region_name,
            )
            .where(Organisation.id == organisation_id)
            .first()
        )
        if row is None:
            raise NotFound(NOT_FOUND)
        return PublicOrganisation(**row)

    async def update(
        self, actor: Account, organisation_id: UUID, changes: OrganisationChanges
    ) -> OrganisationView:
        """Change the profile; owners and managers may."""
        await self.require_member(actor.id, organisation_id)
        values = _profile_values(changes)
        if values:
            await Organisation.update(values).where(Organisation.id == organisation_id)
        return await self.view(actor, organisation_id)

    async def invite(
        self, actor: Account, organisation_id: UUID, email: str, role: str = MANAGER
    ) -> OrganisationView:
        """Add an existing account by its email address; owners only."""
        role = clean_role(role)
        email = clean_email(email)
        async with _membership_change(organisation_id):
            await self._require_owner(actor, organisation_id)
            user = await User.select(User.id).where(User.email == email).first()
            if user is None:
                raise NotFound("No account with that email address.", field="email")
            if await _role_of(user["id"], organisation_id) is not None:
                raise Conflict("This person is already a member.", field="email")
            await Membership(organisation=organisation_id, user=user["id"], role=role).save()
        return await self.view(actor, organisation_id)

    async def change_role(
        self, actor: Account, organisation_id: UUID, user_id: UUID, role: str
    ) -> OrganisationView:
        """Make a member an owner or a manager; owners only, and one owner always stays."""
        role = clean_role(role)
        async with _membership_change(organisation_id):
            await self._require_owner(actor, organisation_id)
            current_role = await self.require_member(user_id, organisation_id)
            if role != current_role:
                await _refuse_last_owner(organisation_id, current_role)
            await Membership.update({Membership.role: role}).where(
                _membership_of(user_id, organisation_id)
            )
        return await self.view(actor, organisation_id)

    async def remove_member(self, actor: Account, organisation_id: UUID, user_id: UUID) -> None:
        """Take a member out; owners only. Removing yourself is leaving."""
        if user_id == actor.id:
            await self.leave(actor, organisation_id)
            return
        async with _membership_change(organisation_id):
            await self._require_owner(actor, organisation_id)
            await self._delete_membership(organisation_id, user_id)

    async def leave(self, actor: Account, organisation_id: UUID) -> None:
        """Stop being a member; the last owner cannot leave."""
        async with _membership_change(organisation_id):
            await self._delete_membership(organisation_id, actor.id)

    async def _delete_membership(self, organisation_id: UUID, user_id: UUID) -> None:
        current_role = await self.require_member(user_id, organisation_id)
        await _refuse_last_owner(organisation_id, current_role)
        await Membership.delete().where(_membership_of(user_id, organisation_id))

"""Organisations over HTTP: profiles and members, for signed-in members only."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, delete, get, patch, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody

from backend.accounts.service import SignedIn
from backend.organisations.schemas import (
    MemberInvite,
    MemberRoleChange,
    Organisation,
    OrganisationCreate,
    OrganisationUpdate,
)
from backend.organisations.service import OrganisationChanges, Organisations
from backend.regions.choice import RegionChoice, region_from_choice
from backend.regions.model import Region
from backend.web.auth import current_session, require_sign_in


def _region(choice: RegionChoice | None) -> Region | None:
    return region_from_choice(choice) if choice else None


class OrganisationsController(Controller):
    """The caller's organisations, their profiles and their members."""

    path = "/api/organisations"
    tags = ["organisations"]
    guards = [require_sign_in]
    dependencies = {"session": Provide(current_session, sync_to_thread=False)}

    @post("")
    async def create(
        self,
        data: JSONBody[OrganisationCreate],
        session: NamedDependency[SignedIn],
        organisations: NamedDependency[Organisations],
    ) -> Organisation:
        """Create an organisation; the caller becomes its owner."""
        view = await organisations.create(
            session.account,
            data.name,
            description=data.description,
            website=data.website,
            region=_region(data.region),
        )
        return Organisation.from_view(view)

    @get("")
    async def mine(
        self, session: NamedDependency[SignedIn], organisations: NamedDependency[Organisations]
    ) -> list[Organisation]:
        """The organisations the caller is a member of, by name."""
        return [Organisation.from_view(view) for view in await organisations.mine(session.account)]

    @get("/{organisation_id:uuid}")
    async def view(
        self,
        organisation_id: FromPath[UUID],
        session: NamedDependency[SignedIn],
        organisations: NamedDependency[Organisations],
    ) -> Organisation:
        """One organisation with its members."""
        return Organisation.from_view(await organisations.view(session.account, organisation_id))

    @patch("/{organisation_id:uuid}")
    async def update(
        self,
        organisation_id: FromPath[UUID],
        data: JSONBody[OrganisationUpdate],
        session: NamedDependency[SignedIn],
        organisations: NamedDependency[Organisations],
    ) -> Organisation:
        """Change the name, description, website or region."""
        changes = OrganisationChanges(
            name=data.name,
            description=data.description,
            website=data.website,
            region=_region(data.region),
        )
        view = await organisations.update(session.account, organisation_id, changes)
        return Organisation.from_view(view)

    @post("/{organisation_id:uuid}/members")
    async def invite(
        self,
        organisation_id: FromPath[UUID],
        data: JSONBody[MemberInvite],
        session: NamedDependency[SignedIn],
        organisations: NamedDependency[Organisations],
    ) -> Organisation:
        """Add an existing account by its email address (owners only)."""
        view = await organisations.invite(session.account, organisation_id, data.email, data.role)
        return Organisation.from_view(view)

    @patch("/{organisation_id:uuid}/members/{user_id:uuid}")
    async def change_role(
        self,
        organisation_id: FromPath[UUID],
        user_id: FromPath[UUID],
        data: JSONBody[MemberRoleChange],
        session: NamedDependency[SignedIn],
        organisations: NamedDependency[Organisations],
    ) -> Organisation:
        """Make a member an owner or a manager (owners only)."""
        view = await organisations.change_role(session.account, organisation_id, user_id, data.role)
        return Organisation.from_view(view)

    @delete("/{organisation_id:uuid}/members/{user_id:uuid}")
    async def remove_member(
        self,
        organisation_id: FromPath[UUID],
        user_id: FromPath[UUID],
        session: NamedDependency[SignedIn],
        organisations: NamedDependency[Organisations],
    ) -> None:
        """Remove a member (owners only); removing yourself is leaving."""
        await organisations.remove_member(session.account, organisation_id, user_id)

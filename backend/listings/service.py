"""Listing rules: create, edit, pause, extend, close and delete; who may see and manage what."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

from backend.accounts.service import Account
from backend.db import write_transaction
from backend.errors import Forbidden, Invalid, NotFound
from backend.listings import lifecycle
from backend.listings.drafts import ListingDraft, clean_draft
from backend.listings.tables import Listing
from backend.media.service import Media, PhotoView
from backend.notifications.service import (
    LISTING_EXPIRED,
    LISTING_EXPIRES_SOON,
    record_notifications,
)
from backend.organisations.service import Organisations
from backend.ratelimit.service import Limit, RateLimiter
from backend.regions.cells import cells_within, distance_km
from backend.regions.model import Region
from backend.settings import Settings
from backend.sites.service import SiteView

MAX_RESULTS = 50


@dataclass(frozen=True)
class Owner:
    """Who a listing belongs to, as others see it."""

    kind: str
    id: UUID
    name: str


@dataclass(frozen=True)
class ListingView:
    """A listing as the actor may see it: the region's name and distance, never a location."""

    id: UUID
    kind: str
    title: str
    description: str
    category: str
    timing: str
    needed_on: date | None
    weekdays: tuple[int, ...]
    status: str
    paused: bool
    region_name: str
    distance_km: int | None
    owner: Owner
    can_manage: bool
    created_at: datetime
    expires_at: datetime
    found_help: bool | None
    photos: tuple[PhotoView, ...] = ()


@dataclass(frozen=True)
class MyListings:
    """The actor's personal listings and, per organisation, the organisation's listings."""

    personal: list[ListingView]
    organisations: list[tuple[Owner, list[ListingView]]]


@dataclass(frozen=True)
class ExpiryRun:
    """What one run of the expiry job did."""

    expired: int
    reminded: int


def _now() -> datetime:
    return datetime.now(UTC)


_COLUMNS = (
    *Listing.all_columns(),
    Listing.owner_user.display_name.as_alias("owner_user_name"),
    Listing.owner_organisation.name.as_alias("owner_organisation_name"),
)


PublishListener = Callable[[ListingView, str], Awaitable[Any]]


class Listings:
    """The listings service, shared by the JSON API and the ReactPy pages."""

    def __init__(
        self, settings: Settings, organisations: Organisations, media: Media, limiter: RateLimiter
    ) -> None:
        self._settings = settings
        self._organisations = organisations
        self._media = media
        self._limiter = limiter
        self.per_day = Limit(
            "listings",
            settings.listings_per_day,
            86_400,
            "You posted many listings today. You can post more tomorrow.",
        )
        self._publish_listeners: list[PublishListener] = []

    def on_publish(self, listener: PublishListener) -> None:
        """Call ``listener(view, region_cell)`` after each new listing (recommendations)."""
        self._publish_listeners.append(listener)

    @property
    def _period(self) -> timedelta:
        return timedelta(weeks=self._settings.listing_weeks)

    async def create(
        self,
        actor: Account,
        draft: ListingDraft,
        *,
        site: SiteView | None = None,
        confirm_address: bool = False,
        photo_ids: list[UUID] | None = None,
    ) -> ListingView:
        """Publish a listing for the actor, or for an organisation the actor belongs to.

        ``photo_ids`` are photos the actor uploaded as drafts; the listing takes them in order.
        """
        now = _now()
        draft = clean_draft(draft, today=now.date(), confirm_address=confirm_address)
        if draft.organisation_id is not None:
            await self._organisations.require_member(actor.id, draft.organisation_id)
        await self._limiter.consume(self.per_day, str(actor.id))
        region = draft.region or _profile_region(actor)
        listing = Listing(
            kind=draft.kind,
            title=draft.title,
            description=draft.description,
            category=draft.category,
            timing=draft.timing,
            needed_on=draft.needed_on,
            weekdays=list(draft.weekdays),
            owner_user=None if draft.organisation_id else actor.id,
            owner_organisation=draft.organisation_id,
            created_by=actor.id,
            region_cell=region.cell,
            region_name=region.name,
            posted_on_site=site.slug if site else None,
            created_at=now,
            updated_at=now,
            expires_at=now + self._period,
        )
        async with write_transaction(Listing._meta.db):
            await listing.save()
            if photo_ids:
                await self._media.attach(actor.id, listing.id, photo_ids)
        view = await self.view(actor, listing.id)
        for listener in self._publish_listeners:
            await listener(view, region.cell)
        return view

    async def update(
        self,
        actor: Account,
        listing_id: UUID,
        draft: ListingDraft,
        *,
        confirm_address: bool = False,
        photo_ids: list[UUID] | None = None,
    ) -> ListingView:
        """Change the text, category, timing, region or photos; refused once it is closed.

        ``photo_ids`` None keeps the photos; a list becomes the listing's photos, in order.
        """
        row = await self._managed(actor, listing_id)
        lifecycle.ensure_editable(row["status"])
        draft = clean_draft(draft, today=_now().date(), confirm_address=confirm_address)
        values: dict[Any, Any] = {
            Listing.kind: draft.kind,
            Listing.title: draft.title,
            Listing.description: draft.description,
            Listing.category: draft.category,
            Listing.timing: draft.timing,
            Listing.needed_on: draft.needed_on,
            Listing.weekdays: list(draft.weekdays),
            Listing.updated_at: _now(),
        }
        if draft.region is not None:
            values |= {
                Listing.region_cell: draft.region.cell,
                Listing.region_name: draft.region.name,
            }
        async with write_transaction(Listing._meta.db):
            await Listing.update(values).where(Listing.id == listing_id)
            if photo_ids is not None:
                await self._media.attach(actor.id, listing_id, photo_ids)
        return await self.view(actor, listing_id)

    async def set_paused(self, actor: Account, listing_id: UUID, paused: bool) -> ListingView:
        """Hide an open listing from others for a while, or show it again."""
        row = await self._managed(actor, listing_id)
        lifecycle.ensure_can_pause(row["status"])
        await Listing.update({Listing.paused: paused, Listing.updated_at: _now()}).where(
            Listing.id == listing_id
        )
        return await self.view(actor, listing_id)

    async def extend(self, actor: Account, listing_id: UUID) -> ListingView:
        """Add another period; an expired listing is renewed (open again)."""
        row = await self._managed(actor, listing_id)
        status = lifecycle.status_after_extension(row["status"])
        now = _now()
        await Listing.update(
            {
                Listing.status: status,
                Listing.expires_at: max(now, row["expires_at"]) + self._period,
                Listing.expiry_reminder_at: None,
                Listing.updated_at: now,
            }
        ).where(Listing.id == listing_id)
        return await self.view(actor, listing_id)

    async def close(self, actor: Account, listing_id: UUID, found_help: bool | None) -> ListingView:
        """Close the listing, keeping the answer to "Did you find help through Handje?"."""
        row = await self._managed(actor, listing_id)
        lifecycle.ensure_can_close(row["status"])
        now = _now()
        await Listing.update(
            {
                Listing.status: lifecycle.CLOSED,
                Listing.found_help: found_help,
                Listing.closed_at: now,
                Listing.paused: False,
                Listing.updated_at: now,
            }
        ).where(Listing.id == listing_id)
        return await self.view(actor, listing_id)

    async def mark_done(self, actor: Account, listing_id: UUID) -> ListingView:
        """The owner says the help happened: the listing is done (and leaves the deck)."""
        row = await self._managed(actor, listing_id)
        lifecycle.ensure_can_close(row["status"])
        await Listing.update(
            {Listing.status: lifecycle.DONE, Listing.closed_at: _now(), Listing.paused: False}
        ).where(Listing.id == listing_id)
        return await self.view(actor, listing_id)

    async def delete(self, actor: Account, listing_id: UUID) -> None:
        """Delete the listing for good."""
        await self._managed(actor, listing_id)
        await self._media.delete_listing_photos(listing_id)
        await Listing.delete().where(Listing.id == listing_id)

    async def view(self, actor: Account, listing_id: UUID) -> ListingView:
        """One listing, if the actor may see it: their own, or an active one of someone else."""
        row = await Listing.select(*_COLUMNS).where(Listing.id == listing_id).first()
        if row is None:
            raise NotFound("Not found.")
        can_manage = await self._can_manage(actor, row)
        if not can_manage and not _publicly_visible(row):
            raise NotFound("Not found.")
        return (await self._views([row], actor, can_manage=can_manage))[0]

    async def respondable_title(self, actor: Account, listing_id: UUID) -> str:
        """The title of a visible listing that the actor does not manage (one they may respond
        to); ``NotFound`` otherwise. Lighter than ``view``: one row, no names or photos.
        """
        row = (
            await Listing.select(
                Listing.title,
                Listing.status,
                Listing.paused,
                Listing.owner_user,
                Listing.owner_organisation,
            )
            .where(Listing.id == listing_id)
            .first()
        )
        if row is None or not _publicly_visible(row) or await self._can_manage(actor, row):
            raise NotFound("Not found.")
        return row["title"]

    async def mine(self, actor: Account) -> MyListings:
        """The actor's own listings and those of their organisations, newest first."""
        personal = await (
            Listing.select(*_COLUMNS)
            .where(Listing.owner_user == actor.id)
            .order_by(Listing.created_at, ascending=False)
        )
        organisations = await self._organisations.mine(actor)
        grouped = []
        for organisation in organisations:
            rows = await (
                Listing.select(*_COLUMNS)
                .where(Listing.owner_organisation == organisation.id)
                .order_by(Listing.created_at, ascending=False)
            )
            owner = Owner("organisation", organisation.id, organisation.name)
            grouped.append((owner, await self._views(rows, actor, can_manage=True)))
        return MyListings(await self._views(personal, actor, can_manage=True), grouped)

    async def nearby(
        self,
        actor: Account,
        *,
        radius_km: float,
        kind: str | None = None,
        category: str | None = None,
        site: SiteView | None = None,
    ) -> list[ListingView]:
        """Other people's active listings within ``radius_km`` of the actor's region, nearest first.

        On a local site only listings inside the site's area count.
        """
        if not 1 <= radius_km <= 50:
            raise Invalid("Choose a distance from 1 to 50 km.", field="radius_km")
        centre = _profile_region(actor).cell
        cells = cells_within(centre, radius_km)
        if site is not None:
            cells = frozenset(cell for cell in cells if site.contains(cell))
        if not cells:
            return []
        query = Listing.select(*_COLUMNS).where(
            Listing.region_cell.is_in(list(cells)),
            Listing.status.is_in(list(lifecycle.ACTIVE)),
            Listing.paused.eq(False),
            (Listing.owner_user != actor.id) | Listing.owner_user.is_null(),
        )
        member_of = await self._organisations.member_organisation_ids(actor.id)
        if member_of:
            query = query.where(
                Listing.owner_organisation.not_in(member_of) | Listing.owner_organisation.is_null()
            )
        if kind is not None:
            query = query.where(Listing.kind == kind)
        if category is not None:
            query = query.where(Listing.category == category)
        rows = await query.order_by(Listing.created_at, ascending=False).limit(MAX_RESULTS * 4)
        views = await self._views(rows, actor, can_manage=False)
        return sorted(views, key=lambda view: (view.distance_km, -view.created_at.timestamp()))[
            :MAX_RESULTS
        ]

    async def expire_due(self, now: datetime | None = None) -> ExpiryRun:
        """The scheduled job: expire listings past their date and record the 7-day reminders.

        Each change and its notifications are written in one transaction, and the conditions
        make a second run (or a second process) a no-op.
        """
        now = now or _now()
        async with write_transaction(Listing._meta.db):
            expired = await (
                Listing.update({Listing.status: lifecycle.EXPIRED, Listing.updated_at: now})
                .where(Listing.status.is_in(list(lifecycle.ACTIVE)), Listing.expires_at <= now)
                .returning(
                    Listing.id, Listing.title, Listing.owner_user, Listing.owner_organisation
                )
            )
            await self._notify_owners(expired, LISTING_EXPIRED)
            remind_before = now + timedelta(days=self._settings.expiry_reminder_days)
            reminded = await (
                Listing.update({Listing.expiry_reminder_at: now})
                .where(
                    Listing.status.is_in(list(lifecycle.ACTIVE)),
                    Listing.expires_at <= remind_before,
                    Listing.expiry_reminder_at.is_null(),
                )
                .returning(
                    Listing.id, Listing.title, Listing.owner_user, Listing.owner_organisation
                )
            )
            await self._notify_owners(reminded, LISTING_EXPIRES_SOON)
        return ExpiryRun(expired=len(expired), reminded=len(reminded))

    def view_for(
        self, actor: Account, row: dict[str, Any], photos: tuple[PhotoView, ...]
    ) -> ListingView:
        """The view of a row of ``_COLUMNS`` and its photos, for an actor who does not manage it."""
        return _view(row, actor, False, photos)

    async def has_visible_listing(self, user_id: UUID) -> bool:
        """Whether others can see a listing of ``user_id`` (and so meet them on Handje)."""
        return await Listing.exists().where(
            Listing.owner_user == user_id,
            Listing.status.is_in(list(lifecycle.ACTIVE)),
            Listing.paused.eq(False),
        )

    async def manager_ids(self, listing_id: UUID) -> list[UUID]:
        """The people who manage a listing: its owner, or all members of its organisation."""
        row = (
            await Listing.select(Listing.owner_user, Listing.owner_organisation)
            .where(Listing.id == listing_id)
            .first()
        )
        if row is None:
            return []
        if row["owner_user"] is not None:
            return [row["owner_user"]]
        return await self._organisations.member_user_ids(row["owner_organisation"])

    async def managed_ids(self, actor: Account) -> list[UUID]:
        """The ids of every listing the actor manages (own and organisations')."""
        member_of = await self._organisations.member_organisation_ids(actor.id)
        where = Listing.owner_user == actor.id
        if member_of:
            where = where | Listing.owner_organisation.is_in(member_of)
        return await Listing.select(Listing.id).where(where).output(as_list=True)

    async def ensure_manager(
        self, actor: Account, listing_id: UUID, *, hidden: bool = False
    ) -> None:
        """Raise unless the actor manages the listing (``hidden``: always as a 404)."""
        try:
            await self._managed(actor, listing_id)
        except Forbidden as error:
            if hidden:
                raise NotFound("Not found.") from error
            raise

    async def _views(
        self, rows: list[dict[str, Any]], actor: Account, *, can_manage: bool
    ) -> list[ListingView]:
        photos = await self._media.listing_photos(row["id"] for row in rows)
        return [_view(row, actor, can_manage, tuple(photos.get(row["id"], ()))) for row in rows]

    async def _notify_owners(self, rows: list[dict[str, Any]], kind: str) -> None:
        for row in rows:
            if row["owner_user"] is not None:
                recipients = [row["owner_user"]]
            else:
                recipients = await self._organisations.member_user_ids(row["owner_organisation"])
            await record_notifications(
                recipients, kind, {"listing_id": str(row["id"]), "title": row["title"]}
            )

    async def _can_manage(self, actor: Account, row: dict[str, Any]) -> bool:
        if row["owner_user"] == actor.id:
            return True
        if row["owner_organisation"] is None:
            return False
        return row["owner_organisation"] in await self._organisations.member_organisation_ids(
            actor.id
        )

    async def _managed(self, actor: Account, listing_id: UUID) -> dict[str, Any]:
        """The listing's row if the actor may manage it; 404 if they cannot even see it."""
        row = await Listing.select(*_COLUMNS).where(Listing.id == listing_id).first()
        if row is None:
            raise NotFound("Not found.")
        if not await self._can_manage(actor, row):
            if _publicly_visible(row):
                raise Forbidden("Only the owner can change this listing.")
            raise NotFound("Not found.")
        return row


def _profile_region(actor: Account) -> Region:
    if actor.region is None:
        raise Invalid("Choose your region in your profile first.", field="region")
    return actor.region


def _publicly_visible(row: dict[str, Any]) -> bool:
    return lifecycle.is_publicly_visible(row["status"], row["paused"])


def _view(
    row: dict[str, Any], actor: Account, can_manage: bool, photos: tuple[PhotoView, ...]
) -> ListingView:
    if row["owner_organisation"] is not None:
        owner = Owner("organisation", row["owner_organisation"], row["owner_organisation_name"])
    else:
        owner = Owner("person", row["owner_user"], row["owner_user_name"])
    return ListingView(
        id=row["id"],
        kind=row["kind"],
        title=row["title"],
        description=row["description"],
        category=row["category"],
        timing=row["timing"],
        needed_on=row["needed_on"],
        weekdays=tuple(row["weekdays"] or ()),
        status=row["status"],
        paused=row["paused"],
        region_name=row["region_name"],
        distance_km=distance_km(actor.region.cell, row["region_cell"]) if actor.region else None,
        owner=owner,
        can_manage=can_manage,
        created_at=row["created_at"],
        expires_at=row["expires_at"],
        found_help=row["found_help"] if can_manage else None,
        photos=photos,
    )

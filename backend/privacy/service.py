"""Privacy rules for one's own account: consents (and the page counts they allow), data
exports, and deleting the account."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID

from backend.accounts.service import Account, Accounts
from backend.errors import Forbidden, NotFound, TooManyRequests
from backend.listings.tables import Listing
from backend.media.service import Media
from backend.notifications.service import EXPORT_READY, record_notifications
from backend.organisations.service import OWNER
from backend.organisations.tables import Membership, Organisation
from backend.privacy import analytics, consents
from backend.privacy.erasure import deleted_user_id, erase_account
from backend.privacy.export import export_data, export_rows, photo_files, zip_bytes
from backend.privacy.handover import retire_listings
from backend.privacy.tables import DataExport
from backend.settings import Settings

logger = logging.getLogger(__name__)

PENDING = "pending"
BUILDING = "building"
READY = "ready"

# One export at a time per person, and at most a few a day: building one is real work.
EXPORTS_PER_DAY = 3


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class ExportView:
    """A requested export as its owner sees it."""

    id: UUID
    state: str
    requested_at: datetime
    expires_at: datetime | None
    size_bytes: int

    @property
    def download_url(self) -> str:
        """Where the owner downloads it (nobody else can)."""
        return f"/api/privacy/exports/{self.id}/download"


class Privacy:
    """Consents, exports and account deletion, shared by the JSON API and the Privacy page."""

    def __init__(
        self,
        settings: Settings,
        accounts: Accounts,
        media: Media,
        clock: Callable[[], datetime] = _now,
    ) -> None:
        self._settings = settings
        self._accounts = accounts
        self._media = media
        self._clock = clock
        self._background: set[asyncio.Task[int]] = set()

    @property
    def exports_dir(self) -> Path:
        """Where ready exports wait for their owner (removed when they expire)."""
        return self._settings.data_dir / "exports"

    def export_path(self, export_id: UUID) -> Path:
        """The ZIP file of one export."""
        return self.exports_dir / f"{export_id}.zip"

    # Consents

    async def consents(self, actor: Account) -> dict[str, consents.ConsentRecord | None]:
        """The actor's choices that hold now, per purpose."""
        return await consents.current(actor.id)

    async def consent_history(self, actor: Account) -> list[consents.ConsentRecord]:
        """Every consent the actor gave and withdrew."""
        return await consents.history(actor.id)

    async def set_consent(self, actor: Account, purpose: str, given: bool) -> None:
        """Give or withdraw one consent: one call either way."""
        await consents.set_consent(actor.id, purpose, given, self._clock())

    async def count_page_view(self, actor: Account, page: str) -> bool:
        """Count that the actor opened ``page``, only if they allowed counting."""
        return await analytics.count_page_view(actor.id, page, self._clock().date())

    async def page_counts(self, actor: Account) -> dict[str, int]:
        """This month's views per page, for admins (who opened them is never stored)."""
        if actor.role != "admin":
            raise Forbidden("Only admins see which pages are used.")
        return await analytics.page_counts(self._clock().date())

    # Exports

    async def exports(self, actor: Account) -> list[ExportView]:
        """The actor's exports that are pending or still downloadable, newest first."""
        rows = (
            await DataExport.select(
                DataExport.id,
                DataExport.state,
                DataExport.requested_at,
                DataExport.expires_at,
                DataExport.size_bytes,
            )
            .where(DataExport.user == actor.id)
            .order_by(DataExport.requested_at, ascending=False)
        )
        now = self._clock()
        return [
            ExportView(**row)
            for row in rows
            if row["expires_at"] is None or row["expires_at"] > now
        ]

    async def request_export(self, actor: Account) -> ExportView:
        """Start an export: small accounts get it at once; large ones in the background, with a
        notification when it is ready."""
        now = self._clock()
        recent = await DataExport.count().where(
            DataExport.user == actor.id, DataExport.requested_at > now - timedelta(days=1)
        )
        if recent >= EXPORTS_PER_DAY:
            raise TooManyRequests(
                "You asked for several exports today. Please try again tomorrow.",
                retry_after=86_400,
            )
        background = await export_rows(actor.id) > self._settings.export_background_rows
        export = DataExport(
            user=actor.id, state=PENDING if background else BUILDING, requested_at=now
        )
        await export.save()
        if not background:
            await self._prepare(export.id, actor.id, notify=False)
        # Read before the background work starts, so that a large account sees "pending".
        [view] = [view for view in await self.exports(actor) if view.id == export.id]
        if background:
            task = asyncio.create_task(self.prepare_pending_exports())
            self._background.add(task)
            task.add_done_callback(self._background.discard)
        return view

    async def _prepare(self, export_id: UUID, user_id: UUID, *, notify: bool) -> None:
        data = await export_data(user_id)
        files = await photo_files(user_id, self._media.storage)
        content = await asyncio.to_thread(zip_bytes, data, files)
        path = self.export_path(export_id)
        await asyncio.to_thread(_write_private, path, content)
        now = self._clock()
        await DataExport.update(
            {
                DataExport.state: READY,
                DataExport.ready_at: now,
                DataExport.expires_at: now + timedelta(hours=self._settings.export_hours),
                DataExport.size_bytes: len(content),
            }
        ).where(DataExport.id == export_id)
        if notify:
            await record_notifications([user_id], EXPORT_READY, {"export": str(export_id)})

    async def prepare_pending_exports(self) -> int:
        """The background part: build every pending export and notify its owner."""
        # Claiming first means two processes running the job never build one export twice.
        pending = (
            await DataExport.update({DataExport.state: BUILDING})
            .where(DataExport.state == PENDING)
            .returning(DataExport.id, DataExport.user)
        )
        for row in pending:
            await self._prepare(row["id"], row["user"], notify=True)
        return len(pending)

    async def export_file(self, actor: Account, export_id: UUID) -> Path:
        """The ZIP of a ready export of the actor's; ``NotFound`` for anyone else, and once it
        expired."""
        row = (
            await DataExport.select(DataExport.user, DataExport.state, DataExport.expires_at)
            .where(DataExport.id == export_id)
            .first()
        )
        path = self.export_path(export_id)
        if (
            row is None
            or row["user"] != actor.id
            or row["state"] != READY
            or row["expires_at"] is None
            or row["expires_at"] <= self._clock()
            or not path.exists()
        ):
            raise NotFound("This download does not exist or has expired.")
        return path

    async def remove_expired_exports(self) -> int:
        """Delete exports past their time, files first; return how many."""
        expired = (
            await DataExport.select(DataExport.id)
            .where(DataExport.expires_at < self._clock())
            .output(as_list=True)
        )
        for export_id in expired:
            self.export_path(export_id).unlink(missing_ok=True)
        if expired:
            await DataExport.delete().where(DataExport.id.is_in(expired))
        return len(expired)

    # Deletion

    async def delete_account(
        self, actor: Account, *, password: str, keep_message_text: bool = False
    ) -> None:
        """Delete the actor's account after checking the password: everything personal goes."""
        await self._accounts.confirm_password(actor, password)
        await self.erase(actor.id, keep_message_text=keep_message_text)

    async def erase(self, user_id: UUID, *, keep_message_text: bool = False) -> None:
        """Erase one account: its exports, its photos in storage, then every row (see
        ``erasure``). Also used by the retention job."""
        exports = (
            await DataExport.select(DataExport.id)
            .where(DataExport.user == user_id)
            .output(as_list=True)
        )
        for export_id in exports:
            self.export_path(export_id).unlink(missing_ok=True)
        await self._settle_organisations(user_id)
        await self._media.delete_owner_photos(user_id)
        await erase_account(user_id, now=self._clock(), keep_message_text=keep_message_text)

    async def _settle_organisations(self, user_id: UUID) -> None:
        """An organisation the person alone owns passes to its longest-standing other member;
        with nobody else in it, it goes with the account (its listings too, unless they have
        conversations: those stay for the other side, see ``handover``)."""
        owned = (
            await Membership.select(Membership.organisation)
            .where(Membership.user == user_id, Membership.role == OWNER)
            .output(as_list=True)
        )
        for organisation_id in owned:
            others = (
                await Membership.select(Membership.id, Membership.role)
                .where(Membership.organisation == organisation_id, Membership.user != user_id)
                .order_by(Membership.created_at)
            )
            if any(other["role"] == OWNER for other in others):
                continue
            if others:
                await Membership.update({Membership.role: OWNER}).where(
                    Membership.id == others[0]["id"]
                )
                continue
            await self._delete_organisation(organisation_id)

    async def _delete_organisation(self, organisation_id: UUID) -> None:
        listings = (
            await Listing.select(Listing.id)
            .where(Listing.owner_organisation == organisation_id)
            .output(as_list=True)
        )
        await retire_listings(self._media, listings, await deleted_user_id(), self._clock())
        await Organisation.delete().where(Organisation.id == organisation_id)


def _write_private(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".part")
    temporary.write_bytes(content)
    temporary.chmod(0o600)
    temporary.replace(path)

"""Retention jobs: nothing is kept longer than its period (periods are settings, see README).

- An account nobody used for ``inactive_account_days`` is warned (in the app and by push); if
  it stays unused for ``inactive_grace_days`` after the warning, it is deleted like a deletion
  its owner asked for.
- A closed, done or expired listing is purged ``ended_listing_days`` after it ended, with its
  photos and its conversations.
- A data export is removed when its download link expires.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from backend.accounts.tables import User
from backend.listings import lifecycle
from backend.listings.tables import Listing
from backend.media.service import Media
from backend.notifications.service import ACCOUNT_INACTIVE, record_notifications
from backend.privacy.erasure import DELETED_USER_EMAIL
from backend.privacy.handover import purge_listings
from backend.privacy.service import Privacy
from backend.privacy.tables import InactivityWarning
from backend.settings import Settings

ENDED = (lifecycle.CLOSED, lifecycle.DONE, lifecycle.EXPIRED)


def utc_now() -> datetime:
    """The real clock."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class RetentionRun:
    """What one run of the retention jobs did."""

    warned: int
    accounts_deleted: int
    listings_purged: int
    exports_removed: int


class Retention:
    """The retention jobs, run with a clock so that tests can move time."""

    def __init__(
        self,
        settings: Settings,
        privacy: Privacy,
        media: Media,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._settings = settings
        self._privacy = privacy
        self._media = media
        self._clock = clock

    async def run(self) -> RetentionRun:
        """Every retention job once."""
        return RetentionRun(
            warned=await self.warn_inactive_accounts(),
            accounts_deleted=await self.delete_inactive_accounts(),
            listings_purged=await self.purge_ended_listings(),
            exports_removed=await self._privacy.remove_expired_exports(),
        )

    async def warn_inactive_accounts(self) -> int:
        """Tell everyone inactive for the period that their account will be deleted."""
        now = self._clock()
        cutoff = now - timedelta(days=self._settings.inactive_account_days)
        inactive = await User.select(User.id, User.last_active_at).where(
            User.last_active_at < cutoff, User.email != DELETED_USER_EMAIL
        )
        warned_at = {
            row["user"]: row["warned_at"]
            for row in await InactivityWarning.select(
                InactivityWarning.user, InactivityWarning.warned_at
            ).where(InactivityWarning.user.is_in([row["id"] for row in inactive] or [None]))
        }
        # A warning counts only for the absence it was about: whoever came back and left again
        # is warned again.
        to_warn = [
            row["id"]
            for row in inactive
            if row["id"] not in warned_at or warned_at[row["id"]] < row["last_active_at"]
        ]
        if not to_warn:
            return 0
        await InactivityWarning.delete().where(InactivityWarning.user.is_in(to_warn))
        await InactivityWarning.insert(
            *(InactivityWarning(user=user_id, warned_at=now) for user_id in to_warn)
        )
        deleted_on = (now + timedelta(days=self._settings.inactive_grace_days)).date()
        await record_notifications(to_warn, ACCOUNT_INACTIVE, {"delete_on": str(deleted_on)})
        return len(to_warn)

    async def delete_inactive_accounts(self) -> int:
        """Delete accounts that stayed unused for the grace period after their warning."""
        cutoff = self._clock() - timedelta(days=self._settings.inactive_grace_days)
        warnings = await InactivityWarning.select(
            InactivityWarning.user,
            InactivityWarning.warned_at,
            InactivityWarning.user.last_active_at.as_alias("last_active_at"),
        ).where(InactivityWarning.warned_at < cutoff)
        due = [row["user"] for row in warnings if row["last_active_at"] <= row["warned_at"]]
        for user_id in due:
            await self._privacy.erase(user_id)
        return len(due)

    async def purge_ended_listings(self) -> int:
        """Delete listings that ended longer ago than their retention period, with their
        photos and conversations."""
        cutoff = self._clock() - timedelta(days=self._settings.ended_listing_days)
        due = (
            await Listing.select(Listing.id)
            .where(
                Listing.status.is_in(list(ENDED)),
                # It ended when it was closed, or else when it expired.
                (Listing.closed_at < cutoff)
                | (Listing.closed_at.is_null() & (Listing.expires_at < cutoff)),
            )
            .output(as_list=True)
        )
        await purge_listings(self._media, due)
        return len(due)

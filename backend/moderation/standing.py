"""An account's standing: suspensions and bans, banned email addresses, sign-up and log-in IPs.

``Standing`` is the accounts service's gate (``Accounts.guard_with``): it refuses a banned email
at sign-up and a restricted account at log-in, and records the addresses the daily checks need.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from backend.accounts.service import AccountRestricted, session_id_for
from backend.accounts.tables import User, UserSession
from backend.errors import Forbidden
from backend.moderation.tables import BannedEmail, EndedSession, IpRecord, Restriction
from backend.settings import Settings
from backend.translatable import N_

SUSPENDED = N_("Your account is suspended until {until}.")
BANNED = N_("Your account has been closed by our moderators.")
EMAIL_REFUSED = N_("This email address cannot be used.")


@dataclass(frozen=True)
class RestrictionNotice:
    """Why and until when an account may not sign in (``until`` None: banned for good)."""

    kind: str
    reason: str
    until: datetime | None


def _now() -> datetime:
    return datetime.now(UTC)


def email_fingerprint(email: str) -> str:
    """The SHA-256 of an address ignoring case and a ``+tag``."""
    local, _, domain = email.strip().lower().partition("@")
    local = local.split("+", 1)[0]
    return hashlib.sha256(f"{local}@{domain}".encode()).hexdigest()


async def active_restriction(user_id: UUID) -> RestrictionNotice | None:
    """The ban or the suspension in force for ``user_id`` now, if any (a ban wins)."""
    now = _now()
    rows = await Restriction.select(Restriction.kind, Restriction.reason, Restriction.until).where(
        Restriction.user == user_id,
        Restriction.lifted_at.is_null(),
        (Restriction.until.is_null()) | (Restriction.until > now),
    )
    rows.sort(key=lambda row: (row["until"] is not None, row["until"] or now))
    if not rows:
        return None
    return RestrictionNotice(rows[0]["kind"], rows[0]["reason"], rows[0]["until"])


async def end_sessions(user_id: UUID) -> int:
    """Sign ``user_id`` out everywhere, remembering the sessions so their browsers learn why."""
    sessions = await UserSession.select(UserSession.id).where(UserSession.user == user_id)
    if sessions:
        await EndedSession.insert(*(EndedSession(id=row["id"], user=user_id) for row in sessions))
        await UserSession.delete().where(UserSession.user == user_id)
    return len(sessions)


class Standing:
    """The gate the accounts service asks at sign-up and log-in."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    async def check_sign_up(self, email: str) -> None:
        """Refuse an address that belonged to a banned account."""
        if await BannedEmail.exists().where(BannedEmail.email_hash == email_fingerprint(email)):
            raise Forbidden(EMAIL_REFUSED, field="email")

    async def check_log_in(self, user_id: UUID) -> None:
        """Refuse a suspended or banned account, saying why and until when."""
        notice = await active_restriction(user_id)
        if notice is None:
            return
        message = BANNED if notice.until is None else SUSPENDED
        raise AccountRestricted(message, reason=notice.reason, until=notice.until)

    async def record_ip(self, user_id: UUID, ip: str, kind: str) -> None:
        """Keep the address for the daily checks (deleted after ``ip_retention_days``)."""
        await IpRecord.insert(IpRecord(user=user_id, ip=ip[:45], kind=kind))

    async def notice_for_token(self, token: str) -> RestrictionNotice | None:
        """For a browser whose session a moderator ended: the restriction that ended it."""
        row = (
            await EndedSession.select(EndedSession.user)
            .where(EndedSession.id == session_id_for(token))
            .first()
        )
        return await active_restriction(row["user"]) if row else None

    async def notice_for_email(self, email: str) -> RestrictionNotice | None:
        """The restriction of the account with ``email`` (after a refused log-in only)."""
        row = await User.select(User.id).where(User.email == email.strip().lower()).first()
        return await active_restriction(row["id"]) if row else None

    async def purge_old_addresses(self, now: datetime | None = None) -> int:
        """Delete IP addresses and ended-session markers older than the retention period."""
        cutoff = (now or _now()) - timedelta(days=self._settings.ip_retention_days)
        old = await IpRecord.count().where(IpRecord.created_at < cutoff)
        await IpRecord.delete().where(IpRecord.created_at < cutoff)
        await EndedSession.delete().where(EndedSession.created_at < cutoff)
        return old

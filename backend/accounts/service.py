"""Account rules: sign-up, log-in and sessions, profile changes, roles."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol
from uuid import UUID

from backend.accounts import profiles
from backend.accounts.passwords import PasswordHashing, check_new_password
from backend.accounts.tables import User, UserSession
from backend.errors import Conflict, Forbidden, Invalid, NotAuthenticated, NotFound
from backend.listings.categories import CATEGORY_SLUGS
from backend.ratelimit.service import Limit, RateLimiter
from backend.regions.model import Region
from backend.settings import Settings

WRONG_CREDENTIALS = "Wrong email address or password."
ACTIVITY_RESOLUTION = timedelta(minutes=5)


@dataclass(frozen=True)
class Account:
    """A signed-in user as the rest of the app sees them (never the password hash)."""

    id: UUID
    email: str
    display_name: str
    account_kind: str
    bio: str
    interests: tuple[str, ...]
    language: str
    phone: str | None
    role: str
    created_at: datetime
    last_active_at: datetime
    region: Region | None = None
    read_receipts: bool = True

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Account:
        """Build from a ``User`` row dict."""
        return cls(
            id=row["id"],
            email=row["email"],
            display_name=row["display_name"],
            account_kind=row["account_kind"],
            bio=row["bio"],
            interests=tuple(row["interests"] or ()),
            language=row["language"],
            phone=row["phone"],
            role=row["role"],
            created_at=row["created_at"],
            last_active_at=row["last_active_at"],
            region=Region(row["region_cell"], row["region_name"]) if row["region_cell"] else None,
            read_receipts=row["read_receipts"],
        )

    @property
    def region_name(self) -> str | None:
        """The name of the account's region, if chosen."""
        return self.region.name if self.region else None

    @property
    def is_moderator(self) -> bool:
        """Moderators and admins may review cases."""
        return self.role in {"moderator", "admin"}


@dataclass(frozen=True)
class SignedIn:
    """An authenticated session: the account and the session's id (the token's hash)."""

    account: Account
    session_id: str


@dataclass(frozen=True)
class NewSession:
    """What a successful log-in returns: the cookie value and the account."""

    token: str
    signed_in: SignedIn


@dataclass(frozen=True)
class ProfileChanges:
    """Fields a user may change without re-entering the password; None means unchanged."""

    display_name: str | None = None
    account_kind: str | None = None
    bio: str | None = None
    interests: list[str] | None = None
    language: str | None = None
    region: Region | None = None
    read_receipts: bool | None = None


class AccountRestricted(Forbidden):
    """Log-in refused: the account is suspended (until ``until``) or banned (``until`` is None)."""

    def __init__(self, message: str, *, reason: str, until: datetime | None) -> None:
        super().__init__(message)
        self.reason = reason
        self.until = until


class AccountGate(Protocol):
    """Trust and safety's say in sign-up and log-in (implemented by the moderation domain)."""

    async def check_sign_up(self, email: str) -> None:
        """Raise ``Forbidden`` when this address may not get an account."""
        ...

    async def check_log_in(self, user_id: UUID) -> None:
        """Raise ``AccountRestricted`` when the account may not sign in now."""
        ...

    async def record_ip(self, user_id: UUID, ip: str, kind: str) -> None:
        """Remember the address of a sign-up or log-in, for the daily checks."""
        ...


def session_id_for(token: str) -> str:
    """Sessions are stored by the SHA-256 of their cookie value, so a database leak is no log-in."""
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


_ACCOUNT_COLUMNS = (
    User.id,
    User.email,
    User.display_name,
    User.account_kind,
    User.bio,
    User.interests,
    User.language,
    User.phone,
    User.role,
    User.created_at,
    User.last_active_at,
    User.region_cell,
    User.region_name,
    User.read_receipts,
)
# A session's expiry and its account's columns (as ``_ACCOUNT_COLUMNS``), in one statement.
_SESSION_ACCOUNT_SQL = " ".join(
    [
        "SELECT s.expires_at AS session_expires_at,",
        ", ".join(f"u.{column._meta.db_column_name}" for column in _ACCOUNT_COLUMNS),
        'FROM handje_session AS s JOIN handje_user AS u ON u.id = s."user" WHERE s.id = {}',
    ]
)


class Accounts:
    """The accounts service, shared by the JSON API and the ReactPy pages."""

    def __init__(self, settings: Settings, hashing: PasswordHashing, limiter: RateLimiter) -> None:
        self._settings = settings
        self._hashing = hashing
        self._limiter = limiter
        self._gate: AccountGate | None = None
        self.login_per_account = Limit(
            "login-account",
            settings.login_account_limit,
            settings.login_window_seconds,
            "Too many attempts for this account. Please wait and try again.",
        )
        self.login_per_ip = Limit(
            "login-ip",
            settings.login_ip_limit,
            settings.login_window_seconds,
            "Too many log-in attempts from your network. Please wait and try again.",
        )
        self.signup_per_email = Limit(
            "signup-email",
            settings.signup_email_limit,
            settings.signup_window_seconds,
            "Too many sign-ups with this email address. Please wait and try again.",
        )
        self.signup_per_ip = Limit(
            "signup-ip",
            settings.signup_ip_limit,
            settings.signup_window_seconds,
            "Too many sign-ups from your network. Please wait and try again.",
        )

    def guard_with(self, gate: AccountGate) -> None:
        """Let ``gate`` refuse sign-ups and log-ins and see their addresses."""
        self._gate = gate

    async def sign_up(
        self, *, email: str, password: str, display_name: str, language: str, ip: str
    ) -> Account | None:
        """Create an account; None when the email is taken.

        The caller answers the same either way (and a hash is computed either way), so sign-up
        does not tell whether an address has an account.
        """
        email = profiles.clean_email(email)
        display_name = profiles.clean_display_name(display_name)
        language = profiles.clean_language(language)
        check_new_password(password, email=email)
        await self._limiter.consume_all([(self.signup_per_ip, ip), (self.signup_per_email, email)])
        if self._gate:
            await self._gate.check_sign_up(email)
        password_hash = await self._hashing.hash(password)
        if await User.exists().where(User.email == email):
            return None
        user = User(
            email=email,
            password_hash=password_hash,
            display_name=display_name,
            language=language,
        )
        try:
            await user.save()
        except Exception as error:  # a concurrent sign-up won the unique constraint
            if await User.exists().where(User.email == email):
                return None
            raise error
        if self._gate:
            await self._gate.record_ip(user.id, ip, "signup")
        return await self.account(user.id)

    async def log_in(self, *, email: str, password: str, ip: str, user_agent: str) -> NewSession:
        """Check the credentials (throttled per account and per IP) and open a session."""
        email = email.strip().lower()
        await self._limiter.ensure_allowed(self.login_per_ip, ip)
        await self._limiter.ensure_allowed(self.login_per_account, email)
        row = await User.select(User.id, User.password_hash).where(User.email == email).first()
        if not await self._hashing.verify(row["password_hash"] if row else None, password):
            await self._limiter.hit(self.login_per_ip, ip)
            await self._limiter.hit(self.login_per_account, email)
            raise NotAuthenticated(WRONG_CREDENTIALS)
        await self._limiter.clear(self.login_per_account, email)
        if self._gate:
            await self._gate.check_log_in(row["id"])
            await self._gate.record_ip(row["id"], ip, "login")
        if self._hashing.needs_rehash(row["password_hash"]):
            new_hash = await self._hashing.hash(password)
            await User.update({User.password_hash: new_hash}).where(User.id == row["id"])
        return await self._open_session(row["id"], user_agent)

    async def _open_session(self, user_id: UUID, user_agent: str) -> NewSession:
        token = secrets.token_urlsafe(32)
        now = _now()
        session_id = session_id_for(token)
        await UserSession.insert(
            UserSession(
                id=session_id,
                user=user_id,
                created_at=now,
                last_seen_at=now,
                expires_at=now + timedelta(days=self._settings.session_days),
                user_agent=user_agent[:200],
            )
        )
        await User.update({User.last_active_at: now}).where(User.id == user_id)
        return NewSession(token=token, signed_in=SignedIn(await self.account(user_id), session_id))

    async def log_out(self, session_id: str) -> None:
        """End one session."""
        await UserSession.delete().where(UserSession.id == session_id)

    async def resolve_session(self, token: str) -> SignedIn | None:
        """The signed-in account for a cookie value, or None if unknown or expired.

        Also records activity, at most once per five minutes per session.
        """
        session_id = session_id_for(token)
        session = (
            await UserSession.select(
                UserSession.user, UserSession.expires_at, UserSession.last_seen_at
            )
            .where(UserSession.id == session_id)
            .first()
        )
        now = _now()
        if session is None:
            return None
        if session["expires_at"] <= now:
            await self.log_out(session_id)
            return None
        if now - session["last_seen_at"] >= ACTIVITY_RESOLUTION:
            await UserSession.update({UserSession.last_seen_at: now}).where(
                UserSession.id == session_id
            )
            await User.update({User.last_active_at: now}).where(User.id == session["user"])
        return SignedIn(await self.account(session["user"]), session_id)

    async def still_signed_in(self, session_id: str) -> SignedIn:
        """Re-check a session that was resolved earlier (a long-lived websocket); raise if ended.

        One statement, as live pages call this before every change they make.
        """
        rows = await UserSession.raw(_SESSION_ACCOUNT_SQL, session_id)
        if not rows or rows[0]["session_expires_at"] <= _now():
            raise NotAuthenticated("Your session has ended. Please log in again.")
        return SignedIn(Account.from_row(rows[0]), session_id)

    async def account(self, user_id: UUID) -> Account:
        """The account with ``user_id``; ``NotFound`` if it does not exist."""
        row = await User.select(*_ACCOUNT_COLUMNS).where(User.id == user_id).first()
        if row is None:
            raise NotFound("Not found.")
        return Account.from_row(row)

    async def update_profile(self, actor: Account, changes: ProfileChanges) -> Account:
        """Change the actor's own profile fields that need no password."""
        values: dict[Any, Any] = {}
        if changes.display_name is not None:
            values[User.display_name] = profiles.clean_display_name(changes.display_name)
        if changes.account_kind is not None:
            values[User.account_kind] = profiles.clean_account_kind(changes.account_kind)
        if changes.bio is not None:
            values[User.bio] = profiles.clean_bio(changes.bio)
        if changes.interests is not None:
            values[User.interests] = profiles.clean_interests(changes.interests, CATEGORY_SLUGS)
        if changes.language is not None:
            values[User.language] = profiles.clean_language(changes.language)
        if changes.read_receipts is not None:
            values[User.read_receipts] = changes.read_receipts
        if changes.region is not None:
            values[User.region_cell] = changes.region.cell
            values[User.region_name] = changes.region.name
        if values:
            await User.update(values).where(User.id == actor.id)
        return await self.account(actor.id)

    async def confirm_password(self, actor: Account, password: str) -> None:
        """Raise ``Forbidden`` unless ``password`` is the actor's (before deleting the account)."""
        await self._confirm_password(actor, password)

    async def _confirm_password(self, actor: Account, password: str) -> None:
        row = await User.select(User.password_hash).where(User.id == actor.id).first()
        if row is None or not await self._hashing.verify(row["password_hash"], password):
            raise Forbidden("Your current password is not right.")

    async def change_password(
        self, actor: SignedIn, *, current_password: str, new_password: str
    ) -> None:
        """Set a new password and end the actor's other sessions."""
        account = actor.account
        await self._confirm_password(account, current_password)
        check_new_password(new_password, email=account.email)
        new_hash = await self._hashing.hash(new_password)
        await User.update({User.password_hash: new_hash, User.password_changed_at: _now()}).where(
            User.id == account.id
        )
        await UserSession.delete().where(
            (UserSession.user == account.id) & (UserSession.id != actor.session_id)
        )

    async def change_email(
        self, actor: Account, *, current_password: str, new_email: str
    ) -> Account:
        """Change the log-in address after re-checking the password."""
        email = profiles.clean_email(new_email)
        await self._confirm_password(actor, current_password)
        if email != actor.email and await User.exists().where(User.email == email):
            raise Conflict("This email address cannot be used.", field="email")
        await User.update({User.email: email}).where(User.id == actor.id)
        return await self.account(actor.id)

    async def change_phone(
        self, actor: Account, *, current_password: str, phone: str | None
    ) -> Account:
        """Set or remove the phone number (E.164) after re-checking the password."""
        cleaned = profiles.clean_phone(phone)
        await self._confirm_password(actor, current_password)
        await User.update({User.phone: cleaned}).where(User.id == actor.id)
        return await self.account(actor.id)

    async def grant_role(self, email: str, role: str) -> Account:
        """Give an existing account a role (used by the ``handje`` command line)."""
        if role not in profiles.ROLES:
            raise Invalid("Choose member, moderator or admin.", field="role")
        row = await User.select(User.id).where(User.email == profiles.clean_email(email)).first()
        if row is None:
            raise NotFound("No account with that email address.")
        await User.update({User.role: role}).where(User.id == row["id"])
        return await self.account(row["id"])

"""Request and response bodies of the accounts API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec

from backend.accounts.service import Account
from backend.regions.choice import RegionChoice

Password = Annotated[str, msgspec.Meta(max_length=1024)]
ShortText = Annotated[str, msgspec.Meta(max_length=320)]


class SignUp(msgspec.Struct, forbid_unknown_fields=True):
    """A new account."""

    email: ShortText
    password: Password
    display_name: ShortText
    language: ShortText = "nl"


class LogIn(msgspec.Struct, forbid_unknown_fields=True):
    """Credentials."""

    email: ShortText
    password: Password


class Notice(msgspec.Struct):
    """A message for the user."""

    detail: str


class Me(msgspec.Struct):
    """The signed-in user's own profile (the phone number is shown only to its owner)."""

    id: UUID
    email: str
    display_name: str
    account_kind: str
    bio: str
    interests: list[str]
    language: str
    phone: str | None
    role: str
    region_name: str | None
    read_receipts: bool
    created_at: datetime
    last_active_at: datetime

    @classmethod
    def from_account(cls, account: Account) -> Me:
        """Build from the service's ``Account`` (same field names)."""
        return cls(**{name: getattr(account, name) for name in cls.__struct_fields__})


class ProfileUpdate(msgspec.Struct, forbid_unknown_fields=True):
    """Profile fields that need no password; omitted fields stay as they are."""

    display_name: ShortText | None = None
    account_kind: ShortText | None = None
    bio: Annotated[str, msgspec.Meta(max_length=2000)] | None = None
    interests: Annotated[list[ShortText], msgspec.Meta(max_length=50)] | None = None
    language: ShortText | None = None
    region: RegionChoice | None = None
    read_receipts: bool | None = None


class PasswordChange(msgspec.Struct, forbid_unknown_fields=True):
    """A new password, confirmed with the current one."""

    current_password: Password
    new_password: Password


class EmailChange(msgspec.Struct, forbid_unknown_fields=True):
    """A new log-in address, confirmed with the password."""

    current_password: Password
    email: ShortText


class PhoneChange(msgspec.Struct, forbid_unknown_fields=True):
    """A phone number (or null to remove it), confirmed with the password."""

    current_password: Password
    phone: ShortText | None

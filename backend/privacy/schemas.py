"""Request and response bodies of the privacy API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec

from backend.privacy.consents import WORDINGS, ConsentRecord
from backend.privacy.service import ExportView

Password = Annotated[str, msgspec.Meta(max_length=1024)]


class ConsentState(msgspec.Struct):
    """One choice now: given or not, to which wording and since when."""

    purpose: str
    current_wording_version: str
    given: bool
    wording_version: str | None = None
    given_at: datetime | None = None

    @classmethod
    def of(cls, purpose: str, record: ConsentRecord | None) -> ConsentState:
        """Build from the service's current record (None: not given)."""
        return cls(
            purpose=purpose,
            current_wording_version=WORDINGS[purpose].version,
            given=record is not None,
            wording_version=record.wording_version if record else None,
            given_at=record.given_at if record else None,
        )


class News(msgspec.Struct):
    """Regional news to send (the service checks the length)."""

    text: Annotated[str, msgspec.Meta(max_length=2_000)]


class NewsSent(msgspec.Struct):
    """How many people the news went to."""

    recipients: int


class ConsentChange(msgspec.Struct):
    """Give (true) or withdraw (false) one consent."""

    given: bool


class ConsentHistoryEntry(msgspec.Struct):
    """One consent as given, and when it was withdrawn."""

    purpose: str
    wording_version: str
    given_at: datetime
    withdrawn_at: datetime | None

    @classmethod
    def of(cls, record: ConsentRecord) -> ConsentHistoryEntry:
        """Build from a ``ConsentRecord``."""
        return cls(**record.__dict__)


class Export(msgspec.Struct):
    """A requested export: ``pending`` or ``building`` until ``ready``, then downloadable."""

    id: UUID
    state: str
    requested_at: datetime
    expires_at: datetime | None
    size_bytes: int
    download_url: str | None

    @classmethod
    def of(cls, view: ExportView) -> Export:
        """Build from the service's ``ExportView``."""
        return cls(
            id=view.id,
            state=view.state,
            requested_at=view.requested_at,
            expires_at=view.expires_at,
            size_bytes=view.size_bytes,
            download_url=view.download_url if view.state == "ready" else None,
        )


class AccountDeletion(msgspec.Struct):
    """Delete the account: the password again, and whether to keep the text of sent messages."""

    password: Password
    keep_message_text: bool = False

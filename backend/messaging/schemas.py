"""Request and response bodies of the messaging API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec

from backend.messaging.service import ConversationSummary, ConversationView, MessageView


def _fields(struct: type[msgspec.Struct], value: object) -> dict[str, object]:
    return {name: getattr(value, name) for name in struct.__struct_fields__}


class MessageIn(msgspec.Struct, forbid_unknown_fields=True):
    """A message; ``client_id`` is chosen by the client so that a resend is harmless."""

    client_id: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
    body: Annotated[str, msgspec.Meta(max_length=4000)] = ""
    kind: Literal["text", "thanks"] = "text"


class MessageOut(msgspec.Struct):
    """A stored message, with the safety concerns its text raises (for the safety card)."""

    id: UUID
    seq: int
    sender_id: UUID | None
    sender_name: str
    mine: bool
    kind: str
    body: str
    created_at: datetime
    concerns: list[str]

    @classmethod
    def from_view(cls, view: MessageView) -> MessageOut:
        """Build from the service's ``MessageView``."""
        return cls(**{**_fields(cls, view), "concerns": sorted(view.concerns)})


class ConversationOut(msgspec.Struct):
    """A conversation; ``partner_phone`` is set only when the partner shared it here."""

    id: UUID
    title: str
    listing_id: UUID
    partner_name: str
    partner_id: UUID
    partner_phone: str | None
    i_share_phone: bool
    safety_acknowledged: bool
    read_by_partner_seq: int | None
    ended: bool

    @classmethod
    def from_view(cls, view: ConversationView) -> ConversationOut:
        """Build from the service's ``ConversationView``."""
        return cls(**_fields(cls, view))


class ConversationLine(msgspec.Struct):
    """A line of the conversation list."""

    id: UUID
    title: str
    partner_name: str
    preview: str
    last_message_at: datetime | None
    unread: int
    ended: bool

    @classmethod
    def from_summary(cls, summary: ConversationSummary) -> ConversationLine:
        """Build from the service's ``ConversationSummary``."""
        return cls(**_fields(cls, summary))


class ReadIn(msgspec.Struct, forbid_unknown_fields=True):
    """Everything up to ``seq`` has been read."""

    seq: Annotated[int, msgspec.Meta(ge=0)]


class PhoneShareIn(msgspec.Struct, forbid_unknown_fields=True):
    """Share (true) or withdraw (false) your phone number in this conversation."""

    share: bool


class BlockIn(msgspec.Struct, forbid_unknown_fields=True):
    """The person to block."""

    user_id: UUID


class ReportIn(msgspec.Struct, forbid_unknown_fields=True):
    """A report of a person, a listing or one message."""

    reason: Annotated[str, msgspec.Meta(max_length=32)]
    text: Annotated[str, msgspec.Meta(max_length=4000)] = ""
    user_id: UUID | None = None
    message_id: UUID | None = None
    listing_id: UUID | None = None

"""A person's own data as a ZIP: ``data.json`` and the original-size variant of each photo.

Other people appear only as "other participant": no name, no id, none of their data.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from uuid import UUID

from piccolo.conf.apps import Finder

from backend.accounts.tables import User, UserSession
from backend.listings.tables import Listing
from backend.matching.tables import Interest, Match
from backend.media.storage import Storage
from backend.media.tables import Photo
from backend.messaging.tables import Message, Participation
from backend.notifications.tables import Notification
from backend.privacy.consents import history

OTHER_PARTICIPANT = "other participant"
YOU = "you"
ORIGINAL_VARIANT = "full"
# Notification details that could name someone else are left out of the export.
OTHER_PEOPLE_KEYS = ("name", "from", "sender", "helper", "user", "by")


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


async def _profile(user_id: UUID) -> dict[str, Any]:
    row = await User.select(User.all_columns(exclude=[User.id, User.password_hash])).where(
        User.id == user_id
    )
    return row[0]


async def _listings(user_id: UUID) -> list[dict[str, Any]]:
    return await Listing.select(
        Listing.all_columns(exclude=[Listing.owner_user, Listing.created_by])
    ).where((Listing.owner_user == user_id) | (Listing.created_by == user_id))


async def _conversation_ids(user_id: UUID) -> list[UUID]:
    """Conversations the person took part in: as helper, as the listing's owner, or by writing
    (a manager of an organisation's listing)."""
    matched = await Match.select(Match.conversation).where(
        (Match.helper == user_id) | (Match.listing.owner_user == user_id)
    )
    joined = await Participation.select(Participation.conversation).where(
        Participation.user == user_id
    )
    return list({row["conversation"] for row in [*matched, *joined]})


async def _matches(user_id: UUID) -> list[dict[str, Any]]:
    rows = await Match.select(
        Match.id, Match.listing, Match.conversation, Match.created_at, Match.helper
    ).where((Match.helper == user_id) | (Match.listing.owner_user == user_id))
    return [
        {
            "id": row["id"],
            "listing": row["listing"],
            "conversation": row["conversation"],
            "created_at": row["created_at"],
            "you_are": "helper" if row["helper"] == user_id else "listing owner",
        }
        for row in rows
    ]


async def _messages(user_id: UUID, conversations: list[UUID]) -> list[dict[str, Any]]:
    rows = (
        await Message.select(
            Message.conversation,
            Message.seq,
            Message.sender,
            Message.kind,
            Message.body,
            Message.created_at,
        )
        .where(Message.conversation.is_in(conversations or [None]))
        .order_by(Message.conversation)
        .order_by(Message.seq)
    )
    return [
        {
            "conversation": row["conversation"],
            "seq": row["seq"],
            "from": YOU if row["sender"] == user_id else OTHER_PARTICIPANT,
            "kind": row["kind"],
            "text": row["body"],
            "sent_at": row["created_at"],
        }
        for row in rows
    ]


async def _notifications(user_id: UUID) -> list[dict[str, Any]]:
    rows = (
        await Notification.select(
            Notification.kind, Notification.data, Notification.created_at, Notification.read_at
        )
        .where(Notification.user == user_id)
        .output(load_json=True)
    )
    for row in rows:
        details = row["data"] if isinstance(row["data"], dict) else {}
        row["data"] = {
            key: value
            for key, value in details.items()
            if not any(word in key for word in OTHER_PEOPLE_KEYS)
        }
    return rows


def _table(name: str) -> Any | None:
    """A table another domain may add (moderation's reads); None while it does not exist."""
    return next(
        (table for table in Finder().get_table_classes() if table._meta.tablename == name), None
    )


async def _moderator_reads(conversations: list[UUID]) -> list[dict[str, Any]]:
    reads = _table("handje_conversation_read")
    if reads is None:
        return []
    return await reads.select(reads.conversation, reads.created_at).where(
        reads.conversation.is_in(conversations or [None])
    )


async def _sessions(user_id: UUID) -> list[dict[str, Any]]:
    return await UserSession.select(
        UserSession.created_at, UserSession.last_seen_at, UserSession.user_agent
    ).where(UserSession.user == user_id)


async def export_rows(user_id: UUID) -> int:
    """Roughly how big an export is: its messages, listings and photos."""
    conversations = await _conversation_ids(user_id)
    return (
        await Message.count().where(Message.conversation.is_in(conversations or [None]))
        + await Listing.count().where(Listing.owner_user == user_id)
        + await Photo.count().where(Photo.owner == user_id)
    )


async def export_data(user_id: UUID) -> dict[str, Any]:
    """Everything Handje holds about the person, as JSON-ready data."""
    conversations = await _conversation_ids(user_id)
    interests = await Interest.select(
        Interest.id, Interest.listing, Interest.note, Interest.state, Interest.created_at
    ).where(Interest.user == user_id)
    photos = await Photo.select(
        Photo.id, Photo.purpose, Photo.listing, Photo.width, Photo.height, Photo.created_at
    ).where(Photo.owner == user_id)
    data = {
        "profile": await _profile(user_id),
        "listings": await _listings(user_id),
        "interests": interests,
        "matches": await _matches(user_id),
        "messages": await _messages(user_id, conversations),
        "notifications": await _notifications(user_id),
        "consents": [record.__dict__ for record in await history(user_id)],
        "moderator_reads_of_your_conversations": await _moderator_reads(conversations),
        "sessions": await _sessions(user_id),
        "photos": [{**photo, "file": f"photos/{photo['id']}.webp"} for photo in photos],
    }
    return _plain(data)


async def photo_files(user_id: UUID, storage: Storage) -> dict[str, bytes]:
    """The original-size variant of each of the person's photos, by file name in the ZIP."""
    rows = await Photo.select(Photo.id, Photo.key_prefix).where(Photo.owner == user_id)
    files = {}
    for row in rows:
        try:
            files[f"photos/{row['id']}.webp"] = await storage.read(
                f"{row['key_prefix']}/{ORIGINAL_VARIANT}.webp"
            )
        except KeyError:  # a variant lost in storage: the rest of the export still goes out
            continue
    return files


def zip_bytes(data: Mapping[str, Any], files: Mapping[str, bytes]) -> bytes:
    """The ZIP: ``data.json`` (indented, UTF-8) and the photo files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2))
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()

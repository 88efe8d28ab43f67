"""Erasing an account for good, by walking every table of every domain.

Rows that belong to the person go with the account (foreign keys with ``ON DELETE CASCADE``).
Rows other people still need are kept without the person:
- every conversation stays for the other side, the person's side shown as one shared "Deleted
  user" account, the text of what they wrote removed unless they chose to keep it, and ended;
  their listings that have a conversation stay emptied for it (see ``handover``);
- rows that only pointed at them (``ON DELETE SET NULL``: reports about them, moderation cases)
  stay for moderators, with their name, email and phone replaced by a pseudonym;
- the moderators' audit log, which holds plain ids, keeps its entries the same way: the ids
  cleared, the name and details replaced by the pseudonym (the database allows nothing else).
Their email address and phone number are then replaced wherever else they occur, in any text
column of any table, so tables that other domains add later are covered without changes here.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from piccolo.columns import JSON, JSONB, ForeignKey, OnDelete, Text, Varchar
from piccolo.columns.base import Column
from piccolo.columns.combination import WhereRaw
from piccolo.conf.apps import Finder
from piccolo.engine.postgres import PostgresEngine
from piccolo.table import Table

from backend.accounts.tables import User
from backend.db import write_transaction
from backend.listings.tables import Listing
from backend.matching.tables import Interest, Match
from backend.messaging.tables import Message
from backend.moderation.tables import AuditEntry
from backend.privacy.handover import (
    delete_listings,
    end_conversations,
    hand_over,
    managers_of,
    talked_about,
)
from backend.translatable import N_

DELETED_USER_EMAIL = "deleted-user@handje.invalid"
DELETED_USER_NAME = N_("Deleted user")
# Not a valid hash: no password matches it, so nobody can sign in as the deleted user.
UNUSABLE_HASH = "!"
TEXT_COLUMNS = (Varchar, Text, JSON, JSONB)


def pseudonym(user_id: UUID) -> str:
    """A stable stand-in for a deleted person: moderators can still see that two reports were
    about the same person, but not who it was."""
    return f"[deleted user {hashlib.sha256(user_id.bytes).hexdigest()[:8]}]"


async def deleted_user_id() -> UUID:
    """The shared account that stands in for deleted people in conversations (made once)."""
    existing = await User.select(User.id).where(User.email == DELETED_USER_EMAIL).first()
    if existing:
        return existing["id"]
    ghost = User(
        email=DELETED_USER_EMAIL,
        password_hash=UNUSABLE_HASH,
        display_name=DELETED_USER_NAME,
        role="deleted",
    )
    await ghost.save()
    return ghost.id


def _references_to_user() -> Iterator[tuple[type[Table], ForeignKey]]:
    for table in Finder().get_table_classes():
        for column in table._meta.foreign_key_columns:
            if column._foreign_key_meta.resolved_references is User:
                yield table, column


def _text_columns(table: type[Table]) -> list[Column]:
    return [column for column in table._meta.columns if isinstance(column, TEXT_COLUMNS)]


def _replace_all(value: Any, needles: Sequence[str], replacement: str) -> Any:
    if not isinstance(value, str):
        return value
    for needle in needles:
        value = _whole(needle).sub(replacement, value)
    return value


async def _scrub_linked_rows(
    table: type[Table], link: ForeignKey, user_id: UUID, needles: Sequence[str], replacement: str
) -> None:
    """Replace the person's details in the text of rows that point at them."""
    columns = _text_columns(table)
    if not columns:
        return
    primary_key = table._meta.primary_key
    rows = await table.select(primary_key, *columns).where(link == user_id)
    for row in rows:
        changes = {
            column: _replace_all(row[column._meta.name], needles, replacement) for column in columns
        }
        changes = {
            column: value for column, value in changes.items() if value != row[column._meta.name]
        }
        if changes:
            await table.update(changes).where(primary_key == row[primary_key._meta.name])


async def _pseudonymise_audit(user_id: UUID, needles: Sequence[str], replacement: str) -> None:
    """Audit entries by or about the person keep what happened, without who it was."""
    rows = await AuditEntry.select(
        AuditEntry.id, AuditEntry.actor_id, AuditEntry.user_id, AuditEntry.reason
    ).where((AuditEntry.actor_id == user_id) | (AuditEntry.user_id == user_id))
    for row in rows:
        changes: dict[Column, Any] = {
            AuditEntry.reason: _replace_all(row["reason"], needles, replacement)
        }
        if row["actor_id"] == user_id:
            changes |= {AuditEntry.actor_id: None, AuditEntry.actor_name: replacement}
        if row["user_id"] == user_id:
            changes[AuditEntry.user_id] = None
        await AuditEntry.update(changes).where(AuditEntry.id == row["id"])


def _as_text(column: Column, engine: Any) -> str:
    name = f'"{column._meta.db_column_name}"'
    if isinstance(engine, PostgresEngine) and isinstance(column, JSON | JSONB):
        return f"{name}::text"
    return name


def _whole(needle: str) -> re.Pattern[str]:
    # Only the whole address or number: "am@example.nl" must not eat into "sam@example.nl".
    return re.compile(rf"(?<![\w.+-]){re.escape(needle)}(?![\w-])")


async def _scrub_everywhere(needle: str, replacement: str) -> None:
    """Replace ``needle`` in every text column of every table; a row whose primary key holds
    it (a rate-limit counter of the address) is deleted instead."""
    whole = _whole(needle)
    for table in Finder().get_table_classes():
        primary_key = table._meta.primary_key
        for column in _text_columns(table):
            like = WhereRaw(f"{_as_text(column, table._meta.db)} LIKE {{}}", f"%{needle}%")
            rows = await table.select(primary_key, column).where(like)
            for row in rows:
                key, value = row[primary_key._meta.name], row[column._meta.name]
                if not whole.search(value):
                    continue
                if column is primary_key:
                    await table.delete().where(primary_key == key)
                else:
                    scrubbed = whole.sub(replacement, value)
                    await table.update({column: scrubbed}).where(primary_key == key)


async def _related_ids(user_id: UUID) -> set[str]:
    """The ids of the person and of what they took part in, as they appear in JSON details."""
    matches = await Match.select(Match.id, Match.conversation, Match.interest).where(
        (Match.helper == user_id) | (Match.listing.owner_user == user_id)
    )
    listings = await Listing.select(Listing.id).where(Listing.owner_user == user_id)
    interests = await Interest.select(Interest.id).where(Interest.user == user_id)
    ids = {user_id, *(row["id"] for row in [*listings, *interests])}
    for row in matches:
        ids |= {row["id"], row["conversation"], row["interest"]}
    return {str(value) for value in ids}


async def _scrub_name_in_details(name: str, related: set[str], replacement: str) -> None:
    """Replace the person's name as a value in JSON details about them (another person's
    notification "message from <name>"), recognised by one of their related ids."""
    quoted, stand_in = json.dumps(name), json.dumps(replacement)
    for table in Finder().get_table_classes():
        primary_key = table._meta.primary_key
        for column in table._meta.columns:
            if not isinstance(column, JSON | JSONB):
                continue
            like = WhereRaw(f"{_as_text(column, table._meta.db)} LIKE {{}}", f"%{quoted}%")
            for row in await table.select(primary_key, column).where(like):
                value = row[column._meta.name]
                if any(related_id in value for related_id in related):
                    await table.update({column: value.replace(quoted, stand_in)}).where(
                        primary_key == row[primary_key._meta.name]
                    )


async def erase_account(user_id: UUID, *, now: datetime, keep_message_text: bool = False) -> bool:
    """Delete the account and everything personal in it (photos must be gone already) at
    ``now``; False if there was no such account."""
    person = (
        await User.select(User.email, User.display_name, User.phone)
        .where(User.id == user_id)
        .first()
    )
    if person is None:
        return False
    distinctive = [value for value in (person["email"], person["phone"]) if value]
    replacement = pseudonym(user_id)
    ghost = await deleted_user_id()
    related = await _related_ids(user_id)
    async with write_transaction(User._meta.db):
        await _scrub_name_in_details(person["display_name"], related, replacement)
        own = await Listing.select(Listing.id).where(Listing.owner_user == user_id)
        # Their photos went with the person's; those not kept go below, with their conversations.
        kept = await talked_about([row["id"] for row in own], ghost)
        helped_listings = await Match.select(Match.listing).where(Match.helper == user_id)
        partners = await managers_of(row["listing"] for row in helped_listings)
        if not keep_message_text:
            await Message.update({Message.body: ""}).where(Message.sender == user_id)
        await Message.update({Message.sender: ghost}).where(Message.sender == user_id)
        helped = await Match.select(Match.interest).where(Match.helper == user_id)
        # The match needs its interest: both move to the stand-in, without the person's note.
        await Interest.update({Interest.user: ghost, Interest.note: ""}).where(
            Interest.id.is_in([row["interest"] for row in helped] or [None])
        )
        await Match.update({Match.helper: ghost}).where(Match.helper == user_id)
        partners |= await hand_over(kept, ghost, now)
        await end_conversations(ghost, partners - {user_id})
        needles = [*distinctive, person["display_name"]]
        for table, link in _references_to_user():
            if link._foreign_key_meta.on_delete != OnDelete.cascade:
                await _scrub_linked_rows(table, link, user_id, needles, replacement)
        await _pseudonymise_audit(user_id, needles, replacement)
        await delete_listings([row["id"] for row in own if row["id"] not in kept])
        await User.delete().where(User.id == user_id)
        for needle in distinctive:
            await _scrub_everywhere(needle, replacement)
    return True

"""Notification settings: kinds on or off, message previews, quiet hours, per-conversation mutes."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time
from functools import cache
from uuid import UUID
from zoneinfo import ZoneInfo, available_timezones

from backend.db import write_transaction
from backend.errors import Invalid
from backend.push.messages import KINDS
from backend.push.tables import ConversationMute, NotificationSettings

DEFAULT_TIME_ZONE = "Europe/Amsterdam"
_CLOCK = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class Preferences:
    """One user's notification settings (the defaults until they change something)."""

    disabled_kinds: frozenset[str] = frozenset()
    previews: bool = True
    quiet_start: str = ""
    quiet_end: str = ""
    time_zone: str = DEFAULT_TIME_ZONE

    def wants(self, kind: str) -> bool:
        """Whether pushes of ``kind`` are on."""
        return kind not in self.disabled_kinds

    def quiet_at(self, moment: datetime) -> bool:
        """Whether ``moment`` falls in the quiet hours, read on the user's own clock."""
        if not self.quiet_start or not self.quiet_end or self.quiet_start == self.quiet_end:
            return False
        local = moment.astimezone(ZoneInfo(self.time_zone)).time()
        start, end = _clock(self.quiet_start), _clock(self.quiet_end)
        if start < end:
            return start <= local < end
        return local >= start or local < end


def _clock(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def _row_to_preferences(row: dict) -> Preferences:
    return Preferences(
        disabled_kinds=frozenset(row["disabled_kinds"] or ()),
        previews=row["previews"],
        quiet_start=row["quiet_start"],
        quiet_end=row["quiet_end"],
        time_zone=row["time_zone"],
    )


async def preferences_of(user_ids: Iterable[UUID]) -> dict[UUID, Preferences]:
    """The preferences of several users at once (defaults for those who never chose)."""
    ids = list(set(user_ids))
    found: dict[UUID, Preferences] = {user_id: Preferences() for user_id in ids}
    if ids:
        rows = (
            await NotificationSettings.select(
                NotificationSettings.user,
                NotificationSettings.disabled_kinds,
                NotificationSettings.previews,
                NotificationSettings.quiet_start,
                NotificationSettings.quiet_end,
                NotificationSettings.time_zone,
            )
            .where(NotificationSettings.user.is_in(ids))
            .output(load_json=True)
        )
        found.update({row["user"]: _row_to_preferences(row) for row in rows})
    return found


async def preferences_for(user_id: UUID) -> Preferences:
    """One user's preferences."""
    return (await preferences_of([user_id]))[user_id]


def check_preferences(preferences: Preferences) -> None:
    """Raise ``Invalid`` for an unknown kind, a malformed time, or an unknown time zone."""
    unknown = preferences.disabled_kinds - KINDS.keys()
    if unknown:
        raise Invalid("Unknown notification type.", field="disabled_kinds")
    for name in ("quiet_start", "quiet_end"):
        value = getattr(preferences, name)
        if value and not _CLOCK.match(value):
            raise Invalid("Use a time like 22:00.", field=name)
    if bool(preferences.quiet_start) != bool(preferences.quiet_end):
        raise Invalid("Quiet hours need a start and an end.", field="quiet_end")
    if preferences.time_zone not in time_zones():
        raise Invalid("Unknown time zone.", field="time_zone")


@cache
def time_zones() -> frozenset[str]:
    """Every IANA time zone name this system knows."""
    return frozenset(available_timezones())


async def save_preferences(user_id: UUID, preferences: Preferences) -> Preferences:
    """Store the user's preferences after checking them."""
    check_preferences(preferences)
    values = {
        NotificationSettings.disabled_kinds: sorted(preferences.disabled_kinds),
        NotificationSettings.previews: preferences.previews,
        NotificationSettings.quiet_start: preferences.quiet_start,
        NotificationSettings.quiet_end: preferences.quiet_end,
        NotificationSettings.time_zone: preferences.time_zone,
    }
    async with write_transaction(NotificationSettings._meta.db):
        if await NotificationSettings.exists().where(NotificationSettings.user == user_id):
            await NotificationSettings.update(values).where(NotificationSettings.user == user_id)
        else:
            await NotificationSettings.insert(
                NotificationSettings(
                    user=user_id, **{column._meta.name: value for column, value in values.items()}
                )
            )
    return preferences


async def set_muted(user_id: UUID, conversation_id: UUID, muted: bool) -> bool:
    """Mute or unmute pushes for one conversation (the caller checked that the user is in it)."""
    async with write_transaction(ConversationMute._meta.db):
        await ConversationMute.delete().where(
            ConversationMute.user == user_id, ConversationMute.conversation == conversation_id
        )
        if muted:
            await ConversationMute.insert(
                ConversationMute(user=user_id, conversation=conversation_id)
            )
    return muted


async def muted_conversations(user_ids: Iterable[UUID]) -> set[tuple[UUID, UUID]]:
    """The (user, conversation) pairs that are muted, for several users at once."""
    ids = list(set(user_ids))
    if not ids:
        return set()
    rows = await ConversationMute.select(
        ConversationMute.user, ConversationMute.conversation
    ).where(ConversationMute.user.is_in(ids))
    return {(row["user"], row["conversation"]) for row in rows}

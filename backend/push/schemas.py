"""Request and response bodies of the push and notification centre API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec

from backend.push.preferences import Preferences
from backend.push.service import CentreItem
from backend.push.subscriptions import MAX_ENDPOINT_LENGTH, DeviceSubscription

Key = Annotated[str, msgspec.Meta(min_length=1, max_length=128)]
Endpoint = Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_ENDPOINT_LENGTH)]


class SubscriptionKeys(msgspec.Struct):
    """The two keys of ``PushSubscription.toJSON()``."""

    p256dh: Key
    auth: Key


class SubscriptionIn(msgspec.Struct):
    """A browser's ``PushSubscription.toJSON()`` (``expirationTime`` is ignored)."""

    endpoint: Endpoint
    keys: SubscriptionKeys

    def device(self) -> DeviceSubscription:
        """As the service takes it."""
        return DeviceSubscription(self.endpoint, self.keys.p256dh, self.keys.auth)


class SubscriptionRefresh(msgspec.Struct, forbid_unknown_fields=True):
    """``pushsubscriptionchange``: the old endpoint and the new subscription."""

    old_endpoint: Endpoint
    subscription: SubscriptionIn


class EndpointIn(msgspec.Struct, forbid_unknown_fields=True):
    """The device to forget."""

    endpoint: Endpoint


class PushInfo(msgspec.Struct):
    """What the client needs to subscribe: the VAPID public key (application server key)."""

    public_key: str
    devices: int


class PreferencesBody(msgspec.Struct, forbid_unknown_fields=True):
    """Notification settings; quiet hours are empty or two times like "22:00"."""

    disabled_kinds: list[Annotated[str, msgspec.Meta(max_length=40)]] = []
    previews: bool = True
    quiet_start: Annotated[str, msgspec.Meta(max_length=5)] = ""
    quiet_end: Annotated[str, msgspec.Meta(max_length=5)] = ""
    time_zone: Annotated[str, msgspec.Meta(max_length=64)] = "Europe/Amsterdam"

    def preferences(self) -> Preferences:
        """As the service takes it."""
        return Preferences(
            disabled_kinds=frozenset(self.disabled_kinds),
            previews=self.previews,
            quiet_start=self.quiet_start,
            quiet_end=self.quiet_end,
            time_zone=self.time_zone,
        )

    @classmethod
    def from_preferences(cls, preferences: Preferences) -> PreferencesBody:
        """The response for stored settings."""
        return cls(
            disabled_kinds=sorted(preferences.disabled_kinds),
            previews=preferences.previews,
            quiet_start=preferences.quiet_start,
            quiet_end=preferences.quiet_end,
            time_zone=preferences.time_zone,
        )


class MuteIn(msgspec.Struct, forbid_unknown_fields=True):
    """Mute or unmute one conversation."""

    muted: bool


class NotificationOut(msgspec.Struct):
    """One line of the notification centre."""

    id: UUID
    kind: str
    title: str
    body: str
    url: str
    created_at: datetime
    read: bool

    @classmethod
    def from_item(cls, item: CentreItem) -> NotificationOut:
        """The response for one centre item."""
        return cls(**{name: getattr(item, name) for name in cls.__struct_fields__})


class UnreadOut(msgspec.Struct):
    """How many notifications are unread."""

    unread: int


class ReadIn(msgspec.Struct, forbid_unknown_fields=True):
    """Mark these notifications read, or all of them when ``ids`` is absent."""

    ids: Annotated[list[UUID], msgspec.Meta(max_length=500)] | None = None

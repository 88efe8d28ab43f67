"""Push for the signed-in person: their devices, notification settings, mutes, and the
notification centre (the same events as the pushes, with unread state)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from backend.accounts.service import Account, SignedIn
from backend.messaging.service import Messaging
from backend.notifications import service as centre
from backend.push import preferences, subscriptions
from backend.push.messages import KINDS, Translate, render
from backend.push.preferences import Preferences
from backend.push.subscriptions import DeviceSubscription
from backend.push.tables import ConversationMute
from backend.settings import Settings


@dataclass(frozen=True)
class CentreItem:
    """One line in the notification centre."""

    id: UUID
    kind: str
    title: str
    body: str
    url: str
    created_at: datetime
    read: bool


@dataclass(frozen=True)
class ConversationMuteItem:
    """One conversation on the settings page, muted or not."""

    id: UUID
    partner_name: str
    title: str
    muted: bool


class Push:
    """What a person may see and change about their notifications."""

    def __init__(
        self,
        settings: Settings,
        public_key: str,
        messaging: Messaging,
        translate_for: Callable[[str], Translate],
    ) -> None:
        self._hosts = settings.push_hosts
        self.public_key = public_key
        self._messaging = messaging
        self._translate_for = translate_for

    async def subscribe(self, actor: SignedIn, device: DeviceSubscription) -> None:
        """Store this device's subscription for the actor, until this session ends."""
        await subscriptions.save_subscription(
            actor.account.id, device, self._hosts, actor.session_id
        )

    async def refresh(self, actor: SignedIn, old_endpoint: str, device: DeviceSubscription) -> None:
        """The browser renewed the subscription: replace the old endpoint with the new one."""
        await subscriptions.replace_subscription(
            actor.account.id, old_endpoint, device, self._hosts, actor.session_id
        )

    async def unsubscribe(self, actor: Account, endpoint: str) -> None:
        """This device signs out or turns notifications off."""
        await subscriptions.remove_subscription(actor.id, endpoint)

    async def device_count(self, actor: Account) -> int:
        """How many of the actor's devices receive pushes."""
        return await subscriptions.subscription_count(actor.id)

    async def preferences(self, actor: Account) -> Preferences:
        """The actor's notification settings."""
        return await preferences.preferences_for(actor.id)

    async def save_preferences(self, actor: Account, chosen: Preferences) -> Preferences:
        """Change the actor's notification settings."""
        return await preferences.save_preferences(actor.id, chosen)

    @staticmethod
    def kinds(t: Translate) -> list[tuple[str, str]]:
        """Every kind a person can turn on or off, with its label in their language."""
        return [(kind.name, t(kind.label)) for kind in KINDS.values()]

    async def set_muted(self, actor: Account, conversation_id: UUID, muted: bool) -> bool:
        """Mute or unmute one of the actor's conversations (404 for someone else's)."""
        await self._messaging.sides(actor, conversation_id)
        return await preferences.set_muted(actor.id, conversation_id, muted)

    async def is_muted(self, actor: Account, conversation_id: UUID) -> bool:
        """Whether the actor muted this conversation."""
        return await ConversationMute.exists().where(
            ConversationMute.user == actor.id, ConversationMute.conversation == conversation_id
        )

    async def mutes(self, actor: Account) -> list[ConversationMuteItem]:
        """The actor's conversations, newest first, each with whether it is muted."""
        muted = {
            conversation for _, conversation in await preferences.muted_conversations([actor.id])
        }
        return [
            ConversationMuteItem(
                id=summary.id,
                partner_name=summary.partner_name,
                title=summary.title,
                muted=summary.id in muted,
            )
            for summary in await self._messaging.conversations(actor)
        ]

    async def centre(self, actor: Account) -> list[CentreItem]:
        """The actor's notifications, newest first, in their language."""
        t = self._translate_for(actor.language)
        items = []
        for row in await centre.notifications_for(actor.id):
            text = render(row["kind"], row["data"], t)
            items.append(
                CentreItem(
                    id=row["id"],
                    kind=row["kind"],
                    title=text.title,
                    body=text.body,
                    url=text.url,
                    created_at=row["created_at"],
                    read=row["read_at"] is not None,
                )
            )
        return items

    async def unread_count(self, actor: Account, besides: UUID | None = None) -> int:
        """How many of the actor's notifications are unread (leaving out those that reading the
        conversation ``besides`` settles)."""
        return await centre.unread_count(actor.id, besides)

    async def mark_read(self, actor: Account, ids: Iterable[UUID] | None = None) -> int:
        """Mark some (or all) of the actor's notifications read."""
        return await centre.mark_read(actor.id, ids)

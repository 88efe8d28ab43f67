"""Push over HTTP: subscribe, refresh and unsubscribe a device, notification settings, mutes,
and the notification centre."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, get, post, put
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_204_NO_CONTENT

from backend.accounts.service import SignedIn
from backend.push.schemas import (
    EndpointIn,
    MuteIn,
    NotificationOut,
    PreferencesBody,
    PushInfo,
    ReadIn,
    SubscriptionIn,
    SubscriptionRefresh,
    UnreadOut,
)
from backend.push.service import Push
from backend.web.auth import current_session, require_sign_in

PUSH_REFRESH_PATTERN = "^/api/push/subscriptions/refresh$"
Session = NamedDependency[SignedIn]
Service = NamedDependency[Push]


class PushController(Controller):
    """The signed-in person's devices and notification settings."""

    path = "/api/push"
    tags = ["push"]
    guards = [require_sign_in]
    dependencies = {"session": Provide(current_session, sync_to_thread=False)}

    @get("")
    async def info(self, session: Session, push: Service) -> PushInfo:
        """The VAPID public key to subscribe with, and how many devices are subscribed."""
        return PushInfo(
            public_key=push.public_key, devices=await push.device_count(session.account)
        )

    @post("/subscriptions", status_code=HTTP_204_NO_CONTENT)
    async def subscribe(
        self, data: JSONBody[SubscriptionIn], session: Session, push: Service
    ) -> None:
        """Store this device's subscription (allowed push services only)."""
        await push.subscribe(session, data.device())

    @post("/subscriptions/refresh", status_code=HTTP_204_NO_CONTENT)
    async def refresh(
        self, data: JSONBody[SubscriptionRefresh], session: Session, push: Service
    ) -> None:
        """The browser changed the subscription (``pushsubscriptionchange``)."""
        await push.refresh(session, data.old_endpoint, data.subscription.device())

    @post("/subscriptions/remove", status_code=HTTP_204_NO_CONTENT)
    async def unsubscribe(
        self, data: JSONBody[EndpointIn], session: Session, push: Service
    ) -> None:
        """Forget this device (sign-out of the device, or notifications turned off)."""
        await push.unsubscribe(session.account, data.endpoint)

    @get("/settings")
    async def settings(self, session: Session, push: Service) -> PreferencesBody:
        """The notification settings."""
        return PreferencesBody.from_preferences(await push.preferences(session.account))

    @put("/settings")
    async def change_settings(
        self, data: JSONBody[PreferencesBody], session: Session, push: Service
    ) -> PreferencesBody:
        """Change the notification settings."""
        saved = await push.save_preferences(session.account, data.preferences())
        return PreferencesBody.from_preferences(saved)

    @put("/mutes/{conversation_id:uuid}")
    async def mute(
        self,
        conversation_id: FromPath[UUID],
        data: JSONBody[MuteIn],
        session: Session,
        push: Service,
    ) -> MuteIn:
        """Mute or unmute pushes for one of the person's conversations."""
        return MuteIn(muted=await push.set_muted(session.account, conversation_id, data.muted))


class NotificationCentreController(Controller):
    """The in-app notification centre: the same events as the pushes, with unread state."""

    path = "/api/notifications"
    tags = ["push"]
    guards = [require_sign_in]
    dependencies = {"session": Provide(current_session, sync_to_thread=False)}

    @get("")
    async def list_notifications(self, session: Session, push: Service) -> list[NotificationOut]:
        """Newest first."""
        return [NotificationOut.from_item(item) for item in await push.centre(session.account)]

    @get("/unread")
    async def unread(self, session: Session, push: Service) -> UnreadOut:
        """The unread count (for the bell and the app icon badge)."""
        return UnreadOut(unread=await push.unread_count(session.account))

    @post("/read")
    async def mark_read(self, data: JSONBody[ReadIn], session: Session, push: Service) -> UnreadOut:
        """Mark some or all read; answers the new unread count."""
        await push.mark_read(session.account, data.ids)
        return UnreadOut(unread=await push.unread_count(session.account))

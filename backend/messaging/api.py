"""Messaging over HTTP: conversations, messages, read state, phone on consent, blocks, reports."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, delete, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from backend.accounts.service import SignedIn
from backend.messaging.schemas import (
    BlockIn,
    ConversationLine,
    ConversationOut,
    MessageIn,
    MessageOut,
    PhoneShareIn,
    ReadIn,
    ReportIn,
)
from backend.messaging.service import Messaging
from backend.web.auth import current_session, require_sign_in

Session = NamedDependency[SignedIn]
Service = NamedDependency[Messaging]


class ConversationsController(Controller):
    """The conversations of the signed-in person."""

    path = "/api/conversations"
    tags = ["messaging"]
    guards = [require_sign_in]
    dependencies = {"session": Provide(current_session, sync_to_thread=False)}

    @get("")
    async def list_conversations(
        self, session: Session, messaging: Service
    ) -> list[ConversationLine]:
        """Latest activity first, with previews and unread counts."""
        summaries = await messaging.conversations(session.account)
        return [ConversationLine.from_summary(summary) for summary in summaries]

    @get("/{conversation_id:uuid}")
    async def detail(
        self, conversation_id: FromPath[UUID], session: Session, messaging: Service
    ) -> ConversationOut:
        """One conversation's header."""
        return ConversationOut.from_view(await messaging.view(session.account, conversation_id))

    @get("/{conversation_id:uuid}/messages")
    async def messages(
        self,
        conversation_id: FromPath[UUID],
        session: Session,
        messaging: Service,
        after: Annotated[int, QueryParameter(ge=0)] = 0,
    ) -> list[MessageOut]:
        """Messages after ``after`` (the last seq the client saw), in order."""
        views = await messaging.history(session.account, conversation_id, after_seq=after)
        return [MessageOut.from_view(view) for view in views]

    @post("/{conversation_id:uuid}/messages", status_code=HTTP_201_CREATED)
    async def send(
        self,
        conversation_id: FromPath[UUID],
        data: JSONBody[MessageIn],
        session: Session,
        messaging: Service,
    ) -> MessageOut:
        """Send a message or a thank-you note; resending the same client_id is harmless."""
        view = await messaging.send(
            session.account,
            conversation_id,
            client_id=data.client_id,
            body=data.body,
            kind=data.kind,
        )
        return MessageOut.from_view(view)

    @post("/{conversation_id:uuid}/read", status_code=HTTP_204_NO_CONTENT)
    async def read(
        self,
        conversation_id: FromPath[UUID],
        data: JSONBody[ReadIn],
        session: Session,
        messaging: Service,
    ) -> None:
        """Mark messages up to ``seq`` as read."""
        await messaging.mark_read(session.account, conversation_id, data.seq)

    @post("/{conversation_id:uuid}/safety-advice", status_code=HTTP_204_NO_CONTENT)
    async def acknowledge(
        self, conversation_id: FromPath[UUID], session: Session, messaging: Service
    ) -> None:
        """The "Call first, then meet" advice was read here (it is not shown again)."""
        await messaging.acknowledge_safety(session.account, conversation_id)

    @post("/{conversation_id:uuid}/phone", status_code=HTTP_204_NO_CONTENT)
    async def phone(
        self,
        conversation_id: FromPath[UUID],
        data: JSONBody[PhoneShareIn],
        session: Session,
        messaging: Service,
    ) -> None:
        """Share or withdraw your phone number in this conversation only."""
        await messaging.share_phone(session.account, conversation_id, data.share)


class SafetyController(Controller):
    """Blocks and reports."""

    path = "/api"
    tags = ["messaging"]
    guards = [require_sign_in]
    dependencies = {"session": Provide(current_session, sync_to_thread=False)}

    @post("/blocks", status_code=HTTP_204_NO_CONTENT)
    async def block(self, data: JSONBody[BlockIn], session: Session, messaging: Service) -> None:
        """Block someone you have a conversation with."""
        await messaging.block(session.account, data.user_id)

    @delete("/blocks/{user_id:uuid}", status_code=HTTP_204_NO_CONTENT)
    async def unblock(self, user_id: FromPath[UUID], session: Session, messaging: Service) -> None:
        """Unblock."""
        await messaging.unblock(session.account, user_id)

    @post("/reports", status_code=HTTP_201_CREATED)
    async def report(
        self, data: JSONBody[ReportIn], session: Session, messaging: Service
    ) -> dict[str, UUID]:
        """Report a person, a listing or a message to the moderators."""
        report_id = await messaging.report(
            session.account,
            reason=data.reason,
            text=data.text,
            user_id=data.user_id,
            message_id=data.message_id,
            listing_id=data.listing_id,
        )
        return {"id": report_id}

"""Building blocks for the moderation tests: staff accounts and a reported message."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from litestar import Litestar

from backend.accounts.service import Account
from backend.moderation.cases import QueueFilter
from tests.factories import make_account, make_conversation


async def make_staff(app: Litestar, role: str = "moderator", name: str = "Mo") -> Account:
    """A moderator (or admin) account."""
    account = await make_account(app, display_name=name)
    return await app.state.accounts.grant_role(account.email, role)


@dataclass(frozen=True)
class ReportedMessage:
    """A conversation in which ``reporter`` reported a message of ``sender``."""

    reporter: Account
    sender: Account
    conversation_id: UUID
    message_id: UUID
    case_id: UUID


async def reported_message(app: Litestar, body: str = "Stuur eerst 50 euro") -> ReportedMessage:
    """Henk reports Sam's message; the case it opened."""
    reporter, sender, conversation = await make_conversation(app)
    message = await app.state.messaging.send(sender, conversation, client_id="m1", body=body)
    await app.state.messaging.report(
        reporter, reason="fraud", text="Vraagt om geld", message_id=message.id
    )
    staff = await make_staff(app, name="Queue")
    lines = await app.state.moderation.queue(staff, QueueFilter())
    return ReportedMessage(reporter, sender, conversation, message.id, lines[0].id)

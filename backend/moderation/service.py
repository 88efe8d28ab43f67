"""The moderators' desk: the queue and cases, the actions (each with a reason, each undoable by
an admin), reading a conversation only through an open case, and the audit log.

Every function takes the acting account and checks its role: members reach none of this.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from backend.accounts.service import Account
from backend.accounts.tables import User
from backend.db import write_transaction
from backend.errors import Conflict, Forbidden, Invalid, NotFound
from backend.listings import lifecycle
from backend.listings.tables import Listing
from backend.messaging.service import inbox_channel
from backend.messaging.tables import Message
from backend.moderation import cases
from backend.moderation.audit import AuditLine, audit_lines, record_audit
from backend.moderation.standing import email_fingerprint, end_sessions
from backend.moderation.tables import (
    Action,
    BannedEmail,
    Case,
    ConversationRead,
    Restriction,
)
from backend.notifications.service import record_notifications

MODERATION_OUTCOME = "moderation_outcome"
ACTIONS = ("dismiss", "hide_listing", "remove_message", "warn", "suspend", "ban")
# Every action decides its case. Acting on the reported content also settles every other open
# case about that same message or listing (reports filed at the same moment can open two).
CONTENT_ACTIONS = {"hide_listing": "listing", "remove_message": "message"}
# A case settled by acting on its content can still take one of these about the person: a
# warning or suspension often follows a removed message.
FOLLOW_UPS = frozenset({"warn", "suspend", "ban"})
MAX_SUSPENSION_DAYS = 365
Publish = Callable[[dict[str, Any], list[str]], Awaitable[None]]
RemovePushSubscriptions = Callable[[UUID], Awaitable[Any]]


@dataclass(frozen=True)
class ActionLine:
    """An action taken in a case, as the desk lists it."""

    id: UUID
    kind: str
    actor_name: str
    reason: str
    created_at: datetime
    undone: bool


@dataclass(frozen=True)
class CaseDetail:
    """Everything the case page shows."""

    line: cases.CaseLine
    content: dict[str, Any]
    reports: list[cases.FiledReport]
    people: list[cases.PersonHistory]
    signals: list[dict[str, Any]]
    actions: list[ActionLine]
    conversation_id: UUID | None


@dataclass(frozen=True)
class ReadMessage:
    """A message as a moderator reads it through a case."""

    sender_name: str
    body: str
    kind: str
    created_at: datetime


def _now() -> datetime:
    return datetime.now(UTC)


def ensure_moderator(actor: Account) -> None:
    """Only moderators and admins reach the desk."""
    if not actor.is_moderator:
        raise Forbidden("Only moderators can see this.")


def ensure_admin(actor: Account) -> None:
    """Undoing actions and reading the audit log are for admins."""
    if actor.role != "admin":
        raise Forbidden("Only admins can do this.")


def can_follow_up(state: str, outcome: str, kind: str) -> bool:
    """Whether ``kind`` may still be taken in a case that acting on its content settled."""
    return state == cases.CLOSED and outcome in CONTENT_ACTIONS and kind in FOLLOW_UPS


def _clean_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise Invalid("Write down the reason for this action.", field="reason")
    if len(reason) > 1_000:
        raise Invalid("Keep the reason under 1000 characters.", field="reason")
    return reason


class Moderation:
    """The moderation service, used by the desk pages and the daily checks."""

    def __init__(
        self, publish: Publish, remove_push_subscriptions: RemovePushSubscriptions | None
    ) -> None:
        self._publish = publish
        self._remove_push_subscriptions = remove_push_subscriptions

    # The queue and the case page

    async def queue(self, actor: Account, filters: cases.QueueFilter) -> list[cases.CaseLine]:
        """The cases a moderator works through, the worst and longest waiting first."""
        ensure_moderator(actor)
        return await cases.queue(filters)

    async def case(self, actor: Account, case_id: UUID) -> CaseDetail:
        """One case with its content, reports, people, signals and actions."""
        ensure_moderator(actor)
        row = await cases.case_row(case_id)
        reports = await cases.reports_in(case_id)
        involved = [row["user"], *(report.reporter_id for report in reports)]
        people = [
            await cases.person_history(user_id, case_id)
            for user_id in dict.fromkeys(involved)
            if user_id is not None
        ]
        return CaseDetail(
            line=cases.line_from_row(row),
            content=await self._content(row),
            reports=reports,
            people=people,
            signals=row["signals"],
            actions=await self._actions_in(case_id, row["user"]),
            conversation_id=row["conversation"],
        )

    async def _content(self, row: dict[str, Any]) -> dict[str, Any]:
        if row["message"]:
            return await cases.reported_message(row["message"]) or {}
        if row["listing"]:
            listing = (
                await Listing.select(Listing.title, Listing.description, Listing.status)
                .where(Listing.id == row["listing"])
                .first()
            )
            return listing or {}
        if row["user"]:
            profile = (
                await User.select(User.display_name, User.bio, User.email)
                .where(User.id == row["user"])
                .first()
            )
            return profile or {}
        return {}

    async def _actions_in(self, case_id: UUID, user_id: UUID | None) -> list[ActionLine]:
        """The actions taken in the case, and those that settled it with another case (they
        name it in their detail; such cases are about the same person).
        """
        about = Action.case == case_id
        if user_id is not None:
            about |= Action.user == user_id
        rows = await (
            Action.select(
                Action.id,
                Action.case,
                Action.kind,
                Action.actor.display_name.as_alias("actor_name"),
                Action.reason,
                Action.detail,
                Action.created_at,
                Action.undone_at,
            )
            .where(about)
            .order_by(Action.created_at)
            .output(load_json=True)
        )
        return [
            ActionLine(
                row["id"],
                row["kind"],
                row["actor_name"] or "",
                row["reason"],
                row["created_at"],
                row["undone_at"] is not None,
            )
            for row in rows
            if row["case"] == case_id or str(case_id) in row["detail"].get("cases", [])
        ]

    # Reading a conversation, only with cause

    async def read_conversation(self, actor: Account, case_id: UUID) -> list[ReadMessage]:
        """The conversation an open case involves; the read is recorded and audited."""
        ensure_moderator(actor)
        row = await cases.case_row(case_id)
        if row["state"] != cases.OPEN or row["conversation"] is None:
            raise Forbidden("A conversation can only be read through an open case about it.")
        await ConversationRead.insert(
            ConversationRead(moderator=actor.id, case=case_id, conversation=row["conversation"])
        )
        await record_audit(
            actor, "read_conversation", case_id=case_id, user_id=row["user"], reason=""
        )
        rows = await (
            Message.select(
                Message.sender.display_name.as_alias("sender_name"),
                Message.body,
                Message.kind,
                Message.created_at,
            )
            .where(Message.conversation == row["conversation"])
            .order_by(Message.seq)
        )
        return [
            ReadMessage(r["sender_name"] or "", r["body"], r["kind"], r["created_at"]) for r in rows
        ]

    # Actions

    async def act(
        self, actor: Account | None, case_id: UUID, kind: str, reason: str, *, days: int = 0
    ) -> UUID:
        """Take action ``kind`` in an open case, or a follow-up about the person in a case
        settled by acting on its content (``actor`` None: an automatic ban)."""
        if actor is not None:
            ensure_moderator(actor)
        if kind not in ACTIONS:
            raise Invalid("That action does not exist.", field="action")
        reason = _clean_reason(reason)
        if kind == "suspend" and not 1 <= days <= MAX_SUSPENSION_DAYS:
            raise Invalid("Suspend for 1 to 365 days.", field="days")
        row = await cases.case_row(case_id)
        follow_up = can_follow_up(row["state"], row["outcome"], kind)
        if row["state"] != cases.OPEN and not follow_up:
            raise Conflict("This case is already closed.")
        if actor is not None and row["user"] == actor.id:
            raise Forbidden("Another moderator has to decide about a case that concerns you.")
        user_id = row["user"]
        async with write_transaction(Case._meta.db):
            action = Action(
                case=case_id,
                kind=kind,
                actor=actor.id if actor else None,
                user=user_id,
                reason=reason,
            )
            await action.save()
            detail = await self._apply(kind, row, action.id, reason, days)
            others = await self._other_cases_about(kind, row)
            if others:
                detail["cases"] = [str(other) for other in others]
            if follow_up:  # the reporters were told already; the case's outcome is now this
                detail["after"] = row["outcome"]
                await Case.update({Case.outcome: kind}).where(Case.id == case_id)
                await self._close(others, kind)
            else:
                await self._close([case_id, *others], kind)
            await Action.update({Action.detail: json.dumps(detail)}).where(Action.id == action.id)
            await record_audit(actor, kind, case_id=case_id, user_id=user_id, reason=reason)
        if kind in {"suspend", "ban"} and user_id:
            await self._publish({"type": "signed_out"}, [inbox_channel(user_id)])
        return action.id

    async def _apply(
        self, kind: str, row: dict[str, Any], action_id: UUID, reason: str, days: int
    ) -> dict[str, Any]:
        user_id = row["user"]
        if kind == "hide_listing":
            return await self._hide_listing(row["listing"])
        if kind == "remove_message":
            return await self._remove_message(row["message"])
        if user_id is None and kind != "dismiss":
            raise Conflict("The person in this case no longer has an account.")
        if kind == "warn":
            await record_notifications(
                [user_id], MODERATION_OUTCOME, {"outcome": "warned", "reason": reason}
            )
        elif kind == "suspend":
            until = _now() + timedelta(days=days)
            await Restriction.insert(
                Restriction(
                    user=user_id, kind="suspend", reason=reason, until=until, action=action_id
                )
            )
            await end_sessions(user_id)
            await record_notifications(
                [user_id],
                MODERATION_OUTCOME,
                {"outcome": "suspended", "reason": reason, "until": until.isoformat()},
            )
            return {"until": until.isoformat()}
        elif kind == "ban":
            return await self._ban(user_id, action_id, reason)
        return {}

    async def _hide_listing(self, listing_id: UUID | None) -> dict[str, Any]:
        row = await Listing.select(Listing.status).where(Listing.id == listing_id).first()
        if row is None:
            raise Conflict("This case is not about a listing.")
        await Listing.update({Listing.status: lifecycle.HIDDEN}).where(Listing.id == listing_id)
        return {"listings": {str(listing_id): row["status"]}}

    async def _remove_message(self, message_id: UUID | None) -> dict[str, Any]:
        row = (
            await Message.select(Message.body, Message.kind).where(Message.id == message_id).first()
        )
        if row is None:
            raise Conflict("This case is not about a message.")
        await Message.update({Message.body: "", Message.kind: "removed"}).where(
            Message.id == message_id
        )
        return {"message": str(message_id), "body": row["body"], "kind": row["kind"]}

    async def _ban(self, user_id: UUID, action_id: UUID, reason: str) -> dict[str, Any]:
        await Restriction.insert(
            Restriction(user=user_id, kind="ban", reason=reason, until=None, action=action_id)
        )
        await end_sessions(user_id)
        listings = await Listing.select(Listing.id, Listing.status).where(
            Listing.owner_user == user_id, Listing.status != lifecycle.HIDDEN
        )
        await Listing.update({Listing.status: lifecycle.HIDDEN}).where(
            Listing.owner_user == user_id
        )
        email = await User.select(User.email).where(User.id == user_id).first()
        fingerprint = email_fingerprint(email["email"])
        if not await BannedEmail.exists().where(BannedEmail.email_hash == fingerprint):
            await BannedEmail.insert(BannedEmail(email_hash=fingerprint, action=action_id))
        if self._remove_push_subscriptions is not None:
            await self._remove_push_subscriptions(user_id)
        return {
            "listings": {str(row["id"]): row["status"] for row in listings},
            "email_hash": fingerprint,
        }

    async def _other_cases_about(self, kind: str, row: dict[str, Any]) -> list[UUID]:
        """The other open cases that ``kind`` settles too: those about the content it acts on,
        and for a ban every case about the person (their listings are hidden, their account
        closed).
        """
        subject = CONTENT_ACTIONS.get(kind)
        if subject is not None:
            same = (Case.message if subject == "message" else Case.listing) == row[subject]
        elif kind == "ban" and row["user"] is not None:
            same = Case.user == row["user"]
        else:
            return []
        return (
            await Case.select(Case.id)
            .where(same, Case.state == cases.OPEN, Case.id != row["id"])
            .output(as_list=True)
        )

    async def _close(self, case_ids: list[UUID], outcome: str) -> None:
        if not case_ids:
            return
        await Case.update(
            {Case.state: cases.CLOSED, Case.outcome: outcome, Case.closed_at: _now()}
        ).where(Case.id.is_in(case_ids))
        for case_id in case_ids:
            await record_notifications(
                await cases.reporters_of(case_id),
                MODERATION_OUTCOME,
                {"outcome": "report_handled", "case_id": str(case_id)},
            )

    # Undo and the audit log (admins)

    async def undo(self, actor: Account, action_id: UUID, reason: str) -> None:
        """Reverse an action's effects (a sent warning is withdrawn) and record why."""
        ensure_admin(actor)
        reason = _clean_reason(reason)
        row = (
            await Action.select(
                Action.kind, Action.case, Action.user, Action.detail, Action.undone_at
            )
            .where(Action.id == action_id)
            .output(load_json=True)
            .first()
        )
        if row is None:
            raise NotFound("Not found.")
        if row["undone_at"] is not None:
            raise Conflict("This action was already undone.")
        async with write_transaction(Action._meta.db):
            await self._reverse(row, action_id)
            await Action.update({Action.undone_at: _now()}).where(Action.id == action_id)
            await record_audit(
                actor,
                f"undo_{row['kind']}",
                case_id=row["case"],
                user_id=row["user"],
                reason=reason,
            )
            if row["user"] and row["kind"] in {"warn", "suspend", "ban"}:
                await record_notifications(
                    [row["user"]], MODERATION_OUTCOME, {"outcome": "withdrawn", "reason": reason}
                )

    async def _reverse(self, row: dict[str, Any], action_id: UUID) -> None:
        detail = row["detail"]
        for listing_id, status in detail.get("listings", {}).items():
            await Listing.update({Listing.status: status}).where(Listing.id == UUID(listing_id))
        if "message" in detail:
            await Message.update(
                {Message.body: detail["body"], Message.kind: detail["kind"]}
            ).where(Message.id == UUID(detail["message"]))
        if row["kind"] in {"suspend", "ban"}:
            await Restriction.update({Restriction.lifted_at: _now()}).where(
                Restriction.action == action_id
            )
        if "email_hash" in detail:
            await BannedEmail.delete().where(BannedEmail.email_hash == detail["email_hash"])
        reopened = [UUID(case_id) for case_id in detail.get("cases", [])]
        if "after" in detail and row["case"]:  # a follow-up: the content action still decides
            await Case.update({Case.outcome: detail["after"]}).where(
                Case.id == row["case"], Case.state == cases.CLOSED
            )
        elif row["case"]:
            reopened.append(row["case"])
        if reopened:
            await Case.update(
                {Case.state: cases.OPEN, Case.outcome: "", Case.closed_at: None}
            ).where(Case.id.is_in(reopened))

    async def audit_log(self, actor: Account) -> list[AuditLine]:
        """The latest audit entries (admins only)."""
        ensure_admin(actor)
        return await audit_lines()

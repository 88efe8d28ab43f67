"""Cases: reports of one subject gathered in one open case, flags from the daily checks, the
queue (worst and oldest first) and what a case shows about the people involved.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from piccolo.query.functions.aggregate import Count

from backend.accounts.tables import User
from backend.errors import NotFound
from backend.listings.tables import Listing
from backend.matching.tables import Match
from backend.messaging.tables import Message, Report
from backend.moderation.standing import RestrictionNotice, active_restriction
from backend.moderation.tables import Case, CaseReport

REASON_SEVERITY = {"unsafe": 4, "fraud": 3, "inappropriate": 2, "spam": 1, "other": 1}
MAX_SEVERITY = 5
OPEN = "open"
CLOSED = "closed"


@dataclass(frozen=True)
class Signal:
    """What one daily-check rule found about one person: the rule, its score, a short detail."""

    rule: str
    score: int
    detail: str


@dataclass(frozen=True)
class QueueFilter:
    """Which cases the queue shows; None means any."""

    state: str = OPEN
    source: str | None = None
    subject: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class CaseLine:
    """A case in the queue."""

    id: UUID
    source: str
    subject: str
    reason: str
    severity: int
    state: str
    outcome: str
    user_id: UUID | None
    user_name: str
    created_at: datetime


@dataclass(frozen=True)
class FiledReport:
    """One report in a case: who, why and their own words."""

    reporter_id: UUID | None
    reporter_name: str
    reason: str
    text: str
    created_at: datetime


@dataclass(frozen=True)
class PersonHistory:
    """What a moderator needs to know about someone involved in a case."""

    id: UUID
    name: str
    role: str
    created_at: datetime
    earlier_cases: int
    listings: int
    conversations: int
    restriction: RestrictionNotice | None


def severity_for_score(score: int) -> int:
    """Flags: a higher total score of the signals means a higher severity."""
    return 3 if score >= 60 else 2 if score >= 30 else 1


def line_from_row(row: dict[str, Any]) -> CaseLine:
    """A queue line from a row selected with the case's line columns."""
    return CaseLine(
        id=row["id"],
        source=row["source"],
        subject=row["subject"],
        reason=row["reason"],
        severity=row["severity"],
        state=row["state"],
        outcome=row["outcome"],
        user_id=row["user"],
        user_name=row["user_name"] or "",
        created_at=row["created_at"],
    )


_LINE_COLUMNS = (
    Case.id,
    Case.source,
    Case.subject,
    Case.reason,
    Case.severity,
    Case.state,
    Case.outcome,
    Case.user,
    Case.user.display_name.as_alias("user_name"),
    Case.created_at,
)


async def _shared_conversation(first: UUID | None, second: UUID | None) -> UUID | None:
    """A conversation between two people (a profile reported from a conversation)."""
    if first is None or second is None:
        return None
    row = (
        await Match.select(Match.conversation)
        .where(
            ((Match.helper == first) & (Match.listing.owner_user == second))
            | ((Match.helper == second) & (Match.listing.owner_user == first))
        )
        .first()
    )
    return row["conversation"] if row else None


async def file_report(report_id: UUID) -> UUID:
    """Put a stored report in the open case of its subject, or open one; return the case id."""
    report = (
        await Report.select(
            Report.reporter,
            Report.reported_user,
            Report.message,
            Report.listing,
            Report.reason,
            Report.message.conversation.as_alias("conversation"),
        )
        .where(Report.id == report_id)
        .first()
    )
    if report is None:
        raise NotFound("Not found.")
    if report["message"]:
        subject, same = "message", Case.message == report["message"]
        conversation = report["conversation"]
    elif report["listing"]:
        subject, same = "listing", Case.listing == report["listing"]
        conversation = None
    else:
        subject = "profile"
        same = (Case.subject == "profile") & (Case.user == report["reported_user"])
        conversation = await _shared_conversation(report["reporter"], report["reported_user"])
    severity = REASON_SEVERITY.get(report["reason"], 1)
    existing = (
        await Case.select(Case.id, Case.severity)
        .where(same, Case.state == OPEN, Case.source == "report")
        .first()
    )
    if existing:
        case_id = existing["id"]
        raised = min(MAX_SEVERITY, max(existing["severity"] + 1, severity))
        await Case.update({Case.severity: raised}).where(Case.id == case_id)
    else:
        case = Case(
            source="report",
            subject=subject,
            user=report["reported_user"],
            listing=report["listing"],
            message=report["message"],
            conversation=conversation,
            reason=report["reason"],
            severity=severity,
        )
        await case.save()
        case_id = case.id
    await CaseReport.insert(CaseReport(case=case_id, report=report_id))
    return case_id


async def open_flag(user_id: UUID, signals: list[Signal]) -> UUID:
    """Flag a person from the daily checks, adding to their open flag case if there is one."""
    found = [{"rule": s.rule, "score": s.score, "detail": s.detail} for s in signals]
    existing = (
        await Case.select(Case.id, Case.signals)
        .where(Case.user == user_id, Case.source == "flag", Case.state == OPEN)
        .output(load_json=True)
        .first()
    )
    if existing:
        known = {entry["rule"] for entry in existing["signals"]}
        merged = existing["signals"] + [entry for entry in found if entry["rule"] not in known]
        total = sum(entry["score"] for entry in merged)
        await Case.update(
            {Case.signals: json.dumps(merged), Case.severity: severity_for_score(total)}
        ).where(Case.id == existing["id"])
        return existing["id"]
    total = sum(signal.score for signal in signals)
    case = Case(
        source="flag",
        subject="profile",
        user=user_id,
        reason=signals[0].rule,
        severity=severity_for_score(total),
        signals=json.dumps(found),
    )
    await case.save()
    return case.id


async def queue(filters: QueueFilter, limit: int = 200) -> list[CaseLine]:
    """Cases matching ``filters``: the most severe first, then the longest waiting."""
    query = Case.select(*_LINE_COLUMNS).where(Case.state == filters.state)
    if filters.source:
        query = query.where(Case.source == filters.source)
    if filters.subject:
        query = query.where(Case.subject == filters.subject)
    if filters.reason:
        query = query.where(Case.reason == filters.reason)
    ascending = filters.state == OPEN
    rows = (
        await query.order_by(Case.severity, ascending=False)
        .order_by(Case.created_at, ascending=ascending)
        .limit(limit)
    )
    return [line_from_row(row) for row in rows]


async def case_row(case_id: UUID) -> dict[str, Any]:
    """The stored case (signals decoded); ``NotFound`` if there is none."""
    row = (
        await Case.select(
            *_LINE_COLUMNS, Case.listing, Case.message, Case.conversation, Case.signals
        )
        .where(Case.id == case_id)
        .output(load_json=True)
        .first()
    )
    if row is None:
        raise NotFound("Not found.")
    return row


async def reports_in(case_id: UUID) -> list[FiledReport]:
    """The reports gathered in a case, oldest first."""
    rows = (
        await CaseReport.select(
            CaseReport.report.reporter.as_alias("reporter"),
            CaseReport.report.reporter.display_name.as_alias("reporter_name"),
            CaseReport.report.reason.as_alias("reason"),
            CaseReport.report.text.as_alias("text"),
            CaseReport.report.created_at.as_alias("created_at"),
        )
        .where(CaseReport.case == case_id)
        .order_by(CaseReport.report.created_at)
    )
    return [
        FiledReport(
            row["reporter"],
            row["reporter_name"] or "",
            row["reason"],
            row["text"],
            row["created_at"],
        )
        for row in rows
    ]


async def reporters_of(case_id: UUID) -> list[UUID]:
    """Who reported what a case is about (they hear how it was handled)."""
    return [report.reporter_id for report in await reports_in(case_id) if report.reporter_id]


async def person_history(user_id: UUID, case_id: UUID) -> PersonHistory:
    """Account age, earlier cases, listings and conversations of someone in a case."""
    user = (
        await User.select(User.display_name, User.role, User.created_at)
        .where(User.id == user_id)
        .first()
    )
    if user is None:
        raise NotFound("Not found.")
    earlier = await Case.count().where(Case.user == user_id, Case.id != case_id)
    listings = await Listing.count().where(Listing.owner_user == user_id)
    conversations = await Match.select(Count(Match.id, alias="count")).where(
        (Match.helper == user_id) | (Match.listing.owner_user == user_id)
    )
    return PersonHistory(
        id=user_id,
        name=user["display_name"],
        role=user["role"],
        created_at=user["created_at"],
        earlier_cases=earlier,
        listings=listings,
        conversations=conversations[0]["count"] if conversations else 0,
        restriction=await active_restriction(user_id),
    )


async def reported_message(message_id: UUID) -> dict[str, Any] | None:
    """The reported message itself (shown without opening the whole conversation)."""
    return (
        await Message.select(
            Message.body,
            Message.kind,
            Message.created_at,
            Message.sender.display_name.as_alias("sender"),
        )
        .where(Message.id == message_id)
        .first()
    )

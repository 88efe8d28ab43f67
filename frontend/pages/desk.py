"""The moderators' desk (moderators and admins only, laid out for a tablet): the queue, a case
with its content, people and signals, the actions, and the admins' audit log.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from reactpy import component, event, html, use_async_effect, use_ref, use_scope, use_state
from reactpy.types import VdomDict
from reactpy_router import link, use_params

from backend.errors import DomainError
from backend.moderation.cases import QueueFilter
from backend.moderation.service import CaseDetail, Moderation, can_follow_up
from backend.translatable import N_
from frontend.components.chat import REPORT_REASONS
from frontend.components.events import on_event
from frontend.components.forms import field, notice, value_of
from frontend.components.layout import member_page
from frontend.context import PageContext, use_page
from frontend.formatting import day
from frontend.i18n import Translate
from frontend.routes import DESK, DESK_AUDIT

SUBJECT_LABELS = {"message": N_("Message"), "listing": N_("Listing"), "profile": N_("Profile")}
SOURCE_LABELS = {"report": N_("Report"), "flag": N_("Daily checks")}
REASON_LABELS = dict(REPORT_REASONS)
STATE_LABELS = {"open": N_("Open"), "closed": N_("Closed")}
ACTION_LABELS = {
    "dismiss": N_("Dismiss"),
    "hide_listing": N_("Hide the listing"),
    "remove_message": N_("Remove the message"),
    "warn": N_("Warn"),
    "suspend": N_("Suspend"),
    "ban": N_("Ban"),
}
ONLY_MODERATORS = N_("Only moderators can see this.")


def _audited(action: str, t: Translate) -> str:
    """An audit entry's action in words: a desk action, its undoing, or a conversation read."""
    if action == "read_conversation":
        return t("Read the conversation")
    kind = action.removeprefix("undo_")
    label = t(ACTION_LABELS.get(kind, kind))
    return f"{t('Undo')}: {label}" if kind != action else label


def use_moderation() -> Moderation:
    """The moderation service of this app."""
    return use_scope()["app"].state.moderation


def _age(created_at: datetime, t: Translate) -> str:
    hours = int((datetime.now(UTC) - created_at).total_seconds() // 3600)
    if hours < 24:
        return t("{count} h ago").format(count=hours)
    return t("{count} days ago").format(count=hours // 24)


def _not_for_members(t: Translate, why: str = ONLY_MODERATORS) -> VdomDict:
    return member_page(t("Page not found"), notice("error", t(why)))


def _select(
    name: str, label: str, value: str, options: dict[str, str], choose: Any, t: Any
) -> VdomDict:
    """A filter; every filter but the state can also show all."""
    any_value = [] if name == "state" else [html.option({"value": ""}, t("All"))]
    return field(
        name,
        label,
        html.select(
            {"value": value, "onChange": lambda change: choose(value_of(change))},
            *any_value,
            *[html.option({"value": key, "key": key}, t(text)) for key, text in options.items()],
        ),
    )


@component
def desk_page() -> VdomDict:
    """Open cases, the most severe and longest waiting first, with filters."""
    page = use_page()
    t = page.t
    moderation = use_moderation()
    lines, set_lines = use_state(None)
    forbidden, set_forbidden = use_state(False)
    state, set_state = use_state("open")
    source, set_source = use_state("")
    subject, set_subject = use_state("")
    reason, set_reason = use_state("")

    async def load() -> None:
        filters = QueueFilter(state, source or None, subject or None, reason or None)
        try:
            set_lines(await moderation.queue(await page.current_account(), filters))
        except DomainError:
            set_forbidden(True)

    use_async_effect(load, [state, source, subject, reason])
    if forbidden:
        return _not_for_members(t)
    filters = html.form(
        {"className": "desk-filters", "aria-label": t("Filters")},
        _select("state", t("State"), state, STATE_LABELS, set_state, t),
        _select("source", t("Source"), source, SOURCE_LABELS, set_source, t),
        _select("subject", t("About"), subject, SUBJECT_LABELS, set_subject, t),
        _select("reason", t("Reason"), reason, REASON_LABELS, set_reason, t),
    )
    admin_link = (
        link({"to": DESK_AUDIT, "className": "btn btn-link"}, t("Audit log"))
        if page.signed_in.account.role == "admin"
        else ""
    )
    if lines is None:
        body: Any = html.p({"aria-busy": "true"}, t("Loading…"))
    elif not lines:
        body = html.p({"className": "muted"}, t("No cases here. Well done!"))
    else:
        body = html.ul(
            {"className": "case-list", "aria-label": t("Cases")},
            *[_case_line(line, t) for line in lines],
        )
    return member_page(t("Moderation"), admin_link, filters, body)


def _case_line(line: Any, t: Translate) -> VdomDict:
    source = t(SOURCE_LABELS.get(line.source, line.source))
    about = t(SUBJECT_LABELS.get(line.subject, line.subject))
    reason = t(REASON_LABELS.get(line.reason, line.reason))
    return html.li(
        {"key": str(line.id), "className": f"case-line severity-{line.severity}"},
        link(
            {"to": f"/desk/cases/{line.id}", "className": "case-link"},
            html.span(
                {"className": "case-severity"}, t("Severity {level}").format(level=line.severity)
            ),
            html.strong(f"{about}: {line.user_name or t('unknown')}"),
            html.span(f"{reason} · {source} · {_age(line.created_at, t)}"),
        ),
    )


@component
def case_page() -> VdomDict:
    """One case: what was reported, by whom, the people's history, the signals, the actions."""
    page = use_page()
    t = page.t
    moderation = use_moderation()
    case_id = use_params()["case_id"]
    detail, set_detail = use_state(None)
    problem, set_problem = use_state("")
    forbidden, set_forbidden = use_state(False)

    async def load() -> None:
        try:
            set_detail(await moderation.case(await page.current_account(), case_id))
        except DomainError as error:
            if error.status_code == 403:
                set_forbidden(True)
            set_problem(t(error.message))

    use_async_effect(load, [case_id])
    back = link({"to": DESK, "className": "btn btn-link"}, t("← All cases"))
    if forbidden:
        return _not_for_members(t)
    if detail is None:
        return member_page(
            t("Case"),
            back,
            notice("error", problem) or html.p({"aria-busy": "true"}, t("Loading…")),
        )
    return member_page(
        t("Case"),
        back,
        html.div(
            {"className": "case-layout"},
            html.div(
                {"className": "case-main"},
                _content(detail, page),
                _reports(detail, page),
                _signals(detail, t),
                conversation_reader(detail, key=f"read-{case_id}"),
            ),
            html.div(
                {"className": "case-side"},
                _people(detail, page),
                action_form(
                    detail, load, key=f"act-{case_id}-{detail.line.state}-{detail.line.outcome}"
                ),
                action_history(detail, load, key=f"history-{case_id}-{len(detail.actions)}"),
            ),
        ),
    )


def _content(detail: CaseDetail, page: PageContext) -> VdomDict:
    t = page.t
    line, content = detail.line, detail.content
    reason = t(REASON_LABELS.get(line.reason, line.reason))
    about = t(SUBJECT_LABELS.get(line.subject, line.subject))
    if line.subject == "message":
        shown: Any = html.blockquote(
            {"className": "case-quote"}, content.get("body") or t("(removed)")
        )
    elif line.subject == "listing":
        shown = html.div(html.h3(content.get("title", "")), html.p(content.get("description", "")))
    else:
        shown = html.div(html.h3(content.get("display_name", "")), html.p(content.get("bio", "")))
    return html.section(
        {"className": "section", "aria-label": t("Reported content")},
        html.h2(f"{about} · {reason}"),
        html.p({"className": "muted"}, t("Severity {level}").format(level=line.severity)),
        shown,
    )


def _reports(detail: CaseDetail, page: PageContext) -> VdomDict | str:
    t = page.t
    if not detail.reports:
        return ""
    return html.section(
        {"className": "section", "aria-label": t("Reports")},
        html.h2(t("Reports")),
        html.ul(
            *[
                html.li(
                    {"key": f"report-{index}"},
                    html.strong(report.reporter_name or t("unknown")),
                    f" · {t(REASON_LABELS.get(report.reason, report.reason))} · ",
                    day(report.created_at, page.language),
                    html.p(report.text) if report.text else "",
                )
                for index, report in enumerate(detail.reports)
            ]
        ),
    )


def _signals(detail: CaseDetail, t: Translate) -> VdomDict | str:
    if not detail.signals:
        return ""
    return html.section(
        {"className": "section", "aria-label": t("Signals")},
        html.h2(t("Signals")),
        html.ul(
            *[
                html.li(
                    {"key": signal["rule"]},
                    f"{signal['rule']} ({signal['score']}): {signal['detail']}",
                )
                for signal in detail.signals
            ]
        ),
    )


def _people(detail: CaseDetail, page: PageContext) -> VdomDict:
    t = page.t
    return html.section(
        {"className": "section", "aria-label": t("People involved")},
        html.h2(t("People involved")),
        *[
            html.div(
                {"className": "person-card", "key": str(person.id)},
                html.h3(person.name),
                html.ul(
                    html.li(
                        t("Member since {day}").format(day=day(person.created_at, page.language))
                    ),
                    html.li(t("Earlier cases: {count}").format(count=person.earlier_cases)),
                    html.li(t("Listings: {count}").format(count=person.listings)),
                    html.li(t("Conversations: {count}").format(count=person.conversations)),
                    html.li(
                        {"className": "badge badge-warning"},
                        t("Banned")
                        if person.restriction.until is None
                        else t("Suspended until {day}").format(
                            day=day(person.restriction.until, page.language)
                        ),
                    )
                    if person.restriction
                    else "",
                ),
            )
            for person in detail.people
        ],
    )


@component
def conversation_reader(detail: CaseDetail) -> VdomDict | str:
    """Open the conversation of an open case; the read is recorded in the audit log."""
    page = use_page()
    t = page.t
    moderation = use_moderation()
    messages, set_messages = use_state(None)
    problem, set_problem = use_state("")
    if detail.conversation_id is None or detail.line.state != "open":
        return ""

    async def read() -> None:
        try:
            set_messages(
                await moderation.read_conversation(await page.current_account(), detail.line.id)
            )
        except DomainError as error:
            set_problem(t(error.message))

    return html.section(
        {"className": "section", "aria-label": t("Conversation")},
        html.h2(t("Conversation")),
        html.p({"className": "muted"}, t("Reading the conversation is recorded in the audit log.")),
        notice("error", problem),
        html.button(
            {"type": "button", "className": "btn", "onClick": on_event(read)},
            t("Read the conversation"),
        )
        if messages is None
        else html.ol(
            {"className": "case-conversation"},
            *[
                html.li(
                    {"key": f"m{index}"},
                    html.strong(message.sender_name),
                    ": ",
                    message.body or t("(removed)"),
                )
                for index, message in enumerate(messages)
            ],
        ),
    )


def _available_actions(line: Any) -> list[str]:
    """What an open case offers for its subject; once acting on its content settled it, a
    warning or more about the person can still follow."""
    if line.state != "open":
        return [kind for kind in ACTION_LABELS if can_follow_up(line.state, line.outcome, kind)]
    return [
        kind
        for kind in ACTION_LABELS
        if (kind != "hide_listing" or line.subject == "listing")
        and (kind != "remove_message" or line.subject == "message")
    ]


@component
def action_form(detail: CaseDetail, changed: Callable[[], Awaitable[None]]) -> VdomDict | str:
    """Take an action: choose it, give the reason (always), and for a suspension the days."""
    page = use_page()
    t = page.t
    moderation = use_moderation()
    values = use_ref({"action": "", "reason": "", "days": "7"})
    chosen, set_chosen = use_state("")
    problem, set_problem = use_state("")
    line = detail.line
    closed: VdomDict | str = ""
    if line.state != "open":
        outcome = t(ACTION_LABELS.get(line.outcome, line.outcome))
        closed = notice("info", t("Closed: {outcome}").format(outcome=outcome))
    available = _available_actions(line)
    if not available:
        return html.section({"className": "section"}, closed)

    def remember(name: str) -> Callable[[dict[str, Any]], None]:
        def on_change(change: dict[str, Any]) -> None:
            values.current[name] = value_of(change)
            if name == "action":
                set_chosen(values.current["action"])

        return on_change

    async def submit(_event: Any) -> None:
        current = values.current
        try:
            days = int(current["days"] or 0) if current["action"] == "suspend" else 0
            await moderation.act(
                await page.current_account(),
                detail.line.id,
                current["action"],
                current["reason"],
                days=days,
            )
        except ValueError:
            set_problem(t("Suspend for 1 to 365 days."))
            return
        except DomainError as error:
            set_problem(t(error.message))
            return
        await changed()

    return html.form(
        {
            "className": "form section",
            "aria-label": t("Take action"),
            "onSubmit": event(submit, prevent_default=True),
        },
        closed,
        html.h2(t("Take action")),
        field(
            "case-action",
            t("Action"),
            html.select(
                {"defaultValue": "", "required": True, "onChange": remember("action")},
                html.option({"value": "", "disabled": True}, t("Choose an action")),
                *[
                    html.option({"value": kind, "key": kind}, t(ACTION_LABELS[kind]))
                    for kind in available
                ],
            ),
        ),
        field(
            "case-days",
            t("Days"),
            html.input(
                {
                    "type": "number",
                    "min": 1,
                    "max": 365,
                    "defaultValue": "7",
                    "onChange": remember("days"),
                }
            ),
        )
        if chosen == "suspend"
        else "",
        field(
            "case-reason",
            t("Reason (the person concerned sees it)"),
            html.textarea(
                {"rows": 3, "required": True, "maxLength": 1000, "onChange": remember("reason")}
            ),
        ),
        notice("error", problem),
        html.button({"type": "submit", "className": "btn btn-primary"}, t("Confirm")),
    )


@component
def action_history(detail: CaseDetail, changed: Callable[[], Awaitable[None]]) -> VdomDict | str:
    """What was done in this case; an admin can undo an action, with a reason."""
    page = use_page()
    t = page.t
    moderation = use_moderation()
    reason = use_ref("")
    problem, set_problem = use_state("")
    if not detail.actions:
        return ""
    admin = page.signed_in.account.role == "admin"

    async def undo(action_id: Any) -> None:
        try:
            await moderation.undo(await page.current_account(), action_id, reason.current)
        except DomainError as error:
            set_problem(t(error.message))
            return
        await changed()

    def remember(change: dict[str, Any]) -> None:
        reason.current = value_of(change)

    return html.section(
        {"className": "section", "aria-label": t("Actions taken")},
        html.h2(t("Actions taken")),
        html.ul(
            *[
                html.li(
                    {"key": str(action.id)},
                    html.strong(t(ACTION_LABELS.get(action.kind, action.kind))),
                    " · ",
                    action.actor_name or t("daily checks"),
                    f" · {action.reason}",
                    html.span({"className": "badge"}, t("Undone")) if action.undone else "",
                    html.button(
                        {
                            "type": "button",
                            "className": "btn-link",
                            "onClick": on_event(undo, action.id),
                        },
                        t("Undo"),
                    )
                    if admin and not action.undone
                    else "",
                )
                for action in detail.actions
            ]
        ),
        field(
            "undo-reason",
            t("Reason for undoing"),
            html.input({"type": "text", "onChange": remember}),
        )
        if admin
        else "",
        notice("error", problem),
    )


@component
def audit_page() -> VdomDict:
    """Every moderator action and conversation read, newest first (admins only)."""
    page = use_page()
    t = page.t
    moderation = use_moderation()
    lines, set_lines = use_state(None)
    refused, set_refused = use_state("")

    async def load() -> None:
        try:
            set_lines(await moderation.audit_log(await page.current_account()))
        except DomainError as error:
            set_refused(error.message)

    use_async_effect(load, [])
    if refused:
        return _not_for_members(t, refused)
    back = link({"to": DESK, "className": "btn btn-link"}, t("← All cases"))
    if lines is None:
        return member_page(t("Audit log"), back, html.p({"aria-busy": "true"}, t("Loading…")))
    return member_page(
        t("Audit log"),
        back,
        html.table(
            {"className": "audit-table"},
            html.thead(
                html.tr(
                    html.th(t("When")),
                    html.th(t("Who")),
                    html.th(t("What")),
                    html.th(t("Case")),
                    html.th(t("Reason")),
                )
            ),
            html.tbody(
                *[
                    html.tr(
                        {"key": f"a{index}"},
                        html.td(line.created_at.strftime("%Y-%m-%d %H:%M")),
                        html.td(line.actor_name),
                        html.td(_audited(line.action, t)),
                        html.td(
                            link({"to": f"/desk/cases/{line.case_id}"}, str(line.case_id)[:8])
                            if line.case_id
                            else ""
                        ),
                        html.td(line.reason),
                    )
                    for index, line in enumerate(lines)
                ]
            ),
        ),
    )

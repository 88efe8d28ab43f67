"""Messages: the conversation list and one conversation, both live, with the safety tools
(phone number on consent, block, report) and thank-you notes.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

from reactpy import component, event, html, use_async_effect, use_ref, use_state
from reactpy.types import VdomDict
from reactpy_router import link, use_params

from backend.errors import DomainError, NotAuthenticated
from backend.messaging.safety import CALL_FIRST_ADVICE
from backend.messaging.service import ConversationSummary, ConversationView
from frontend.components.chat import report_form, safety_centre_link
from frontend.components.events import on_event
from frontend.components.forms import field, notice, value_of
from frontend.components.inbox import InboxEvent, use_inbox_events
from frontend.components.layout import empty_state, member_page
from frontend.components.live_chat import live_chat
from frontend.context import PageContext, use_page
from frontend.i18n import Translate
from frontend.routes import MESSAGES
from frontend.stand_ins import shown

# A live event can be lost (a Redis reconnect, a publish that failed): the list asks this often
# whether it changed, so that nothing waits for the next message to appear.
LIST_REFRESH_SECONDS = 30.0
logger = logging.getLogger(__name__)
Deliver = Callable[..., Awaitable[None]]  # (client_id, body, kind="text")


def conversation_path(conversation_id: UUID) -> str:
    """Where one conversation lives."""
    return f"{MESSAGES}/{conversation_id}"


def _conversation_line(summary: ConversationSummary, t: Translate) -> VdomDict:
    preview = summary.preview or ("" if summary.last_message_at else t("No messages yet"))
    return html.li(
        {"key": str(summary.id)},
        link(
            {
                "to": conversation_path(summary.id),
                "className": "card conversation-line"
                + (" conversation-unread" if summary.unread else ""),
            },
            html.span({"className": "conversation-title"}, shown(summary.title, t)),
            html.span({"className": "conversation-partner"}, shown(summary.partner_name, t)),
            html.span({"className": "conversation-preview"}, preview),
            html.span(
                {"className": "badge badge-unread"},
                t("{count} new").format(count=summary.unread),
            )
            if summary.unread
            else "",
            html.span({"className": "badge badge-closed"}, t("Ended")) if summary.ended else "",
        ),
    )


@component
def messages_page() -> VdomDict:
    """Your conversations, latest activity first; new messages come in live."""
    page = use_page()
    t = page.t
    summaries, set_summaries = use_state(None)
    shown_summaries = use_ref(None)

    async def load() -> None:
        try:
            fresh = await page.messaging.conversations(await page.current_account())
        except NotAuthenticated:
            page.set_signed_in(None)
            return
        if fresh != shown_summaries.current:  # nothing renders again when nothing changed
            shown_summaries.current = fresh
            set_summaries(fresh)

    def changed(_event: InboxEvent) -> Awaitable[None]:
        return load()

    async def keep_fresh() -> None:
        while True:
            await asyncio.sleep(LIST_REFRESH_SECONDS)
            if shown_summaries.current is not None:
                await _logged(load)

    use_inbox_events(load, changed)
    use_async_effect(keep_fresh, [])
    if summaries is None:
        return member_page(t("Messages"), html.p({"aria-busy": "true"}, t("Loading…")))
    if not summaries:
        return member_page(
            t("Messages"),
            empty_state(
                "💬", t("No messages yet"), t("When you and a neighbour match, you can talk here.")
            ),
        )
    return member_page(
        t("Messages"),
        html.ul(
            {"className": "conversation-list", "aria-label": t("Conversations")},
            *[_conversation_line(summary, t) for summary in summaries],
        ),
    )


def _safety_prompt(
    t: Translate, understood: Callable[[], Awaitable[None]], cancel: Callable[[], None]
) -> VdomDict:
    """ "Call first, then meet": read once per conversation before numbers are exchanged."""
    title, *advice = CALL_FIRST_ADVICE
    return html.div(
        {"className": "safety-prompt", "role": "group", "aria-label": t(title)},
        html.p(html.strong("🛡️ ", t(title))),
        html.ul(*[html.li({"key": text}, t(text)) for text in advice]),
        html.p(safety_centre_link(t("More in the Safety centre"))),
        html.div(
            {"className": "row"},
            html.button(
                {"type": "button", "className": "btn btn-primary", "onClick": on_event(understood)},
                t("I understand"),
            ),
            html.button(
                {"type": "button", "className": "btn btn-link", "onClick": on_event(cancel)},
                t("Cancel"),
            ),
        ),
    )


@component
def phone_panel(view: ConversationView, changed: Callable[[], Awaitable[None]]) -> VdomDict:
    """Share my number (after the safety advice), stop sharing, or call the other side."""
    page = use_page()
    t = page.t
    asking, set_asking = use_state(None)  # "share" or "call" while the advice is shown
    problem, set_problem = use_state("")
    name = view.partner_name

    async def run(action: Callable[[Any], Awaitable[None]]) -> None:
        try:
            await action(await page.current_account())
        except NotAuthenticated:
            page.set_signed_in(None)
            return
        except DomainError as error:
            set_problem(t(error.message))
            return
        set_problem("")
        await changed()

    async def share(on: bool) -> None:
        if on and not view.safety_acknowledged:
            set_asking("share")
            return
        await run(lambda actor: page.messaging.share_phone(actor, view.id, on))

    async def understood() -> None:
        purpose = asking
        set_asking(None)

        async def acknowledge(actor: Any) -> None:
            await page.messaging.acknowledge_safety(actor, view.id)
            if purpose == "share":
                await page.messaging.share_phone(actor, view.id, True)

        await run(acknowledge)

    @event(prevent_default=True)
    def ask_before_calling(_event: Any) -> None:
        set_asking("call")

    actions: list[Any] = []
    if view.partner_phone:
        actions.append(
            html.a(
                {
                    "href": f"tel:{view.partner_phone}",
                    "className": "btn btn-primary",
                    "key": "call",
                    **({} if view.safety_acknowledged else {"onClick": ask_before_calling}),
                },
                html.span({"aria-hidden": "true"}, "📞 "),
                t("Call {name}").format(name=name),
            )
        )
    if page.signed_in.account.phone:
        actions.append(
            html.button(
                {
                    "type": "button",
                    "className": "btn btn-secondary",
                    "key": "share",
                    "onClick": on_event(share, not view.i_share_phone),
                },
                t("Stop sharing my number")
                if view.i_share_phone
                else t("Share my number with {name}").format(name=name),
            )
        )
    if not actions:
        return html.div()
    return html.div(
        {"className": "conversation-phone"},
        html.div({"className": "row"}, *actions),
        html.p({"className": "muted"}, t("{name} can call you now.").format(name=name))
        if view.i_share_phone
        else "",
        _safety_prompt(t, understood, lambda: set_asking(None)) if asking else "",
        notice("error", problem),
    )


@component
def thanks_form(name: str, deliver: Deliver) -> VdomDict:
    """A thank-you note: a distinct card in the conversation, with a few words if you like."""
    page = use_page()
    t = page.t
    writing, set_writing = use_state(False)
    client_id = use_ref("")
    text = use_ref("")
    problem, set_problem = use_state("")

    def start() -> None:
        client_id.current = uuid4().hex  # made when composed: sending it twice stores it once
        text.current = ""
        set_problem("")
        set_writing(True)

    @event(prevent_default=True)
    async def submit(_event: Any) -> None:
        try:
            await deliver(client_id.current, text.current, "thanks")
        except NotAuthenticated:
            page.set_signed_in(None)
            return
        except DomainError as error:
            set_problem(t(error.message))
            return
        set_writing(False)

    if not writing:
        return html.button(
            {"type": "button", "className": "btn btn-secondary", "onClick": on_event(start)},
            html.span({"aria-hidden": "true"}, "🙏 "),
            t("Say thank you"),
        )
    return html.form(
        {"className": "form thanks-form", "aria-label": t("Say thank you"), "onSubmit": submit},
        field(
            "thanks-text",
            t("A few words for {name} (optional)").format(name=name),
            html.textarea(
                {
                    "rows": 2,
                    "maxLength": 2000,
                    "onChange": lambda change: setattr(text, "current", value_of(change)),
                }
            ),
        ),
        notice("error", problem),
        html.div(
            {"className": "row"},
            html.button({"type": "submit", "className": "btn btn-primary"}, t("Send thank you")),
            html.button(
                {
                    "type": "button",
                    "className": "btn btn-link",
                    "onClick": on_event(set_writing, False),
                },
                t("Cancel"),
            ),
        ),
    )


@component
def block_and_report(view: ConversationView, changed: Callable[[], Awaitable[None]]) -> VdomDict:
    """Block the other person (with a confirmation) or report them to the moderators."""
    page = use_page()
    t = page.t
    name = shown(view.partner_name, t)
    confirming, set_confirming = use_state(False)
    reporting, set_reporting = use_state(False)
    problem, set_problem = use_state("")

    async def block() -> None:
        try:
            await page.messaging.block(await page.current_account(), view.partner_id)
        except NotAuthenticated:
            page.set_signed_in(None)
            return
        except DomainError as error:
            set_problem(t(error.message))
            return
        set_confirming(False)
        await changed()

    async def report(reason: str, text: str) -> None:
        await page.messaging.report(
            await page.current_account(), reason=reason, text=text, user_id=view.partner_id
        )

    confirm = html.div(
        {"className": "card", "role": "group", "aria-label": t("Block {name}").format(name=name)},
        html.p(
            t("{name} can no longer write to you, and this conversation ends.").format(name=name)
        ),
        html.div(
            {"className": "row"},
            html.button(
                {"type": "button", "className": "btn btn-danger", "onClick": on_event(block)},
                t("Yes, block {name}").format(name=name),
            ),
            html.button(
                {
                    "type": "button",
                    "className": "btn btn-link",
                    "onClick": on_event(set_confirming, False),
                },
                t("Cancel"),
            ),
        ),
    )
    return html.details(
        {"className": "conversation-more"},
        html.summary(t("Block or report")),
        html.div(
            {"className": "row"},
            ""
            if view.ended
            else html.button(
                {
                    "type": "button",
                    "className": "btn btn-secondary",
                    "onClick": on_event(set_confirming, True),
                },
                t("Block {name}").format(name=name),
            ),
            html.button(
                {
                    "type": "button",
                    "className": "btn btn-secondary",
                    "onClick": on_event(set_reporting, True),
                },
                t("Report {name}").format(name=name),
            ),
        ),
        confirm if confirming and not view.ended else "",
        report_form(
            "report-person",
            t("Report {name}").format(name=name),
            report,
            lambda: set_reporting(False),
        )
        if reporting
        else "",
        notice("error", problem),
        html.p(safety_centre_link(t("Safety centre: how to help safely"))),
    )


async def _logged(action: Callable[[], Awaitable[None]]) -> None:
    """Run a background check; a failure is logged and the next round tries again."""
    try:
        await action()
    except DomainError:
        return  # e.g. no longer in the conversation: the next thing the person does says so
    except Exception:
        logger.exception("a background check of messages failed")


@dataclass(frozen=True)
class LiveConversation:
    """What a conversation page shows around its messages, and what it can do."""

    view: ConversationView | None
    problem: str
    refresh: Callable[[], Awaitable[None]]
    deliver: Deliver
    show_problem: Callable[[str], Awaitable[None]]


def use_conversation(page: PageContext, conversation_id: UUID) -> LiveConversation:
    """The conversation's header, loaded on mount and kept up to date live.

    The messages are the JavaScript component's (``live_chat``): here only events that change
    the header (neither a message nor a read receipt) load it again.
    """
    view, set_view = use_state(None)
    problem, set_problem = use_state("")

    async def refresh_view(actor: Any = None) -> None:
        set_view(await page.messaging.view(actor or await page.current_account(), conversation_id))

    async def guarded(action: Callable[[Any], Awaitable[None]]) -> None:
        try:
            await action(await page.current_account())
        except NotAuthenticated:
            page.set_signed_in(None)
        except DomainError as error:
            set_problem(page.t(error.message))

    def on_event(event: InboxEvent) -> Awaitable[None] | None:
        changed = event.get("type") == "resync" or (
            event.get("conversation") == str(conversation_id)
            and event.get("type") not in ("message", "read")
        )
        return guarded(refresh_view) if changed else None

    async def deliver(client_id: str, body: str, kind: str = "text") -> None:
        actor = await page.current_account()
        try:
            await page.messaging.send(
                actor, conversation_id, client_id=client_id, body=body, kind=kind
            )
        except DomainError:
            await refresh_view(actor)  # it may have ended meanwhile
            raise

    async def show_problem(error: str) -> None:
        set_problem(page.t(error))
        if error:
            await guarded(refresh_view)  # a refusal: the conversation may have ended meanwhile

    use_inbox_events(lambda: guarded(refresh_view), on_event)
    return LiveConversation(view, problem, lambda: guarded(refresh_view), deliver, show_problem)


@component
def conversation(conversation_id: UUID) -> VdomDict:
    """One conversation: who and what it is about, the messages, the composer and tools."""
    page = use_page()
    t = page.t
    state = use_conversation(page, conversation_id)
    view = state.view
    back = link({"to": MESSAGES, "className": "btn btn-link"}, t("← Messages"))
    if view is None:
        body = notice("error", state.problem) if state.problem else ""
        return member_page(
            t("Messages"), back, body or html.p({"aria-busy": "true"}, t("Loading…"))
        )
    about = html.p(
        {"className": "conversation-about"},
        t("About"),
        " ",
        link({"to": f"/listings/{view.listing_id}"}, shown(view.title, t)),
    )
    tools: list[Any] = []
    if not view.ended:
        tools = [
            phone_panel(view, state.refresh, key="phone"),
            thanks_form(view.partner_name, state.deliver, key="thanks"),
        ]
    return member_page(
        shown(view.partner_name, t),
        back,
        about,
        html.div({"className": "conversation-tools"}, *tools) if tools else "",
        live_chat(view, state.show_problem, state.refresh, key="chat"),
        # A message refused because the conversation just ended says so itself, once.
        notice("info", t("This conversation has ended."))
        if view.ended and not state.problem
        else "",
        notice("error", state.problem),
        block_and_report(view, state.refresh, key="more"),
    )


@component
def conversation_page() -> VdomDict:
    """``/messages/<id>``: a fresh conversation component for each conversation."""
    conversation_id = use_params()["conversation_id"]
    return conversation(conversation_id, key=str(conversation_id))

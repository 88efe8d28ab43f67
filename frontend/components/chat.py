"""The pieces of messaging that ReactPy pages share: live inbox events, unread counts, message
times, the Safety centre link and the report form.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from reactpy import component, event, html, use_ref, use_state
from reactpy.types import VdomDict
from reactpy_router import link

from backend.errors import DomainError, NotAuthenticated
from backend.messaging.service import ConversationSummary
from frontend.components.events import on_event
from frontend.components.forms import field, notice, value_of
from frontend.components.inbox import InboxEvent, use_inbox_events
from frontend.context import use_page
from frontend.routes import MESSAGES, SAFETY

_LOCAL_TIME = ZoneInfo("Europe/Amsterdam")
REPORT_REASONS = (
    ("spam", "Spam"),
    ("fraud", "Fraud or a scam"),
    ("inappropriate", "Inappropriate"),
    ("unsafe", "I feel unsafe"),
    ("other", "Something else"),
)


def conversation_shown_at(path: str) -> str:
    """The id of the conversation whose page is at ``path`` (or something that is no id)."""
    return path.removeprefix(f"{MESSAGES}/")


class UnreadCounts:
    """Unread messages per conversation, kept up to date from live events alone; only an event
    it cannot place (a partial read, a gap in ``seq``, an event without its message) asks for a
    recount.
    """

    def __init__(self, viewer: str, summaries: list[ConversationSummary]) -> None:
        self._viewer = viewer
        self._unread = {str(summary.id): summary.unread for summary in summaries}
        self._latest: dict[str, int] = {}  # the newest seq seen live, per conversation

    @property
    def total(self) -> int:
        """Unread messages over all conversations."""
        return sum(self._unread.values())

    def apply(self, event: InboxEvent, open_conversation: str) -> bool:
        """Take ``event`` into account; ``False`` when only a recount can tell.

        Messages in the ``open_conversation`` do not count: that page marks them read.
        """
        conversation, seq = str(event.get("conversation")), event.get("seq")
        if not isinstance(seq, int):
            return False
        latest = self._latest.get(conversation)
        if event.get("type") == "read":
            if event.get("reader") != self._viewer:
                return True  # someone else's reading changes nothing here
            if conversation != open_conversation and (latest is None or seq < latest):
                return False
            self._unread[conversation] = 0
            return True
        message = event.get("message")
        if event.get("type") != "message" or message is None:
            return False
        if latest is not None and seq <= latest:
            return True  # already counted
        if latest is not None and seq > latest + 1:
            return False  # an event was missed
        self._latest[conversation] = seq
        if message["sender"] == self._viewer:  # sending marks the conversation read
            self._unread[conversation] = 0
        elif conversation != open_conversation:
            self._unread[conversation] = self._unread.get(conversation, 0) + 1
        return True


def use_unread_count(path: str) -> int:
    """The signed-in person's unread messages (the tab bar's badge), kept up to date live.

    ``path`` is the page's location: on a conversation's own page its messages are read there.
    """
    page = use_page()
    unread, set_unread = use_state(0)
    counts = use_ref(None)

    async def count() -> None:
        try:
            actor = await page.current_account()
        except NotAuthenticated:
            page.set_signed_in(None)
            return
        counts.current = UnreadCounts(str(actor.id), await page.messaging.conversations(actor))
        set_unread(counts.current.total)

    def changed(event: InboxEvent) -> Awaitable[None] | None:
        open_conversation = conversation_shown_at(path)
        if counts.current is None or not counts.current.apply(event, open_conversation):
            return count()
        set_unread(counts.current.total)
        return None

    use_inbox_events(count, changed)
    return unread


def message_time(value: datetime, language: str) -> VdomDict:
    """When a message was written, in Dutch time."""
    text = format_datetime(value, "EEE d MMM HH:mm", tzinfo=_LOCAL_TIME, locale=language)
    return html.time({"className": "message-time", "dateTime": value.isoformat()}, text)


def safety_centre_link(text: str) -> VdomDict:
    """A link to the Safety centre (from safety cards and prompts, profiles and listings)."""
    return link({"to": SAFETY, "className": "safety-link"}, "🛡️ ", text)


@component
def report_form(
    name: str,
    label: str,
    send: Callable[[str, str], Awaitable[None]],
    close: Callable[[], None],
) -> VdomDict:
    """Why something is reported: a reason and, if they like, a few words."""
    t = use_page().t
    values = use_ref({"reason": "", "text": ""})
    problem, set_problem = use_state("")
    done, set_done = use_state(False)

    @event(prevent_default=True)
    async def submit(_event: Any) -> None:
        try:
            await send(values.current["reason"], values.current["text"])
        except DomainError as error:
            set_problem(t(error.message))
            return
        set_done(True)

    def remember(name: str) -> Callable[[dict[str, Any]], None]:
        def on_change(change: dict[str, Any]) -> None:
            values.current[name] = value_of(change)

        return on_change

    if done:
        return html.div(
            notice("success", t("Thank you. A moderator will look at it.")),
            html.button(
                {"type": "button", "className": "btn btn-link", "onClick": on_event(close)},
                t("Close"),
            ),
        )
    return html.form(
        {"className": "form report-form", "aria-label": label, "onSubmit": submit},
        field(
            f"{name}-reason",
            t("What is wrong?"),
            html.select(
                {"defaultValue": "", "required": True, "onChange": remember("reason")},
                html.option({"value": "", "disabled": True}, t("Choose a reason")),
                *[
                    html.option({"value": value, "key": value}, t(text))
                    for value, text in REPORT_REASONS
                ],
            ),
        ),
        field(
            f"{name}-text",
            t("Tell us more (optional)"),
            html.textarea({"rows": 3, "maxLength": 2000, "onChange": remember("text")}),
        ),
        notice("error", problem),
        html.div(
            {"className": "row"},
            html.button({"type": "submit", "className": "btn btn-danger"}, t("Send report")),
            html.button(
                {"type": "button", "className": "btn btn-link", "onClick": on_event(close)},
                t("Cancel"),
            ),
        ),
    )

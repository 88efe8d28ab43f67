"""The pieces of a conversation: live inbox events, messages as plain text with guarded links,
safety and thank-you cards, reports, and the composer (a custom JavaScript component).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from litestar.channels import ChannelsPlugin
from reactpy import component, event, html, use_async_effect, use_ref, use_scope, use_state
from reactpy.reactjs import component_from_file
from reactpy.types import VdomDict
from reactpy_router import link

from backend.errors import DomainError, NotAuthenticated
from backend.messaging.live import SettledChannelsPlugin
from backend.messaging.safety import concerns_in, safety_advice
from backend.messaging.service import (
    MAX_LENGTH,
    ConversationSummary,
    MessageView,
    inbox_channel,
)
from frontend.components.events import on_event
from frontend.components.forms import field, notice, value_of
from frontend.context import use_page
from frontend.i18n import Translate
from frontend.routes import MESSAGES, SAFETY
from frontend.stand_ins import shown

Composer = component_from_file(
    Path(__file__).parent.parent / "js" / "composer.js",
    import_names="Composer",
    name="handje-composer",
)
InboxEvent = dict[str, Any]
# http(s) links up to the next space; punctuation that usually ends a sentence is not part of it.
_LINK = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]}]", re.IGNORECASE)
_LOCAL_TIME = ZoneInfo("Europe/Amsterdam")
logger = logging.getLogger(__name__)
REPORT_REASONS = (
    ("spam", "Spam"),
    ("fraud", "Fraud or a scam"),
    ("inappropriate", "Inappropriate"),
    ("unsafe", "I feel unsafe"),
    ("other", "Something else"),
)


def use_inbox_events(
    subscribed: Callable[[], Awaitable[None]], on_event: Callable[[InboxEvent], Awaitable[None]]
) -> None:
    """Listen to the signed-in person's inbox channel while the component is mounted.

    ``subscribed`` runs once the subscription is open (load there, so no event falls in a gap),
    then ``on_event`` runs for each event, one at a time.
    """
    page = use_page()
    channels: ChannelsPlugin = use_scope()["app"].plugins.get(SettledChannelsPlugin)
    user_id = page.signed_in.account.id if page.signed_in else None
    latest = use_ref((subscribed, on_event))
    latest.current = (subscribed, on_event)

    async def listen() -> None:
        if user_id is None:
            return
        async with channels.start_subscription([inbox_channel(user_id)]) as subscriber:
            await latest.current[0]()
            async for raw in subscriber.iter_events():
                try:
                    await latest.current[1](json.loads(raw))
                except Exception:  # one failed update must not end the live view
                    logger.exception("a live update failed")

    use_async_effect(listen, [user_id])


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

    async def changed(event: InboxEvent) -> None:
        open_conversation = path.removeprefix(f"{MESSAGES}/")
        if counts.current is None or not counts.current.apply(event, open_conversation):
            await count()
            return
        set_unread(counts.current.total)

    use_inbox_events(count, changed)
    return unread


def message_time(value: datetime, language: str) -> VdomDict:
    """When a message was written, in Dutch time."""
    text = format_datetime(value, "EEE d MMM HH:mm", tzinfo=_LOCAL_TIME, locale=language)
    return html.time({"className": "message-time", "dateTime": value.isoformat()}, text)


def safety_centre_link(text: str) -> VdomDict:
    """A link to the Safety centre (from safety cards and prompts, profiles and listings)."""
    return link({"to": SAFETY, "className": "safety-link"}, "🛡️ ", text)


def safety_card(advice: list[str], t: Translate) -> VdomDict:
    """Gentle advice next to a message that mentions meeting, money, numbers or addresses."""
    return html.aside(
        {"className": "safety-card", "role": "note", "aria-label": t("Safety tip")},
        html.p({"className": "safety-card-title"}, "🛡️ ", t("Safety tip")),
        html.ul(*[html.li({"key": text}, t(text)) for text in advice]),
        safety_centre_link(t("More in the Safety centre")),
    )


@component
def message_text(body: str) -> VdomDict:
    """The text exactly as written (never HTML); a link opens only after a leaving note."""
    t = use_page().t
    opened, set_opened = use_state(None)
    parts: list[Any] = []
    position = 0
    for index, found in enumerate(_LINK.finditer(body)):
        parts.append(body[position : found.start()])
        parts.append(
            html.button(
                {
                    "type": "button",
                    "className": "btn-link message-link",
                    "aria-expanded": "true" if opened == index else "false",
                    "onClick": on_event(set_opened, None if opened == index else index),
                    "key": f"link-{index}",
                },
                found.group(),
            )
        )
        position = found.end()
    parts.append(body[position:])
    links = [found.group() for found in _LINK.finditer(body)]
    leaving: Any = ""
    if opened is not None and opened < len(links):
        leaving = html.div(
            {
                "className": "leaving-note",
                "role": "group",
                "aria-label": t("You are leaving Handje"),
            },
            html.p(html.strong(t("You are leaving Handje"))),
            html.p({"className": "leaving-url"}, links[opened]),
            html.div(
                {"className": "row"},
                html.a(
                    {
                        "href": links[opened],
                        "rel": "noopener noreferrer nofollow",
                        "target": "_blank",
                        "className": "btn btn-secondary",
                    },
                    t("Open link"),
                ),
                html.button(
                    {
                        "type": "button",
                        "className": "btn btn-link",
                        "onClick": on_event(set_opened, None),
                    },
                    t("Cancel"),
                ),
            ),
        )
    return html.div(
        html.p({"className": "message-body"}, *[part for part in parts if part]), leaving
    )


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


@component
def chat_message(message: MessageView, show_sender: bool, status: Any) -> VdomDict:
    """One message: who wrote it, the text, a thank-you card, safety advice, and Report.

    ``status`` follows the time (the "Read" mark of an own message).
    """
    page = use_page()
    t = page.t
    reporting, set_reporting = use_state(False)

    async def report(reason: str, text: str) -> None:
        await page.messaging.report(
            await page.current_account(), reason=reason, text=text, message_id=message.id
        )

    sender = t("You") if message.mine else shown(message.sender_name, t)
    content: Any
    if message.kind == "removed":
        content = html.p({"className": "message-removed"}, t("A moderator removed this message."))
    elif message.kind == "thanks":
        content = html.div(
            {"className": "thanks-card"},
            html.p({"className": "thanks-card-title"}, "🙏 ", t("Thank you!")),
            message_text(message.body, key="text") if message.body else "",
        )
    elif not message.body:
        # Only deletion empties a text message: its sender chose not to leave their words.
        content = html.p({"className": "message-removed"}, t("Removed with the sender's account."))
    else:
        content = message_text(message.body, key="text")
    advice = safety_advice(message.concerns) if not message.mine and message.concerns else []
    return html.li(
        {
            "className": f"message {'message-mine' if message.mine else 'message-theirs'}",
            "aria-label": t("Message from {name}").format(name=sender),
        },
        html.p({"className": "message-sender"}, sender) if show_sender else "",
        content,
        html.div(
            {"className": "message-meta"},
            message_time(message.created_at, page.language),
            status,
            ""
            if message.mine or reporting
            else html.button(
                {
                    "type": "button",
                    "className": "btn-link message-report",
                    "aria-label": t("Report this message"),
                    "onClick": on_event(set_reporting, True),
                },
                t("Report"),
            ),
        ),
        safety_card(advice, t) if advice else "",
        report_form(
            f"report-{message.id}",
            t("Report this message"),
            report,
            lambda: set_reporting(False),
            key="report",
        )
        if reporting
        else "",
    )


@component
def composer(conversation_id: UUID, deliver: Callable[[str, str], Awaitable[None]]) -> VdomDict:
    """Write a message; text that raises safety concerns gets a gentle prompt before it goes.

    ``deliver(client_id, body)`` stores the message; a ``DomainError`` gives the text back.
    """
    page = use_page()
    t = page.t
    sent_ids, set_sent_ids = use_state(())
    held, set_held = use_state(None)  # (client id, body) waiting for "Send anyway" or "Edit"
    returned, set_returned = use_state(None)
    problem, set_problem = use_state("")
    in_flight = use_ref(set())
    approved = use_ref(set())
    confirmed = use_ref(())

    async def send(client_id: str, body: str) -> None:
        if client_id in in_flight.current:
            return
        in_flight.current.add(client_id)
        try:
            await deliver(client_id, body)
        except NotAuthenticated:
            page.set_signed_in(None)
            return
        except DomainError as error:
            set_problem(t(error.message))
            set_returned({"clientId": client_id, "body": body})
            return
        finally:
            in_flight.current.discard(client_id)
        set_problem("")
        confirmed.current = (*confirmed.current[-49:], client_id)
        set_sent_ids(confirmed.current)

    async def on_send(data: dict[str, Any]) -> None:
        client_id, body = str(data.get("clientId", "")), str(data.get("body", ""))
        if client_id in confirmed.current:
            set_sent_ids(confirmed.current)
            return
        if client_id not in approved.current and concerns_in(body):
            set_held((client_id, body))
            return
        await send(client_id, body)

    async def send_anyway() -> None:
        if held is None:
            return
        client_id, body = held
        approved.current.add(client_id)
        set_held(None)
        await send(client_id, body)

    def edit() -> None:
        if held is not None:
            set_returned({"clientId": held[0], "body": held[1]})
        set_held(None)

    prompt: Any = ""
    if held is not None:
        prompt = html.div(
            {"className": "safety-prompt", "role": "group", "aria-label": t("Before you send")},
            html.p(html.strong(t("Before you send"))),
            html.ul(
                *[html.li({"key": text}, t(text)) for text in safety_advice(concerns_in(held[1]))]
            ),
            html.p(safety_centre_link(t("More in the Safety centre"))),
            html.div(
                {"className": "row"},
                html.button(
                    {
                        "type": "button",
                        "className": "btn btn-primary",
                        "onClick": on_event(send_anyway),
                    },
                    t("Send anyway"),
                ),
                html.button(
                    {"type": "button", "className": "btn btn-secondary", "onClick": on_event(edit)},
                    t("Edit"),
                ),
            ),
        )
    return html.div(
        {"className": "composer-area"},
        Composer(
            {
                "conversationId": str(conversation_id),
                "maxLength": MAX_LENGTH,
                "sentIds": list(sent_ids),
                "heldIds": [held[0]] if held else [],
                "returned": returned,
                "labels": {
                    "composer": t("Write a message"),
                    "message": t("Message"),
                    "placeholder": t("Write a message…"),
                    "send": t("Send"),
                    "pending": t("Not sent yet"),
                    "sending": t("Sending…"),
                    "offline": t("You are offline. It will be sent when you are back online."),
                },
                "onSend": on_send,
            }
        ),
        prompt,
        notice("error", problem),
    )

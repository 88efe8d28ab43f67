"""A conversation's messages and composer: one JavaScript component (``conversation.js``) that
renders the log in the browser and talks to the live socket itself, so that a message costs the
server no rendering. Python gives it the words (translated) and shows what it asks for: the form
to report a message, and a problem with a message that could not be sent.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from uuid import UUID

from reactpy import component, html, use_state
from reactpy.reactjs import component_from_file
from reactpy.types import VdomDict

from backend.errors import DomainError, NotAuthenticated
from backend.messaging.safety import Concern, safety_advice
from backend.messaging.service import MAX_LENGTH, ConversationView
from backend.privacy.erasure import DELETED_USER_NAME
from frontend.components.chat import report_form
from frontend.context import use_page
from frontend.i18n import Translate
from frontend.routes import SAFETY
from frontend.stand_ins import STAND_INS

ConversationLog = component_from_file(
    Path(__file__).parent.parent / "js" / "conversation.js",
    import_names="Conversation",
    name="handje-conversation",
)
# http(s) links up to the next space; punctuation that usually ends a sentence is not part of it.
# The component finds links with this same pattern (JavaScript reads it alike).
LINK = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]}]", re.IGNORECASE)
# The problem the browser reports is shown on its own page as text; a longer one is none of ours.
PROBLEM_CHARS = 300
REPORT_AREA = "message-report"  # the element the component scrolls to when a report form opens


def chat_labels(t: Translate) -> dict[str, str]:
    """Every word the JavaScript component shows, in the page's language."""
    return {
        "messages": t("Messages"),
        "loading": t("Loading…"),
        "empty": t("No messages yet. Say hello!"),
        "messageFrom": t("Message from {name}"),
        "you": t("You"),
        "deletedUser": t(DELETED_USER_NAME),
        "removed": t("A moderator removed this message."),
        "removedWithAccount": t("Removed with the sender's account."),
        "thanks": t("Thank you!"),
        "leaving": t("You are leaving Handje"),
        "openLink": t("Open link"),
        "cancel": t("Cancel"),
        "safetyTip": t("Safety tip"),
        "moreSafety": t("More in the Safety centre"),
        "read": t("Read"),
        "report": t("Report"),
        "reportMessage": t("Report this message"),
        "composer": t("Write a message"),
        "message": t("Message"),
        "placeholder": t("Write a message…"),
        "send": t("Send"),
        "pending": t("Not sent yet"),
        "sending": t("Sending…"),
        "offline": t("You are offline. It will be sent when you are back online."),
        "beforeYouSend": t("Before you send"),
        "sendAnyway": t("Send anyway"),
        "edit": t("Edit"),
    }


def safety_advice_by_concern(t: Translate) -> dict[str, str]:
    """The advice for each safety concern code, in the order the advice is shown."""
    return {
        concern.value: t(advice)
        for concern in Concern
        for advice in safety_advice(frozenset({concern}))
    }


@component
def live_chat(
    view: ConversationView,
    show_problem: Callable[[str], Awaitable[None]],
    session_ended: Callable[[], Awaitable[None]],
) -> VdomDict:
    """The messages and (unless the conversation ended) the composer, and under them the form
    to report the message whose Report was tapped.

    ``show_problem`` shows why a message could not be sent (an English message, or "" once a
    later one went); ``session_ended`` runs when the live socket says the session is over.
    """
    page = use_page()
    t = page.t
    reporting, set_reporting = use_state(None)  # the id of the message being reported

    async def report_asked(data: Any) -> None:
        # The browser names the message: it must be someone else's message in this conversation.
        try:
            message_id, seq = UUID(str(data["messageId"])), int(data["seq"])
        except (KeyError, TypeError, ValueError):
            return
        if seq < 1:
            return
        try:
            actor = await page.current_account()
            found = await page.messaging.history(actor, view.id, after_seq=seq - 1, limit=1)
        except NotAuthenticated:
            page.set_signed_in(None)
            return
        except DomainError:
            return
        if found and found[0].id == message_id and not found[0].mine:
            set_reporting(message_id)

    async def report(reason: str, text: str) -> None:
        await page.messaging.report(
            await page.current_account(), reason=reason, text=text, message_id=reporting
        )

    async def problem(data: Any) -> None:
        error = data.get("error") if isinstance(data, dict) else None
        await show_problem(error[:PROBLEM_CHARS] if isinstance(error, str) else "")

    async def ended(_data: Any) -> None:
        await session_ended()

    return html.fragment(
        ConversationLog(
            {
                "conversationId": str(view.id),
                "viewer": str(page.signed_in.account.id),
                "language": page.language,
                "ended": view.ended,
                "maxLength": MAX_LENGTH,
                "readByPartnerSeq": view.read_by_partner_seq,
                "reportingId": str(reporting) if reporting else None,
                "reportArea": REPORT_AREA,
                "labels": chat_labels(t),
                "advice": safety_advice_by_concern(t),
                "linkPattern": LINK.pattern,
                "safetyCentre": SAFETY,
                "standIns": {text: t(text) for text in STAND_INS},
                "onReport": report_asked,
                "onProblem": problem,
                "onSessionEnded": ended,
            }
        ),
        html.div(
            {"id": REPORT_AREA, "className": "message-report-area", "key": f"report-{reporting}"},
            report_form(
                f"report-{reporting}",
                t("Report this message"),
                report,
                lambda: set_reporting(None),
            ),
        )
        if reporting
        else "",
    )

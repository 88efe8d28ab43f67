"""``/safety``: the Safety centre, the advice for helping safely and how to report, for everyone."""

from __future__ import annotations

from reactpy import component, html, use_async_effect, use_state
from reactpy.types import VdomDict
from reactpy_router import link

from backend.moderation.service import MODERATION_OUTCOME
from backend.notifications.service import notifications_for
from backend.translatable import N_
from frontend.components.layout import member_page
from frontend.context import use_page
from frontend.formatting import day
from frontend.routes import LOG_IN

ADVICE = (
    (
        N_("Call first"),
        N_(
            "Have a short phone call before you meet: you hear who you are dealing with, and "
            "you can agree on what the help is."
        ),
    ),
    (
        N_("Meet in public the first time"),
        N_(
            "Meet somewhere with other people around, such as a library, a café or the supermarket."
        ),
    ),
    (
        N_("Never send money"),
        N_(
            "Help on Handje is always free. Never send money, gift cards or codes, and never share "
            "your bank details or log-in codes."
        ),
    ),
    (
        N_("Tell someone where you go"),
        N_("Let a friend or relative know where you go, with whom and when you expect to be back."),
    ),
    (
        N_("If something feels wrong"),
        N_(
            "Trust your feeling: stop, leave, or do not open the door. You do not owe anyone an "
            "explanation. In danger, call 112."
        ),
    ),
)
REPORTING = (
    N_(
        "Use Report next to a message, on a listing or in a conversation. Choose what is wrong "
        "and, if you like, tell us more. A moderator looks at it and you hear when it is handled."
    ),
    N_("Block someone in the conversation to stop all contact at once, for both of you."),
    N_(
        "Moderators only read a conversation when a report or a check gives cause, and every "
        "read is recorded."
    ),
)


@component
def safety_page() -> VdomDict:
    """The advice and how to report; members see it in the app frame, visitors on its own."""
    page = use_page()
    t = page.t
    content = (
        html.section(
            {"className": "section", "aria-label": t("Safety advice")},
            *[
                html.div(
                    {"className": "safety-advice", "key": title},
                    html.h2(t(title)),
                    html.p(t(text)),
                )
                for title, text in ADVICE
            ],
        ),
        html.section(
            {"className": "section", "aria-label": t("How to report")},
            html.h2(t("How to report")),
            html.ul(*[html.li({"key": text[:20]}, t(text)) for text in REPORTING]),
        ),
    )
    if page.signed_in is None:
        return html.main(
            {"className": "auth-page"},
            html.h1(t("Safety centre")),
            *content,
            link({"to": LOG_IN, "className": "btn btn-link"}, t("Log in")),
        )
    return member_page(t("Safety centre"), moderator_messages(), *content)


OUTCOME_TEXTS = {
    "warned": N_("A moderator warned you. Reason: {reason}"),
    "suspended": N_("A moderator suspended your account. Reason: {reason}"),
    "withdrawn": N_("A moderator's earlier decision was withdrawn. Reason: {reason}"),
    "report_handled": N_("A moderator handled your report. Thank you for telling us."),
}


@component
def moderator_messages() -> VdomDict | str:
    """What the moderators told this person: warnings with their reason, handled reports."""
    page = use_page()
    t = page.t
    notices, set_notices = use_state([])

    async def load() -> None:
        rows = await notifications_for(page.signed_in.account.id)
        set_notices([row for row in rows if row["kind"] == MODERATION_OUTCOME])

    use_async_effect(load, [])
    if not notices:
        return ""
    return html.section(
        {"className": "section", "aria-label": t("Messages from the moderators")},
        html.h2(t("Messages from the moderators")),
        html.ul(
            *[
                html.li(
                    {"key": f"n{index}"},
                    day(row["created_at"], page.language),
                    ": ",
                    t(
                        OUTCOME_TEXTS.get(row["data"].get("outcome"), OUTCOME_TEXTS["warned"])
                    ).format(reason=row["data"].get("reason", "")),
                )
                for index, row in enumerate(notices)
            ]
        ),
    )

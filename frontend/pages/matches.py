"""My matches: offers of help I sent, interests waiting for my answer, and my matches."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from reactpy import component, html, use_async_effect, use_state
from reactpy.types import VdomDict
from reactpy_router import link

from backend.matching import states
from frontend.components.interests import interest_card, interest_decision
from frontend.components.layout import empty_state, member_page
from frontend.context import use_page

SENT_STATES = {
    states.PENDING: "Waiting for an answer",
    states.DECLINED: "Not this time",
    states.WITHDRAWN: "Withdrawn",
}


@component
def matches_page() -> VdomDict:
    """Everything that is going on between me and other people."""
    page = use_page()
    t = page.t
    mine, set_mine = use_state(None)

    async def load() -> None:
        actor = await page.current_account()
        set_mine(await page.matching.my_matches(actor))

    use_async_effect(load, [])
    if mine is None:
        return member_page(t("My matches"), html.p({"aria-busy": "true"}, t("Loading…")))
    if not (mine.sent or mine.received or mine.matches):
        return member_page(
            t("My matches"),
            empty_state(
                "🤝",
                t("No matches yet"),
                t("Swipe right in Discover to offer help or to accept an offer."),
            ),
        )
    return member_page(
        t("My matches"),
        _section(
            t("Matches"),
            [
                interest_card(view, t, _conversation_link(view.conversation_id, t))
                for view in mine.matches
            ],
        ),
        _section(
            t("Waiting for your answer"),
            [
                interest_card(view, t, interest_decision(view, load, key=f"decide-{view.id}"))
                for view in mine.received
            ],
        ),
        _section(
            t("Sent"),
            [
                interest_card(
                    view,
                    t,
                    html.p({"className": f"badge badge-{view.state}"}, t(SENT_STATES[view.state])),
                )
                for view in mine.sent
            ],
        ),
    )


def _section(title: str, cards: list[VdomDict]) -> VdomDict | str:
    if not cards:
        return ""
    return html.section({"className": "section", "aria-label": title}, html.h2(title), *cards)


def _conversation_link(conversation_id: UUID | None, t: Callable[[str], str]) -> VdomDict:
    return html.p(
        {"className": "muted"},
        t("You matched! The conversation opens in Messages."),
        " ",
        link({"to": f"/messages/{conversation_id}"}, t("Open Messages")),
    )

"""The Messages page, which the messaging issue fills in."""

from __future__ import annotations

from reactpy import component
from reactpy.types import VdomDict

from frontend.components.layout import empty_state, member_page
from frontend.context import use_page


@component
def messages_page() -> VdomDict:
    """Your conversations."""
    t = use_page().t
    return member_page(
        t("Messages"),
        empty_state(
            "💬", t("No messages yet"), t("When you and a neighbour match, you can talk here.")
        ),
    )

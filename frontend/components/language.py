"""The Nederlands / English switch."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any

from reactpy import html
from reactpy.types import VdomDict

LANGUAGE_NAMES = (("nl", "Nederlands"), ("en", "English"))


def _choose_handler(choose: Callable[[str], Any], code: str) -> Callable[[Any], Awaitable[None]]:
    async def on_click(_event: Any) -> None:
        outcome = choose(code)
        if inspect.isawaitable(outcome):
            await outcome

    return on_click


def language_buttons(current: str, label: str, choose: Callable[[str], Any]) -> VdomDict:
    """Two toggle buttons, each named in its own language; ``choose`` may be sync or async."""
    return html.div(
        {"className": "lang-switch", "role": "group", "aria-label": label},
        *[
            html.button(
                {
                    "type": "button",
                    "className": "btn btn-secondary",
                    "aria-pressed": "true" if current == code else "false",
                    "onClick": _choose_handler(choose, code),
                    "lang": code,
                    "key": code,
                },
                name,
            )
            for code, name in LANGUAGE_NAMES
        ],
    )

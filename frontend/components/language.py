"""The Nederlands / English switch."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reactpy import html
from reactpy.types import VdomDict

from frontend.components.events import on_event

LANGUAGE_NAMES = (("nl", "Nederlands"), ("en", "English"))


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
                    "onClick": on_event(choose, code),
                    "lang": code,
                    "key": code,
                },
                name,
            )
            for code, name in LANGUAGE_NAMES
        ],
    )

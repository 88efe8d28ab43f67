"""Form building blocks with labels, hints and errors wired up for assistive technology."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from reactpy import Ref, html, use_ref, use_state
from reactpy.types import VdomDict

Value = TypeVar("Value")


def field(
    name: str,
    label: str,
    control: VdomDict,
    *,
    hint: str = "",
    error: str = "",
) -> VdomDict:
    """A labelled control with an optional hint and error, linked by ``aria-describedby``."""
    described_by = " ".join(
        part for part, text in ((f"{name}-hint", hint), (f"{name}-error", error)) if text
    )
    control["attributes"] = {
        **control.get("attributes", {}),
        "id": name,
        "name": name,
        "aria-invalid": "true" if error else None,
        "aria-describedby": described_by or None,
    }
    return html.div(
        {"className": "field"},
        html.label({"htmlFor": name}, label),
        control,
        html.p({"className": "field-hint", "id": f"{name}-hint"}, hint) if hint else "",
        html.p({"className": "field-error", "id": f"{name}-error"}, error) if error else "",
    )


def notice(kind: str, text: str) -> VdomDict | str:
    """A status (``success``/``info``) or alert (``error``) box; nothing when ``text`` is empty."""
    if not text:
        return ""
    role = "alert" if kind == "error" else "status"
    return html.div({"className": f"notice notice-{kind}", "role": role}, text)


def csrf_input(token: str) -> VdomDict:
    """The hidden field Litestar's CSRF check reads on form posts."""
    return html.input({"type": "hidden", "name": "_csrf_token", "value": token})


def value_of(event: dict[str, Any]) -> str:
    """The ``value`` of the element an input event came from.

    ReactPy sends a ``select``'s target as the list of its options: take the selected one.
    """
    target = event.get("target", {})
    if isinstance(target, list):
        selected = (item for item in target if isinstance(item, dict) and item.get("selected"))
        return str(next(selected, {}).get("value", ""))
    return str(target.get("value", ""))


class Latest(Generic[Value]):
    """A form's values as the newest change left them, not as the last render saw them.

    ReactPy runs each event as a task of its own and renders when it gets to it, so typing,
    autofill, a tap and Enter can all reach the server before the next render. A handler that
    read the values of its render would lose the changes made since: read ``now`` instead, and
    make every change with ``change``, which applies to the newest values.
    """

    def __init__(self, newest: Ref[Value], show: Callable[[Value], None]) -> None:
        self._newest = newest
        self._show = show

    @property
    def now(self) -> Value:
        """The values after every change so far."""
        return self._newest.current

    def change(self, changed: Callable[[Value], Value]) -> Value:
        """Apply ``changed`` to the newest values, render them, and return them."""
        self._newest.current = changed(self._newest.current)
        self._show(self._newest.current)
        return self._newest.current


def use_latest(initial: Value) -> tuple[Value, Latest[Value]]:
    """A state for values that events change and a submit reads: (as rendered, ``Latest``)."""
    shown, show = use_state(initial)
    newest = use_ref(shown)
    return shown, Latest(newest, show)

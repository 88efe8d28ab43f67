"""Event handlers that carry arguments and may be sync or async."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any


def on_event(action: Callable[..., Any], *arguments: Any) -> Callable[[Any], Awaitable[None]]:
    """A handler that ignores the browser event and calls ``action(*arguments)``.

    A lambda would return ``action``'s coroutine without awaiting it; this awaits it.
    """

    async def handler(_event: Any) -> None:
        outcome = action(*arguments)
        if inspect.isawaitable(outcome):
            await outcome

    return handler

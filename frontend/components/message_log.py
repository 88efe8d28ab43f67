"""A conversation's message list that grows live at the cost of the new message only.

ReactPy sends a component's whole model whenever it renders, so the list must not render again
for each message. ``MessageFeed`` holds the messages outside the components; the list renders
the messages it has, then a chain of ``message_tail`` components: each tail shows one later
message and the next tail. A new message re-renders only the waiting tail, so only that message
goes to the browser. Every ``CHAIN_LIMIT`` messages the list renders once more, flat (a long
chain would nest deeper and deeper).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from reactpy import component, html, use_effect, use_ref, use_state
from reactpy.types import VdomDict

from backend.messaging.service import MessageView
from frontend.components.chat import chat_message
from frontend.context import use_page

CHAIN_LIMIT = 50


class MessageFeed:
    """The messages an open conversation page shows, in ``seq`` order without gaps or doubles,
    and which parts of the list must render again when one arrives or is read.
    """

    def __init__(self) -> None:
        self.messages: list[MessageView] = []
        self.flat = 0  # how many messages the list renders itself; later ones hang in the chain
        self.read_seq: int | None = None  # up to where the other side read (None: not shown)
        self._renders: dict[str, Callable[[], None]] = {}

    @property
    def last_seq(self) -> int:
        """The ``seq`` of the newest message (0 when there is none)."""
        return self.messages[-1].seq if self.messages else 0

    def reset(self, messages: Iterable[MessageView], read_seq: int | None) -> None:
        """Start over from stored messages (a first load); the list renders everything."""
        self.messages = list(messages)
        self.read_seq = read_seq
        self._render("list")

    def add(self, messages: Iterable[MessageView]) -> None:
        """Append the messages that come right after the newest one; skip any already here."""
        for message in messages:
            if message.seq != self.last_seq + 1:
                continue
            shown_read = self._read_mark_seq()
            index = len(self.messages)
            self.messages.append(message)
            if index == 0 or index - self.flat >= CHAIN_LIMIT:
                self._render("list")
            else:
                self._render(f"tail-{index}")
            if message.mine and shown_read is not None:
                self._render(f"read-{shown_read}")

    def read_up_to(self, seq: int) -> None:
        """The other side read up to ``seq`` (ignored when read receipts are not shown)."""
        if self.read_seq is None or seq <= self.read_seq:
            return
        self.read_seq = seq
        if (mark := self._read_mark_seq()) is not None:
            self._render(f"read-{mark}")

    def shows_read(self, seq: int) -> bool:
        """Whether the message with ``seq`` carries the "Read" mark."""
        return seq == self._read_mark_seq()

    def starts_run(self, index: int) -> bool:
        """Whether message ``index`` has another sender than the one before it (show the name)."""
        sender = self.messages[index].sender_id
        return index == 0 or self.messages[index - 1].sender_id != sender

    def _read_mark_seq(self) -> int | None:
        last_mine = next((m.seq for m in reversed(self.messages) if m.mine), None)
        if last_mine is None or self.read_seq is None or self.read_seq < last_mine:
            return None
        return last_mine

    def watch(self, name: str, render: Callable[[], None]) -> None:
        """Let ``render`` run when the part called ``name`` changes."""
        self._renders[name] = render

    def forget(self, name: str, render: Callable[[], None]) -> None:
        """Stop watching (an unmounted part), unless a newer part took the name over."""
        if self._renders.get(name) is render:
            del self._renders[name]

    def _render(self, name: str) -> None:
        if (render := self._renders.get(name)) is not None:
            render()


def _use_watch(feed: MessageFeed, name: str) -> None:
    """Render this component again when ``feed`` says the part ``name`` changed."""
    _, set_count = use_state(0)
    # One callable for the component's life, so that unmounting forgets exactly what it watched.
    render = use_ref(lambda: set_count(lambda count: count + 1)).current
    feed.watch(name, render)
    use_effect(lambda: lambda: feed.forget(name, render), [])


@component
def read_mark(feed: MessageFeed, seq: int) -> VdomDict:
    """ "Read" next to the newest own message once the other side has read it."""
    _use_watch(feed, f"read-{seq}")
    if not feed.shows_read(seq):
        return html.fragment()
    return html.span({"className": "message-read"}, " · ", use_page().t("Read"))


def _item(feed: MessageFeed, index: int) -> Any:
    message = feed.messages[index]
    status = read_mark(feed, message.seq, key="read") if message.mine else ""
    return chat_message(message, feed.starts_run(index), status, key=str(message.id))


@component
def message_tail(feed: MessageFeed, index: int) -> VdomDict:
    """Message ``index`` (once it is there) and the tail after it."""
    _use_watch(feed, f"tail-{index}")
    if index >= len(feed.messages):
        return html.fragment()
    return html.fragment(_item(feed, index), message_tail(feed, index + 1, key="tail"))


@component
def message_log(feed: MessageFeed) -> VdomDict:
    """The messages, oldest first; new ones are appended live."""
    t = use_page().t
    _use_watch(feed, "list")
    feed.flat = len(feed.messages)
    content = (
        html.ol(
            {"className": "message-list"},
            *[_item(feed, index) for index in range(feed.flat)],
            message_tail(feed, feed.flat, key=f"tail-{feed.flat}"),
        )
        if feed.messages
        else html.p({"className": "muted"}, t("No messages yet. Say hello!"))
    )
    return html.section(
        {"className": "message-log", "role": "log", "aria-label": t("Messages")}, content
    )

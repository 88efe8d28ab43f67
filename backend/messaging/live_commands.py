"""What a conversation page asks over the live socket (send, read, newest), and the replies.

One ``LiveCommands`` per socket answers its commands one at a time, as the person whose session
the socket carries; that session is looked up again at most every ``SESSION_RECHECK_SECONDS``.
"""

from __future__ import annotations

import logging
import time
from typing import Annotated, Literal
from uuid import UUID

import msgspec

from backend.accounts.service import Account, Accounts, SignedIn
from backend.errors import DomainError, NotAuthenticated
from backend.messaging.safety import concerns_in
from backend.messaging.service import Messaging
from backend.translatable import N_

logger = logging.getLogger(__name__)
# A burst of messages costs one session lookup; a log-out is noticed within this time.
SESSION_RECHECK_SECONDS = 5.0
# A message is at most 2,000 characters: a command many times longer is refused unread.
MAX_COMMAND_CHARS = 16 * 1024
UNEXPECTED_ERROR = N_("Something went wrong. Please try again.")


class SessionEnded(Exception):
    """The socket's session has ended (log-out, deletion, ban): it must close."""


class _Command(msgspec.Struct, tag_field="type", forbid_unknown_fields=True, frozen=True):
    conversation: UUID


class SendCommand(_Command, tag="send"):
    """Store a message once per ``client_id``; ``approved`` sends it despite safety concerns.

    The body's length is the service's rule, so that a long text is refused like over HTTP.
    """

    client_id: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
    body: str = ""
    kind: Literal["text", "thanks"] = "text"
    approved: bool = False


class ReadCommand(_Command, tag="read"):
    """Everything up to ``seq`` has been read."""

    seq: Annotated[int, msgspec.Meta(ge=0)]


class NewestCommand(_Command, tag="newest"):
    """Which ``seq`` is the newest stored (to notice a missed live event)?"""


Command = SendCommand | ReadCommand | NewestCommand


class _Reply(msgspec.Struct, tag_field="type", omit_defaults=True):
    pass


class SentReply(_Reply, tag="sent"):
    """An earlier send with the same ``client_id`` stored the message. A send that stores it
    gets no reply: the message's live event, which names the ``client_id``, answers it (one
    frame instead of two, for every message sent).
    """

    conversation: UUID
    client_id: str
    seq: int
    id: UUID


class HeldReply(_Reply, tag="held"):
    """Nothing stored: the text raises these safety concerns; send again approved to send it."""

    conversation: UUID
    client_id: str
    concerns: list[str]


class RefusedReply(_Reply, tag="refused"):
    """The command broke a rule; ``error`` is the English message (the page translates it)."""

    conversation: UUID
    error: str
    client_id: str | None = None


class NewestReply(_Reply, tag="newest"):
    """The newest stored ``seq`` of the conversation (0 without messages)."""

    conversation: UUID
    seq: int


class ErrorReply(_Reply, tag="error"):
    """The frame was no command (too long, not JSON, unknown type, wrong fields)."""

    error: str


Reply = SentReply | HeldReply | RefusedReply | NewestReply | ErrorReply
_decoder = msgspec.json.Decoder(Command)
_encoder = msgspec.json.Encoder()


class LiveCommands:
    """The commands of one socket, answered in order of arrival."""

    def __init__(self, messaging: Messaging, accounts: Accounts, signed_in: SignedIn) -> None:
        self._messaging = messaging
        self._accounts = accounts
        self._signed_in = signed_in
        # The socket's handshake has just resolved the session.
        self._checked_at = time.monotonic()
        # Conversations the person was found in since the session was last checked.
        self._verified: set[UUID] = set()

    async def answer(self, frame: str) -> bytes | None:
        """The JSON reply to one frame, or None when it needs none (a read that was stored, a
        message that was stored and published).

        Raises ``SessionEnded`` once the socket's session has ended.
        """
        if len(frame) > MAX_COMMAND_CHARS:
            reply: Reply | None = ErrorReply(
                f"A command has at most {MAX_COMMAND_CHARS} characters."
            )
        else:
            try:
                command = _decoder.decode(frame)
            except msgspec.DecodeError as error:  # also wrong types and unknown commands
                reply = ErrorReply(f"That is not a command: {error}")
            else:
                reply = await self._answer_safely(command)
        return None if reply is None else _encoder.encode(reply)

    async def _answer_safely(self, command: Command) -> Reply | None:
        client_id = command.client_id if isinstance(command, SendCommand) else None
        try:
            return await self._run(await self._actor(), command)
        except DomainError as error:
            return RefusedReply(command.conversation, error.message, client_id)
        except SessionEnded:
            raise
        except Exception:
            logger.exception("the live command %s failed", type(command).__name__)
            return RefusedReply(command.conversation, UNEXPECTED_ERROR, client_id)

    async def _actor(self) -> Account:
        """The socket's account, re-checked when the last check is ``SESSION_RECHECK_SECONDS``
        old; it also forgets which conversations the person was found in, so that someone who
        left an organisation loses its conversations.
        """
        now = time.monotonic()
        if now - self._checked_at >= SESSION_RECHECK_SECONDS:
            try:
                self._signed_in = await self._accounts.still_signed_in(self._signed_in.session_id)
            except NotAuthenticated as error:
                raise SessionEnded from error
            self._checked_at = now
            self._verified.clear()
        return self._signed_in.account

    async def _run(self, actor: Account, command: Command) -> Reply | None:
        match command:
            case SendCommand():
                return await self._send(actor, command)
            case ReadCommand():
                await self._messaging.mark_read(actor, command.conversation, command.seq)
                return None
            case NewestCommand():
                if command.conversation not in self._verified:
                    await self._messaging.sides(actor, command.conversation)
                    self._verified.add(command.conversation)
                seq = await self._messaging.newest_seq(command.conversation)
                return NewestReply(command.conversation, seq)

    async def _send(self, actor: Account, command: SendCommand) -> Reply | None:
        if command.kind == "text" and not command.approved:
            concerns = concerns_in(command.body)
            if concerns:
                codes = sorted(concern.value for concern in concerns)
                return HeldReply(command.conversation, command.client_id, codes)
        view, published = await self._messaging.send_once(
            actor,
            command.conversation,
            client_id=command.client_id,
            body=command.body,
            kind=command.kind,
        )
        if published:  # its live event reaches this socket too, and answers the send
            return None
        return SentReply(command.conversation, command.client_id, view.seq, view.id)

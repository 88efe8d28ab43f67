"""Group commit: messages sent at the same time are stored together, one batch at a time.

``MessageWriter.submit`` queues a message and waits for its outcome. One writer task takes up to
``BATCH_SIZE`` queued messages and stores them together; what is queued meanwhile forms the next
batch (a ``BatchQueue``). Batches thus grow with the load, and nothing waits on a timer. A batch
costs the same
statements whatever its size: the conversations' people, then in one write transaction the
conversation rows locked (on PostgreSQL, in id order so that processes do not deadlock; SQLite
locks the file), what each message finds (a resend, whether its sender wrote there before, the
newest ``seq``), the blocks among the people, the rate-limit counters, and one statement each to
insert the messages, move the senders' read marks, set ``last_message_at`` and notify.

Each message keeps the rules of sending one alone, decided in queued order: a stranger gets
``NotFound``; a resend of a ``client_id`` the stored message (a second one with the same
``client_id`` waits for the next batch, where it finds the first, as does a sender's second
first message in a conversation, whose limits depend on the first); a block ``Forbidden``; the
limits refuse as ``RateLimiter.consume_each`` decides. ``seq`` stays gapless and unique with
several processes writing. A batch whose transaction fails is tried again one message at a
time, so that only a failing one fails. The sender publishes its message once it is stored
(the writer does if the sender stopped waiting meanwhile; one still queued is left out).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from piccolo.engine.postgres import PostgresEngine

from backend.accounts.service import Account
from backend.db import ids_table, rows_table, write_transaction
from backend.errors import Forbidden, NotFound
from backend.messaging.batching import LATER, BatchQueue, Later
from backend.messaging.sides import Sides, SidesOf, member_sides
from backend.messaging.tables import Message
from backend.notifications.service import (
    MESSAGE_RECEIVED,
    THANKS_RECEIVED,
    record_many_notifications,
)
from backend.ratelimit.service import Limit, RateLimiter

ENGINE = Message._meta.db
ITEM_COLUMNS = (("n", "int"), ("conversation", "uuid"), ("sender", "uuid"), ("client_id", "text"))
MESSAGE_COLUMNS = (
    ("id", "uuid"),
    ("conversation", "uuid"),
    ("seq", "int"),
    ("sender", "uuid"),
    ("client_id", "text"),
    ("kind", "text"),
    ("body", "text"),
    ("created_at", "timestamptz"),
)
READ_COLUMNS = (("conversation", "uuid"), ("person", "uuid"), ("seq", "int"))


@dataclass(frozen=True)
class Outgoing:
    """A message to store; ``ip`` is the sender's address (for the limits of their network)."""

    actor: Account
    conversation_id: UUID
    client_id: str
    kind: str
    body: str
    ip: str | None


@dataclass(frozen=True)
class Stored:
    """A message as it was stored, and the people of its conversation."""

    id: UUID
    seq: int
    created_at: datetime
    sides: Sides


@dataclass(frozen=True)
class Resent:
    """Where the sender's earlier message with the same ``client_id`` is."""

    conversation_id: UUID
    seq: int


Outcome = Stored | Resent | Exception | Later


class MessageWriter(BatchQueue[Outgoing, Stored | Resent]):
    """The queue of messages to store and the one task that stores them, batch by batch.

    ``limits_for(wrote_here)`` names the rate limits of a message (``wrote_here``: the sender
    wrote in the conversation before); ``unawaited`` publishes a message stored after its sender
    stopped waiting (a closed page); ``batches`` counts the batches stored.
    """

    def __init__(
        self,
        sides_of: SidesOf,
        limiter: RateLimiter,
        limits_for: Callable[[bool], list[Limit]],
        unawaited: Callable[[Outgoing, Stored], Awaitable[object]],
    ) -> None:
        super().__init__()
        self._sides_of = sides_of
        self._limiter = limiter
        self._limits_for = limits_for
        self._publish_unawaited = unawaited

    def _key(self, message: Outgoing) -> tuple[UUID, str]:
        """One message per sender and ``client_id`` a batch: a second waits to be found as a
        resend."""
        return (message.actor.id, message.client_id)

    async def _unawaited(self, message: Outgoing, outcome: Stored | Resent) -> None:
        if isinstance(outcome, Stored):  # stored, so published all the same
            await self._publish_unawaited(message, outcome)

    async def _handle(self, messages: list[Outgoing]) -> list[Outcome]:
        """Store what may be stored of ``messages`` in one transaction; the outcome of each."""
        outcomes: list[Outcome] = [LATER] * len(messages)
        all_sides = await self._sides_of({message.conversation_id for message in messages})
        present = []
        for n, message in enumerate(messages):
            if member_sides(all_sides, message.conversation_id, message.actor.id) is None:
                outcomes[n] = NotFound("Not found.")
            else:
                present.append(n)
        if not present:
            return outcomes
        async with write_transaction(ENGINE):
            await _lock_conversations({messages[n].conversation_id for n in present})
            facts = await _facts(messages, present)
            people = {person for sides in all_sides.values() for person in sides.people}
            blocks = await _blocks(people)
            limited = []
            firsts: set[tuple[UUID, UUID]] = set()
            for n in present:
                message, row = messages[n], facts[n]
                sender, first = message.actor.id, (message.conversation_id, message.actor.id)
                others = all_sides[message.conversation_id].others(sender)
                if row["earlier_seq"] is not None:
                    outcomes[n] = Resent(row["earlier_conversation"], row["earlier_seq"])
                elif any(
                    (sender, other) in blocks or (other, sender) in blocks for other in others
                ):
                    outcomes[n] = Forbidden("This conversation has ended.")
                elif row["wrote_here"] or first not in firsts:
                    # A second first message waits (LATER): its limits depend on the first.
                    firsts.add(first)
                    limited.append(n)
            refusals = await self._limiter.consume_each(
                [
                    (self._uses(messages[n], bool(facts[n]["wrote_here"])), messages[n].ip)
                    for n in limited
                ]
            )
            storing = []
            for n, refusal in zip(limited, refusals, strict=True):
                if refusal is None:
                    storing.append(n)
                else:
                    outcomes[n] = refusal
            if storing:
                now = datetime.now(UTC)
                for n, stored in (await _insert(messages, storing, facts, all_sides, now)).items():
                    outcomes[n] = stored
        return outcomes

    def _uses(self, message: Outgoing, wrote_here: bool) -> list[tuple[Limit, str]]:
        return [(limit, str(message.actor.id)) for limit in self._limits_for(wrote_here)]


async def _lock_conversations(conversation_ids: set[UUID]) -> None:
    """Lock the conversations' rows until commit, in one order for every process (SQLite's
    write transaction has locked the whole file already)."""
    if isinstance(ENGINE, PostgresEngine):
        await Message.raw(
            "SELECT 1 FROM handje_conversation WHERE id = ANY({}::uuid[]) ORDER BY id FOR UPDATE",
            sorted(conversation_ids),
        )


async def _facts(messages: list[Outgoing], present: list[int]) -> dict[int, dict[str, Any]]:
    """Per message, in one statement: the sender's earlier message with its ``client_id``
    (``earlier_seq`` is ``None`` unless this is a resend), whether they wrote in the conversation
    before, and its newest ``seq`` (``last_seq``, ``None`` without messages).
    """
    item, values = rows_table(
        ENGINE,
        "item",
        ITEM_COLUMNS,
        [
            (n, messages[n].conversation_id, messages[n].actor.id, messages[n].client_id)
            for n in present
        ],
    )
    rows = await Message.raw(
        f"WITH {item} SELECT item.n, earlier.conversation AS earlier_conversation, "  # noqa: S608
        "earlier.seq AS earlier_seq, EXISTS (SELECT 1 FROM handje_message AS mine "
        "WHERE mine.conversation = item.conversation AND mine.sender = item.sender) AS wrote_here, "
        "(SELECT MAX(seq) FROM handje_message AS newest "
        "WHERE newest.conversation = item.conversation) AS last_seq "
        "FROM item LEFT JOIN handje_message AS earlier "
        "ON earlier.sender = item.sender AND earlier.client_id = item.client_id",
        *values,
    )
    return {row["n"]: row for row in rows}


async def _blocks(people: set[UUID]) -> set[tuple[UUID, UUID]]:
    """Every (blocker, blocked) pair among ``people``."""
    person, values = ids_table(ENGINE, "person", people)
    rows = await Message.raw(
        f"WITH {person} SELECT blocker, blocked FROM handje_block "  # noqa: S608
        "WHERE blocker IN (SELECT id FROM person) AND blocked IN (SELECT id FROM person)",
        *values,
    )
    return {(row["blocker"], row["blocked"]) for row in rows}


async def _insert(
    messages: list[Outgoing],
    storing: list[int],
    facts: dict[int, dict[str, Any]],
    all_sides: dict[UUID, Sides],
    now: datetime,
) -> dict[int, Stored]:
    """Insert the messages ``storing`` with the next seqs of their conversations; move their
    senders' read marks and the conversations' ``last_message_at``; notify the others."""
    newest: dict[UUID, int] = {}
    stored: dict[int, Stored] = {}
    for n in storing:
        message = messages[n]
        conversation = message.conversation_id
        seq = newest.get(conversation, facts[n]["last_seq"] or 0) + 1
        newest[conversation] = seq
        stored[n] = Stored(uuid4(), seq, now, all_sides[conversation])
    rows = [
        (
            stored[n].id,
            messages[n].conversation_id,
            stored[n].seq,
            messages[n].actor.id,
            messages[n].client_id,
            messages[n].kind,
            messages[n].body,
            now,
        )
        for n in storing
    ]
    new, values = rows_table(ENGINE, "new", MESSAGE_COLUMNS, rows)
    names = ", ".join(name for name, _ in MESSAGE_COLUMNS)
    await Message.raw(
        f"WITH {new} INSERT INTO handje_message ({names}) SELECT {names} FROM new",  # noqa: S608
        *values,
    )
    # Later messages of a sender in a conversation come later in ``storing``: theirs win.
    read = {(messages[n].conversation_id, messages[n].actor.id): stored[n].seq for n in storing}
    sent, values = rows_table(
        ENGINE, "sent", READ_COLUMNS, [(*pair, seq) for pair, seq in read.items()]
    )
    await Message.raw(
        f"WITH {sent} UPDATE handje_participation SET read_seq = sent.seq FROM sent "  # noqa: S608
        "WHERE handje_participation.conversation = sent.conversation "
        'AND handje_participation."user" = sent.person',
        *values,
    )
    touched, values = ids_table(ENGINE, "touched", newest)
    await Message.raw(
        f"WITH {touched} UPDATE handje_conversation SET last_message_at = {{}} "  # noqa: S608
        "WHERE id IN (SELECT id FROM touched)",
        *values,
        now,
    )
    await record_many_notifications(
        (
            all_sides[messages[n].conversation_id].others(messages[n].actor.id),
            THANKS_RECEIVED if messages[n].kind == "thanks" else MESSAGE_RECEIVED,
            {
                "conversation_id": str(messages[n].conversation_id),
                "from": messages[n].actor.display_name,
            },
        )
        for n in storing
    )
    return stored

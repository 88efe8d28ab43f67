"""Read marks made at the same time are stored together, one batch at a time (a ``BatchQueue``).

A batch costs the same statements whatever its size: the conversations' people, then in one
write transaction one upsert of the readers' participations and one update that settles their
notifications of those conversations, and one query for who keeps read receipts on. Each read
keeps the rules of marking read alone: a stranger gets ``NotFound``; a ``read_seq`` only moves
forward (of two reads of one person in one conversation in a batch, the greater counts); the
reader's message notifications of the conversation are settled; the reader's own inbox is told,
and the others who keep read receipts on, unless the reader turned them off. The caller
publishes the read once it is stored (the writer does if the caller stopped waiting).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from uuid import UUID, uuid4

from backend.accounts.service import Account
from backend.accounts.tables import User
from backend.db import ids_table, rows_table, write_transaction
from backend.errors import NotFound
from backend.messaging.batching import BatchQueue
from backend.messaging.sides import SidesOf, member_sides
from backend.messaging.tables import Participation
from backend.notifications.service import settle_conversations

ENGINE = Participation._meta.db
READ_COLUMNS = (("id", "uuid"), ("conversation", "uuid"), ("person", "uuid"), ("seq", "int"))


@dataclass(frozen=True)
class Reading:
    """The actor has read the conversation up to ``seq``."""

    actor: Account
    conversation_id: UUID
    seq: int


@dataclass(frozen=True)
class Read:
    """A stored read mark, and the others to tell of it (besides the reader)."""

    told: list[UUID]


class ReadWriter(BatchQueue[Reading, Read]):
    """The queue of read marks to store and the one task that stores them, batch by batch;
    ``unawaited`` publishes a read stored after its caller stopped waiting.
    """

    def __init__(
        self, sides_of: SidesOf, unawaited: Callable[[Reading, Read], Awaitable[object]]
    ) -> None:
        super().__init__()
        self._sides_of = sides_of
        self._publish_unawaited = unawaited

    async def _unawaited(self, reading: Reading, read: Read) -> None:
        await self._publish_unawaited(reading, read)

    async def _handle(self, readings: list[Reading]) -> list[Read | Exception]:
        """Store the read marks of ``readings`` in one transaction; the outcome of each."""
        all_sides = await self._sides_of({reading.conversation_id for reading in readings})
        others: dict[int, list[UUID]] = {}  # per reading of someone in the conversation
        for n, reading in enumerate(readings):
            sides = member_sides(all_sides, reading.conversation_id, reading.actor.id)
            if sides is not None:
                others[n] = sides.others(reading.actor.id)
        if not others:
            return [NotFound("Not found.") for _ in readings]
        present = [readings[n] for n in others]
        async with write_transaction(ENGINE):
            await _move_read_marks(present)
            await settle_conversations(
                {(reading.actor.id, reading.conversation_id) for reading in present}
            )
        # Who turned read receipts off is told of no one's reading, nor anyone of theirs.
        telling = {n for n in others if readings[n].actor.read_receipts}
        told = await _keeping_receipts({other for n in telling for other in others[n]})
        return [
            Read([other for other in others[n] if n in telling and other in told])
            if n in others
            else NotFound("Not found.")
            for n in range(len(readings))
        ]


async def _move_read_marks(readings: list[Reading]) -> None:
    """Move each reader's ``read_seq`` forward to the greatest ``seq`` read (creating their
    participation if need be), in one statement; rows in one order, so that processes do not
    deadlock.
    """
    newest: dict[tuple[UUID, UUID], int] = {}
    for reading in readings:
        pair = (reading.conversation_id, reading.actor.id)
        newest[pair] = max(reading.seq, newest.get(pair, reading.seq))
    read, values = rows_table(
        ENGINE,
        "read",
        READ_COLUMNS,
        [(uuid4(), *pair, seq) for pair, seq in sorted(newest.items())],
    )
    # ``WHERE TRUE`` tells SQLite that ON CONFLICT belongs to the INSERT, not to a join.
    await Participation.raw(
        f"WITH {read} INSERT INTO handje_participation "  # noqa: S608
        '(id, conversation, "user", read_seq, phone_shared, safety_acknowledged) '
        "SELECT id, conversation, person, seq, FALSE, FALSE FROM read WHERE TRUE "
        'ON CONFLICT (conversation, "user") DO UPDATE SET read_seq = excluded.read_seq '
        "WHERE handje_participation.read_seq < excluded.read_seq",
        *values,
    )


async def _keeping_receipts(people: set[UUID]) -> set[UUID]:
    """Who of ``people`` keeps read receipts on."""
    if not people:
        return set()
    person, values = ids_table(ENGINE, "person", people)
    rows = await User.raw(
        f"WITH {person} SELECT id FROM handje_user "  # noqa: S608
        "WHERE read_receipts AND id IN (SELECT id FROM person)",
        *values,
    )
    return {row["id"] for row in rows}

"""Read marks made at the same time are stored together in batches, and each read still keeps
its own rules: a stranger's fails alone, a read mark never moves back, the right people are told
and the reader's notifications of the conversation are settled."""

from __future__ import annotations

import asyncio
from typing import Any
from uuid import UUID

from litestar import Litestar

from backend.accounts.service import ProfileChanges
from backend.errors import Invalid, NotFound
from backend.messaging.service import Messaging, inbox_channel
from backend.messaging.tables import Participation
from backend.ratelimit.service import DatabaseCounterStore, RateLimiter
from tests.factories import make_account, make_conversations, make_match, place_in

Told = list[tuple[str, int, set[str]]]


def _messaging(app: Litestar, told: Told) -> Messaging:
    """A messaging service of its own that keeps each read event as (reader, seq, channels)."""

    async def publish(event: dict[str, Any], channels: list[str]) -> None:
        if event["type"] == "read":
            told.append((event["reader"], event["seq"], set(channels)))

    return Messaging(app.state.listings, RateLimiter(DatabaseCounterStore()), publish)


async def _read_seqs(conversation: UUID) -> dict[UUID, int]:
    rows = await Participation.select(Participation.user, Participation.read_seq).where(
        Participation.conversation == conversation
    )
    return {row["user"]: row["read_seq"] for row in rows}


async def test_reads_at_once_in_many_conversations_are_stored_in_a_few_batches(
    app: Litestar,
) -> None:
    pairs = await make_conversations(app, 8)
    messaging = _messaging(app, [])
    for owner, helper, conversation in pairs:
        await messaging.send(helper, conversation, client_id=f"{conversation}-1", body="Hoi")
        await messaging.send(owner, conversation, client_id=f"{conversation}-2", body="Dag")
    await asyncio.gather(
        *(
            messaging.mark_read(person, conversation, 2)
            for owner, helper, conversation in pairs
            for person in (owner, helper)
        )
    )
    assert messaging.read_batches <= 2  # one by one would take 16
    for owner, helper, conversation in pairs:
        assert await _read_seqs(conversation) == {owner.id: 2, helper.id: 2}
        assert (await messaging.conversations(owner))[0].unread == 0


async def test_a_read_mark_never_moves_back(app: Litestar) -> None:
    [(owner, helper, conversation)] = await make_conversations(app, 1)
    told: Told = []
    messaging = _messaging(app, told)
    for n in range(3):
        await messaging.send(helper, conversation, client_id=f"m{n}", body=f"{n}")
    # Two reads of one person in one batch, the newer first: the greater counts.
    await asyncio.gather(
        messaging.mark_read(owner, conversation, 3),
        messaging.mark_read(owner, conversation, 1),
        messaging.mark_read(helper, conversation, 3),
    )
    assert messaging.read_batches == 1
    assert await _read_seqs(conversation) == {owner.id: 3, helper.id: 3}
    await messaging.mark_read(owner, conversation, 2)  # an older read after a newer one
    assert (await _read_seqs(conversation))[owner.id] == 3
    assert sorted(seq for reader, seq, _ in told if reader == str(owner.id)) == [1, 2, 3]


async def test_a_strangers_read_fails_alone_and_the_others_in_its_batch_are_stored(
    app: Litestar,
) -> None:
    (owner, helper, first), (_, other_helper, second) = await make_conversations(app, 2)
    stranger = await make_account(app)
    told: Told = []
    messaging = _messaging(app, told)
    outcomes = await asyncio.gather(
        messaging.mark_read(owner, first, 4),
        messaging.mark_read(stranger, first, 5),
        messaging.mark_read(helper, second, 6),  # not in this one either
        messaging.mark_read(other_helper, second, 7),
        return_exceptions=True,
    )
    assert messaging.read_batches == 1
    assert [type(outcome) for outcome in outcomes] == [type(None), NotFound, NotFound, type(None)]
    assert (await _read_seqs(first))[owner.id] == 4
    assert stranger.id not in await _read_seqs(first)
    assert helper.id not in await _read_seqs(second)
    assert (await _read_seqs(second))[other_helper.id] == 7
    assert sorted(seq for _, seq, _ in told) == [4, 7]


async def test_a_read_tells_only_whoever_keeps_read_receipts_on_both_sides(
    app: Litestar,
) -> None:
    (
        (owner, helper, both_on),
        (quiet_owner, helper_b, owner_off),
        (owner_c, quiet_helper, helper_off),
    ) = await make_conversations(app, 3)
    off = ProfileChanges(read_receipts=False)
    quiet_owner = await app.state.accounts.update_profile(quiet_owner, off)
    quiet_helper = await app.state.accounts.update_profile(quiet_helper, off)
    told: Told = []
    messaging = _messaging(app, told)
    await asyncio.gather(
        messaging.mark_read(helper, both_on, 1),
        messaging.mark_read(quiet_owner, owner_off, 2),  # turned them off: tells nobody
        messaging.mark_read(helper_b, owner_off, 3),  # the other turned them off
        messaging.mark_read(owner_c, helper_off, 4),
    )
    assert messaging.read_batches == 1
    inbox = {person.id: inbox_channel(person.id) for person in (owner, helper, owner_c)}
    inbox |= {person.id: inbox_channel(person.id) for person in (quiet_owner, helper_b)}
    assert sorted(told, key=lambda item: item[1]) == [
        (str(helper.id), 1, {inbox[helper.id], inbox[owner.id]}),
        (str(quiet_owner.id), 2, {inbox[quiet_owner.id]}),
        (str(helper_b.id), 3, {inbox[helper_b.id]}),
        (str(owner_c.id), 4, {inbox[owner_c.id]}),
    ]


async def test_reads_in_one_batch_settle_the_notifications_of_their_own_conversations(
    app: Litestar,
) -> None:
    (owner, helper, first), (other_owner, other_helper, second) = await make_conversations(app, 2)
    elsewhere_owner = await place_in(app, await make_account(app), "Utrecht")
    elsewhere = await make_match(app, elsewhere_owner, helper)
    messaging = _messaging(app, [])
    for person in (owner, helper, other_owner, other_helper):
        await app.state.push.mark_read(person)  # the interests and matches so far
    await messaging.send(owner, first, client_id="a", body="Hoi Sam")
    await messaging.send(other_helper, second, client_id="b", body="Hoi Henk")
    await messaging.send(elsewhere_owner, elsewhere, client_id="c", body="Ook hoi")
    assert await app.state.push.unread_count(helper) == 2
    await asyncio.gather(
        messaging.mark_read(helper, first, 1),
        messaging.mark_read(other_owner, second, 1),
    )
    assert messaging.read_batches == 1
    assert await app.state.push.unread_count(helper) == 1  # the conversation not read
    assert await app.state.push.unread_count(other_owner) == 0


async def test_two_processes_reading_the_same_conversations_at_once_store_every_read(
    app: Litestar,
) -> None:
    pairs = await make_conversations(app, 4)
    # Each service has a writer of its own, as each app process does; the two take the
    # conversations in opposite orders.
    processes = [_messaging(app, []), _messaging(app, [])]
    reads = [
        (processes[n % 2], person, conversation, n)
        for n in range(1, 7)
        for owner, helper, conversation in (pairs if n % 2 else pairs[::-1])
        for person in (owner, helper)
    ]
    await asyncio.gather(
        *(messaging.mark_read(person, there, seq) for messaging, person, there, seq in reads)
    )
    assert sum(process.read_batches for process in processes) < len(reads)
    for owner, helper, conversation in pairs:
        assert await _read_seqs(conversation) == {owner.id: 6, helper.id: 6}


async def test_a_read_mark_no_message_can_have_is_refused_and_the_others_are_stored(
    app: Litestar,
) -> None:
    [(owner, helper, conversation)] = await make_conversations(app, 1)
    messaging = _messaging(app, [])
    outcomes = await asyncio.gather(
        messaging.mark_read(owner, conversation, 2**40),
        messaging.mark_read(helper, conversation, 1),
        return_exceptions=True,
    )
    assert isinstance(outcomes[0], Invalid)
    assert messaging.read_batches == 1  # the other read went alone, not after a failed batch
    assert await _read_seqs(conversation) == {owner.id: 0, helper.id: 1}

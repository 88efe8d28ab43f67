"""Group commit: messages sent at the same time are stored together in batches, and each sender
still gets its own message or its own refusal."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from litestar import Litestar

from backend.app import create_app
from backend.errors import Forbidden, NotFound, TooManyRequests
from backend.messaging.service import Messaging
from backend.messaging.tables import Message, Participation
from backend.notifications.service import notifications_for
from backend.ratelimit.service import DatabaseCounterStore, Limit, RateLimiter
from backend.settings import Settings
from tests.factories import make_account, make_conversations, make_match


async def test_messages_sent_at_once_in_many_conversations_are_stored_in_a_few_batches(
    app: Litestar,
) -> None:
    messaging = app.state.messaging
    pairs = await make_conversations(app, 8)
    sends = [
        (person, conversation, f"{conversation}-{turn}", kind)
        for owner, helper, conversation in pairs
        for turn, (person, kind) in enumerate([(helper, "text"), (owner, "thanks")])
    ]
    batches = messaging.batches_stored
    sent = await asyncio.gather(
        *(
            messaging.send(person, conversation, client_id=client_id, body=client_id, kind=kind)
            for person, conversation, client_id, kind in sends
        )
    )
    assert messaging.batches_stored - batches <= 2  # one by one would take 16
    for view, (person, _, client_id, kind) in zip(sent, sends, strict=True):
        assert (view.body, view.kind, view.sender_id, view.mine) == (
            client_id,
            kind,
            person.id,
            True,
        )
    for owner, helper, conversation in pairs:
        history = await messaging.history(owner, conversation)
        assert [(m.seq, m.body) for m in history] == [
            (1, f"{conversation}-0"),
            (2, f"{conversation}-1"),
        ]
        reads = await Participation.select(Participation.user, Participation.read_seq).where(
            Participation.conversation == conversation
        )
        assert {row["user"]: row["read_seq"] for row in reads} == {helper.id: 1, owner.id: 2}
        for person, kind in ((owner, "message_received"), (helper, "thanks_received")):
            newest = (await notifications_for(person.id))[0]
            assert (newest["kind"], newest["data"]["conversation_id"]) == (kind, str(conversation))
        line = (await messaging.conversations(owner))[0]
        assert line.last_message_at == history[-1].created_at
    assert await Message.count() == len(sends)


async def test_many_messages_at_once_in_one_conversation_get_gapless_places(
    app: Litestar,
) -> None:
    messaging = app.state.messaging
    [(owner, helper, conversation)] = await make_conversations(app, 1)
    await messaging.send(owner, conversation, client_id="start-owner", body="Hoi")
    await messaging.send(helper, conversation, client_id="start-helper", body="Hallo")
    batches = messaging.batches_stored
    sent = await asyncio.gather(
        *(
            messaging.send(person, conversation, client_id=f"at-once-{n}", body=f"{n}")
            for n, person in enumerate([owner, helper] * 8)
        )
    )
    assert messaging.batches_stored - batches <= 2
    assert [view.body for view in sent] == [str(n) for n in range(16)]
    assert sorted(view.seq for view in sent) == list(range(3, 19))
    history = await messaging.history(owner, conversation)
    assert [(m.seq, m.body) for m in history[2:]] == [(view.seq, view.body) for view in sent]


async def test_two_processes_writing_the_same_conversations_keep_their_places_gapless(
    app: Litestar,
) -> None:
    pairs = await make_conversations(app, 2)
    for owner, helper, conversation in pairs:  # first messages each go in a batch of their own
        for person in (owner, helper):
            await app.state.messaging.send(
                person, conversation, client_id=f"{person.id}", body="Hoi"
            )
    # Each service has a writer of its own, as each app process does.
    processes = [_messaging(app, []), _messaging(app, [])]
    # The two take the conversations in opposite orders: their locks must not deadlock.
    sends = [
        (processes[n % 2], person, conversation, f"{conversation}-{n}")
        for n in range(12)
        for owner, helper, conversation in (pairs if n % 2 else pairs[::-1])
        for person in [owner if n % 4 < 2 else helper]
    ]
    await asyncio.gather(
        *(
            messaging.send(person, conversation, client_id=client_id, body=client_id)
            for messaging, person, conversation, client_id in sends
        )
    )
    assert sum(process.batches_stored for process in processes) <= 4
    for owner, _, conversation in pairs:
        history = await app.state.messaging.history(owner, conversation)
        assert [message.seq for message in history] == list(range(1, 15))
        assert sorted(message.body for message in history[2:]) == sorted(
            client_id for *_, there, client_id in sends if there == conversation
        )


async def test_a_resend_stored_by_another_process_meanwhile_fails_none_of_the_batch(
    app: Litestar,
) -> None:
    (_, helper, first), (other_owner, other_helper, elsewhere) = await make_conversations(app, 2)
    second = await make_match(app, other_owner, helper)
    processes = [_messaging(app, []), _messaging(app, [])]
    # The same message reaches both processes at once (one page, two connections), each
    # with a conversation of its own: the second insert meets the first one's unique id.
    stored, again, beside = await asyncio.gather(
        processes[0].send(helper, first, client_id="both", body="Hoi"),
        processes[1].send(helper, second, client_id="both", body="Hoi"),
        processes[1].send(other_helper, elsewhere, client_id="beside", body="Dag"),
    )
    assert (again.id, again.seq, again.body) == (stored.id, stored.seq, "Hoi")
    assert (beside.seq, beside.body) == (1, "Dag")
    assert await Message.count().where(Message.client_id == "both") == 1


async def test_a_message_whose_sender_stops_waiting_is_still_stored_and_published(
    app: Litestar,
) -> None:
    [(_, helper, conversation)] = await make_conversations(app, 1)
    events: list[dict[str, Any]] = []
    messaging = _messaging(app, events)
    sending = asyncio.create_task(
        messaging.send(helper, conversation, client_id="closed", body="Tot zo")
    )
    await asyncio.sleep(0)  # queued
    await asyncio.sleep(0)  # taken into a batch that is being stored
    sending.cancel()  # the page closed
    for _ in range(100):
        if events:
            break
        await asyncio.sleep(0.05)
    assert [event["message"]["body"] for event in events] == ["Tot zo"]
    assert [m.body for m in await messaging.history(helper, conversation)] == ["Tot zo"]


def _messaging(app: Litestar, events: list[dict[str, Any]], **limits: Limit) -> Messaging:
    """A messaging service of its own (its own limits, its events kept in ``events``)."""

    async def publish(event: dict[str, Any], _channels: list[str]) -> None:
        events.append(event)

    messaging = Messaging(app.state.listings, RateLimiter(DatabaseCounterStore()), publish)
    for name, limit in limits.items():
        setattr(messaging, name, limit)
    return messaging


async def test_a_refused_message_fails_alone_and_the_others_in_its_batch_are_stored(
    settings: Settings,
) -> None:
    app = create_app(settings)
    (
        (owner, helper, talking),
        (blocker, blocked, ended),
        (_, busy, limited),
    ) = await make_conversations(app, 3)
    stranger = await make_account(app)
    await app.state.messaging.block(blocker, blocked.id)
    await app.state.messaging.send(busy, limited, client_id="busy", body="Ik begin")
    events: list[dict[str, Any]] = []
    messaging = _messaging(app, events, per_minute=Limit("a-minute", 2, 60, "Slow down."))
    batches = messaging.batches_stored
    outcomes = await asyncio.gather(
        messaging.send(helper, talking, client_id="fine-1", body="Hoi"),
        messaging.send(stranger, talking, client_id="stranger", body="Hoi"),
        messaging.send(blocked, ended, client_id="blocked", body="Hoi?"),
        *(messaging.send(busy, limited, client_id=f"busy-{n}", body=f"{n}") for n in range(3)),
        messaging.send(owner, talking, client_id="fine-2", body="Dag"),
        return_exceptions=True,
    )
    assert messaging.batches_stored - batches == 1
    assert [type(outcome) for outcome in outcomes[1:3]] == [NotFound, Forbidden]
    assert [getattr(outcome, "body", None) for outcome in outcomes[3:6]] == ["0", "1", None]
    assert isinstance(outcomes[5], TooManyRequests)
    assert [(outcomes[0].seq, outcomes[6].seq)] == [(1, 2)]
    assert sorted(event["message"]["body"] for event in events) == ["0", "1", "Dag", "Hoi"]
    assert await Message.count().where(Message.conversation == ended) == 0


async def test_a_message_refused_in_a_batch_counts_against_no_limit(settings: Settings) -> None:
    app = create_app(settings)
    (_, person, first), (elsewhere_owner, _, _) = await make_conversations(app, 2)
    second = await make_match(app, elsewhere_owner, person)
    messaging = _messaging(
        app,
        [],
        per_minute=Limit("messages", 3, 60, "Slow down."),
        first_messages=Limit("first-messages", 1, 86_400, "Try tomorrow."),
    )
    outcomes = await asyncio.gather(
        messaging.send(person, first, client_id="a", body="a"),
        messaging.send(person, second, client_id="b", body="b"),
        return_exceptions=True,
    )
    assert messaging.batches_stored == 1
    assert isinstance(outcomes[1], TooManyRequests)  # a second first message today
    # "b" took none of the three a minute.
    for client_id in ("c", "d"):
        await messaging.send(person, first, client_id=client_id, body=client_id)
    with pytest.raises(TooManyRequests):
        await messaging.send(person, first, client_id="e", body="e")


async def test_the_same_client_id_twice_at_once_stores_and_publishes_one_message(
    app: Litestar,
) -> None:
    [(owner, helper, conversation)] = await make_conversations(app, 1)
    events: list[dict[str, Any]] = []
    messaging = _messaging(app, events)
    first, again, other = await asyncio.gather(
        messaging.send(helper, conversation, client_id="twice", body="Hoi"),
        messaging.send(helper, conversation, client_id="twice", body="Hoi"),
        messaging.send(owner, conversation, client_id="twice", body="Hallo"),
    )
    assert (again.id, again.seq, again.body) == (first.id, first.seq, first.body)
    assert other.id != first.id  # a client_id is the sender's own
    assert await Message.count() == 2
    assert sorted(event["message"]["body"] for event in events) == ["Hallo", "Hoi"]

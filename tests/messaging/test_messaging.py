"""Conversations: send and receive, order, idempotent resends, read state, thanks, phone,
blocks, reports and limits."""

from __future__ import annotations

import asyncio
from uuid import UUID

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from backend.accounts.service import ProfileChanges
from backend.app import create_app
from backend.errors import Conflict, Forbidden, NotFound, TooManyRequests
from backend.listings.drafts import ListingDraft
from backend.messaging.tables import Report
from backend.settings import Settings
from tests.factories import (
    PASSWORD,
    csrf_headers,
    log_in,
    make_account,
    make_conversation,
    make_match,
    place_in,
)


async def test_messages_arrive_in_order_with_unread_counts(app: Litestar) -> None:
    owner, helper, conversation = await make_conversation(app)
    messaging = app.state.messaging
    await messaging.send(helper, conversation, client_id="a1", body="Hallo Henk!")
    await messaging.send(helper, conversation, client_id="a2", body="Zaterdag kan ik.")
    history = await messaging.history(owner, conversation)
    assert [(m.seq, m.body, m.mine) for m in history] == [
        (1, "Hallo Henk!", False),
        (2, "Zaterdag kan ik.", False),
    ]
    lines = await messaging.conversations(owner)
    assert [(line.unread, line.preview, line.partner_name) for line in lines] == [
        (2, "Zaterdag kan ik.", "Sam")
    ]
    await messaging.mark_read(owner, conversation, 2)
    assert (await messaging.conversations(owner))[0].unread == 0


async def test_reading_a_conversation_settles_its_message_notifications(app: Litestar) -> None:
    owner, helper, conversation = await make_conversation(app)
    other_helper = await place_in(app, await make_account(app), "Utrecht")
    other = await make_match(app, owner, other_helper)
    await app.state.push.mark_read(owner)  # the interests and matches so far
    messaging = app.state.messaging
    await messaging.send(helper, conversation, client_id="a1", body="Hallo Henk!")
    await messaging.send(helper, conversation, client_id="a2", body="Dank je", kind="thanks")
    await messaging.send(other_helper, other, client_id="b1", body="Ik ook!")
    assert await app.state.push.unread_count(owner) == 3
    await messaging.mark_read(owner, conversation, 2)
    assert await app.state.push.unread_count(owner) == 1  # the other conversation's


async def test_a_resend_with_the_same_client_id_is_stored_once(app: Litestar) -> None:
    _, helper, conversation = await make_conversation(app)
    first = await app.state.messaging.send(helper, conversation, client_id="x", body="Hoi")
    again = await app.state.messaging.send(helper, conversation, client_id="x", body="Hoi")
    assert first.id == again.id
    assert len(await app.state.messaging.history(helper, conversation)) == 1


async def test_catching_up_from_the_last_seen_message(app: Litestar) -> None:
    owner, helper, conversation = await make_conversation(app)
    assert await app.state.messaging.newest_seq(conversation) == 0
    for number in range(1, 4):
        await app.state.messaging.send(
            helper, conversation, client_id=f"m{number}", body=f"{number}"
        )
    assert await app.state.messaging.newest_seq(conversation) == 3  # an open page sees it missed
    missed = await app.state.messaging.history(owner, conversation, after_seq=1)
    assert [message.body for message in missed] == ["2", "3"]


async def test_read_receipts_show_unless_either_side_turns_them_off(app: Litestar) -> None:
    owner, helper, conversation = await make_conversation(app)
    await app.state.messaging.send(helper, conversation, client_id="r1", body="Hoi")
    await app.state.messaging.mark_read(owner, conversation, 1)
    assert (await app.state.messaging.view(helper, conversation)).read_by_partner_seq == 1
    await app.state.accounts.update_profile(owner, ProfileChanges(read_receipts=False))
    assert (await app.state.messaging.view(helper, conversation)).read_by_partner_seq is None


async def test_strangers_cannot_read_or_write(app: Litestar) -> None:
    _, _, conversation = await make_conversation(app)
    stranger = await make_account(app)
    with pytest.raises(NotFound):
        await app.state.messaging.history(stranger, conversation)
    with pytest.raises(NotFound):
        await app.state.messaging.send(stranger, conversation, client_id="s", body="Hoi")


async def test_organisation_members_all_see_the_conversation(app: Litestar) -> None:
    owner = await place_in(app, await make_account(app), "Utrecht")
    colleague = await place_in(app, await make_account(app, display_name="Karim"), "Utrecht")
    organisation = await app.state.organisations.create(owner, "Buurtteam")
    await app.state.organisations.invite(owner, organisation.id, colleague.email)
    helper = await place_in(app, await make_account(app), "Utrecht")
    listing = await app.state.listings.create(
        owner,
        _draft(organisation.id),
    )
    interest = await app.state.matching.swipe(helper, listing.id, "right")
    conversation = (await app.state.matching.accept(owner, interest)).conversation_id
    await app.state.messaging.send(colleague, conversation, client_id="k", body="Welkom!")
    history = await app.state.messaging.history(helper, conversation)
    assert [(m.sender_name, m.body) for m in history] == [("Karim", "Welkom!")]


def _draft(organisation_id: UUID) -> ListingDraft:
    return ListingDraft(
        kind="offer",
        title="Vrijwilligers gezocht",
        description="",
        category="care",
        organisation_id=organisation_id,
    )


async def test_a_thank_you_note_is_counted_on_the_profile(app: Litestar) -> None:
    owner, helper, conversation = await make_conversation(app)
    await app.state.messaging.send(
        owner, conversation, client_id="t", body="Je bent een topper!", kind="thanks"
    )
    assert await app.state.messaging.thanks_received(helper.id) == 1


async def test_the_phone_number_is_shared_only_after_the_advice_and_only_here(
    app: Litestar,
) -> None:
    owner, helper, conversation = await make_conversation(app)
    helper = await app.state.accounts.change_phone(
        helper, current_password=PASSWORD, phone="0612345678"
    )
    with pytest.raises(Conflict):
        await app.state.messaging.share_phone(helper, conversation, True)
    await app.state.messaging.acknowledge_safety(helper, conversation)
    await app.state.messaging.share_phone(helper, conversation, True)
    assert (await app.state.messaging.view(owner, conversation)).partner_phone == "+31612345678"
    assert (await app.state.messaging.view(helper, conversation)).partner_phone is None
    other_owner = await place_in(app, await make_account(app), "Utrecht")
    elsewhere = await make_match(app, other_owner, helper)
    assert (await app.state.messaging.view(other_owner, elsewhere)).partner_phone is None
    await app.state.messaging.share_phone(helper, conversation, False)
    assert (await app.state.messaging.view(owner, conversation)).partner_phone is None


async def test_a_block_ends_the_conversation_both_ways(app: Litestar) -> None:
    owner, helper, conversation = await make_conversation(app)
    await app.state.messaging.block(owner, helper.id)
    for sender in (owner, helper):
        with pytest.raises(Forbidden):
            await app.state.messaging.send(
                sender, conversation, client_id=f"b{sender.id}", body="?"
            )
    assert (await app.state.messaging.view(helper, conversation)).ended
    await app.state.messaging.unblock(owner, helper.id)
    await app.state.messaging.send(helper, conversation, client_id="after", body="Sorry")


async def test_reports_are_stored_for_the_moderators(app: Litestar) -> None:
    owner, helper, conversation = await make_conversation(app)
    message = await app.state.messaging.send(
        helper, conversation, client_id="r", body="Stuur me 50 euro via tikkie"
    )
    assert {"money"} <= set(message.concerns)
    await app.state.messaging.report(
        owner, reason="fraud", text="Vraagt geld", message_id=message.id
    )
    await app.state.messaging.report(owner, reason="unsafe", text="", user_id=helper.id)
    rows = await Report.select(Report.reason, Report.reported_user, Report.message)
    assert sorted(row["reason"] for row in rows) == ["fraud", "unsafe"]
    assert {row["reported_user"] for row in rows} == {helper.id}
    stranger = await make_account(app)
    with pytest.raises(NotFound):
        await app.state.messaging.report(stranger, reason="spam", text="", user_id=helper.id)


async def test_messages_per_minute_are_limited(settings: Settings) -> None:
    app = create_app(settings)
    _, helper, conversation = await make_conversation(app)
    for number in range(app.state.messaging.per_minute.max_hits):
        await app.state.messaging.send(helper, conversation, client_id=f"f{number}", body="x")
    with pytest.raises(TooManyRequests):
        await app.state.messaging.send(helper, conversation, client_id="over", body="x")


async def test_the_api_sends_and_lists_messages(app: Litestar, client: AsyncTestClient) -> None:
    _, helper, conversation = await make_conversation(app)
    await log_in(client, helper.email)
    headers = await csrf_headers(client)
    sent = await client.post(
        f"/api/conversations/{conversation}/messages",
        json={"client_id": "api-1", "body": "Hallo via de API"},
        headers=headers,
    )
    assert sent.status_code == 201
    listed = await client.get(f"/api/conversations/{conversation}/messages", params={"after": 0})
    assert [item["body"] for item in listed.json()] == ["Hallo via de API"]
    too_long = await client.post(
        f"/api/conversations/{conversation}/messages",
        json={"client_id": "api-2", "body": "x" * 2001},
        headers=headers,
    )
    assert too_long.status_code == 400
    header = (await client.get(f"/api/conversations/{conversation}")).json()
    assert header["partner_name"] == "Henk"
    assert header["partner_phone"] is None


async def test_messages_sent_at_the_same_moment_take_consecutive_places(app: Litestar) -> None:
    owner, helper, conversation = await make_conversation(app)
    messaging = app.state.messaging
    sent = await asyncio.gather(
        *(
            messaging.send(person, conversation, client_id=f"same-{n}", body=f"Tegelijk {n}")
            for n, person in enumerate([owner, helper] * 3)
        )
    )
    assert sorted(message.seq for message in sent) == [1, 2, 3, 4, 5, 6]
    history = await messaging.history(owner, conversation)
    assert [message.seq for message in history] == [1, 2, 3, 4, 5, 6]

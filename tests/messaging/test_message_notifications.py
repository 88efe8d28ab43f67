"""A notification of a message names its conversation in a column of its own: reading the
conversation settles it, and the bell of that conversation's page leaves it out."""

from __future__ import annotations

from litestar import Litestar

from backend.notifications.piccolo_migrations.notifications_2026_12_04t23_50_01_000000 import (
    copy_conversations,
)
from backend.notifications.service import MESSAGE_RECEIVED, unread_count
from backend.notifications.tables import Notification
from tests.factories import make_account, make_conversation, make_match, place_in


async def test_the_count_can_leave_out_the_conversation_open_on_the_page(app: Litestar) -> None:
    owner, helper, open_here = await make_conversation(app, "Henk", "Sam", "Utrecht")
    elsewhere_owner = await place_in(app, await make_account(app), "Utrecht")
    elsewhere = await make_match(app, elsewhere_owner, helper)
    # The matches name their conversations too, but reading does not settle them.
    assert await unread_count(helper.id, besides=open_here) == await unread_count(helper.id) == 2
    await app.state.push.mark_read(helper)
    messaging = app.state.messaging
    await messaging.send(owner, open_here, client_id="a", body="Hoi Sam")
    await messaging.send(owner, open_here, client_id="b", body="Ben je er zaterdag?")
    await messaging.send(elsewhere_owner, elsewhere, client_id="c", body="Ook hoi")

    assert await unread_count(helper.id) == 3
    assert await unread_count(helper.id, besides=open_here) == 1
    assert await unread_count(helper.id, besides=elsewhere) == 2


async def test_notifications_recorded_before_the_column_get_their_conversation(
    app: Litestar,
) -> None:
    owner, helper, conversation_id = await make_conversation(app, "Henk", "Sam", "Utrecht")
    await app.state.push.mark_read(helper)  # the interest and the match
    await app.state.messaging.send(owner, conversation_id, client_id="a", body="Hoi Sam")
    mentioning = (Notification.user == helper.id) & (Notification.kind == MESSAGE_RECEIVED)
    await Notification.update({Notification.conversation: None}).where(mentioning)
    assert await unread_count(helper.id, besides=conversation_id) == 1  # not found any more

    await copy_conversations()

    named = await Notification.select(Notification.conversation).where(mentioning)
    assert named == [{"conversation": conversation_id}]
    assert await unread_count(helper.id, besides=conversation_id) == 0

"""A person's choices are respected: kinds off, mutes, previews, quiet hours, daily cap, size."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest
from litestar import Litestar

from backend.errors import Invalid, NotFound
from backend.notifications.service import notifications_for, record_notifications
from backend.notifications.tables import Notification
from backend.push.preferences import Preferences, save_preferences
from backend.push.protocol import MAX_PLAINTEXT_BYTES
from backend.push.worker import PushWorker
from backend.settings import Settings
from tests.factories import make_account, make_conversation, make_match, place_in
from tests.push.conftest import Clock, subscribe
from tests.push.fake_push_service import FakePushService

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


async def _recommend(account_id, title: str = "Hond uitlaten") -> None:
    await record_notifications(
        [account_id], "recommendation", {"listing_id": str(uuid4()), "title": title}
    )


async def test_a_kind_turned_off_is_not_pushed_but_stays_in_the_centre(
    app: Litestar, worker: PushWorker, push_service: FakePushService, push_settings: Settings
) -> None:
    person = await make_account(app)
    endpoint, _ = await subscribe(push_service, push_settings, person)
    await save_preferences(person.id, Preferences(disabled_kinds=frozenset({"recommendation"})))
    await _recommend(person.id)
    await record_notifications(
        [person.id], "listing_expired", {"listing_id": str(uuid4()), "title": "Fiets"}
    )
    await worker.run_once()
    assert [m["kind"] for m in push_service.messages(endpoint)] == ["listing_expired"]
    assert len(await notifications_for(person.id)) == 2


async def test_a_muted_conversation_is_silent_and_previews_follow_the_setting(
    app: Litestar, worker: PushWorker, push_service: FakePushService, push_settings: Settings
) -> None:
    owner, helper, conversation = await make_conversation(app)
    endpoint, _ = await subscribe(push_service, push_settings, owner)
    messaging = app.state.messaging
    await messaging.send(helper, conversation, client_id="a1", body="Zaterdag kan ik!")
    await worker.run_once()
    [message] = [m for m in push_service.messages(endpoint) if m["kind"] == "message_received"]
    assert (message["title"], message["body"]) == ("Message from Sam", "Zaterdag kan ik!")
    assert (message["tag"], message["renotify"]) == (f"conversation-{conversation}", True)
    [request] = [r for r in push_service.requests(endpoint) if r.message == message]
    assert (request.headers["topic"], request.headers["urgency"]) == (conversation.hex, "high")

    await save_preferences(owner.id, Preferences(previews=False))
    await messaging.send(helper, conversation, client_id="a2", body="Geheim")
    await worker.run_once()
    assert push_service.messages(endpoint)[-1]["body"] == "You have a new message."

    await app.state.push.set_muted(owner, conversation, True)
    await messaging.send(helper, conversation, client_id="a3", body="Nog een")
    before = len(push_service.requests(endpoint))
    await worker.run_once()
    assert len(push_service.requests(endpoint)) == before
    await app.state.push.set_muted(owner, conversation, False)
    await messaging.send(helper, conversation, client_id="a4", body="En nog een")
    await worker.run_once()
    assert len(push_service.requests(endpoint)) == before + 1


async def test_the_settings_list_each_conversation_with_its_mute(app: Litestar) -> None:
    owner, helper, conversation = await make_conversation(app)
    push = app.state.push
    [item] = await push.mutes(owner)
    assert (item.id, item.partner_name, item.muted) == (conversation, "Sam", False)
    await push.set_muted(owner, conversation, True)
    assert [item.muted for item in await push.mutes(owner)] == [True]
    assert [item.muted for item in await push.mutes(helper)] == [False]


async def test_only_participants_can_mute_a_conversation(app: Litestar) -> None:
    _, _, conversation = await make_conversation(app)
    stranger = await make_account(app)
    with pytest.raises(NotFound):
        await app.state.push.set_muted(stranger, conversation, True)


async def test_quiet_hours_hold_and_then_send_one_summary(
    app: Litestar,
    worker: PushWorker,
    push_service: FakePushService,
    push_settings: Settings,
    clock: Clock,
) -> None:
    person = await make_account(app)
    endpoint, _ = await subscribe(push_service, push_settings, person)
    await save_preferences(
        person.id,
        Preferences(quiet_start="22:00", quiet_end="08:00", time_zone="Europe/Amsterdam"),
    )
    clock.now = datetime(2026, 11, 30, 23, 15, tzinfo=AMSTERDAM).astimezone(UTC)
    for n in range(3):
        await record_notifications(
            [person.id], "listing_expired", {"listing_id": str(uuid4()), "title": f"L{n}"}
        )
    await worker.run_once()
    clock.advance(hours=8)  # 07:15 in Amsterdam: still quiet
    await worker.run_once()
    assert push_service.requests(endpoint) == []
    assert await Notification.count().where(Notification.push_state == "held") == 3
    clock.advance(hours=1)
    await worker.run_once()
    await worker.run_once()
    [summary] = push_service.messages(endpoint)
    assert summary["kind"] == "summary"
    assert summary["body"] == "3 notifications arrived during your quiet hours."
    assert summary["url"] == "/notifications"


def test_quiet_hours_are_read_on_the_persons_own_clock() -> None:
    evening = Preferences(quiet_start="22:00", quiet_end="08:00", time_zone="America/New_York")
    moment = datetime(2026, 11, 30, 4, 0, tzinfo=UTC)  # 23:00 in New York, 05:00 in Amsterdam
    assert evening.quiet_at(moment)
    assert not Preferences(quiet_start="22:00", quiet_end="23:00").quiet_at(moment)
    assert not Preferences().quiet_at(moment)
    day = Preferences(quiet_start="09:00", quiet_end="17:00", time_zone="UTC")
    assert day.quiet_at(datetime(2026, 11, 30, 12, 0, tzinfo=UTC))


@pytest.mark.parametrize(
    "preferences",
    [
        Preferences(disabled_kinds=frozenset({"spam"})),
        Preferences(quiet_start="25:00", quiet_end="08:00"),
        Preferences(quiet_start="22:00"),
        Preferences(time_zone="Mars/Olympus"),
    ],
)
async def test_bad_preferences_are_refused(app: Litestar, preferences: Preferences) -> None:
    person = await make_account(app)
    with pytest.raises(Invalid):
        await save_preferences(person.id, preferences)


async def test_recommendations_and_tips_are_capped_per_day(
    app: Litestar, worker: PushWorker, push_service: FakePushService, push_settings: Settings
) -> None:
    person = await make_account(app)
    endpoint, _ = await subscribe(push_service, push_settings, person)
    for n in range(push_settings.push_daily_cap + 2):
        await _recommend(person.id, f"Listing {n}")
    await record_notifications(
        [person.id], "interest_received", {"listing_id": str(uuid4()), "title": "X"}
    )
    await worker.run_once()
    kinds = [m["kind"] for m in push_service.messages(endpoint)]
    assert kinds.count("recommendation") == push_settings.push_daily_cap
    assert kinds.count("interest_received") == 1


async def test_a_long_preview_is_cut_to_fit_one_record(
    app: Litestar, worker: PushWorker, push_service: FakePushService, push_settings: Settings
) -> None:
    owner, helper, conversation = await make_conversation(app)
    endpoint, _ = await subscribe(push_service, push_settings, owner)
    await app.state.messaging.send(helper, conversation, client_id="long", body="🙂" * 2_000)
    await worker.run_once()
    [request] = [
        r for r in push_service.requests(endpoint) if r.message["kind"] == "message_received"
    ]
    assert request.status == 201
    assert MAX_PLAINTEXT_BYTES - 8 < request.plaintext_bytes <= MAX_PLAINTEXT_BYTES
    assert request.message["body"].startswith("🙂🙂")
    assert request.message["body"].endswith("…")


async def test_messages_of_one_conversation_share_a_topic_so_they_collapse(
    app: Litestar, worker: PushWorker, push_service: FakePushService, push_settings: Settings
) -> None:
    owner, helper, conversation = await make_conversation(app)
    other_helper = await place_in(app, await make_account(app, display_name="Ria"), "Utrecht")
    other = await make_match(app, owner, other_helper)
    endpoint, _ = await subscribe(push_service, push_settings, owner)
    await worker.run_once()  # the match notifications
    before = len(push_service.requests(endpoint))
    for n, (sender, conversation_id) in enumerate(
        [(helper, conversation), (helper, conversation), (other_helper, other)]
    ):
        await app.state.messaging.send(sender, conversation_id, client_id=f"t{n}", body="Hoi")
        await worker.run_once()
    topics = [r.headers.get("topic") for r in push_service.requests(endpoint)[before:]]
    assert topics == [conversation.hex, conversation.hex, other.hex]
    await record_notifications(
        [owner.id], "listing_expired", {"listing_id": str(uuid4()), "title": "Fiets"}
    )
    await worker.run_once()
    assert "topic" not in push_service.requests(endpoint)[-1].headers

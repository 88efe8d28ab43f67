"""Deleting an account leaves no personal data in any table or storage object."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from piccolo.conf.apps import Finder

from backend.accounts.service import Account
from backend.accounts.tables import UserSession
from backend.errors import Forbidden
from backend.listings.tables import Listing
from backend.matching.service import DeckFilters
from backend.media.images import VARIANT_SIZES
from backend.media.tables import Photo
from backend.messaging.tables import Block, Conversation, Message, Report
from backend.moderation.tables import AuditEntry, CaseReport, IpRecord
from backend.organisations.tables import Organisation
from backend.privacy.erasure import DELETED_USER_NAME, pseudonym
from backend.privacy.handover import DELETED_LISTING_TITLE
from backend.push.tables import PushSubscription
from backend.settings import Settings
from tests.factories import (
    PASSWORD,
    csrf_headers,
    log_in,
    make_account,
    make_conversation,
    make_listing,
    make_match,
    place_in,
)
from tests.media.conftest import MotoS3
from tests.media.photo_files import jpeg_with_gps
from tests.media.test_photos_on_s3 import s3_app
from tests.privacy.test_retention import Clock, _retention

NAME = "Wilhelmina Vanderdecken"
PHONE = "+31687654321"
TITLE = "Bring my parcel to Zandvoort"
DESCRIPTION = "It is a heavy box for my sister Antje."


@dataclass(frozen=True)
class Scenario:
    """A person who used everything, and the people around them."""

    person: Account
    other: Account
    conversation: Any
    own_listing: Any
    own_conversation: Any
    photo_keys: list[str]
    photo_bytes: list[bytes]
    report: Any


async def _scenario(app: Litestar, client: AsyncTestClient) -> Scenario:
    person = await place_in(app, await make_account(app, display_name=NAME), "Haarlem")
    other = await place_in(app, await make_account(app, display_name="Bram"), "Haarlem")
    await app.state.accounts.change_phone(person, current_password=PASSWORD, phone=PHONE)
    await log_in(client, person.email)
    media = app.state.media
    await media.upload(person, jpeg_with_gps(800, 600, "teal"), purpose="profile")
    listing_photo = await media.upload(person, jpeg_with_gps(640, 480, "navy"), purpose="listing")
    own = await make_listing(app, person, title=TITLE, description=DESCRIPTION)
    await media.attach(person.id, own.id, [listing_photo.id])
    helped = await make_match(app, other, person)
    offer = await app.state.matching.swipe(other, own.id, "right", "I have a bike")
    own_conversation = (await app.state.matching.accept(person, offer)).conversation_id
    await app.state.messaging.send(person, helped, client_id="a", body=f"Call me on {PHONE}")
    await app.state.messaging.send(other, helped, client_id="b", body="Thank you, see you")
    await app.state.messaging.send(other, own_conversation, client_id="c", body="Tomorrow at 9?")
    await app.state.messaging.send(person, own_conversation, client_id="d", body=f"Yes, {NAME}")
    report = await app.state.messaging.report(
        other, reason="spam", text=f"{NAME} asked for money", user_id=person.id
    )
    await PushSubscription.insert(
        PushSubscription(
            user=person.id, endpoint="https://fcm.googleapis.com/fcm/send/w1", p256dh="k", auth="a"
        )
    )
    await app.state.privacy.set_consent(person, "newsletter", True)
    await app.state.privacy.request_export(person)
    prefixes = await Photo.select(Photo.key_prefix).where(Photo.owner == person.id)
    keys = [f"{row['key_prefix']}/{name}.webp" for row in prefixes for name in VARIANT_SIZES]
    photo_bytes = [await media.storage.read(key) for key in keys]
    # Everything deletion must remove is really there first.
    for table in (IpRecord, UserSession, PushSubscription):
        assert await table.exists().where(table.user == person.id), table
    return Scenario(person, other, helped, own.id, own_conversation, keys, photo_bytes, report)


async def _rows_mentioning(values: list[str]) -> list[str]:
    found = []
    for table in Finder().get_table_classes():
        for row in await table.select():
            text = repr(row).lower()
            found += [
                f"{table._meta.tablename}: {value}" for value in values if value.lower() in text
            ]
    return found


async def _delete(client: AsyncTestClient, keep_message_text: bool = False) -> int:
    response = await client.post(
        "/api/privacy/delete-account",
        json={"password": PASSWORD, "keep_message_text": keep_message_text},
        headers=await csrf_headers(client),
    )
    return response.status_code


async def _assert_nothing_left(app: Litestar, scenario: Scenario, stored: list[bytes]) -> None:
    person = scenario.person
    prefixes = sorted({key.rsplit("/", 1)[0] for key in scenario.photo_keys})
    values = [person.email, NAME, PHONE, str(person.id), TITLE, DESCRIPTION, *prefixes]
    assert await _rows_mentioning(values) == []
    for key in scenario.photo_keys:
        try:
            await app.state.media.storage.read(key)
        except KeyError:
            continue
        raise AssertionError(f"photo variant {key} is still stored")
    for content in scenario.photo_bytes:
        assert content not in stored
    assert not list((app.state.settings.data_dir / "exports").glob("*.zip"))


def _local_objects(settings: Settings) -> list[bytes]:
    media: Path = settings.media_dir
    return [path.read_bytes() for path in media.rglob("*") if path.is_file()]


async def test_deletion_leaves_no_personal_data_in_the_database_or_on_disk(
    app: Litestar, client: AsyncTestClient, other_client: AsyncTestClient
) -> None:
    scenario = await _scenario(app, client)

    assert await _delete(client) == 204

    await _assert_nothing_left(app, scenario, _local_objects(app.state.settings))
    assert (await client.get("/api/me")).status_code == 401
    messages = await app.state.messaging.history(scenario.other, scenario.conversation)
    theirs = [message for message in messages if not message.mine]
    assert [(message.sender_name, message.body) for message in theirs] == [(DELETED_USER_NAME, "")]
    sides = await app.state.messaging.sides(scenario.other, scenario.conversation)
    assert sides.helper != scenario.person.id
    await _assert_ended_for(app, scenario.other, scenario.conversation)
    response = await other_client.post(
        "/api/auth/login",
        json={"email": scenario.person.email, "password": PASSWORD},
        headers=await csrf_headers(other_client),
    )
    assert response.status_code == 401


async def _assert_ended_for(app: Litestar, viewer: Account, conversation: Any) -> None:
    messaging = app.state.messaging
    assert (await messaging.view(viewer, conversation)).ended
    with pytest.raises(Forbidden, match="ended"):
        await messaging.send(viewer, conversation, client_id="after", body="Are you there?")


async def test_the_helper_keeps_the_conversation_about_a_deleted_persons_listing(
    app: Litestar, client: AsyncTestClient
) -> None:
    scenario = await _scenario(app, client)
    other, conversation = scenario.other, scenario.own_conversation
    stranger = await place_in(app, await make_account(app), "Haarlem")

    assert await _delete(client) == 204

    await _assert_nothing_left(app, scenario, _local_objects(app.state.settings))
    messaging = app.state.messaging
    [summary] = [item for item in await messaging.conversations(other) if item.id == conversation]
    assert (summary.title, summary.partner_name, summary.ended) == (
        DELETED_LISTING_TITLE,
        DELETED_USER_NAME,
        True,
    )
    history = await messaging.history(other, conversation)
    assert [(message.sender_name, message.body) for message in history] == [
        ("Bram", "Tomorrow at 9?"),
        (DELETED_USER_NAME, ""),
    ]
    await _assert_ended_for(app, other, conversation)
    listing = await Listing.select(
        Listing.description, Listing.status, Listing.owner_user.display_name
    ).where(Listing.id == scenario.own_listing)
    assert listing == [
        {"description": "", "status": "closed", "owner_user.display_name": DELETED_USER_NAME}
    ]
    assert not await Photo.exists().where(Photo.listing == scenario.own_listing)
    deck = await app.state.matching.deck(stranger, DeckFilters())
    assert scenario.own_listing not in [card.listing.id for card in deck.cards]
    nearby = await app.state.listings.nearby(stranger, radius_km=50)
    assert scenario.own_listing not in [view.id for view in nearby]


async def test_retention_purges_the_kept_listing_and_its_conversation_after_its_period(
    app: Litestar, client: AsyncTestClient
) -> None:
    scenario = await _scenario(app, client)
    clock = Clock()
    retention = _retention(app, clock)
    days = app.state.settings.ended_listing_days

    assert await _delete(client) == 204

    clock.now = datetime.now(UTC) + timedelta(days=days - 1)
    assert await retention.purge_ended_listings() == 0
    clock.now += timedelta(days=2)
    assert await retention.purge_ended_listings() == 1
    assert not await Listing.exists().where(Listing.id == scenario.own_listing)
    assert not await Conversation.exists().where(Conversation.id == scenario.own_conversation)
    assert await Conversation.exists().where(Conversation.id == scenario.conversation)


async def test_a_listing_goes_when_nobody_is_left_in_its_conversation(
    app: Litestar, client: AsyncTestClient
) -> None:
    owner, helper, conversation = await make_conversation(app, town="Haarlem")
    await app.state.privacy.delete_account(helper, password=PASSWORD)
    await log_in(client, owner.email)

    assert await _delete(client) == 204

    assert not await Conversation.exists().where(Conversation.id == conversation)
    assert not await Listing.exists()


async def test_a_conversation_about_an_organisation_that_goes_with_its_only_member_stays(
    app: Litestar, client: AsyncTestClient
) -> None:
    person = await place_in(app, await make_account(app), "Haarlem")
    helper = await place_in(app, await make_account(app), "Haarlem")
    alone = await app.state.organisations.create(person, "Eenmansclub")
    listing = await make_listing(app, person, kind="offer", organisation_id=alone.id)
    interest = await app.state.matching.swipe(helper, listing.id, "right", "Graag")
    conversation = (await app.state.matching.accept(person, interest)).conversation_id
    await log_in(client, person.email)

    assert await _delete(client) == 204

    view = await app.state.messaging.view(helper, conversation)
    assert (view.title, view.partner_name) == (DELETED_LISTING_TITLE, DELETED_USER_NAME)
    await _assert_ended_for(app, helper, conversation)
    assert not await Organisation.exists().where(Organisation.id == alone.id)


async def test_a_report_about_the_deleted_person_stays_pseudonymised_for_moderators(
    app: Litestar, client: AsyncTestClient
) -> None:
    scenario = await _scenario(app, client)

    assert await _delete(client) == 204

    report = await Report.select(Report.text, Report.reason).where(Report.id == scenario.report)
    assert report == [
        {"text": f"{pseudonym(scenario.person.id)} asked for money", "reason": "spam"}
    ]
    assert await CaseReport.exists().where(CaseReport.report == scenario.report)


async def test_deletion_on_s3_leaves_no_photo_object(settings: Settings, moto_s3: MotoS3) -> None:
    app = s3_app(settings, moto_s3)
    async with AsyncTestClient(app, base_url="http://testserver.local") as client:
        scenario = await _scenario(app, client)
        assert scenario.photo_keys[0] in _keys(moto_s3)

        assert await _delete(client) == 204

    keys = _keys(moto_s3)
    assert not set(scenario.photo_keys) & set(keys)
    s3 = moto_s3.client()
    stored = [s3.get_object(Bucket=moto_s3.bucket, Key=key)["Body"].read() for key in keys]
    await _assert_nothing_left(app, scenario, stored)


def _keys(moto: MotoS3) -> list[str]:
    listing = moto.client().list_objects_v2(Bucket=moto.bucket)
    return [item["Key"] for item in listing.get("Contents", [])]


async def test_a_wrong_password_deletes_nothing(app: Litestar, client: AsyncTestClient) -> None:
    person = await make_account(app)
    await log_in(client, person.email)

    response = await client.post(
        "/api/privacy/delete-account",
        json={"password": "not my password"},
        headers=await csrf_headers(client),
    )

    assert response.status_code == 403
    assert (await client.get("/api/me")).status_code == 200


async def test_sent_messages_can_stay_readable_for_the_other_side(
    app: Litestar, client: AsyncTestClient
) -> None:
    other, person, conversation = await make_conversation(app, town="Haarlem")
    await app.state.messaging.send(person, conversation, client_id="a", body="See you at ten")
    await log_in(client, person.email)

    assert await _delete(client, keep_message_text=True) == 204

    bodies = await Message.select(Message.body).where(Message.conversation == conversation)
    assert {"body": "See you at ten"} in bodies
    assert await _display_name_of_helper(app, other, conversation) == DELETED_USER_NAME


async def _display_name_of_helper(app: Litestar, viewer: Account, conversation: Any) -> str:
    sides = await app.state.messaging.sides(viewer, conversation)
    return (await app.state.accounts.account(sides.helper)).display_name


async def test_an_organisation_passes_to_another_member_or_goes_with_its_only_member(
    app: Litestar, client: AsyncTestClient
) -> None:
    person = await place_in(app, await make_account(app), "Haarlem")
    colleague = await place_in(app, await make_account(app), "Haarlem")
    organisations = app.state.organisations
    shared = await organisations.create(person, "Buurtteam Noord")
    await organisations.invite(person, shared.id, colleague.email, "manager")
    alone = await organisations.create(person, "Eenmansclub")
    listing = await make_listing(app, person, kind="offer", organisation_id=alone.id)
    await log_in(client, person.email)

    assert await _delete(client) == 204

    assert (await organisations.view(colleague, shared.id)).my_role == "owner"
    assert not await Organisation.exists().where(Organisation.id == alone.id)
    assert not await Listing.exists().where(Listing.id == listing.id)


async def test_the_audit_log_keeps_its_entries_without_the_person_or_the_moderator(
    app: Litestar, client: AsyncTestClient
) -> None:
    scenario = await _scenario(app, client)
    person = scenario.person
    moderator = await make_account(app, display_name="Mo Derator")
    moderator = await app.state.accounts.grant_role(moderator.email, "moderator")
    [row] = await CaseReport.select(CaseReport.case).where(CaseReport.report == scenario.report)
    reason = f"{NAME} ({person.email}) asked for money"
    await app.state.moderation.act(moderator, row["case"], "warn", reason)

    assert await _delete(client) == 204
    await _assert_nothing_left(app, scenario, _local_objects(app.state.settings))
    await app.state.privacy.delete_account(moderator, password=PASSWORD)

    entries = await AuditEntry.select(
        AuditEntry.action, AuditEntry.actor_name, AuditEntry.user_id, AuditEntry.reason
    )
    assert entries == [
        {
            "action": "warn",
            "actor_name": pseudonym(moderator.id),
            "user_id": None,
            "reason": f"{pseudonym(person.id)} ({pseudonym(person.id)}) asked for money",
        }
    ]
    assert await _rows_mentioning([moderator.email, "Mo Derator", str(moderator.id)]) == []
    # Anything but that pseudonymisation is still refused.
    with pytest.raises(Exception, match="append-only"):
        await AuditEntry.update({AuditEntry.reason: "nothing happened"}, force=True)


async def test_blocks_by_or_of_the_deleted_person_go_and_their_conversations_stay_ended(
    app: Litestar, client: AsyncTestClient
) -> None:
    person = await place_in(app, await make_account(app), "Haarlem")
    blocked_by_them = await place_in(app, await make_account(app), "Haarlem")
    blocking_them = await place_in(app, await make_account(app), "Haarlem")
    first = await make_match(app, blocked_by_them, person)
    second = await make_match(app, person, blocking_them)
    await app.state.messaging.block(person, blocked_by_them.id)
    await app.state.messaging.block(blocking_them, person.id)
    await log_in(client, person.email)

    assert await _delete(client) == 204

    mine = (Block.blocker == person.id) | (Block.blocked == person.id)
    assert not await Block.exists().where(mine)
    assert await app.state.messaging.blocked_people(blocking_them) == []
    for other, conversation in ((blocked_by_them, first), (blocking_them, second)):
        [summary] = await app.state.messaging.conversations(other)
        assert (summary.id, summary.partner_name, summary.ended) == (
            conversation,
            DELETED_USER_NAME,
            True,
        )
        await _assert_ended_for(app, other, conversation)

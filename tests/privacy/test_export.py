"""Data export: complete, only the person's own data, for its owner only, and expiring."""

from __future__ import annotations

import asyncio
import io
import json
import zipfile
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from backend.accounts.service import Account
from backend.errors import NotFound
from backend.moderation.tables import ConversationRead
from backend.notifications.service import EXPORT_READY, record_notifications
from backend.notifications.tables import Notification
from backend.privacy.service import Privacy
from tests.factories import (
    PASSWORD,
    csrf_headers,
    log_in,
    make_account,
    make_listing,
    make_match,
    place_in,
)
from tests.media.photo_files import jpeg_with_gps


async def _active_person(app: Litestar) -> tuple[Account, Account, list[bytes]]:
    """Someone with a profile photo, a listing with a photo, a match with messages both ways,
    a notification, a consent and a moderator's read of their conversation; and the other
    person."""
    me = await place_in(app, await make_account(app, display_name="Exporter Evi"), "Haarlem")
    other = await place_in(app, await make_account(app, display_name="Otto Otherperson"), "Haarlem")
    await app.state.accounts.change_phone(me, current_password=PASSWORD, phone="+31611112222")
    await app.state.accounts.change_phone(other, current_password=PASSWORD, phone="+31633334444")
    media = app.state.media
    profile_photo = await media.upload(me, jpeg_with_gps(900, 600), purpose="profile")
    listing_photo = await media.upload(me, jpeg_with_gps(700, 500, "navy"), purpose="listing")
    listing = await make_listing(app, me, title="Who can water my plants?")
    await media.attach(me.id, listing.id, [listing_photo.id])
    conversation = await make_match(app, other, me)
    await app.state.messaging.send(me, conversation, client_id="m1", body="I can come Saturday")
    await app.state.messaging.send(other, conversation, client_id="m2", body="Lovely, see you")
    await record_notifications([me.id], "tip", {"listing": "x"})
    await app.state.privacy.set_consent(me, "analytics", True)
    await ConversationRead.insert(ConversationRead(conversation=conversation))
    keys = [photo.urls["full"].removeprefix("/media/") for photo in (profile_photo, listing_photo)]
    return me, other, [await media.storage.read(key) for key in keys]


async def test_the_export_is_complete_and_holds_nothing_of_other_people(
    app: Litestar, client: AsyncTestClient
) -> None:
    me, other, full_photos = await _active_person(app)
    stranger = await place_in(app, await make_account(app), "Haarlem")
    elsewhere = await make_match(app, other, stranger)
    await app.state.messaging.send(stranger, elsewhere, client_id="s1", body="Not for Evi")
    await log_in(client, me.email)

    export = (await client.post("/api/privacy/exports", headers=await csrf_headers(client))).json()
    download = await client.get(export["download_url"])

    assert export["state"] == "ready"
    assert download.status_code == 200
    assert download.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(download.content))
    data = json.loads(archive.read("data.json"))
    assert data["profile"]["email"] == me.email
    assert data["profile"]["phone"] == "+31611112222"
    assert "password_hash" not in data["profile"]
    assert [listing["title"] for listing in data["listings"]] == ["Who can water my plants?"]
    assert len(data["interests"]) == 1
    assert data["matches"][0]["you_are"] == "helper"
    assert {(m["from"], m["text"]) for m in data["messages"]} >= {
        ("you", "I can come Saturday"),
        ("other participant", "Lovely, see you"),
    }
    assert {m["from"] for m in data["messages"]} == {"you", "other participant"}
    assert any(n["kind"] == "tip" for n in data["notifications"])
    assert data["consents"][0]["purpose"] == "analytics"
    assert len(data["moderator_reads_of_your_conversations"]) == 1
    # The original-size variant of each photo, nothing smaller.
    assert sorted(archive.read(entry["file"]) for entry in data["photos"]) == sorted(full_photos)
    everything = b"".join(archive.read(name) for name in archive.namelist())
    for foreign in (
        other.email,
        other.display_name,
        "+31633334444",
        str(other.id),
        "Not for Evi",
        str(elsewhere),
    ):
        assert foreign.encode() not in everything


async def test_the_download_refuses_other_people_and_expires(
    app: Litestar, client: AsyncTestClient, other_client: AsyncTestClient
) -> None:
    me = await make_account(app)
    stranger = await make_account(app)
    await log_in(client, me.email)
    await log_in(other_client, stranger.email)
    export = (await client.post("/api/privacy/exports", headers=await csrf_headers(client))).json()

    assert (await other_client.get(export["download_url"])).status_code == 404
    assert (await client.get(export["download_url"])).status_code == 200
    later = datetime.now(UTC) + timedelta(hours=app.state.settings.export_hours, minutes=1)
    privacy_later = Privacy(app.state.settings, app.state.accounts, app.state.media, lambda: later)
    with pytest.raises(NotFound):
        await privacy_later.export_file(me, export["id"])
    assert await privacy_later.remove_expired_exports() == 1
    assert (await client.get(export["download_url"])).status_code == 404


async def test_a_large_account_gets_its_export_in_the_background_with_a_notification(
    app: Litestar,
) -> None:
    me, _other, _photos = await _active_person(app)
    privacy = Privacy(
        replace(app.state.settings, export_background_rows=1), app.state.accounts, app.state.media
    )

    notified = Notification.exists().where(
        Notification.user == me.id, Notification.kind == EXPORT_READY
    )

    export = await privacy.request_export(me)
    assert export.state == "pending"
    # The notification comes last, once the export is ready.
    for _ in range(200):
        if await notified:
            break
        await asyncio.sleep(0.05)

    assert await notified
    assert (await privacy.exports(me))[0].state == "ready"
    assert (await privacy.export_file(me, export.id)).stat().st_size > 0

"""Photos through the API on local disk: upload, serve, attach, who may see, delete, limits."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from litestar import Litestar
from litestar.testing import AsyncTestClient
from PIL import Image

from backend.app import create_app
from backend.media.tables import Photo
from backend.settings import Settings
from tests.factories import PASSWORD, csrf_headers, log_in, make_account, place_in
from tests.media.photo_files import jpeg_with_gps

UPLOAD = "/api/media/photos"


async def _upload(client: AsyncTestClient, data: bytes, purpose: str = "listing"):
    return await client.post(
        UPLOAD,
        params={"purpose": purpose},
        content=data,
        headers={**await csrf_headers(client), "content-type": "image/jpeg"},
    )


def _stored_files(app: Litestar, photo: dict) -> list:
    """The files on local disk that hold ``photo``'s variants and still exist."""
    media_dir = app.state.settings.media_dir
    paths = [media_dir / url.removeprefix("/media/") for url in photo["urls"].values()]
    return [path for path in paths if path.exists()]


async def _member(app: Litestar, client: AsyncTestClient, town: str = "Haarlem"):
    account = await place_in(app, await make_account(app), town)
    await log_in(client, account.email, PASSWORD)
    return account


async def test_an_uploaded_photo_is_served_clean_in_three_variants(
    app: Litestar, client: AsyncTestClient
) -> None:
    await _member(app, client)
    response = await _upload(client, jpeg_with_gps(2400, 1800))
    assert response.status_code == 201, response.text
    photo = response.json()
    assert set(photo["urls"]) == {"thumb", "card", "full"}
    for variant, longest in (("thumb", 160), ("card", 720), ("full", 1600)):
        served = await client.get(photo["urls"][variant])
        assert served.status_code == 200
        assert served.headers["content-type"] == "image/webp"
        assert "immutable" in served.headers["cache-control"]
        image = Image.open(io.BytesIO(served.content))
        assert max(image.size) == longest
        assert not image.getexif()
        assert b"GPS" not in served.content
        assert b"Handje Test Camera" not in served.content


async def test_a_new_profile_photo_replaces_the_old_one(
    app: Litestar, client: AsyncTestClient
) -> None:
    await _member(app, client)
    first = (await _upload(client, jpeg_with_gps(colour="red"), "profile")).json()
    second = (await _upload(client, jpeg_with_gps(colour="blue"), "profile")).json()
    assert await Photo.count() == 1
    assert (await client.get(first["urls"]["full"])).status_code == 404
    assert (await client.get(second["urls"]["full"])).status_code == 200


async def test_listing_photos_follow_the_listing_visibility(
    app: Litestar, client: AsyncTestClient, other_client: AsyncTestClient
) -> None:
    owner = await _member(app, client)
    photo = (await _upload(client, jpeg_with_gps())).json()
    await _member(app, other_client)
    assert (await other_client.get(photo["urls"]["card"])).status_code == 404  # a draft
    created = await client.post(
        "/api/listings",
        json={
            "kind": "offer",
            "title": "Fiets te leen",
            "category": "lending",
            "photo_ids": [photo["id"]],
        },
        headers=await csrf_headers(client),
    )
    assert [item["id"] for item in created.json()["photos"]] == [photo["id"]]
    assert (await other_client.get(photo["urls"]["card"])).status_code == 200
    await app.state.listings.set_paused(owner, created.json()["id"], True)
    assert (await other_client.get(photo["urls"]["card"])).status_code == 404
    assert (await client.get(photo["urls"]["card"])).status_code == 200


async def test_someone_elses_draft_cannot_be_attached(
    app: Litestar, client: AsyncTestClient, other_client: AsyncTestClient
) -> None:
    await _member(app, client)
    theirs = (await _upload(client, jpeg_with_gps())).json()
    await _member(app, other_client)
    response = await other_client.post(
        "/api/listings",
        json={
            "kind": "offer",
            "title": "Niet van mij",
            "category": "other",
            "photo_ids": [theirs["id"]],
        },
        headers=await csrf_headers(other_client),
    )
    assert response.status_code == 400
    assert response.json()["field"] == "photos"


async def test_deleting_a_listing_deletes_its_photos_from_storage(
    app: Litestar, client: AsyncTestClient
) -> None:
    await _member(app, client)
    photo = (await _upload(client, jpeg_with_gps())).json()
    created = await client.post(
        "/api/listings",
        json={
            "kind": "offer",
            "title": "Ladder te leen",
            "category": "lending",
            "photo_ids": [photo["id"]],
        },
        headers=await csrf_headers(client),
    )
    assert len(_stored_files(app, photo)) == 3
    await client.delete(f"/api/listings/{created.json()['id']}", headers=await csrf_headers(client))
    assert await Photo.count() == 0
    assert _stored_files(app, photo) == []


async def test_deleting_a_photo_removes_every_variant(
    app: Litestar, client: AsyncTestClient
) -> None:
    await _member(app, client)
    photo = (await _upload(client, jpeg_with_gps())).json()
    response = await client.delete(f"{UPLOAD}/{photo['id']}", headers=await csrf_headers(client))
    assert response.status_code == 204
    assert _stored_files(app, photo) == []


async def test_oversized_uploads_are_refused_with_413(
    app: Litestar, client: AsyncTestClient
) -> None:
    await _member(app, client)
    response = await _upload(client, b"\xff\xd8" + b"0" * (20 * 1024 * 1024))
    assert response.status_code == 413
    assert response.json()["detail"] == "This photo is too large."
    assert await Photo.count() == 0


async def test_a_text_file_named_jpg_is_refused_with_a_message(
    app: Litestar, client: AsyncTestClient
) -> None:
    await _member(app, client)
    response = await _upload(client, b"hello, this is not a photo\n" * 20)
    assert response.status_code == 400
    assert response.json()["field"] == "photo"
    assert await Photo.count() == 0


async def test_uploads_need_a_session(client: AsyncTestClient) -> None:
    response = await _upload(client, jpeg_with_gps())
    assert response.status_code == 401


async def test_uploads_are_rate_limited_and_quota_bound(settings: Settings) -> None:
    strict = create_app(replace(settings, uploads_per_hour=2, storage_quota_bytes=10**9))
    account = await make_account(strict)
    async with AsyncTestClient(strict, base_url="http://testserver.local") as client:
        await log_in(client, account.email)
        assert (await _upload(client, jpeg_with_gps(colour="red"))).status_code == 201
        assert (await _upload(client, jpeg_with_gps(colour="blue"))).status_code == 201
        limited = await _upload(client, jpeg_with_gps(colour="green"))
        assert limited.status_code == 429
        assert "retry-after" in limited.headers
    tight = create_app(replace(settings, storage_quota_bytes=1_000))
    other = await make_account(tight)
    async with AsyncTestClient(tight, base_url="http://testserver.local") as client:
        await log_in(client, other.email)
        full = await _upload(client, jpeg_with_gps())
        assert full.status_code == 400
        assert full.json()["detail"] == "Your photo storage is full. Remove a photo first."


async def test_the_sweep_removes_orphans_and_abandoned_drafts(
    app: Litestar, client: AsyncTestClient
) -> None:
    await _member(app, client)
    draft = (await _upload(client, jpeg_with_gps())).json()
    orphan = {"photos/zz/orphan/full.webp": b"left behind"}
    await app.state.media.storage.put_all(orphan, "image/webp")
    later = datetime.now(UTC) + timedelta(days=2)
    removed = await app.state.media.sweep(later)
    assert removed >= 1
    assert await Photo.count() == 0  # the draft was never attached
    assert _stored_files(app, draft) == []
    assert not (app.state.settings.media_dir / "photos/zz/orphan/full.webp").exists()

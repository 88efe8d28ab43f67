"""Photo storage on local disk and on S3 (moto over HTTP): all-or-nothing writes, sweeps, URLs."""

from __future__ import annotations

import logging
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from botocore.exceptions import ConnectionClosedError

from backend.media.storage import (
    CACHE_SECONDS,
    LocalStorage,
    S3Storage,
    Storage,
    StorageError,
    storage_from_settings,
)
from backend.settings import Settings
from tests.live_server import free_port
from tests.media.conftest import ACCESS_KEY_ID, REGION, SECRET_ACCESS_KEY, MotoS3

WEBP = "image/webp"
AN_HOUR_AGO = timedelta(hours=-1)
IN_AN_HOUR = timedelta(hours=1)
FAIL_FAST_SECONDS = 10


def s3_storage(moto: MotoS3, endpoint_url: str | None = None, **options: Any) -> S3Storage:
    """An S3 storage of moto's test bucket (or of ``endpoint_url``), path-style like MinIO."""
    return S3Storage(
        moto.bucket,
        endpoint_url=endpoint_url or moto.endpoint_url,
        region=REGION,
        access_key_id=ACCESS_KEY_ID,
        secret_access_key=SECRET_ACCESS_KEY,
        path_style=True,
        **options,
    )


@pytest.fixture(params=["local", "s3"])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Storage:
    """Each storage implementation: files under a fresh directory, or moto's bucket."""
    if request.param == "local":
        return LocalStorage(tmp_path / "media")
    return s3_storage(request.getfixturevalue("moto_s3"))


@pytest.fixture
def prefix() -> str:
    """A photo's key prefix of its own, so tests sharing the bucket do not meet."""
    digest = uuid.uuid4().hex
    return f"photos/{digest[:2]}/{digest}"


def variants(prefix: str, *names: str) -> dict[str, bytes]:
    """Objects like a photo's cleaned variants under ``prefix``."""
    return {f"{prefix}/{name}.webp": f"{name} of {prefix}".encode() for name in names}


def break_writes_of(storage: Storage, key: str) -> None:
    """Make storing ``key`` fail the way a broken store does, while the store stays readable.

    On disk a directory stands where the file must go, so its rename fails. On S3 the
    connection drops whenever that object is sent (botocore's own transport hook), so moto
    keeps running and the test can list what was left behind.
    """
    if isinstance(storage, LocalStorage):
        (storage.root / key).mkdir(parents=True)
        return

    def drop_connection(request: Any, **_: Any) -> None:
        if request.url.partition("?")[0].endswith(key):
            raise ConnectionClosedError(endpoint_url=request.url)

    storage._client.meta.events.register("before-send.s3.PutObject", drop_connection)


def files_under(directory: Path) -> list[Path]:
    """Every file and directory below ``directory``."""
    return list(directory.rglob("*"))


async def stored_keys(storage: Storage, prefix: str) -> list[str]:
    """Every object under ``prefix``, however new."""
    return sorted(await storage.keys_older_than(prefix, datetime.now(UTC) + IN_AN_HOUR))


async def test_put_all_stores_every_object(storage: Storage, prefix: str) -> None:
    objects = variants(prefix, "full", "card", "thumb")

    await storage.put_all(objects, WEBP)

    for key, data in objects.items():
        assert await storage.read(key) == data


async def test_reading_a_missing_key_raises_key_error(storage: Storage, prefix: str) -> None:
    with pytest.raises(KeyError):
        await storage.read(f"{prefix}/card.webp")


async def test_delete_removes_the_objects_and_ignores_missing_keys(
    storage: Storage, prefix: str
) -> None:
    objects = variants(prefix, "full", "card")
    await storage.put_all(objects, WEBP)

    await storage.delete([*objects, f"{prefix}/never-stored.webp"])

    assert await stored_keys(storage, prefix) == []
    with pytest.raises(KeyError):
        await storage.read(f"{prefix}/card.webp")


async def test_fresh_objects_are_older_only_than_a_future_cutoff(
    storage: Storage, prefix: str
) -> None:
    objects = variants(prefix, "full", "card")
    await storage.put_all(objects, WEBP)
    now = datetime.now(UTC)

    assert await storage.keys_older_than(prefix, now + AN_HOUR_AGO) == []
    assert sorted(await storage.keys_older_than(prefix, now + IN_AN_HOUR)) == sorted(objects)


async def test_keys_older_than_lists_only_the_prefix(storage: Storage, prefix: str) -> None:
    other = f"{prefix}-other"
    await storage.put_all(variants(prefix, "card") | variants(other, "card"), WEBP)

    assert await stored_keys(storage, f"{prefix}/") == [f"{prefix}/card.webp"]


async def test_failed_put_all_leaves_no_object(storage: Storage, prefix: str) -> None:
    """The second of three writes fails: the first is removed and the third never written."""
    objects = variants(prefix, "full", "card", "thumb")
    break_writes_of(storage, f"{prefix}/card.webp")

    with pytest.raises(StorageError):
        await storage.put_all(objects, WEBP)

    assert await stored_keys(storage, prefix) == []


async def test_failed_put_all_keeps_objects_it_did_not_create(
    storage: Storage, prefix: str
) -> None:
    """Keys name their content, so an object another photo row uses survives a failed upload."""
    shared = variants(prefix, "full")
    await storage.put_all(shared, WEBP)
    break_writes_of(storage, f"{prefix}/thumb.webp")

    with pytest.raises(StorageError):
        await storage.put_all(variants(prefix, "full", "card", "thumb"), WEBP)

    assert await stored_keys(storage, prefix) == list(shared)
    assert await storage.read(f"{prefix}/full.webp") == shared[f"{prefix}/full.webp"]


async def test_server_stopped_mid_upload_raises_storage_error_fast(
    own_moto_s3: MotoS3, prefix: str, caplog: pytest.LogCaptureFixture
) -> None:
    """The server dies right after the first object is stored: ``put_all`` fails within seconds.

    Moto keeps objects in memory, so what a dead server holds cannot be inspected afterwards
    (``test_failed_put_all_leaves_no_object`` shows the clean-up against a live one). What this
    shows: the upload fails fast with StorageError, so no photo row is written, and the clean-up
    was attempted and reported the object it could not reach; a real store keeps that object
    until the periodic sweep removes it, because no row points to it.
    """
    storage = s3_storage(own_moto_s3)

    def stop_server(**_: Any) -> None:
        own_moto_s3.stop()

    storage._client.meta.events.register("after-call.s3.PutObject", stop_server)
    started = time.monotonic()

    with pytest.raises(StorageError), caplog.at_level(logging.WARNING):
        await storage.put_all(variants(prefix, "full", "card", "thumb"), WEBP)

    assert time.monotonic() - started < FAIL_FAST_SECONDS
    assert "could not remove 1 objects of a failed write" in caplog.text


async def test_dead_endpoint_raises_storage_error_fast(moto_s3: MotoS3, prefix: str) -> None:
    storage = s3_storage(moto_s3, endpoint_url=f"http://127.0.0.1:{free_port()}")
    started = time.monotonic()

    with pytest.raises(StorageError):
        await storage.put_all(variants(prefix, "full"), WEBP)
    with pytest.raises(StorageError):
        await storage.read(f"{prefix}/full.webp")
    with pytest.raises(StorageError):
        await storage.keys_older_than(prefix, datetime.now(UTC))

    assert time.monotonic() - started < FAIL_FAST_SECONDS


async def test_local_url_is_the_apps_media_route(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path)

    assert storage.url("photos/ab/abcdef/card.webp") == "/media/photos/ab/abcdef/card.webp"
    assert storage.image_origin is None


async def test_presigned_url_serves_the_object_with_long_cache_headers(
    moto_s3: MotoS3, prefix: str
) -> None:
    storage = s3_storage(moto_s3, url_seconds=900)
    objects = variants(prefix, "card")
    await storage.put_all(objects, WEBP)
    key = f"{prefix}/card.webp"

    url = storage.url(key)
    async with httpx.AsyncClient() as browser:
        response = await browser.get(url)

    assert url.startswith(f"{moto_s3.endpoint_url}/{moto_s3.bucket}/{key}?")
    assert "X-Amz-Expires=900" in url
    assert response.status_code == 200
    assert response.content == objects[key]
    assert response.headers["content-type"] == WEBP
    assert f"max-age={CACHE_SECONDS}" in response.headers["cache-control"]
    assert storage.image_origin == moto_s3.endpoint_url


async def test_presigned_url_stays_the_same_while_fresh(moto_s3: MotoS3, prefix: str) -> None:
    """A stable URL lets the browser cache the image across page renders."""
    storage = s3_storage(moto_s3)

    assert storage.url(f"{prefix}/card.webp") == storage.url(f"{prefix}/card.webp")


async def test_public_url_gives_a_plain_url(moto_s3: MotoS3) -> None:
    storage = s3_storage(moto_s3, public_url="https://photos.example.org/handje/")

    assert (
        storage.url("photos/ab/abcdef/card.webp")
        == "https://photos.example.org/handje/photos/ab/abcdef/card.webp"
    )
    assert storage.image_origin == "https://photos.example.org"


@pytest.mark.parametrize(
    "key", ["../outside.webp", "photos/../../outside.webp", "/etc/passwd", "photos\\x.webp", ""]
)
async def test_local_storage_refuses_keys_outside_its_root(tmp_path: Path, key: str) -> None:
    root = tmp_path / "media"
    storage = LocalStorage(root)

    with pytest.raises(ValueError, match="unsafe storage key"):
        await storage.put_all({"photos/ab/abcdef/card.webp": b"fine", key: b"evil"}, WEBP)
    with pytest.raises(ValueError, match="unsafe storage key"):
        await storage.read(key)
    with pytest.raises(ValueError, match="unsafe storage key"):
        await storage.delete([key])
    with pytest.raises(ValueError, match="unsafe storage key"):
        storage.url(key)
    assert files_under(tmp_path) == []


async def test_local_delete_removes_directories_left_empty(tmp_path: Path, prefix: str) -> None:
    storage = LocalStorage(tmp_path)
    objects = variants(prefix, "full", "card")
    await storage.put_all(objects, WEBP)

    await storage.delete(objects)

    assert files_under(tmp_path) == []


def test_storage_follows_the_settings(tmp_path: Path, moto_s3: MotoS3) -> None:
    local = storage_from_settings(Settings(data_dir=tmp_path))
    s3 = storage_from_settings(
        Settings(
            data_dir=tmp_path,
            s3_bucket=moto_s3.bucket,
            s3_endpoint_url=moto_s3.endpoint_url,
            s3_access_key_id=ACCESS_KEY_ID,
            s3_secret_access_key=SECRET_ACCESS_KEY,
            s3_path_style=True,
        )
    )

    assert isinstance(local, LocalStorage)
    assert local.root == tmp_path.resolve() / "media"
    assert isinstance(s3, S3Storage)
    assert s3.image_origin == moto_s3.endpoint_url

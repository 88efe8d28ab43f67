"""The photo API with S3 storage: moto's S3 server, over HTTP, as a real process."""

from __future__ import annotations

import io
from dataclasses import replace
from urllib.parse import urlsplit

import httpx
from litestar import Litestar
from litestar.testing import AsyncTestClient
from PIL import Image

from backend.app import create_app
from backend.media.tables import Photo
from backend.settings import Settings
from tests.factories import csrf_headers, log_in, make_account
from tests.media.conftest import ACCESS_KEY_ID, REGION, SECRET_ACCESS_KEY, MotoS3
from tests.media.photo_files import jpeg_with_gps


def s3_app(settings: Settings, moto: MotoS3) -> Litestar:
    """The app storing photos in moto's bucket."""
    return create_app(
        replace(
            settings,
            s3_bucket=moto.bucket,
            s3_endpoint_url=moto.endpoint_url,
            s3_region=REGION,
            s3_access_key_id=ACCESS_KEY_ID,
            s3_secret_access_key=SECRET_ACCESS_KEY,
            s3_path_style=True,
        )
    )


async def _upload(client: AsyncTestClient) -> httpx.Response:
    return await client.post(
        "/api/media/photos",
        content=jpeg_with_gps(1200, 900),
        headers={**await csrf_headers(client), "content-type": "image/jpeg"},
    )


def _objects(moto: MotoS3) -> list[str]:
    listing = moto.client().list_objects_v2(Bucket=moto.bucket)
    return [item["Key"] for item in listing.get("Contents", [])]


async def test_photos_are_stored_read_back_and_deleted_on_s3(
    settings: Settings, moto_s3: MotoS3
) -> None:
    app = s3_app(settings, moto_s3)
    account = await make_account(app)
    async with AsyncTestClient(app, base_url="http://testserver.local") as client:
        await log_in(client, account.email)
        photo = (await _upload(client)).json()
        assert (
            "img-src 'self' data: blob: http://127.0.0.1"
            in ((await client.get("/profile")).headers["content-security-policy"])
        )
        for variant, url in photo["urls"].items():
            assert url.startswith(moto_s3.endpoint_url)
            assert "Expires=" in url or "X-Amz-Expires=" in url
            async with httpx.AsyncClient(timeout=10) as browser:
                served = await browser.get(url)
            assert served.status_code == 200, variant
            image = Image.open(io.BytesIO(served.content))
            assert image.format == "WEBP"
            assert not image.getexif()
        keys = [urlsplit(url).path.split("/", 2)[2] for url in photo["urls"].values()]
        assert set(keys) <= set(_objects(moto_s3))
        response = await client.delete(
            f"/api/media/photos/{photo['id']}", headers=await csrf_headers(client)
        )
        assert response.status_code == 204
        assert not [key for key in _objects(moto_s3) if key in keys]


async def test_a_storage_failure_leaves_no_row(settings: Settings, own_moto_s3: MotoS3) -> None:
    app = s3_app(settings, own_moto_s3)
    account = await make_account(app)
    async with AsyncTestClient(app, base_url="http://testserver.local") as client:
        await log_in(client, account.email)
        own_moto_s3.stop()
        response = await _upload(client)
    assert response.status_code == 503
    assert response.json()["detail"] == "Photos cannot be stored right now. Please try again."
    assert await Photo.count() == 0

"""Where photo variants live: files under the data directory, or an S3-compatible bucket.

Keys name their content (the media service derives them from the photo), so an object already
stored under a key is kept as it is, and a failed ``put_all`` removes only what it created.
"""

from __future__ import annotations

import asyncio
import logging
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any, Protocol
from urllib.parse import quote, urlsplit

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from backend.settings import Settings

logger = logging.getLogger(__name__)

# Keys never change content, so browsers and caches may keep an object for a year.
CACHE_SECONDS = 31_536_000
# Fail fast when the endpoint is down: the upload answers 503 instead of hanging.
S3_CONFIG = Config(
    connect_timeout=5,
    read_timeout=30,
    retries={"mode": "standard", "total_max_attempts": 2},
    signature_version="s3v4",
    # Some S3-compatible stores reject the checksums boto3 sends by default since 1.36.
    request_checksum_calculation="when_required",
    response_checksum_validation="when_required",
)
S3_FAILURES = (BotoCoreError, ClientError)
MISSING_OBJECT_CODES = frozenset({"404", "NoSuchKey", "NotFound"})
MAX_CACHED_URLS = 10_000


class StorageError(Exception):
    """Storage could not be reached or refused a write (the edge answers 503)."""


class Storage(Protocol):
    """Stores photo variants by key and says where a browser fetches them."""

    async def put_all(self, objects: Mapping[str, bytes], content_type: str) -> None:
        """Store every object or none: on any failure, delete what was written, then raise
        StorageError.
        """

    async def read(self, key: str) -> bytes:
        """The object's bytes; KeyError when it is missing."""

    async def delete(self, keys: Iterable[str]) -> None:
        """Remove the objects; missing keys are fine."""

    async def keys_older_than(self, prefix: str, cutoff: datetime) -> list[str]:
        """Keys starting with ``prefix`` whose object was written before ``cutoff``."""

    def url(self, key: str) -> str:
        """Where a browser fetches the object: `/media/<key>` for local disk; a presigned GET URL
        (expires after `media_url_seconds`) or `<s3_public_url>/<key>` for S3.
        """

    @property
    def image_origin(self) -> str | None:
        """The origin to add to the CSP img-src (None when the app serves the images)."""


def _store_all(
    objects: Mapping[str, bytes],
    exists: Callable[[str], bool],
    write: Callable[[str, bytes], None],
    remove: Callable[[list[str]], None],
    failures: tuple[type[Exception], ...],
) -> None:
    """Write the objects not stored yet; on a failure remove the ones this call created."""
    created: list[str] = []
    try:
        for key, data in objects.items():
            if exists(key):
                continue
            # Counted before the write: a write that timed out may still have landed.
            created.append(key)
            write(key, data)
    except failures as error:
        _remove_after_failure(remove, created, failures)
        raise StorageError(f"could not store {len(objects)} objects") from error


def _remove_after_failure(
    remove: Callable[[list[str]], None],
    keys: list[str],
    failures: tuple[type[Exception], ...],
) -> None:
    if not keys:
        return
    try:
        remove(keys)
    except failures:
        # No row points to these keys, so the periodic sweep removes them later.
        logger.warning("could not remove %d objects of a failed write", len(keys), exc_info=True)


class LocalStorage:
    """Objects as files under one directory (the embedded default); the app serves them."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    async def put_all(
        self,
        objects: Mapping[str, bytes],
        content_type: str,  # noqa: ARG002 (a file keeps no type: the app serves it by suffix)
    ) -> None:
        """Store every object or none (each file written atomically); StorageError on failure."""
        for key in objects:
            self._path(key)  # refuse an unsafe key before anything is written
        await asyncio.to_thread(
            _store_all, objects, self._exists, self._write, self._remove, (OSError,)
        )

    async def read(self, key: str) -> bytes:
        """The file's bytes; KeyError when it is missing, StorageError when it cannot be read."""
        path = self._path(key)
        try:
            return await asyncio.to_thread(path.read_bytes)
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as error:
            raise KeyError(key) from error
        except OSError as error:
            raise StorageError(f"could not read {key}") from error

    async def delete(self, keys: Iterable[str]) -> None:
        """Remove the files (and directories left empty); missing keys are fine."""
        keys = list(keys)
        for key in keys:
            self._path(key)
        try:
            await asyncio.to_thread(self._remove, keys)
        except OSError as error:
            raise StorageError(f"could not delete {len(keys)} objects") from error

    async def keys_older_than(self, prefix: str, cutoff: datetime) -> list[str]:
        """Keys starting with ``prefix`` whose file was last written before ``cutoff``."""
        return await asyncio.to_thread(self._keys_older_than, prefix, cutoff.timestamp())

    def url(self, key: str) -> str:
        """The app's own route for the file: ``/media/<key>``."""
        self._path(key)
        return f"/media/{quote(key)}"

    @property
    def image_origin(self) -> str | None:
        """None: the images come from the app's own origin."""
        return None

    def _path(self, key: str) -> Path:
        """The file for ``key``; ValueError for a key that could leave the root directory."""
        parts = PurePosixPath(key).parts
        if not parts or "\\" in key or "\x00" in key or key.startswith("/") or ".." in parts:
            raise ValueError(f"unsafe storage key: {key!r}")
        return self.root.joinpath(*parts)

    def _exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def _write(self, key: str, data: bytes) -> None:
        """Write through a temporary file and rename it, so a reader never sees half a file."""
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(descriptor, "wb") as file:
                file.write(data)
                # On disk before the caller commits the row that points to it.
                os.fsync(file.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def _remove(self, keys: list[str]) -> None:
        for key in keys:
            path = self._path(key)
            if path.is_file():  # a missing key, or one naming a directory, holds no object
                path.unlink(missing_ok=True)
                self._prune_empty_directories(path.parent)

    def _prune_empty_directories(self, directory: Path) -> None:
        """Remove ``directory`` and its parents below the root while they are empty."""
        while directory != self.root:
            try:
                directory.rmdir()
            except OSError:  # not empty, or already gone
                return
            directory = directory.parent

    def _keys_older_than(self, prefix: str, cutoff: float) -> list[str]:
        base = self._path(prefix.rpartition("/")[0]) if "/" in prefix else self.root
        keys = []
        # os.walk skips directories removed while it runs (a delete at the same time).
        for directory, _, names in os.walk(base):
            for name in names:
                path = Path(directory, name)
                key = path.relative_to(self.root).as_posix()
                if key.startswith(prefix) and _written_before(path, cutoff):
                    keys.append(key)
        return keys


def _written_before(path: Path, cutoff: float) -> bool:
    try:
        return path.stat().st_mtime < cutoff
    except FileNotFoundError:  # removed while listing
        return False


class S3Storage:
    """Objects in an S3-compatible bucket (AWS, MinIO, Garage, R2); browsers fetch them there."""

    def __init__(
        self,
        bucket: str,
        *,
        endpoint_url: str = "",
        region: str = "us-east-1",
        access_key_id: str = "",
        secret_access_key: str = "",
        path_style: bool = False,
        public_url: str = "",
        url_seconds: int = 3_600,
    ) -> None:
        self.bucket = bucket
        self._public_url = public_url.rstrip("/")
        self._url_seconds = url_seconds
        self._cache_control = (
            f"{'public' if public_url else 'private'}, max-age={CACHE_SECONDS}, immutable"
        )
        self._signed_urls: dict[str, tuple[str, float]] = {}
        # Empty credentials fall back to boto3's chain (environment, instance role).
        self._client: Any = boto3.session.Session().client(
            "s3",
            endpoint_url=endpoint_url or None,
            region_name=region,
            aws_access_key_id=access_key_id or None,
            aws_secret_access_key=secret_access_key or None,
            config=_s3_config(path_style),
        )

    async def put_all(self, objects: Mapping[str, bytes], content_type: str) -> None:
        """Store every object not stored yet or none of them; StorageError on failure."""

        def write(key: str, data: bytes) -> None:
            self._client.put_object(
                Bucket=self.bucket,
                Key=key,
                Body=data,
                ContentType=content_type,
                CacheControl=self._cache_control,
            )

        await asyncio.to_thread(_store_all, objects, self._exists, write, self._remove, S3_FAILURES)

    async def read(self, key: str) -> bytes:
        """The object's bytes; KeyError when it is missing, StorageError when S3 fails."""
        try:
            return await asyncio.to_thread(self._read, key)
        except ClientError as error:
            if _error_code(error) in MISSING_OBJECT_CODES:
                raise KeyError(key) from error
            raise StorageError(f"could not read {key}") from error
        except BotoCoreError as error:
            raise StorageError(f"could not read {key}") from error

    async def delete(self, keys: Iterable[str]) -> None:
        """Remove the objects; missing keys are fine (S3 deletes are idempotent)."""
        keys = list(keys)
        try:
            await asyncio.to_thread(self._remove, keys)
        except S3_FAILURES as error:
            raise StorageError(f"could not delete {len(keys)} objects") from error

    async def keys_older_than(self, prefix: str, cutoff: datetime) -> list[str]:
        """Keys starting with ``prefix`` whose object was last written before ``cutoff``."""
        try:
            return await asyncio.to_thread(self._keys_older_than, prefix, cutoff.timestamp())
        except S3_FAILURES as error:
            raise StorageError(f"could not list {prefix}") from error

    def url(self, key: str) -> str:
        """``<public_url>/<key>`` when the bucket is public, else a presigned GET URL."""
        if self._public_url:
            return f"{self._public_url}/{quote(key)}"
        return self._presigned_url(key)

    @property
    def image_origin(self) -> str | None:
        """The origin the image URLs point to (the public URL's, or the bucket endpoint's)."""
        parts = urlsplit(self._public_url or self._sign("origin"))
        return f"{parts.scheme}://{parts.netloc}"

    def _presigned_url(self, key: str) -> str:
        """A presigned URL, reused while it has half its life left so browsers can cache it."""
        now = time.monotonic()
        url, fresh_until = self._signed_urls.get(key, ("", 0.0))
        if now < fresh_until:
            return url
        url = self._sign(key)
        if len(self._signed_urls) >= MAX_CACHED_URLS:
            self._signed_urls.clear()
        self._signed_urls[key] = (url, now + self._url_seconds / 2)
        return url

    def _sign(self, key: str) -> str:
        return self._client.generate_presigned_url(
            "get_object",
            Params={"Bucket": self.bucket, "Key": key},
            ExpiresIn=self._url_seconds,
        )

    def _exists(self, key: str) -> bool:
        try:
            self._client.head_object(Bucket=self.bucket, Key=key)
        except ClientError as error:
            if _error_code(error) in MISSING_OBJECT_CODES:
                return False
            raise
        return True

    def _read(self, key: str) -> bytes:
        response = self._client.get_object(Bucket=self.bucket, Key=key)
        with response["Body"] as body:
            return body.read()

    def _remove(self, keys: list[str]) -> None:
        # One request per key: DeleteObjects needs a checksum header not every store accepts.
        for key in keys:
            self._client.delete_object(Bucket=self.bucket, Key=key)

    def _keys_older_than(self, prefix: str, cutoff: float) -> list[str]:
        pages = self._client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=prefix
        )
        return [
            item["Key"]
            for page in pages
            for item in page.get("Contents", [])
            if item["LastModified"].timestamp() < cutoff
        ]


def _s3_config(path_style: bool) -> Config:
    if path_style:
        return S3_CONFIG.merge(Config(s3={"addressing_style": "path"}))
    return S3_CONFIG


def _error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def storage_from_settings(settings: Settings) -> Storage:
    """S3 when ``s3_bucket`` is set, else files under ``media_dir``."""
    if not settings.s3_bucket:
        return LocalStorage(settings.media_dir)
    return S3Storage(
        settings.s3_bucket,
        endpoint_url=settings.s3_endpoint_url,
        region=settings.s3_region,
        access_key_id=settings.s3_access_key_id,
        secret_access_key=settings.s3_secret_access_key,
        path_style=settings.s3_path_style,
        public_url=settings.s3_public_url,
        url_seconds=settings.media_url_seconds,
    )

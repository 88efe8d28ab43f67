"""Photo rules: upload (checked, cleaned, stored), attach to listings, serve, delete, sweep."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
from collections.abc import Iterable
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any
from uuid import UUID

from backend.accounts.service import Account
from backend.errors import Invalid, NotFound
from backend.listings import lifecycle
from backend.listings.tables import Listing
from backend.media.images import VARIANT_SIZES, CleanImage, clean_image
from backend.media.storage import Storage
from backend.media.tables import Photo
from backend.organisations.service import Organisations
from backend.ratelimit.service import Limit, RateLimiter
from backend.settings import Settings

PURPOSES = ("profile", "listing")
MAX_LISTING_PHOTOS = 4
WEBP = "image/webp"
ORPHAN_AGE = timedelta(hours=1)
DRAFT_AGE = timedelta(days=1)


@dataclass(frozen=True)
class PhotoView:
    """A stored photo as the UI shows it: a URL per variant."""

    id: UUID
    urls: dict[str, str]
    width: int
    height: int


def _now() -> datetime:
    return datetime.now(UTC)


class Media:
    """The photo service, shared by the JSON API, the ReactPy pages and the listings service."""

    def __init__(
        self,
        settings: Settings,
        storage: Storage,
        limiter: RateLimiter,
        organisations: Organisations,
        signing_key: str,
        pool: Executor,
    ) -> None:
        self._settings = settings
        self.storage = storage
        self._limiter = limiter
        self._organisations = organisations
        self._signing_key = signing_key.encode()
        self._pool = pool
        self.uploads_per_hour = Limit(
            "uploads",
            settings.uploads_per_hour,
            3_600,
            "You uploaded many photos in a short time. Please wait a while.",
        )

    async def upload(self, actor: Account, data: bytes, *, purpose: str) -> PhotoView:
        """Check, clean and store a photo; a profile photo replaces the previous one.

        A listing photo starts as a draft of its owner until a listing takes it (``attach``).
        The row is written only after every variant is stored.
        """
        if purpose not in PURPOSES:
            raise Invalid("Choose profile or listing.", field="purpose")
        await self._limiter.consume(self.uploads_per_hour, str(actor.id))
        loop = asyncio.get_running_loop()
        clean = await loop.run_in_executor(
            self._pool, partial(clean_image, data, max_pixels=self._settings.image_max_pixels)
        )
        size = sum(len(variant) for variant in clean.variants.values())
        await self._ensure_quota(actor.id, size)
        prefix = self._key_prefix(clean)
        objects = {f"{prefix}/{name}.webp": body for name, body in clean.variants.items()}
        await self.storage.put_all(objects, WEBP)
        photo = Photo(
            owner=actor.id,
            purpose=purpose,
            key_prefix=prefix,
            width=clean.width,
            height=clean.height,
            bytes_total=size,
        )
        try:
            await photo.save()
        except Exception:
            await self._delete_unreferenced([prefix])
            raise
        if purpose == "profile":
            await self._delete_rows(
                (Photo.owner == actor.id) & (Photo.purpose == "profile") & (Photo.id != photo.id)
            )
        return self.photo_view(photo.to_dict())

    async def delete(self, actor: Account, photo_id: UUID) -> None:
        """Delete one of the actor's photos and, unless another row shares them, its variants."""
        if not await Photo.exists().where((Photo.id == photo_id) & (Photo.owner == actor.id)):
            raise NotFound("Not found.")
        await self._delete_rows(Photo.id == photo_id)

    async def attach(self, owner_id: UUID, listing_id: UUID, photo_ids: list[UUID]) -> None:
        """Make ``photo_ids`` the listing's photos, in order; photos dropped from it are deleted.

        The caller (the listings service) has checked that the actor manages the listing.
        """
        if len(set(photo_ids)) > MAX_LISTING_PHOTOS:
            raise Invalid("A listing can have at most 4 photos.", field="photos")
        ordered = list(dict.fromkeys(photo_ids))
        usable = (
            await Photo.select(Photo.id)
            .where(
                Photo.id.is_in(ordered or [None]),
                Photo.purpose == "listing",
                ((Photo.owner == owner_id) & Photo.listing.is_null())
                | (Photo.listing == listing_id),
            )
            .output(as_list=True)
        )
        if len(usable) != len(ordered):
            raise Invalid("One of the photos cannot be used here.", field="photos")
        for position, photo_id in enumerate(ordered):
            await Photo.update({Photo.listing: listing_id, Photo.position: position}).where(
                Photo.id == photo_id
            )
        dropped = (Photo.listing == listing_id) & Photo.id.not_in(ordered or [None])
        await self._delete_rows(dropped)

    async def listing_photos(self, listing_ids: Iterable[UUID]) -> dict[UUID, list[PhotoView]]:
        """The photos of each listing, in order."""
        ids = list(listing_ids)
        if not ids:
            return {}
        rows = await Photo.select().where(Photo.listing.is_in(ids)).order_by(Photo.position)
        photos: dict[UUID, list[PhotoView]] = {}
        for row in rows:
            photos.setdefault(row["listing"], []).append(self.photo_view(row))
        return photos

    async def profile_photos(self, user_ids: Iterable[UUID]) -> dict[UUID, PhotoView]:
        """Each user's profile photo, if they have one."""
        ids = list(user_ids)
        if not ids:
            return {}
        rows = await Photo.select().where(Photo.owner.is_in(ids), Photo.purpose == "profile")
        return {row["owner"]: self.photo_view(row) for row in rows}

    async def delete_owner_photos(self, owner_id: UUID) -> None:
        """Remove every photo of one account: rows and, unless another row shares them, all
        variants in storage."""
        await self._delete_rows(Photo.owner == owner_id)

    async def delete_listing_photos(self, listing_id: UUID) -> None:
        """Remove a listing's photos (rows and variants) before the listing goes."""
        await self._delete_rows(Photo.listing == listing_id)

    async def readable_object(self, viewer: Account | None, key: str) -> bytes:
        """The stored variant at ``key`` if ``viewer`` may see its photo; NotFound otherwise.

        Profile photos are seen by members; a listing's photos by whoever may see the listing;
        a draft only by its owner.
        """
        prefix, _, variant = key.rpartition("/")
        if viewer is None or variant.removesuffix(".webp") not in VARIANT_SIZES:
            raise NotFound("Not found.")
        rows = await Photo.select(Photo.owner, Photo.purpose, Photo.listing).where(
            Photo.key_prefix == prefix
        )
        for row in rows:
            if await self._may_see(viewer, row):
                try:
                    return await self.storage.read(key)
                except KeyError:
                    break
        raise NotFound("Not found.")

    async def sweep(self, now: datetime | None = None) -> int:
        """Delete abandoned drafts and stored objects that no row points to; return the count."""
        now = now or _now()
        await self._delete_rows(
            (Photo.purpose == "listing")
            & Photo.listing.is_null()
            & (Photo.created_at < now - DRAFT_AGE)
        )
        keys = await self.storage.keys_older_than("photos/", now - ORPHAN_AGE)
        prefixes = {key.rpartition("/")[0] for key in keys}
        known = set(
            await Photo.select(Photo.key_prefix)
            .where(Photo.key_prefix.is_in(list(prefixes) or [""]))
            .output(as_list=True)
        )
        orphans = [key for key in keys if key.rpartition("/")[0] not in known]
        await self.storage.delete(orphans)
        return len(orphans)

    async def _may_see(self, viewer: Account, row: dict[str, Any]) -> bool:
        if row["owner"] == viewer.id or row["purpose"] == "profile":
            return True
        if row["listing"] is None:
            return False
        listing = (
            await Listing.select(Listing.status, Listing.paused, Listing.owner_organisation)
            .where(Listing.id == row["listing"])
            .first()
        )
        if listing is None:
            return False
        if lifecycle.is_publicly_visible(listing["status"], listing["paused"]):
            return True
        organisation = listing["owner_organisation"]
        return organisation is not None and organisation in (
            await self._organisations.member_organisation_ids(viewer.id)
        )

    async def _ensure_quota(self, user_id: UUID, extra: int) -> None:
        used = (
            await Photo.select(Photo.bytes_total).where(Photo.owner == user_id).output(as_list=True)
        )
        if sum(used) + extra > self._settings.storage_quota_bytes:
            raise Invalid("Your photo storage is full. Remove a photo first.", field="photo")

    async def _delete_rows(self, where: Any) -> None:
        prefixes = await Photo.select(Photo.key_prefix).where(where).output(as_list=True)
        if not prefixes:
            return
        await Photo.delete().where(where)
        await self._delete_unreferenced(prefixes)

    async def _delete_unreferenced(self, prefixes: list[str]) -> None:
        """Delete the variants of prefixes no row uses any more (the same photo uploaded twice)."""
        still_used = set(
            await Photo.select(Photo.key_prefix)
            .where(Photo.key_prefix.is_in(prefixes))
            .output(as_list=True)
        )
        await self.storage.delete(
            f"{prefix}/{name}.webp"
            for prefix in set(prefixes) - still_used
            for name in VARIANT_SIZES
        )

    def _key_prefix(self, clean: CleanImage) -> str:
        """Content-addressed yet unguessable: an HMAC of the cleaned photo under our secret."""
        digest = hmac.new(self._signing_key, clean.variants["full"], hashlib.sha256).hexdigest()
        return f"photos/{digest[:2]}/{digest[:40]}"

    def photo_view(self, row: dict[str, Any]) -> PhotoView:
        """The view of a photo row (``id``, ``key_prefix``, ``width`` and ``height``)."""
        prefix = row["key_prefix"]
        urls = {name: self.storage.url(f"{prefix}/{name}.webp") for name in VARIANT_SIZES}
        return PhotoView(id=row["id"], urls=urls, width=row["width"], height=row["height"])

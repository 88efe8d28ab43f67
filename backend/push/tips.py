"""The tip job: a listing that nobody responded to after a few days gets one friendly tip."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from backend.db import write_transaction
from backend.listings import lifecycle
from backend.listings.service import Listings
from backend.listings.tables import Listing
from backend.matching.tables import Interest
from backend.notifications.service import TIP, record_notifications
from backend.push.tables import ListingTip


async def record_tips(listings: Listings, after_days: int, now: datetime | None = None) -> int:
    """Record a tip for each open listing older than ``after_days`` without any response yet.

    Each listing gets at most one tip, however often the job runs.
    """
    cutoff = (now or datetime.now(UTC)) - timedelta(days=after_days)
    candidates = await Listing.select(Listing.id, Listing.title).where(
        Listing.status == lifecycle.OPEN,
        Listing.paused.eq(False),
        Listing.created_at < cutoff,
    )
    ids = [row["id"] for row in candidates]
    if not ids:
        return 0
    answered = set(
        await Interest.select(Interest.listing)
        .where(Interest.listing.is_in(ids))
        .output(as_list=True)
    )
    tipped = set(
        await ListingTip.select(ListingTip.listing)
        .where(ListingTip.listing.is_in(ids))
        .output(as_list=True)
    )
    recorded = 0
    for row in candidates:
        if row["id"] in answered or row["id"] in tipped:
            continue
        recipients = await listings.manager_ids(row["id"])
        async with write_transaction(ListingTip._meta.db):
            await ListingTip.insert(ListingTip(listing=row["id"]))
            await record_notifications(
                recipients, TIP, {"listing_id": str(row["id"]), "title": row["title"]}
            )
        recorded += 1
    return recorded

"""Listings that leave with their owner: purged, unless somebody talked with the owner about them.

Such a listing stays for the other side's conversation, emptied of everything personal and
handed to the shared "Deleted user" account, closed so that no deck or search shows it. Its
conversations end: the Deleted user blocks the people in them, which is how every conversation
already ends (nothing can be sent, both sides see it has ended). Retention later purges these
listings with their conversations like any other ended listing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from uuid import UUID

from backend.listings import lifecycle
from backend.listings.tables import Listing
from backend.matching.tables import Interest, Match, Recommendation
from backend.media.service import Media
from backend.messaging.tables import Block, Conversation
from backend.organisations.tables import Membership
from backend.regions.gazetteer import nearest_place
from backend.translatable import N_

DELETED_LISTING_TITLE = N_("Deleted listing")


async def purge_listings(media: Media, listing_ids: list[UUID]) -> None:
    """Delete listings for good: their photos in storage, their conversations, then the rows."""
    for listing_id in listing_ids:
        await media.delete_listing_photos(listing_id)
    await delete_listings(listing_ids)


async def delete_listings(listing_ids: list[UUID]) -> None:
    """Delete listings and their conversations (their photos must be gone already)."""
    conversations = (
        await Match.select(Match.conversation)
        .where(Match.listing.is_in(listing_ids or [None]))
        .output(as_list=True)
    )
    if conversations:
        await Conversation.delete().where(Conversation.id.is_in(conversations))
    if listing_ids:
        await Listing.delete().where(Listing.id.is_in(listing_ids))


async def talked_about(listing_ids: list[UUID], ghost: UUID) -> list[UUID]:
    """Those of the listings that have a conversation with somebody still here."""
    rows = await Match.select(Match.listing).where(
        Match.listing.is_in(listing_ids or [None]), Match.helper != ghost
    )
    return list(dict.fromkeys(row["listing"] for row in rows))


async def retire_listings(
    media: Media, listing_ids: list[UUID], ghost: UUID, now: datetime
) -> None:
    """Listings whose owner leaves: kept emptied for their conversations, the rest purged."""
    kept = await talked_about(listing_ids, ghost)
    for listing_id in kept:
        await media.delete_listing_photos(listing_id)
    await purge_listings(
        media, [listing_id for listing_id in listing_ids if listing_id not in kept]
    )
    await end_conversations(ghost, await hand_over(kept, ghost, now))


async def hand_over(listing_ids: list[UUID], ghost: UUID, now: datetime) -> set[UUID]:
    """Empty the listings (their photos must be gone already) and give them to the Deleted
    user; return the helpers in their conversations."""
    if not listing_ids:
        return set()
    rows = await Listing.select(
        Listing.id, Listing.region_cell, Listing.closed_at, Listing.expires_at
    ).where(Listing.id.is_in(listing_ids))
    for row in rows:
        # The town instead of the neighbourhood: still enough for the statistics of its site.
        town = nearest_place(row["region_cell"])
        await Listing.update(
            {
                Listing.title: DELETED_LISTING_TITLE,
                Listing.description: "",
                Listing.timing: "flexible",
                Listing.needed_on: None,
                Listing.weekdays: [],
                Listing.owner_user: ghost,
                Listing.owner_organisation: None,
                Listing.created_by: None,
                Listing.status: lifecycle.CLOSED,
                Listing.paused: False,
                Listing.region_cell: town.cell,
                Listing.region_name: town.name,
                Listing.updated_at: now,
                Listing.expiry_reminder_at: None,
                # It ended when it was closed or expired, or else now: retention counts from then.
                Listing.closed_at: row["closed_at"] or min(now, row["expires_at"]),
            }
        ).where(Listing.id == row["id"])
    matched = await Match.select(Match.interest, Match.helper).where(
        Match.listing.is_in(listing_ids)
    )
    # What never became a conversation goes, like the listing would have.
    await Recommendation.delete().where(Recommendation.listing.is_in(listing_ids))
    unmatched = Interest.listing.is_in(listing_ids)
    if matched:
        unmatched &= Interest.id.not_in([row["interest"] for row in matched])
    await Interest.delete().where(unmatched)
    return {row["helper"] for row in matched}


async def managers_of(listing_ids: Iterable[UUID]) -> set[UUID]:
    """The people who manage the listings: their owners, or their organisations' members."""
    ids = list(listing_ids)
    rows = await Listing.select(Listing.owner_user, Listing.owner_organisation).where(
        Listing.id.is_in(ids or [None])
    )
    people = {row["owner_user"] for row in rows if row["owner_user"]}
    organisations = [row["owner_organisation"] for row in rows if row["owner_organisation"]]
    if organisations:
        members = await Membership.select(Membership.user).where(
            Membership.organisation.is_in(organisations)
        )
        people |= {row["user"] for row in members}
    return people


async def end_conversations(ghost: UUID, people: Iterable[UUID]) -> None:
    """End every conversation between the Deleted user and ``people``."""
    people = set(people) - {ghost}
    blocked = (
        await Block.select(Block.blocked)
        .where(Block.blocker == ghost, Block.blocked.is_in(list(people) or [None]))
        .output(as_list=True)
    )
    new = people - set(blocked)
    if new:
        await Block.insert(*(Block(blocker=ghost, blocked=person) for person in new))

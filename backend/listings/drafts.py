"""Validation of what a person writes in a listing: kind, text, category, timing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from backend.errors import Invalid
from backend.listings.addresses import find_address_like
from backend.listings.categories import CATEGORY_SLUGS
from backend.regions.model import Region

KINDS = ("request", "offer")
TIMINGS = ("flexible", "date", "weekly")


@dataclass(frozen=True)
class ListingDraft:
    """A listing as submitted; ``region`` None means the author's own region."""

    kind: str
    title: str
    description: str
    category: str
    timing: str = "flexible"
    needed_on: date | None = None
    weekdays: tuple[int, ...] = ()
    region: Region | None = None
    organisation_id: UUID | None = None


def clean_draft(draft: ListingDraft, *, today: date, confirm_address: bool) -> ListingDraft:
    """The draft with tidy text, or ``Invalid`` naming the first field that breaks a rule."""
    if draft.kind not in KINDS:
        raise Invalid("Choose request or offer.", field="kind")
    if draft.category not in CATEGORY_SLUGS:
        raise Invalid("Choose a category from the list.", field="category")
    title = " ".join(draft.title.split())
    description = draft.description.strip()
    if not 3 <= len(title) <= 100:
        raise Invalid("Use a title of 3 to 100 characters.", field="title")
    if len(description) > 2000:
        raise Invalid("Keep the description under 2000 characters.", field="description")
    if not confirm_address and find_address_like(f"{title}\n{description}"):
        raise Invalid(
            "This looks like an address. Share your address only in a private message, "
            "after you have called.",
            field="address",
        )
    return ListingDraft(
        kind=draft.kind,
        title=title,
        description=description,
        category=draft.category,
        timing=draft.timing,
        region=draft.region,
        organisation_id=draft.organisation_id,
        **_clean_timing(draft, today),
    )


def _clean_timing(draft: ListingDraft, today: date) -> dict[str, object]:
    if draft.timing == "flexible":
        return {"needed_on": None, "weekdays": ()}
    if draft.timing == "date":
        if draft.needed_on is None or draft.needed_on < today:
            raise Invalid("Choose a date from today on.", field="needed_on")
        return {"needed_on": draft.needed_on, "weekdays": ()}
    if draft.timing == "weekly":
        days = tuple(sorted(set(draft.weekdays)))
        if not days or any(day not in range(7) for day in days):
            raise Invalid("Choose at least one day of the week.", field="weekdays")
        return {"needed_on": None, "weekdays": days}
    raise Invalid("Choose when: flexible, a date or every week.", field="timing")

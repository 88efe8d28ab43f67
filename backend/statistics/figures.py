"""The monthly figures of one area, computed from plain rows: counts only, small ones hidden."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

# Counts under this are never stored or shown: a handful of people could be recognised.
MIN_COUNT = 5
SUPPRESSED = "<5"

LISTINGS = "listings"
INTERESTS = "interests"
MATCHES = "matches"
FOUND_HELP = "found_help_percent"
THANKS = "thanks"
ACTIVE_PEOPLE = "active_people"
ACTIVE_ORGANISATIONS = "active_organisations"
MESSAGES_PER_CONVERSATION = "messages_per_conversation"
# The order of the statistics page and the CSV.
METRICS = (
    LISTINGS,
    INTERESTS,
    MATCHES,
    FOUND_HELP,
    THANKS,
    ACTIVE_PEOPLE,
    ACTIVE_ORGANISATIONS,
    MESSAGES_PER_CONVERSATION,
)


@dataclass(frozen=True)
class Figure:
    """One stored figure; ``value`` is None when it was suppressed."""

    metric: str
    label: str
    value: float | None

    @property
    def shown(self) -> str:
        """The value as people see it: ``<5`` when suppressed, whole numbers without decimals."""
        if self.value is None:
            return SUPPRESSED
        return f"{self.value:g}" if self.value != int(self.value) else str(int(self.value))


@dataclass(frozen=True)
class MonthRows:
    """What happened in one month, as plain rows, each with the region cell it happened in."""

    # kind, category, region_cell, owner_user, owner_organisation, created_by
    listings: list[dict[str, Any]]
    interests: list[dict[str, Any]]  # user, region_cell, owner_organisation
    matches: list[dict[str, Any]]  # helper, region_cell
    closed: list[dict[str, Any]]  # region_cell, found_help
    messages: list[dict[str, Any]]  # conversation, kind, sender, count, region_cell


def suppressed(count: int) -> float | None:
    """``count``, or None when it is under ``MIN_COUNT`` (zero included)."""
    return float(count) if count >= MIN_COUNT else None


def share(part: int, whole: int) -> float | None:
    """``part`` as a whole percentage of ``whole``; None when either count is too small to show."""
    if whole < MIN_COUNT or part < MIN_COUNT:
        return None
    return float(round(100 * part / whole))


def _distinct(values: Iterable[UUID | None]) -> int:
    return len({value for value in values if value is not None})


def _protect_groups(counts: dict[str, int], groups: dict[str, list[str]]) -> set[str]:
    """The labels to hide: counts under 5, and whatever would let one be worked out by
    subtraction (a total and all but one of its parts; or all the parts of a hidden total)."""
    hidden = {label for label, count in counts.items() if count < MIN_COUNT}
    changed = True
    while changed:
        changed = False
        for parent, children in groups.items():
            shown = sorted((counts[child], child) for child in children if child not in hidden)
            hidden_children = len(children) - len(shown)
            exposed = (parent not in hidden and hidden_children == 1) or (
                parent in hidden and hidden_children == 0
            )
            if exposed and shown:
                hidden.add(shown[0][1])
                changed = True
    return hidden


def _listing_figures(listings: list[dict[str, Any]]) -> list[Figure]:
    by_kind_and_category = Counter(f"{row['kind']}:{row['category']}" for row in listings)
    by_kind = Counter(str(row["kind"]) for row in listings)
    counts = {"": len(listings), **by_kind, **by_kind_and_category}
    groups = {
        "": sorted(by_kind),
        **{
            kind: sorted(label for label in by_kind_and_category if label.startswith(f"{kind}:"))
            for kind in by_kind
        },
    }
    hidden = _protect_groups(counts, groups)
    labels = ["", *sorted(by_kind), *sorted(by_kind_and_category)]
    return [
        Figure(LISTINGS, label, None if label in hidden else float(counts[label]))
        for label in labels
    ]


def _messages_per_conversation(messages: list[dict[str, Any]]) -> float | None:
    conversations = _distinct(row["conversation"] for row in messages)
    if conversations < MIN_COUNT:
        return None
    return round(sum(row["count"] for row in messages) / conversations, 1)


def area_figures(rows: MonthRows, in_area: Callable[[str], bool]) -> list[Figure]:
    """The figures of the rows whose region cell is in the area."""
    listings = [row for row in rows.listings if in_area(row["region_cell"])]
    interests = [row for row in rows.interests if in_area(row["region_cell"])]
    matches = [row for row in rows.matches if in_area(row["region_cell"])]
    closed = [row for row in rows.closed if in_area(row["region_cell"])]
    messages = [row for row in rows.messages if in_area(row["region_cell"])]
    people = _distinct(
        [
            # Whoever posted counts, for an organisation's listing too.
            *(row["owner_user"] or row["created_by"] for row in listings),
            *(row["user"] for row in interests),
            *(row["sender"] for row in messages),
        ]
    )
    organisations = _distinct(
        [
            *(row["owner_organisation"] for row in listings),
            *(row["owner_organisation"] for row in interests),
        ]
    )
    helped = sum(1 for row in closed if row["found_help"])
    return [
        *_listing_figures(listings),
        Figure(INTERESTS, "", suppressed(len(interests))),
        Figure(MATCHES, "", suppressed(len(matches))),
        Figure(FOUND_HELP, "", share(helped, len(closed))),
        Figure(
            THANKS, "", suppressed(sum(row["count"] for row in messages if row["kind"] == "thanks"))
        ),
        Figure(ACTIVE_PEOPLE, "", suppressed(people)),
        Figure(ACTIVE_ORGANISATIONS, "", suppressed(organisations)),
        Figure(MESSAGES_PER_CONVERSATION, "", _messages_per_conversation(messages)),
    ]


def month_start(day: date) -> date:
    """The first day of ``day``'s month."""
    return day.replace(day=1)


def next_month(month: date) -> date:
    """The first day of the month after ``month``."""
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def previous_month(month: date) -> date:
    """The first day of the month before ``month``."""
    return date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)

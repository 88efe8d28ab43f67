"""How the Discover deck is ordered: a few readable rules, applied in Python to a SQL shortlist.

1. Fit: a card in a category the person likes (profile interests) scores 3; one that answers
   their own listings (an offer for a category they asked help in, or the other way round,
   worked out by the shortlist's SQL) scores 4; both count.
2. Distance: closer is better, linearly, from +3 (same cell) to 0 at the edge of the radius.
3. Freshness: +2 for a listing posted today, fading to 0 after two weeks.
4. Diversity: after ranking, no owner gets two cards in a row while others are waiting, so an
   organisation with many vacancies does not fill the deck.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

FIT_INTEREST = 3.0
FIT_ANSWERS_OWN_LISTING = 4.0
DISTANCE_WEIGHT = 3.0
FRESHNESS_WEIGHT = 2.0
FRESHNESS_DAYS = 14


@dataclass(slots=True)
class Candidate:
    """What ranking needs to know about one card."""

    listing_id: UUID
    owner_key: Hashable  # the same for every card of one owner
    category: str
    distance_km: int
    created_at: datetime
    answers_own_listing: bool


def score(
    candidate: Candidate, interests: frozenset[str], radius_km: float, now: datetime
) -> float:
    """The card's relevance; higher comes first."""
    fit = FIT_INTEREST if candidate.category in interests else 0.0
    if candidate.answers_own_listing:
        fit += FIT_ANSWERS_OWN_LISTING
    nearness = DISTANCE_WEIGHT * max(0.0, 1 - candidate.distance_km / max(radius_km, 1))
    age_days = (now - candidate.created_at).total_seconds() / 86_400
    freshness = FRESHNESS_WEIGHT * max(0.0, 1 - age_days / FRESHNESS_DAYS)
    return fit + nearness + freshness


def ranked(
    candidates: Iterable[Candidate],
    interests: frozenset[str],
    radius_km: float,
    now: datetime,
    limit: int,
) -> list[Candidate]:
    """The best ``limit`` candidates by score (ties: newer first), spread so that owners do not
    repeat in a row.
    """
    ordered = sorted(
        candidates,
        key=lambda card: (score(card, interests, radius_km, now), card.created_at),
        reverse=True,
    )
    return spread_owners(ordered, limit)


def spread_owners(cards: list[Candidate], limit: int) -> list[Candidate]:
    """The first ``limit`` cards in order, but never two of one owner in a row while another
    owner waits.
    """
    result: list[Candidate] = []
    waiting = list(cards)
    while waiting and len(result) < limit:
        previous = result[-1].owner_key if result else None
        index = next((i for i, card in enumerate(waiting) if card.owner_key != previous), 0)
        result.append(waiting.pop(index))
    return result

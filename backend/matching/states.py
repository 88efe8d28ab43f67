"""The interest state machine, in one place.

    (right swipe) ──▶ pending ──accept (owner side)──▶ accepted  ── creates one Match
                         │  └────decline (owner side)──▶ declined   (shown as "not this time")
                         └──undo / withdraw (helper)──▶ (deleted) / withdrawn

Every transition is a conditional UPDATE (``WHERE state = 'pending'``), so repeating it, or two
people doing it at the same moment, changes the row once: a double accept creates one match.
"""

from __future__ import annotations

PENDING = "pending"
ACCEPTED = "accepted"
DECLINED = "declined"
WITHDRAWN = "withdrawn"
# The interests that count as "people who offered help" on a card.
COUNTED = frozenset({PENDING, ACCEPTED})

RIGHT = "right"
LEFT = "left"
DIRECTIONS = (RIGHT, LEFT)

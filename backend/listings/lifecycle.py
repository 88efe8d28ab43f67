"""The listing status lifecycle, in one place.

    open ──accept (matching)──▶ in_progress ──mark done──▶ done
      │  ▲                          │
      │  └──renew── expired ◀──job──┘ (and from open)
      └──close──▶ closed  (also from in_progress; asks "Did you find help through Handje?")

``paused`` is a flag on open or in-progress listings: hidden from others, nothing else changes.
Done and closed are final: such a listing can be viewed and deleted, not edited or extended.
"""

from __future__ import annotations

from backend.errors import Conflict

OPEN = "open"
IN_PROGRESS = "in_progress"
DONE = "done"
CLOSED = "closed"
EXPIRED = "expired"
HIDDEN = "hidden"  # by a moderator; only a moderator's undo brings it back

STATUSES = (OPEN, IN_PROGRESS, DONE, CLOSED, EXPIRED, HIDDEN)
ACTIVE = frozenset({OPEN, IN_PROGRESS})
FINAL = frozenset({DONE, CLOSED, HIDDEN})


def is_publicly_visible(status: str, paused: bool) -> bool:
    """Whether people other than the owner may see a listing (and its photos)."""
    return status in ACTIVE and not paused


def ensure_editable(status: str) -> None:
    """Editing is refused once a listing is closed or done."""
    if status in FINAL:
        raise Conflict("This listing is closed, so it can no longer be changed.")


def ensure_can_pause(status: str) -> None:
    """Only open or in-progress listings can be paused or resumed."""
    if status not in ACTIVE:
        raise Conflict("Only an open listing can be paused.")


def ensure_can_close(status: str) -> None:
    """A listing can be closed unless it already ended."""
    if status in FINAL:
        raise Conflict("This listing is already closed.")


def status_after_extension(status: str) -> str:
    """Extending keeps an active listing's status and reopens an expired one."""
    ensure_editable(status)
    return OPEN if status == EXPIRED else status

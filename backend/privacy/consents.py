"""Consent records: what a person agreed to, to which wording, when, and when they withdrew."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from backend.db import write_transaction
from backend.errors import Invalid
from backend.privacy.tables import Consent
from backend.translatable import N_

NEWSLETTER = "newsletter"
ANALYTICS = "analytics"


@dataclass(frozen=True)
class Wording:
    """The text someone agrees to; a new ``version`` whenever the text changes."""

    version: str
    title: str
    text: str


# Shown in the Privacy settings; the version is stored with every consent given to it.
WORDINGS: dict[str, Wording] = {
    NEWSLETTER: Wording(
        "2026-11",
        N_("News from your region"),
        N_(
            "Now and then a short message in the app (and by push, if you allow notifications) "
            "about neighbour help in your region. Never from or for other companies."
        ),
    ),
    ANALYTICS: Wording(
        "2026-11",
        N_("Help improve Handje"),
        N_(
            "Count which pages you use, without your name, so that we can improve the app. "
            "Without your consent nothing is counted."
        ),
    ),
}
PURPOSES = tuple(WORDINGS)


@dataclass(frozen=True)
class ConsentRecord:
    """One row of a person's consent history."""

    purpose: str
    wording_version: str
    given_at: datetime
    withdrawn_at: datetime | None

    @property
    def active(self) -> bool:
        """Whether this consent still holds."""
        return self.withdrawn_at is None


def _check_purpose(purpose: str) -> None:
    if purpose not in WORDINGS:
        raise Invalid("There is no such choice.", field="purpose")


async def history(user_id: UUID) -> list[ConsentRecord]:
    """Every consent the person gave and withdrew, oldest first."""
    rows = (
        await Consent.select(
            Consent.purpose, Consent.wording_version, Consent.given_at, Consent.withdrawn_at
        )
        .where(Consent.user == user_id)
        .order_by(Consent.given_at)
    )
    return [ConsentRecord(**row) for row in rows]


async def current(user_id: UUID) -> dict[str, ConsentRecord | None]:
    """Each purpose's consent that still holds, or None."""
    active = {record.purpose: record for record in await history(user_id) if record.active}
    return {purpose: active.get(purpose) for purpose in PURPOSES}


async def set_consent(user_id: UUID, purpose: str, given: bool, now: datetime) -> None:
    """Give (to the current wording) or withdraw one consent; doing it twice changes nothing."""
    _check_purpose(purpose)
    open_consent = (Consent.user == user_id) & (Consent.purpose == purpose)
    open_consent = open_consent & Consent.withdrawn_at.is_null()
    async with write_transaction(Consent._meta.db):
        if not given:
            await Consent.update({Consent.withdrawn_at: now}).where(open_consent)
            return
        if await Consent.exists().where(open_consent):
            return
        await Consent.insert(
            Consent(
                user=user_id,
                purpose=purpose,
                wording_version=WORDINGS[purpose].version,
                given_at=now,
            )
        )


async def newsletter_recipients(region_cells: Iterable[str] | None) -> list[UUID]:
    """The people in these regions (None: anywhere) who want regional news, the only ones it
    may go to."""
    query = Consent.select(Consent.user).where(
        Consent.purpose == NEWSLETTER, Consent.withdrawn_at.is_null()
    )
    if region_cells is not None:
        query = query.where(Consent.user.region_cell.is_in(list(region_cells) or [""]))
    return await query.output(as_list=True)

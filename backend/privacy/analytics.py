"""Counting which pages are used, only for people who allowed it (the analytics consent).

A count is a month, a page's name and a number: who opened it is never stored.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from piccolo.query.functions.aggregate import Sum

from backend.db import write_transaction
from backend.privacy.consents import ANALYTICS
from backend.privacy.tables import Consent, PageCount
from backend.statistics.figures import month_start


async def count_page_view(user_id: UUID, page: str, today: date) -> bool:
    """Count one view of ``page`` if the person allowed counting; return whether it counted."""
    allowed = await Consent.exists().where(
        Consent.user == user_id, Consent.purpose == ANALYTICS, Consent.withdrawn_at.is_null()
    )
    if not allowed:
        return False
    month = month_start(today)
    this_page = (PageCount.month == month) & (PageCount.page == page[:40])
    async with write_transaction(PageCount._meta.db):
        counted = (
            await PageCount.update({PageCount.views: PageCount.views + 1})
            .where(this_page)
            .returning(PageCount.id)
        )
        if not counted:
            await PageCount.insert(PageCount(month=month, page=page[:40], views=1))
    return True


async def page_counts(month: date) -> dict[str, int]:
    """The views of each page in ``month``, most viewed first."""
    rows = (
        await PageCount.select(PageCount.page, Sum(PageCount.views, alias="views"))
        .where(PageCount.month == month_start(month))
        .group_by(PageCount.page)
    )
    return {
        row["page"]: int(row["views"])
        for row in sorted(rows, key=lambda row: (-row["views"], row["page"]))
    }

"""Page counts: only for people who allowed counting, never who it was, read by admins only."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from litestar import Litestar

from backend.errors import Forbidden
from backend.privacy import consents
from backend.privacy.tables import PageCount
from tests.factories import make_account


async def test_pages_are_counted_only_while_counting_is_allowed(app: Litestar) -> None:
    privacy = app.state.privacy
    counted = await make_account(app)
    never = await make_account(app)
    await privacy.set_consent(counted, consents.ANALYTICS, True)

    for _ in range(6):
        assert await privacy.count_page_view(counted, "discover")
    assert not await privacy.count_page_view(never, "discover")
    await privacy.count_page_view(counted, "profile")
    await privacy.set_consent(counted, consents.ANALYTICS, False)
    assert not await privacy.count_page_view(counted, "profile")

    admin = await app.state.accounts.grant_role((await make_account(app)).email, "admin")
    assert await privacy.page_counts(admin) == {"discover": 6, "profile": 1}
    rows = repr(await PageCount.select())
    for person in (counted, never):
        assert str(person.id) not in rows
    with pytest.raises(Forbidden):
        await privacy.page_counts(counted)


async def test_counts_of_one_month_add_up_rows_written_side_by_side(app: Litestar) -> None:
    month = datetime.now(UTC).date().replace(day=1)
    await PageCount.insert(
        PageCount(month=month, page="matches", views=2),
        PageCount(month=month, page="matches", views=3),
    )
    admin = await app.state.accounts.grant_role((await make_account(app)).email, "admin")

    assert await app.state.privacy.page_counts(admin) == {"matches": 5}

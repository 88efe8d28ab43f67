"""The tip job: one tip per listing that nobody responded to after a few days."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from litestar import Litestar

from backend.jobs import run_jobs_once
from backend.listings.tables import Listing
from backend.notifications.service import notifications_for
from tests.factories import make_account, make_listing, place_in


async def test_a_quiet_listing_gets_one_tip_and_an_answered_one_none(app: Litestar) -> None:
    owner = await place_in(app, await make_account(app), "Utrecht")
    helper = await place_in(app, await make_account(app), "Utrecht")
    quiet = await make_listing(app, owner, title="Hulp met de tuin")
    answered = await make_listing(app, owner, title="Boodschappen")
    await make_listing(app, owner, title="Net geplaatst")
    await app.state.matching.swipe(helper, answered.id, "right", "")
    days_ago = datetime.now(UTC) - timedelta(days=app.state.settings.tip_after_days + 1)
    await Listing.update({Listing.created_at: days_ago}).where(
        Listing.id.is_in([quiet.id, answered.id])
    )
    assert "tips recorded: 1" in await run_jobs_once(app.state)
    assert "tips recorded: 0" in await run_jobs_once(app.state)
    tips = [n for n in await notifications_for(owner.id) if n["kind"] == "tip"]
    assert [tip["data"]["listing_id"] for tip in tips] == [str(quiet.id)]

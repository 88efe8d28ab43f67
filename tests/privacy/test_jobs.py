"""The scheduled jobs run the privacy and statistics work: figures, pending exports, retention."""

from __future__ import annotations

from datetime import UTC, datetime

from litestar import Litestar

from backend.jobs import run_jobs_once
from backend.notifications.service import EXPORT_READY
from backend.notifications.tables import Notification
from backend.privacy.tables import DataExport
from backend.statistics.tables import MonthlyFigure
from tests.factories import make_account, make_listing, place_in


async def test_the_scheduled_jobs_compute_figures_and_prepare_pending_exports(
    app: Litestar,
) -> None:
    owner = await place_in(app, await make_account(app), "Haarlem")
    for _ in range(5):
        await make_listing(app, owner)
    await DataExport.insert(DataExport(user=owner.id, state="pending"))

    summary = await run_jobs_once(app.state)

    assert "exports prepared: 1" in summary
    assert "inactive accounts warned: 0" in summary
    listings = await MonthlyFigure.select(MonthlyFigure.value).where(
        MonthlyFigure.site == "national",
        MonthlyFigure.month == datetime.now(UTC).date().replace(day=1),
        MonthlyFigure.metric == "listings",
        MonthlyFigure.label == "",
    )
    assert listings == [{"value": 5}]
    assert [view.state for view in await app.state.privacy.exports(owner)] == ["ready"]
    assert await Notification.exists().where(
        Notification.user == owner.id, Notification.kind == EXPORT_READY
    )

"""Statistics over HTTP: the CSV download of a site's monthly figures."""

from __future__ import annotations

from litestar import Controller, Response, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath

from backend.accounts.service import SignedIn
from backend.statistics.service import Statistics
from backend.web.auth import current_session, require_sign_in


class StatisticsController(Controller):
    """Aggregate figures for admins and local site admins."""

    path = "/api/statistics"
    tags = ["statistics"]
    guards = [require_sign_in]
    dependencies = {"session": Provide(current_session, sync_to_thread=False)}

    @get("/{site:str}/figures.csv")
    async def figures_csv(
        self,
        site: FromPath[str],
        session: NamedDependency[SignedIn],
        statistics: NamedDependency[Statistics],
    ) -> Response[str]:
        """Every monthly figure of ``site`` (``national`` or a local site's slug); ``<5`` marks
        a suppressed count."""
        text = await statistics.csv_text(session.account, site)
        return Response(
            text,
            media_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="handje-{site}-statistics.csv"',
                "Cache-Control": "no-store",
            },
        )

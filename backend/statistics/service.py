"""Statistics rules: the monthly job into the aggregate table, and who may read which figures."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any
from uuid import UUID

from piccolo.query.functions.aggregate import Count

from backend.accounts.service import Account
from backend.db import write_transaction
from backend.errors import Forbidden, NotFound
from backend.listings import lifecycle
from backend.listings.tables import Listing
from backend.matching.tables import Interest, Match
from backend.messaging.tables import Message
from backend.organisations.service import Organisations
from backend.regions.cells import cells_within
from backend.sites.service import NATIONAL_SLUG, Sites
from backend.sites.tables import SiteAdmin
from backend.statistics.figures import (
    Figure,
    MonthRows,
    area_figures,
    month_start,
    next_month,
    previous_month,
    suppressed,
)
from backend.statistics.tables import MonthlyFigure

MONTHS_SHOWN = 12
ORGANISATION_INTERESTS = "interests"
ORGANISATION_MATCHES = "matches"
ORGANISATION_VOLUNTEERS = "volunteers_helped"


@dataclass(frozen=True)
class SiteChoice:
    """A site whose statistics someone may read: ``national`` or a local site's slug."""

    slug: str
    name: str


@dataclass(frozen=True)
class Report:
    """A site's figures for consecutive months; ``series[(metric, label)]`` has one per month."""

    site: SiteChoice
    months: tuple[date, ...]
    series: dict[tuple[str, str], tuple[Figure, ...]]

    def values(self, metric: str, label: str = "") -> tuple[float | None, ...]:
        """The values of one series, one per month (None: suppressed or not computed)."""
        figures = self.series.get((metric, label))
        return tuple(figure.value for figure in figures) if figures else (None,) * len(self.months)

    @property
    def is_empty(self) -> bool:
        """Whether no figure was computed for any of the months."""
        return not self.series


def _bounds(month: date) -> tuple[datetime, datetime]:
    start = datetime.combine(month, time.min, tzinfo=UTC)
    return start, datetime.combine(next_month(month), time.min, tzinfo=UTC)


def _in_month(column: Any, month: date) -> Any:
    start, end = _bounds(month)
    return (column >= start) & (column < end)


def _today() -> date:
    return datetime.now(UTC).date()


def _month_list(last: date, count: int) -> tuple[date, ...]:
    months = [month_start(last)]
    while len(months) < count:
        months.append(previous_month(months[-1]))
    return tuple(reversed(months))


async def _month_rows(month: date) -> MonthRows:
    listings = await Listing.select(
        Listing.kind,
        Listing.category,
        Listing.region_cell,
        Listing.owner_user,
        Listing.owner_organisation,
        Listing.created_by,
    ).where(_in_month(Listing.created_at, month))
    interests = await Interest.select(
        Interest.user,
        Interest.listing.region_cell.as_alias("region_cell"),
        Interest.listing.owner_organisation.as_alias("owner_organisation"),
    ).where(_in_month(Interest.created_at, month))
    matches = await Match.select(
        Match.helper, Match.listing.region_cell.as_alias("region_cell")
    ).where(_in_month(Match.created_at, month))
    closed = await Listing.select(Listing.region_cell, Listing.found_help, Listing.status).where(
        _in_month(Listing.closed_at, month),
        Listing.status.is_in([lifecycle.CLOSED, lifecycle.DONE]),
    )
    for row in closed:
        # "Done" means the owner said the help happened.
        row["found_help"] = row["found_help"] or row.pop("status") == lifecycle.DONE
    # One row per conversation, kind and sender with its count, rather than one per message.
    messages = (
        await Message.select(
            Message.conversation, Message.kind, Message.sender, Count(Message.id, alias="count")
        )
        .where(_in_month(Message.created_at, month))
        .group_by(Message.conversation, Message.kind, Message.sender)
    )
    conversations = list({row["conversation"] for row in messages})
    cells = {
        row["conversation"]: row["region_cell"]
        for row in await Match.select(
            Match.conversation, Match.listing.region_cell.as_alias("region_cell")
        ).where(Match.conversation.is_in(conversations or [None]))
    }
    for row in messages:
        row["region_cell"] = cells.get(row["conversation"], "")
    return MonthRows(listings, interests, matches, closed, messages)


class Statistics:
    """Computes the monthly figures and serves them to admins, local site admins and
    organisations."""

    def __init__(
        self,
        sites: Sites,
        organisations: Organisations,
        today: Callable[[], date] = _today,
    ) -> None:
        self._sites = sites
        self._organisations = organisations
        self._today = today

    async def compute_month(self, month: date) -> int:
        """(Re)compute every site's figures of ``month``; return how many figures were stored."""
        month = month_start(month)
        rows = await _month_rows(month)
        areas: list[tuple[str, Callable[[str], bool]]] = [(NATIONAL_SLUG, lambda _cell: True)]
        for site in await self._sites.all():
            cells = cells_within(site.centre_cell, site.radius_km)
            areas.append((site.slug, cells.__contains__))
        stored = [
            MonthlyFigure(
                site=slug, month=month, metric=figure.metric, label=figure.label, value=figure.value
            )
            for slug, in_area in areas
            for figure in area_figures(rows, in_area)
        ]
        async with write_transaction(MonthlyFigure._meta.db):
            await MonthlyFigure.delete().where(MonthlyFigure.month == month)
            await MonthlyFigure.insert(*stored)
        return len(stored)

    async def refresh(self) -> int:
        """The scheduled job: the current month so far, and last month (final once it ended)."""
        this_month = month_start(self._today())
        return await self.compute_month(previous_month(this_month)) + await self.compute_month(
            this_month
        )

    async def readable_sites(self, actor: Account) -> list[SiteChoice]:
        """The sites whose statistics ``actor`` may read: all for an admin, their own for a
        local site admin, none for anyone else."""
        sites = await self._sites.all()
        if actor.role == "admin":
            return [
                SiteChoice(NATIONAL_SLUG, "Handje"),
                *(SiteChoice(site.slug, site.name) for site in sites),
            ]
        own = set(
            await SiteAdmin.select(SiteAdmin.site.slug)
            .where(SiteAdmin.user == actor.id)
            .output(as_list=True)
        )
        return [SiteChoice(site.slug, site.name) for site in sites if site.slug in own]

    async def _require_site(self, actor: Account, slug: str) -> SiteChoice:
        readable = await self.readable_sites(actor)
        for choice in readable:
            if choice.slug == slug:
                return choice
        if readable:
            raise NotFound("Not found.")
        raise Forbidden("Only admins and local site admins see statistics.")

    async def report(self, actor: Account, slug: str, months: int = MONTHS_SHOWN) -> Report:
        """The figures of site ``slug`` for the last ``months`` months."""
        site = await self._require_site(actor, slug)
        shown = _month_list(self._today(), months)
        rows = await MonthlyFigure.select(
            MonthlyFigure.month, MonthlyFigure.metric, MonthlyFigure.label, MonthlyFigure.value
        ).where(MonthlyFigure.site == slug, MonthlyFigure.month >= shown[0])
        by_series: dict[tuple[str, str], dict[date, float | None]] = {}
        for row in rows:
            by_series.setdefault((row["metric"], row["label"]), {})[row["month"]] = row["value"]
        series = {
            key: tuple(Figure(key[0], key[1], values.get(month)) for month in shown)
            for key, values in sorted(by_series.items())
        }
        return Report(site, shown, series)

    async def csv_text(self, actor: Account, slug: str) -> str:
        """Every stored figure of site ``slug`` as CSV: month, metric, label, value (``<5``)."""
        await self._require_site(actor, slug)
        rows = (
            await MonthlyFigure.select(
                MonthlyFigure.month, MonthlyFigure.metric, MonthlyFigure.label, MonthlyFigure.value
            )
            .where(MonthlyFigure.site == slug)
            .order_by(MonthlyFigure.month)
            .order_by(MonthlyFigure.metric)
            .order_by(MonthlyFigure.label)
        )
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["site", "month", "metric", "label", "value"])
        for row in rows:
            figure = Figure(row["metric"], row["label"], row["value"])
            month = row["month"].strftime("%Y-%m")
            writer.writerow([slug, month, figure.metric, figure.label, figure.shown])
        return out.getvalue()

    async def organisation_report(
        self, actor: Account, organisation_id: UUID, months: int = MONTHS_SHOWN
    ) -> Report:
        """An organisation's own figures per month (interests, matches, volunteers helped),
        for its members; small counts are suppressed here too."""
        await self._organisations.require_member(actor.id, organisation_id)
        shown = _month_list(self._today(), months)
        start, _ = _bounds(shown[0])
        own_listing = Interest.listing.owner_organisation == organisation_id
        interests = await Interest.select(Interest.created_at).where(
            own_listing, Interest.created_at >= start
        )
        matches = await Match.select(Match.created_at, Match.helper).where(
            Match.listing.owner_organisation == organisation_id, Match.created_at >= start
        )

        def per_month(rows: list[dict[str, Any]], count: Callable[[list[Any]], int]) -> list[int]:
            return [
                count([row for row in rows if month_start(row["created_at"].date()) == month])
                for month in shown
            ]

        counts = {
            ORGANISATION_INTERESTS: per_month(interests, len),
            ORGANISATION_MATCHES: per_month(matches, len),
            ORGANISATION_VOLUNTEERS: per_month(
                matches, lambda rows: len({row["helper"] for row in rows})
            ),
        }
        series = {
            (metric, ""): tuple(Figure(metric, "", suppressed(count)) for count in values)
            for metric, values in counts.items()
        }
        name = (await self._organisations.public_card(organisation_id)).name
        return Report(SiteChoice(str(organisation_id), name), shown, series)

"""Charts of statistics reports: a site's monthly figures, and an organisation's own."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from reactpy import component, html, use_async_effect, use_state
from reactpy.types import VdomDict
from reactpy_router import link

from backend.errors import DomainError
from backend.listings.categories import CATEGORY_BY_SLUG
from backend.statistics import figures
from backend.statistics.service import (
    ORGANISATION_INTERESTS,
    ORGANISATION_MATCHES,
    ORGANISATION_VOLUNTEERS,
    Report,
)
from frontend.components.charts import ChartText, Series, bar_chart, line_chart
from frontend.components.forms import notice
from frontend.context import use_page
from frontend.i18n import Translate
from frontend.routes import STATISTICS


def month_label(month: date) -> str:
    """A short, language-neutral month label: ``11/26``."""
    return month.strftime("%m/%y")


def _text(t: Translate, title: str, description: str) -> ChartText:
    return ChartText(
        title=title,
        description=description,
        no_data=t("No figures to show yet. Counts under 5 are hidden."),
        table_heading=t("Month"),
        show_table=t("Show the numbers"),
    )


def _series(report: Report, t: Translate, metric: str, name: str, label: str = "") -> Series:
    return Series(t(name), report.values(metric, label))


def _category_label(label: str, t: Translate, language: str) -> str:
    kind, _, slug = label.partition(":")
    category = CATEGORY_BY_SLUG.get(slug)
    name = category.label(language) if category else slug
    return f"{t('Request') if kind == 'request' else t('Offer')}: {name}"


def _categories_chart(report: Report, t: Translate, language: str) -> VdomDict:
    month = report.months[-1]
    labels = sorted(
        label for metric, label in report.series if metric == figures.LISTINGS and ":" in label
    )
    values = tuple(report.values(figures.LISTINGS, label)[-1] for label in labels)
    return bar_chart(
        "chart-categories",
        _text(
            t,
            t("Listings by kind and category, {month}").format(month=month_label(month)),
            t("Bars: listings posted this month per kind and category."),
        ),
        [_category_label(label, t, language) for label in labels],
        Series(t("Listings"), values),
    )


def site_charts(report: Report, t: Translate, language: str) -> list[VdomDict]:
    """Every chart of a site's report, in the order of the statistics page."""
    months = [month_label(month) for month in report.months]

    def line(chart_id: str, title: str, description: str, *series: Series) -> VdomDict:
        return line_chart(chart_id, _text(t, title, description), months, series)

    return [
        line(
            "chart-activity",
            t("Listings, interests and matches per month"),
            t("Lines: listings posted, interests shown and matches made, per month."),
            _series(report, t, figures.LISTINGS, "Listings"),
            _series(report, t, figures.INTERESTS, "Interests"),
            _series(report, t, figures.MATCHES, "Matches"),
        ),
        _categories_chart(report, t, language),
        line(
            "chart-found-help",
            t("Closed listings that found help (%)"),
            t("Line: the share of listings closed this month whose owner found help."),
            _series(report, t, figures.FOUND_HELP, "Found help (%)"),
        ),
        line(
            "chart-people",
            t("Active people and organisations per month"),
            t("Lines: people and organisations who posted, responded or wrote that month."),
            _series(report, t, figures.ACTIVE_PEOPLE, "People"),
            _series(report, t, figures.ACTIVE_ORGANISATIONS, "Organisations"),
        ),
        line(
            "chart-thanks",
            t("Thank-you notes per month"),
            t("Line: thank-you notes sent in conversations, per month."),
            _series(report, t, figures.THANKS, "Thank-you notes"),
        ),
        line(
            "chart-messages",
            t("Average messages per conversation"),
            t("Line: messages per conversation that had messages that month."),
            _series(report, t, figures.MESSAGES_PER_CONVERSATION, "Messages"),
        ),
    ]


def organisation_charts_of(report: Report, t: Translate) -> list[VdomDict]:
    """The bar charts of an organisation's own report."""
    months = [month_label(month) for month in report.months]
    charts = (
        (ORGANISATION_INTERESTS, t("Interests in your listings"), t("Interests")),
        (ORGANISATION_MATCHES, t("Matches on your listings"), t("Matches")),
        (ORGANISATION_VOLUNTEERS, t("Volunteers who helped"), t("Volunteers")),
    )
    return [
        bar_chart(
            f"chart-organisation-{metric}",
            _text(t, title, t("Bars: {what} per month.").format(what=name.lower())),
            months,
            Series(name, report.values(metric)),
        )
        for metric, title, name in charts
    ]


@component
def organisation_charts(organisation_id: UUID) -> VdomDict:
    """The organisation's own figures, on its page (members only, like the page itself)."""
    page = use_page()
    t = page.t
    report, set_report = use_state(None)
    problem, set_problem = use_state("")

    async def load() -> None:
        try:
            actor = await page.current_account()
            set_report(await page.statistics.organisation_report(actor, organisation_id))
        except DomainError as error:
            set_problem(t(error.message))

    use_async_effect(load, [organisation_id])
    body: list[VdomDict] | VdomDict
    if problem:
        body = notice("error", problem)
    elif report is None:
        body = html.p({"aria-busy": "true"}, t("Loading…"))
    else:
        body = html.div({"className": "charts"}, *organisation_charts_of(report, t))
    return html.section(
        {"className": "section"},
        html.h2(t("Your figures")),
        html.p({"className": "muted"}, t("Counts under 5 are shown as <5, so nobody stands out.")),
        body,
    )


@component
def statistics_link() -> VdomDict | str:
    """A way to the statistics page, for those who may read it (admins, local site admins)."""
    page = use_page()
    readable, set_readable = use_state(False)

    async def check() -> None:
        signed_in = page.signed_in
        if signed_in is not None:
            set_readable(bool(await page.statistics.readable_sites(signed_in.account)))

    use_async_effect(check, [])
    if not readable:
        return ""
    return html.section(
        {"className": "section"},
        html.h2(page.t("Statistics")),
        link({"to": STATISTICS, "className": "btn btn-secondary"}, page.t("Open statistics")),
    )

"""The SVG charts render with data, with suppressed values and with no data at all."""

from __future__ import annotations

import re
from datetime import date

from reactpy.utils import reactpy_to_string

from backend.statistics.figures import Figure
from backend.statistics.service import Report, SiteChoice
from frontend.components.charts import ChartText, Series, bar_chart, line_chart
from frontend.components.figures import organisation_charts_of, site_charts
from frontend.i18n import translator

TEXT = ChartText(
    title="Matches per month",
    description="Line: matches made per month.",
    no_data="No figures to show yet.",
    table_heading="Month",
    show_table="Show the numbers",
)
MONTHS = ["09/26", "10/26", "11/26"]


def test_a_line_chart_draws_its_values_and_names_itself() -> None:
    html = reactpy_to_string(line_chart("c", TEXT, MONTHS, [Series("Matches", (5, 12, 30))]))

    assert 'role="img"' in html
    assert 'aria-labelledby="c-title c-desc"' in html
    assert '<title id="c-title">Matches per month</title>' in html
    assert "<desc" in html
    assert "Line: matches made per month." in html
    assert html.count("<circle") == 3
    assert 'd="M' in html
    assert ">30</td>" in html
    assert "No figures to show yet." not in html


def test_a_suppressed_month_breaks_the_line_and_reads_as_under_five() -> None:
    html = reactpy_to_string(line_chart("c", TEXT, MONTHS, [Series("Matches", (8, None, 9))]))

    assert html.count("<circle") == 2
    [path] = re.findall(r' d="([^"]*)"', html)
    assert path.count("M") == 2  # two separate pieces of line
    assert ">&lt;5</td>" in html


def test_a_bar_chart_marks_suppressed_bars() -> None:
    html = reactpy_to_string(bar_chart("b", TEXT, MONTHS, Series("Matches", (None, 7, 10))))

    assert html.count('"chart-bar"') == 2
    assert 'stroke-dasharray="4 3"' in html
    assert "&lt;5" in html


def test_charts_without_data_say_so() -> None:
    line = reactpy_to_string(line_chart("c", TEXT, MONTHS, [Series("Matches", (None,) * 3)]))
    bars = reactpy_to_string(bar_chart("b", TEXT, [], Series("Matches", ())))

    for html in (line, bars):
        assert "<svg" in html
        assert "No figures to show yet." in html
        assert "<circle" not in html
        assert '"chart-bar"' not in html


def test_every_site_chart_renders_for_an_empty_and_a_full_report() -> None:
    months = (date(2026, 10, 1), date(2026, 11, 1))
    empty = Report(SiteChoice("national", "Handje"), months, {})
    full = Report(
        SiteChoice("national", "Handje"),
        months,
        {
            ("listings", ""): (Figure("listings", "", 9), Figure("listings", "", 14)),
            ("listings", "request:shopping"): (
                Figure("listings", "request:shopping", None),
                Figure("listings", "request:shopping", 6),
            ),
        },
    )
    t = translator("nl")

    empty_html = "".join(reactpy_to_string(chart) for chart in site_charts(empty, t, "nl"))
    full_html = "".join(reactpy_to_string(chart) for chart in site_charts(full, t, "nl"))
    organisation_html = "".join(
        reactpy_to_string(chart) for chart in organisation_charts_of(empty, t)
    )

    assert empty_html.count("<svg") == 6
    assert "<circle" not in empty_html
    assert full_html.count("<svg") == 6
    assert "Hulpvraag: Boodschappen" in full_html or "Boodschappen" in full_html
    assert organisation_html.count("<svg") == 3


def test_an_organisations_charts_draw_its_own_figures() -> None:
    months = (date(2026, 10, 1), date(2026, 11, 1))

    def series(metric: str, values: tuple[float | None, float | None]) -> tuple[Figure, ...]:
        return tuple(Figure(metric, "", value) for value in values)

    report = Report(
        SiteChoice("organisation", "Voedselbank Haarlem"),
        months,
        {
            ("interests", ""): series("interests", (None, 7)),
            ("matches", ""): series("matches", (5, 6)),
            ("volunteers_helped", ""): series("volunteers_helped", (None, 5)),
        },
    )

    html = "".join(
        reactpy_to_string(chart) for chart in organisation_charts_of(report, translator("en"))
    )

    assert html.count("<svg") == 3
    assert html.count('"chart-bar"') == 4
    assert "Volunteers who helped" in html
    assert ">7</td>" in html
    assert "&lt;5" in html
    assert "No figures to show yet." not in html

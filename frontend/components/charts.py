"""Small server-rendered SVG charts (line and bar) with a title, a description and a data table.

Every chart scales to its container (a phone or a tablet), names itself to screen readers
(``role="img"`` labelled by its ``<title>`` and ``<desc>``), and has the same numbers in a table
below it. Suppressed values (None) leave a gap in a line and a dashed outline for a bar.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reactpy import html
from reactpy.types import VdomDict

from backend.statistics.figures import SUPPRESSED

WIDTH = 640
HEIGHT = 300
LEFT = 48
RIGHT = 16
TOP = 16
BOTTOM = 40
# Series colours; the first follows the site's brand colour.
TICK = {"font-size": 13, "fill": "#374151"}
COLOURS = ("var(--brand, #0f766e)", "#f59e0b", "#6366f1", "#db2777")


def _with_text(tag: str, attributes: dict[str, object], text: str) -> VdomDict:
    # ReactPy's SVG constructors refuse children for <text> and <desc>, which need their text.
    return VdomDict(tagName=tag, attributes=attributes, children=[text])  # type: ignore[typeddict-item]


@dataclass(frozen=True)
class Series:
    """One line (or the one row of bars): a name and one value per label."""

    name: str
    values: tuple[float | None, ...]


def _shown(value: float | None) -> str:
    if value is None:
        return SUPPRESSED
    return str(int(value)) if value == int(value) else f"{value:g}"


def _top_of_scale(series: Sequence[Series]) -> float:
    highest = max((value for one in series for value in one.values if value is not None), default=0)
    if highest <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(highest))) - 1)
    return float(-(-highest // magnitude) * magnitude)


def _x(index: int, count: int) -> float:
    if count <= 1:
        return LEFT + (WIDTH - LEFT - RIGHT) / 2
    return LEFT + index * (WIDTH - LEFT - RIGHT) / (count - 1)


def _y(value: float, top: float) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - value / top)


def _axes(labels: Sequence[str], top: float, positions: Sequence[float]) -> list[VdomDict]:
    grid = []
    for fraction in (0, 0.5, 1):
        y = _y(top * fraction, top)
        grid.append(
            html.svg.line({"x1": LEFT, "x2": WIDTH - RIGHT, "y1": y, "y2": y, "stroke": "#d1d5db"})
        )
        grid.append(
            _with_text(
                "text",
                {"x": LEFT - 6, "y": y + 4, "text-anchor": "end", **TICK},
                _shown(top * fraction),
            )
        )
    # Every label when few, otherwise every other one, so twelve months stay readable.
    step = 1 if len(labels) <= 6 else 2
    for index, (label, x) in enumerate(zip(labels, positions, strict=True)):
        if index % step == 0 or index == len(labels) - 1:
            grid.append(
                _with_text(
                    "text",
                    {
                        "x": x,
                        "y": HEIGHT - BOTTOM + 18,
                        "text-anchor": "middle",
                        **TICK,
                    },
                    label,
                )
            )
    return grid


def _frame(chart_id: str, title: str, description: str, *children: VdomDict) -> VdomDict:
    return html.svg(
        {
            "viewBox": f"0 0 {WIDTH} {HEIGHT}",
            "className": "chart",
            "style": {"width": "100%", "height": "auto", "maxWidth": f"{WIDTH}px"},
            "role": "img",
            "aria-labelledby": f"{chart_id}-title {chart_id}-desc",
            "preserveAspectRatio": "xMidYMid meet",
        },
        _with_text("title", {"id": f"{chart_id}-title"}, title),
        _with_text("desc", {"id": f"{chart_id}-desc"}, description),
        *children,
    )


def _no_data(text: str) -> VdomDict:
    return _with_text(
        "text",
        {"x": WIDTH / 2, "y": HEIGHT / 2, "text-anchor": "middle", **TICK},
        text,
    )


def _has_values(series: Sequence[Series]) -> bool:
    return any(value is not None for one in series for value in one.values)


def _line_paths(series: Sequence[Series], count: int, top: float) -> list[VdomDict]:
    drawn: list[VdomDict] = []
    for number, one in enumerate(series):
        colour = COLOURS[number % len(COLOURS)]
        # A suppressed month breaks the line rather than pretending it was zero.
        commands, pen_down = [], False
        for index, value in enumerate(one.values):
            if value is None:
                pen_down = False
                continue
            commands.append(
                f"{'L' if pen_down else 'M'}{_x(index, count):.1f},{_y(value, top):.1f}"
            )
            pen_down = True
            drawn.append(
                html.svg.circle(
                    {"cx": _x(index, count), "cy": _y(value, top), "r": 4, "fill": colour}
                )
            )
        drawn.insert(
            0,
            html.svg.path(
                {
                    "d": " ".join(commands),
                    "fill": "none",
                    "stroke": colour,
                    "stroke-width": 3,
                    "stroke-linejoin": "round",
                }
            ),
        )
    return drawn


def _legend(series: Sequence[Series]) -> VdomDict | str:
    if len(series) < 2:
        return ""
    return html.ul(
        {"className": "chart-legend"},
        *[
            html.li(
                {"key": one.name},
                html.span(
                    {
                        "className": "chart-swatch",
                        "style": {
                            "display": "inline-block",
                            "width": "1em",
                            "height": "0.5em",
                            "marginRight": "0.4em",
                            "background": COLOURS[number % len(COLOURS)],
                        },
                        "aria-hidden": "true",
                    }
                ),
                one.name,
            )
            for number, one in enumerate(series)
        ],
    )


def data_table(
    caption: str, labels: Sequence[str], series: Sequence[Series], label_heading: str
) -> VdomDict:
    """The chart's numbers as a table (``<5`` where suppressed), for screen readers and print."""
    return html.table(
        {"className": "chart-table"},
        html.caption(caption),
        html.thead(
            html.tr(
                html.th({"scope": "col"}, label_heading),
                *[html.th({"scope": "col", "key": one.name}, one.name) for one in series],
            )
        ),
        html.tbody(
            *[
                html.tr(
                    {"key": label},
                    html.th({"scope": "row"}, label),
                    *[html.td({"key": one.name}, _shown(one.values[index])) for one in series],
                )
                for index, label in enumerate(labels)
            ]
        ),
    )


@dataclass(frozen=True)
class ChartText:
    """The words around a chart, already translated."""

    title: str
    description: str
    no_data: str
    table_heading: str
    show_table: str


def line_chart(
    chart_id: str, text: ChartText, labels: Sequence[str], series: Sequence[Series]
) -> VdomDict:
    """A line per series over ``labels`` (months), with a legend and the data table."""
    top = _top_of_scale(series)
    body = (
        [
            *_axes(labels, top, [_x(i, len(labels)) for i in range(len(labels))]),
            *_line_paths(series, len(labels), top),
        ]
        if _has_values(series)
        else [_no_data(text.no_data)]
    )
    return _figure(chart_id, text, labels, series, body)


def bar_chart(chart_id: str, text: ChartText, labels: Sequence[str], bars: Series) -> VdomDict:
    """One bar per label; a suppressed value is a dashed outline marked ``<5``."""
    top = _top_of_scale([bars])
    slot = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    centres = [LEFT + slot * (index + 0.5) for index in range(len(labels))]
    body: list[VdomDict] = []
    if _has_values([bars]):
        body = _axes(labels, top, centres)
        for centre, value in zip(centres, bars.values, strict=True):
            width = min(slot * 0.7, 60)
            if value is None:
                body.append(
                    html.svg.g(
                        html.svg.rect(
                            {
                                "x": centre - width / 2,
                                "y": _y(top * 0.1, top),
                                "width": width,
                                "height": _y(0, top) - _y(top * 0.1, top),
                                "fill": "none",
                                "stroke": "#6b7280",
                                "stroke-dasharray": "4 3",
                            }
                        ),
                        _with_text(
                            "text",
                            {
                                "x": centre,
                                "y": _y(top * 0.1, top) - 6,
                                "text-anchor": "middle",
                                **TICK,
                            },
                            SUPPRESSED,
                        ),
                    )
                )
                continue
            body.append(
                html.svg.rect(
                    {
                        "x": centre - width / 2,
                        "y": _y(value, top),
                        "width": width,
                        "height": _y(0, top) - _y(value, top),
                        "fill": COLOURS[0],
                        "className": "chart-bar",
                        "rx": 3,
                    }
                )
            )
    else:
        body = [_no_data(text.no_data)]
    return _figure(chart_id, text, labels, [bars], body)


def _figure(
    chart_id: str,
    text: ChartText,
    labels: Sequence[str],
    series: Sequence[Series],
    body: list[VdomDict],
) -> VdomDict:
    return html.figure(
        {"className": "chart-figure", "key": chart_id},
        html.h3(text.title),
        _frame(chart_id, text.title, text.description, *body),
        _legend(series),
        html.details(
            html.summary(text.show_table),
            data_table(text.title, labels, series, text.table_heading),
        ),
    )

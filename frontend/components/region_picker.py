"""Choosing a region: search a town, or use the device's location (rounded to a cell)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from reactpy import component, event, html, use_state
from reactpy.reactjs import component_from_file
from reactpy.types import VdomDict

from backend.errors import DomainError
from backend.regions.gazetteer import search_places
from backend.regions.model import Region
from backend.regions.service import region_from_point
from frontend.components.events import on_event
from frontend.components.forms import notice, value_of
from frontend.context import use_page

LocateButton = component_from_file(
    Path(__file__).parent.parent / "js" / "locate.js",
    import_names="LocateButton",
    name="handje-locate",
)
MAX_SUGGESTIONS = 6


@component
def region_picker(
    current: Region | None, choose: Callable[[Region], Awaitable[None] | None], *, label: str
) -> VdomDict:
    """A search box with town suggestions and a "use my location" button.

    Only the town's cell (about 5 km²) is ever kept, never the device's coordinates.
    """
    page = use_page()
    t = page.t
    query, set_query = use_state("")
    problem, set_problem = use_state("")

    async def pick(region: Region) -> None:
        set_query("")
        set_problem("")
        outcome = choose(region)
        if outcome is not None:
            await outcome

    @event(debounce=200)
    def search(change: dict[str, Any]) -> None:
        set_query(value_of(change))

    async def located(position: dict[str, Any]) -> None:
        try:
            region = region_from_point(float(position["latitude"]), float(position["longitude"]))
        except (DomainError, KeyError, TypeError, ValueError):
            set_problem(t("We could not find a Dutch town near you. Search for it instead."))
            return
        await pick(region)

    def failed(_details: dict[str, Any]) -> None:
        set_problem(t("Your location is not available. Search for your town instead."))

    places = search_places(query, limit=MAX_SUGGESTIONS) if len(query.strip()) >= 2 else []
    return html.div(
        {"className": "region-picker"},
        html.p({"className": "region-current"}, t("Region: {name}").format(name=current.name))
        if current
        else "",
        html.div(
            {"className": "field"},
            html.label({"htmlFor": "region-search"}, label),
            html.input(
                {
                    "id": "region-search",
                    "type": "search",
                    "autoComplete": "off",
                    "placeholder": t("Town or village"),
                    "onChange": search,
                }
            ),
        ),
        html.ul(
            {"className": "suggestions", "aria-label": t("Towns")},
            *[
                html.li(
                    {"key": place.cell + place.name},
                    html.button(
                        {
                            "type": "button",
                            "className": "btn btn-link",
                            "onClick": on_event(pick, Region(place.cell, place.name)),
                        },
                        f"{place.name} · {place.province}",
                    ),
                )
                for place in places
            ],
        )
        if places
        else "",
        LocateButton(
            {
                "label": t("Use my location"),
                "busyLabel": t("Finding your town…"),
                "onLocate": located,
                "onError": failed,
            }
        ),
        notice("error", problem),
    )

"""Region rules: a region comes from a town in the list, a browser position or a known cell."""

from __future__ import annotations

from backend.errors import Invalid
from backend.regions.cells import cell_for_point, is_region_cell
from backend.regions.gazetteer import nearest_place, place_named
from backend.regions.model import Region


def region_from_place(name: str) -> Region:
    """The region of the town called ``name`` (its Dutch or GeoNames name, any case)."""
    place = place_named(name)
    if place is None:
        raise Invalid("Choose a town from the list.", field="region")
    return Region(cell=place.cell, name=place.name)


def region_from_cell(cell: str) -> Region:
    """The region of a cell sent back by a client, named after its nearest town."""
    if not is_region_cell(cell):
        raise Invalid("That region is not valid.", field="region")
    return Region(cell=cell, name=nearest_place(cell).name)


def region_from_point(latitude: float, longitude: float) -> Region:
    """The region holding a point; the point itself is rounded away here and kept nowhere."""
    return region_from_cell(cell_for_point(latitude, longitude))

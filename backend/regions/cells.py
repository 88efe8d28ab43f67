"""H3 cells at resolution 7: turning a point into a region cell, distances and neighbourhoods."""

from __future__ import annotations

import math
import re
from functools import lru_cache

import h3

from backend.errors import Invalid

REGION_RESOLUTION = 7

# A generous box around the Netherlands, Wadden islands and border strips included.
_SOUTH, _NORTH, _WEST, _EAST = 50.6, 53.8, 3.0, 7.4
# The canonical spelling of an H3 cell (h3 also accepts upper case, padding and "0x").
_CELL_SPELLING = re.compile(r"[0-9a-f]{15}")
# A k-ring disk is a hexagon whose nearest edge lies at cos(30°) of k neighbour spacings.
_DISK_INNER_RATIO = math.sqrt(3) / 2


def _near_netherlands(latitude: float, longitude: float) -> bool:
    return _SOUTH <= latitude <= _NORTH and _WEST <= longitude <= _EAST


def cell_for_point(latitude: float, longitude: float) -> str:
    """The region cell that holds the point; only points in or near the Netherlands."""
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise Invalid("That location is not valid.", field="region")
    if not _near_netherlands(latitude, longitude):
        raise Invalid("Choose a place in the Netherlands.", field="region")
    return h3.latlng_to_cell(latitude, longitude, REGION_RESOLUTION)


def is_region_cell(cell: str) -> bool:
    """Whether ``cell`` is a canonically spelled resolution-7 cell in or near the Netherlands."""
    if not (_CELL_SPELLING.fullmatch(cell) and h3.is_valid_cell(cell)):
        return False
    return h3.get_resolution(cell) == REGION_RESOLUTION and _near_netherlands(
        *h3.cell_to_latlng(cell)
    )


def centre_distance_km(a: str, b: str) -> float:
    """The great-circle distance between the centres of two cells, in kilometres."""
    return h3.great_circle_distance(h3.cell_to_latlng(a), h3.cell_to_latlng(b), unit="km")


@lru_cache(maxsize=65_536)
def distance_km(a: str, b: str) -> int:
    """The distance between two cells' centres in whole kilometres (0 for the same cell)."""
    return round(centre_distance_km(a, b))


def _neighbour_spacing_km(cell: str) -> float:
    return min(centre_distance_km(cell, neighbour) for neighbour in h3.grid_ring(cell, 1))


@lru_cache(maxsize=4096)
def cells_within(cell: str, radius_km: float) -> frozenset[str]:
    """Every region cell whose centre lies within ``radius_km`` of ``cell``'s centre.

    Approximation: a place counts as within reach when its cell's centre is, so a true
    distance can be off by up to about one cell (1.4 km) either way.
    """
    rings = math.ceil(radius_km / (_DISK_INNER_RATIO * _neighbour_spacing_km(cell))) + 1
    return frozenset(
        candidate
        for candidate in h3.grid_disk(cell, max(rings, 0))
        if centre_distance_km(cell, candidate) <= radius_km
    )

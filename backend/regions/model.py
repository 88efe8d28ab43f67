"""The region value every domain stores instead of a location."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Region:
    """An H3 cell at resolution 7 (about 5 km²) and the name of the nearest town or village."""

    cell: str
    name: str

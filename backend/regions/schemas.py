"""Request and response bodies of the regions API."""

from __future__ import annotations

import msgspec

from backend.regions.gazetteer import Place
from backend.regions.model import Region


class PlaceOption(msgspec.Struct):
    """A town to choose as one's region."""

    name: str
    province: str
    cell: str

    @classmethod
    def from_place(cls, place: Place) -> PlaceOption:
        """Build from a gazetteer ``Place`` (the population stays out)."""
        return cls(name=place.name, province=place.province, cell=place.cell)


class Position(msgspec.Struct, forbid_unknown_fields=True):
    """The browser's geolocation, sent once to be rounded to a region."""

    latitude: float
    longitude: float


class RegionOut(msgspec.Struct):
    """A region: its cell and the name of its town."""

    cell: str
    name: str

    @classmethod
    def from_region(cls, region: Region) -> RegionOut:
        """Build from the ``Region`` value."""
        return cls(cell=region.cell, name=region.name)

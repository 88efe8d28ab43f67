"""How an API body names a region: a town from the search, or a cell from the device's location."""

from __future__ import annotations

from typing import Annotated

import msgspec

from backend.errors import Invalid
from backend.regions.model import Region
from backend.regions.service import region_from_cell, region_from_place


class RegionChoice(msgspec.Struct, forbid_unknown_fields=True):
    """Exactly one of ``place`` (a town name) or ``cell`` (an H3 cell at resolution 7)."""

    place: Annotated[str, msgspec.Meta(max_length=80)] | None = None
    cell: Annotated[str, msgspec.Meta(max_length=20)] | None = None


def region_from_choice(choice: RegionChoice) -> Region:
    """The region the body names; ``Invalid`` when it names none or an unknown one."""
    if choice.place:
        return region_from_place(choice.place)
    if choice.cell:
        return region_from_cell(choice.cell)
    raise Invalid("Choose a town from the list.", field="region")

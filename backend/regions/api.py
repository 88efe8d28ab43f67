"""Regions over HTTP: search the town list and turn the browser's position into a region."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.params import JSONBody, Parameter
from litestar.status_codes import HTTP_200_OK

from backend.regions.gazetteer import search_places
from backend.regions.schemas import PlaceOption, Position, RegionOut
from backend.regions.service import region_from_point
from backend.web.auth import require_sign_in

SearchText = Annotated[str, Parameter(min_length=1, max_length=80)]


class RegionsController(Controller):
    """Choosing a region: by town name or by the device's location."""

    path = "/api/regions"
    tags = ["regions"]
    guards = [require_sign_in]

    @get("/search")
    async def search(self, q: SearchText) -> list[PlaceOption]:
        """Towns whose name starts with or contains ``q``, biggest first."""
        return [PlaceOption.from_place(place) for place in search_places(q)]

    @post("/locate", status_code=HTTP_200_OK)
    async def locate(self, data: JSONBody[Position]) -> RegionOut:
        """The region holding a position.

        A POST so coordinates stay out of URLs and access logs; the body is never logged or
        stored: it is rounded to a cell right here and dropped.
        """
        return RegionOut.from_region(region_from_point(data.latitude, data.longitude))

"""A factory for local sites, through the real sites service."""

from __future__ import annotations

import itertools

from backend.regions.service import region_from_place
from backend.sites.service import Sites, SiteView

_numbers = itertools.count(1)


async def make_site(
    sites: Sites,
    *,
    hosts: tuple[str, ...] = (),
    centre: str = "Haarlem",
    radius_km: int = 10,
) -> SiteView:
    """Create a local site with a fresh slug (the app and its site cache live for the session)."""
    number = next(_numbers)
    return await sites.create(
        slug=f"site-{number}",
        name=f"Site {number}",
        hosts=hosts,
        centre=region_from_place(centre),
        radius_km=radius_km,
    )

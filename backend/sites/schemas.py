"""Response bodies of the sites API."""

from __future__ import annotations

import msgspec

from backend.sites.service import DEFAULT_ACCENT_COLOUR, DEFAULT_PRIMARY_COLOUR, SiteView

NATIONAL_NAME = "Handje"


class CurrentSite(msgspec.Struct):
    """The site a request is on: a local site, or the national one (``national`` true)."""

    national: bool
    slug: str | None
    name: str
    primary_colour: str
    accent_colour: str
    centre_name: str | None
    radius_km: int | None

    @classmethod
    def of(cls, site: SiteView | None) -> CurrentSite:
        """Describe a local site, or the national site for None."""
        if site is None:
            return cls(
                national=True,
                slug=None,
                name=NATIONAL_NAME,
                primary_colour=DEFAULT_PRIMARY_COLOUR,
                accent_colour=DEFAULT_ACCENT_COLOUR,
                centre_name=None,
                radius_km=None,
            )
        return cls(
            national=False,
            slug=site.slug,
            name=site.name,
            primary_colour=site.primary_colour,
            accent_colour=site.accent_colour,
            centre_name=site.centre_name,
            radius_km=site.radius_km,
        )

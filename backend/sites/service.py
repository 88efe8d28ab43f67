"""Site rules: create local sites, list them, and find the site a host name belongs to."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

from backend.errors import Conflict, Invalid, NotFound
from backend.regions.cells import cells_within, is_region_cell
from backend.regions.model import Region
from backend.sites.tables import Site, SiteAdmin

DEFAULT_PRIMARY_COLOUR = "#0f766e"
DEFAULT_ACCENT_COLOUR = "#f59e0b"
# ``/s/national`` switches back to the national site, so no local site may be called that.
NATIONAL_SLUG = "national"
CACHE_SECONDS = 30.0
MIN_RADIUS_KM = 1
MAX_RADIUS_KM = 100

_SLUG = re.compile(r"[a-z0-9-]{2,40}")
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOST = re.compile(rf"(?=.{{1,253}}$){_LABEL}(?:\.{_LABEL})*")
_COLOUR = re.compile(r"#[0-9a-f]{6}")


@dataclass(frozen=True)
class SiteView:
    """A local site as the rest of the app sees it."""

    slug: str
    name: str
    hosts: tuple[str, ...]
    primary_colour: str
    accent_colour: str
    centre_cell: str
    centre_name: str
    radius_km: int

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> SiteView:
        """Build from a ``Site`` row dict (without ``id`` and ``created_at``)."""
        return cls(**{**row, "hosts": tuple(row["hosts"] or ())})

    def contains(self, cell: str) -> bool:
        """Whether a region cell lies in this site's area."""
        return cell in cells_within(self.centre_cell, self.radius_km)


def host_name(host: str) -> str:
    """The host name of a ``Host`` header: lower case, without port or trailing dot."""
    try:
        name = urlsplit(f"//{host.strip()}").hostname
    except ValueError:  # a malformed header (``[::1``) belongs to no site
        return ""
    return (name or "").rstrip(".")


def _clean_slug(slug: str) -> str:
    slug = slug.strip().lower()
    if not _SLUG.fullmatch(slug):
        raise Invalid(
            "A short name has 2 to 40 lower-case letters, digits or hyphens.", field="slug"
        )
    if slug == NATIONAL_SLUG:
        raise Invalid("This short name is reserved for the national site.", field="slug")
    return slug


def _clean_name(name: str) -> str:
    name = name.strip()
    if not 2 <= len(name) <= 60:
        raise Invalid("A site name has 2 to 60 characters.", field="name")
    return name


def _clean_hosts(hosts: Sequence[str]) -> tuple[str, ...]:
    cleaned = [host.strip().lower().rstrip(".") for host in hosts]
    if not all(_HOST.fullmatch(host) for host in cleaned):
        raise Invalid("Use host names like haarlem.handje.nl, without a port.", field="hosts")
    return tuple(dict.fromkeys(cleaned))


def _clean_colour(colour: str, field: str) -> str:
    colour = colour.strip().lower()
    if not _COLOUR.fullmatch(colour):
        raise Invalid("Use a colour like #0f766e.", field=field)
    return colour


def _check_area(centre: Region, radius_km: int) -> None:
    if not is_region_cell(centre.cell):
        raise Invalid("The centre is not a known region.", field="centre")
    if not MIN_RADIUS_KM <= radius_km <= MAX_RADIUS_KM:
        raise Invalid("The radius is 1 to 100 km.", field="radius_km")


class Sites:
    """The sites service: a short-lived in-memory copy of the site list, and site creation."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._cached: tuple[SiteView, ...] | None = None
        self._loaded_at = 0.0

    async def create(
        self,
        *,
        slug: str,
        name: str,
        hosts: Sequence[str],
        centre: Region,
        radius_km: int,
        primary_colour: str = DEFAULT_PRIMARY_COLOUR,
        accent_colour: str = DEFAULT_ACCENT_COLOUR,
    ) -> SiteView:
        """Add a local site; ``Conflict`` when the slug or one of the hosts is taken."""
        _check_area(centre, radius_km)
        site = SiteView(
            slug=_clean_slug(slug),
            name=_clean_name(name),
            hosts=_clean_hosts(hosts),
            primary_colour=_clean_colour(primary_colour, "primary_colour"),
            accent_colour=_clean_colour(accent_colour, "accent_colour"),
            centre_cell=centre.cell,
            centre_name=centre.name,
            radius_km=radius_km,
        )
        # Only an admin creates sites, at the command line: checking first is enough.
        await self._check_unused(site)
        await Site.insert(Site(**{**site.__dict__, "hosts": list(site.hosts)}))
        self.forget_cache()
        return site

    async def grant_admin(self, site_slug: str, user_id: UUID) -> None:
        """Make an account a local site admin (used by the ``handje`` command line)."""
        site = await Site.select(Site.id).where(Site.slug == site_slug).first()
        if site is None:
            raise NotFound("No local site with that short name.")
        if not await SiteAdmin.exists().where(
            (SiteAdmin.site == site["id"]) & (SiteAdmin.user == user_id)
        ):
            await SiteAdmin.insert(SiteAdmin(site=site["id"], user=user_id))

    async def _check_unused(self, site: SiteView) -> None:
        existing = await self._load()
        if any(other.slug == site.slug for other in existing):
            raise Conflict("A site with this short name already exists.", field="slug")
        if any(set(other.hosts) & set(site.hosts) for other in existing):
            raise Conflict("Another site already uses this host name.", field="hosts")

    async def all(self) -> list[SiteView]:
        """Every local site, by slug."""
        # Every request and websocket asks which site it is on, while sites change only when an
        # admin runs ``handje site-create`` (in another process, which cannot tell this one).
        # Keeping the list for 30 seconds saves a query per request; a new site shows within 30 s.
        if self._cached is None or self._clock() - self._loaded_at >= CACHE_SECONDS:
            self._cached = await self._load()
            self._loaded_at = self._clock()
        return list(self._cached)

    def forget_cache(self) -> None:
        """Read the site list from the database on the next lookup."""
        self._cached = None

    async def by_slug(self, slug: str) -> SiteView | None:
        """The site with this slug, or None."""
        return next((site for site in await self.all() if site.slug == slug), None)

    async def for_host(self, host: str) -> SiteView | None:
        """The site a ``Host`` header (any case, with or without port) belongs to, or None."""
        name = host_name(host)
        return next((site for site in await self.all() if name in site.hosts), None)

    @staticmethod
    async def _load() -> tuple[SiteView, ...]:
        rows = await Site.select(Site.all_columns(exclude=[Site.id, Site.created_at])).order_by(
            Site.slug
        )
        return tuple(SiteView.from_row(row) for row in rows)

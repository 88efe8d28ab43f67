"""Regional news: a short message from an admin or a local site's admin, in the app and by push,
only to the people of the region who opted in (the newsletter consent)."""

from __future__ import annotations

from backend.accounts.service import Account
from backend.errors import Forbidden, Invalid, NotFound
from backend.notifications.service import REGIONAL_NEWS, record_notifications
from backend.privacy.consents import newsletter_recipients
from backend.regions.cells import cells_within
from backend.sites.service import NATIONAL_SLUG, Sites
from backend.sites.tables import SiteAdmin

MAX_LENGTH = 280
NATIONAL_NAME = "Handje"


class RegionalNews:
    """Sends regional news: admins to everyone or any site's region, a local site's admins to
    their site's region; always only to those who asked for it."""

    def __init__(self, sites: Sites) -> None:
        self._sites = sites

    async def _area(self, actor: Account, slug: str) -> tuple[str, frozenset[str] | None]:
        """The sender's name for the area and its region cells (None: everywhere)."""
        if slug == NATIONAL_SLUG:
            if actor.role != "admin":
                raise Forbidden("Only admins and local site admins send regional news.")
            return NATIONAL_NAME, None
        site = await self._sites.by_slug(slug)
        if site is None:
            raise NotFound("Not found.")
        if actor.role != "admin" and not await SiteAdmin.exists().where(
            SiteAdmin.user == actor.id, SiteAdmin.site.slug == slug
        ):
            raise Forbidden("Only admins and local site admins send regional news.")
        return site.name, cells_within(site.centre_cell, site.radius_km)

    async def send(self, actor: Account, slug: str, text: str) -> int:
        """Send ``text`` to the opted-in people of site ``slug``'s region; return how many."""
        text = text.strip()
        if not text:
            raise Invalid("Write the news first.", field="text")
        if len(text) > MAX_LENGTH:
            raise Invalid("Keep the news under 280 characters.", field="text")
        name, cells = await self._area(actor, slug)
        recipients = await newsletter_recipients(cells)
        return await record_notifications(recipients, REGIONAL_NEWS, {"site": name, "text": text})

"""What every page needs from its connection: services, the signed-in user, language, tokens."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from http.cookies import SimpleCookie

from reactpy import create_context, use_context

from backend.accounts.service import Account, Accounts, SignedIn
from backend.errors import NotAuthenticated
from backend.listings.service import Listings
from backend.matching.service import Matching
from backend.media.service import Media
from backend.messaging.service import Messaging
from backend.organisations.service import Organisations
from backend.privacy.news import RegionalNews
from backend.privacy.service import Privacy
from backend.push.service import Push
from backend.settings import Settings
from backend.sites.service import SiteView
from backend.statistics.service import Statistics
from backend.web.flash import FLASH_COOKIE, Flash, read_flash
from frontend.i18n import Translate


@dataclass(frozen=True)
class PageContext:
    """Per-connection state shared by all pages; the setters re-render the whole app."""

    accounts: Accounts
    listings: Listings
    matching: Matching
    media: Media
    messaging: Messaging
    organisations: Organisations
    push: Push
    settings: Settings
    statistics: Statistics
    privacy: Privacy
    news: RegionalNews
    site: SiteView | None
    signed_in: SignedIn | None
    set_signed_in: Callable[[SignedIn | None], None]
    language: str
    set_language: Callable[[str], None]
    t: Translate
    csrf_token: str
    flash: Flash | None

    async def still_signed_in(self) -> SignedIn:
        """The signed-in person, re-checked: a long-lived page must not outlive a log-out.

        Raises ``NotAuthenticated`` when the session has ended (or there never was one).
        """
        if self.signed_in is None:
            raise NotAuthenticated("Your session has ended. Please log in again.")
        return await self.accounts.still_signed_in(self.signed_in.session_id)

    async def current_account(self) -> Account:
        """The signed-in account, re-checked like ``still_signed_in``."""
        return (await self.still_signed_in()).account


PageContextProvider = create_context(None)


def use_page() -> PageContext:
    """The current connection's ``PageContext``."""
    page = use_context(PageContextProvider)
    assert page is not None, "pages render inside frontend.app.root"
    return page


def handshake_cookies(headers: list[tuple[bytes, bytes]]) -> dict[str, str]:
    """The cookies the browser sent with the websocket handshake."""
    jar: SimpleCookie = SimpleCookie()
    for name, value in headers:
        if name == b"cookie":
            jar.load(value.decode("latin-1"))
    return {key: morsel.value for key, morsel in jar.items()}


def flash_from(cookies: dict[str, str], signing_key: str) -> Flash | None:
    """The notice carried over from the last form post, if any."""
    return read_flash(cookies.get(FLASH_COOKIE), signing_key)

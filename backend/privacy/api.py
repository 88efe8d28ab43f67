"""Privacy over HTTP: consents, exports and their download, and deleting one's account."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Response, get, post, put
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody
from litestar.response import File
from litestar.status_codes import HTTP_204_NO_CONTENT

from backend.accounts.api import CLEAR_SITE_DATA
from backend.accounts.service import SignedIn
from backend.privacy.consents import PURPOSES
from backend.privacy.news import RegionalNews
from backend.privacy.schemas import (
    AccountDeletion,
    ConsentChange,
    ConsentHistoryEntry,
    ConsentState,
    Export,
    News,
    NewsSent,
)
from backend.privacy.service import Privacy
from backend.settings import Settings
from backend.web.auth import current_session, require_sign_in
from backend.web.cookies import cleared_session_cookie


class PrivacyController(Controller):
    """The signed-in person's own privacy choices and data."""

    path = "/api/privacy"
    tags = ["privacy"]
    guards = [require_sign_in]
    dependencies = {"session": Provide(current_session, sync_to_thread=False)}

    @get("/consents")
    async def consents(
        self, session: NamedDependency[SignedIn], privacy: NamedDependency[Privacy]
    ) -> list[ConsentState]:
        """Each choice as it stands now."""
        current = await privacy.consents(session.account)
        return [ConsentState.of(purpose, current[purpose]) for purpose in PURPOSES]

    @put("/consents/{purpose:str}")
    async def set_consent(
        self,
        purpose: FromPath[str],
        data: JSONBody[ConsentChange],
        session: NamedDependency[SignedIn],
        privacy: NamedDependency[Privacy],
    ) -> ConsentState:
        """Give or withdraw one consent."""
        await privacy.set_consent(session.account, purpose, data.given)
        return ConsentState.of(purpose, (await privacy.consents(session.account))[purpose])

    @get("/consents/history")
    async def consent_history(
        self, session: NamedDependency[SignedIn], privacy: NamedDependency[Privacy]
    ) -> list[ConsentHistoryEntry]:
        """Every consent given and withdrawn, oldest first."""
        history = await privacy.consent_history(session.account)
        return [ConsentHistoryEntry.of(record) for record in history]

    @get("/exports")
    async def exports(
        self, session: NamedDependency[SignedIn], privacy: NamedDependency[Privacy]
    ) -> list[Export]:
        """The caller's exports that are pending or still downloadable."""
        return [Export.of(view) for view in await privacy.exports(session.account)]

    @post("/exports")
    async def request_export(
        self, session: NamedDependency[SignedIn], privacy: NamedDependency[Privacy]
    ) -> Export:
        """Ask for a copy of one's data (ready at once, or later with a notification)."""
        return Export.of(await privacy.request_export(session.account))

    @get("/exports/{export_id:uuid}/download")
    async def download(
        self,
        export_id: FromPath[UUID],
        session: NamedDependency[SignedIn],
        privacy: NamedDependency[Privacy],
    ) -> File:
        """The ZIP, for its owner only, until it expires."""
        path = await privacy.export_file(session.account, export_id)
        return File(
            path,
            filename="handje-data.zip",
            media_type="application/zip",
            headers={"Cache-Control": "no-store"},
        )

    @post("/news/{site:str}")
    async def send_news(
        self,
        site: FromPath[str],
        data: JSONBody[News],
        session: NamedDependency[SignedIn],
        news: NamedDependency[RegionalNews],
    ) -> NewsSent:
        """Send regional news to the people of a site's region who asked for it (admins and
        that site's admins)."""
        return NewsSent(recipients=await news.send(session.account, site, data.text))

    @post("/delete-account", status_code=HTTP_204_NO_CONTENT)
    async def delete_account(
        self,
        data: JSONBody[AccountDeletion],
        session: NamedDependency[SignedIn],
        privacy: NamedDependency[Privacy],
        settings: NamedDependency[Settings],
    ) -> Response[None]:
        """Delete the caller's account for good, after checking the password."""
        await privacy.delete_account(
            session.account, password=data.password, keep_message_text=data.keep_message_text
        )
        return Response(
            None,
            status_code=HTTP_204_NO_CONTENT,
            cookies=[cleared_session_cookie(settings)],
            headers={"Clear-Site-Data": CLEAR_SITE_DATA},
        )

"""A live page re-checks its session through ``PageContext`` before each change it makes."""

from __future__ import annotations

from dataclasses import fields

import pytest
from litestar import Litestar

from backend.accounts.service import ProfileChanges, SignedIn
from backend.errors import NotAuthenticated
from frontend.context import PageContext
from frontend.i18n import translator
from tests.factories import PASSWORD, make_account


def page_for(app: Litestar, signed_in: SignedIn | None) -> PageContext:
    """The context a page gets on a connection: the app's services, and who is signed in."""
    services = {
        each.name: app.state[each.name] for each in fields(PageContext) if each.name in app.state
    }
    return PageContext(
        **services,
        site=None,
        signed_in=signed_in,
        set_signed_in=lambda _signed_in: None,
        language="en",
        set_language=lambda _language: None,
        t=translator("en"),
        csrf_token="",
        flash=None,
    )


async def test_a_page_reads_the_account_fresh_until_its_session_ends(app: Litestar) -> None:
    account = await make_account(app, display_name="Anneke")
    opened = await app.state.accounts.log_in(
        email=account.email, password=PASSWORD, ip="192.0.2.8", user_agent="test"
    )
    page = page_for(app, opened.signed_in)
    await app.state.accounts.update_profile(account, ProfileChanges(display_name="Anneke de Vries"))
    assert (await page.current_account()).display_name == "Anneke de Vries"
    assert (await page.still_signed_in()).session_id == opened.signed_in.session_id
    await app.state.accounts.log_out(opened.signed_in.session_id)
    with pytest.raises(NotAuthenticated):
        await page.current_account()
    with pytest.raises(NotAuthenticated):
        await page.still_signed_in()


async def test_a_page_without_a_session_is_not_signed_in(app: Litestar) -> None:
    with pytest.raises(NotAuthenticated):
        await page_for(app, None).current_account()

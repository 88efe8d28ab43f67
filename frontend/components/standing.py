"""Tell a signed-out browser why: a moderator suspended or banned its account."""

from __future__ import annotations

from reactpy import component, html, use_async_effect, use_scope, use_state
from reactpy.types import VdomDict

from backend.moderation.standing import BANNED, SUSPENDED, RestrictionNotice, Standing
from backend.web.cookies import session_cookie_name
from frontend.components.forms import notice
from frontend.context import PageContext, handshake_cookies, use_page
from frontend.formatting import day


def restriction_text(restriction: RestrictionNotice, page: PageContext) -> str:
    """ "Suspended until …" or "closed", with the moderator's reason."""
    t = page.t
    if restriction.until is None:
        headline = t(BANNED)
    else:
        headline = t(SUSPENDED).format(until=day(restriction.until, page.language))
    reason = t("Reason: {reason}").format(reason=restriction.reason)
    return f"{headline} {reason}"


@component
def standing_notice() -> VdomDict | str:
    """On the log-in and sign-up pages: the restriction that ended this browser's session, or
    that just refused its log-in."""
    page = use_page()
    scope = use_scope()
    restriction, set_restriction = use_state(None)

    async def look_up() -> None:
        standing: Standing = scope["app"].state.standing
        token = handshake_cookies(scope["headers"]).get(session_cookie_name(page.settings))
        found = await standing.notice_for_token(token) if token else None
        if found is None and page.flash and page.flash.notice == "restricted":
            found = await standing.notice_for_email(page.flash.email)
        set_restriction(found)

    use_async_effect(look_up, [])
    if restriction is None:
        return ""
    return html.div(
        {"className": "standing-notice"},
        notice("error", restriction_text(restriction, page)),
        html.p(html.a({"href": "/safety"}, page.t("Safety centre"))),
    )

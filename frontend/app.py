"""The root component: per-connection context, routing, and who may see which page."""

from __future__ import annotations

from collections.abc import Callable

from reactpy import component, use_async_effect, use_scope, use_state
from reactpy.types import VdomDict
from reactpy_router import browser_router, navigate, route

from backend.accounts.service import SignedIn
from backend.messaging.live import SettledChannelsPlugin
from backend.web.cookies import csrf_cookie_name
from frontend.components.inbox import InboxContext, InboxHub
from frontend.context import (
    PageContext,
    PageContextProvider,
    flash_from,
    handshake_cookies,
    use_page,
)
from frontend.i18n import language_from_accept, translator
from frontend.pages.auth import log_in_page, sign_up_page
from frontend.pages.desk import audit_page, case_page, desk_page
from frontend.pages.discover import discover_page
from frontend.pages.listing_form import edit_listing_page, new_listing_page
from frontend.pages.listing_page import listing_page
from frontend.pages.matches import matches_page
from frontend.pages.messages import conversation_page, messages_page
from frontend.pages.my_listings import my_listings_page
from frontend.pages.notifications import notification_settings_page, notifications_page
from frontend.pages.organisations import organisation_page, organisations_page
from frontend.pages.privacy import privacy_settings_page, privacy_statement_page
from frontend.pages.profile import profile_page
from frontend.pages.safety import safety_page
from frontend.pages.statistics import statistics_page
from frontend.routes import (
    CONVERSATION,
    DESK,
    DESK_AUDIT,
    DESK_CASE,
    DISCOVER,
    EDIT_LISTING,
    LISTING,
    LOG_IN,
    MATCHES,
    MESSAGES,
    MY_LISTINGS,
    NEW_LISTING,
    NOTIFICATION_SETTINGS,
    NOTIFICATIONS,
    ORGANISATION,
    ORGANISATIONS,
    PRIVACY,
    PRIVACY_SETTINGS,
    PROFILE,
    SAFETY,
    SIGN_UP,
    STATISTICS,
)


@component
def members_only(page_component: Callable[[], VdomDict]) -> VdomDict:
    """Render a member page, or send an anonymous visitor to sign-up; count the visit for
    those who allowed counting (the page's name only)."""
    page = use_page()

    async def count_visit() -> None:
        if page.signed_in is not None:
            name = page_component.__name__.removesuffix("_page")
            await page.privacy.count_page_view(page.signed_in.account, name)

    use_async_effect(count_visit, [])
    if page.signed_in is None:
        return navigate(SIGN_UP, replace=True)
    return page_component()


@component
def visitors_only(page_component: object) -> VdomDict:
    """Render sign-up or log-in, or send a signed-in member on to Discover."""
    if use_page().signed_in is not None:
        return navigate(DISCOVER, replace=True)
    return page_component()


@component
def landing() -> VdomDict:
    """``/``: Discover for members, sign-up for everyone else."""
    return navigate(DISCOVER if use_page().signed_in else SIGN_UP, replace=True)


@component
def root() -> VdomDict:
    """The whole app for one browser tab."""
    scope = use_scope()
    state = scope["app"].state
    headers = scope["headers"]
    signed_in, set_signed_in = use_state(scope.get("auth"))
    initial_language = (
        signed_in.account.language
        if signed_in
        else language_from_accept(dict(headers).get(b"accept-language", b"").decode("latin-1"))
    )
    language, set_language = use_state(initial_language)
    cookies = handshake_cookies(headers)
    settings = state.settings

    def update_signed_in(new: SignedIn | None) -> None:
        set_signed_in(new)
        if new is not None:
            set_language(new.account.language)

    context = PageContext(
        accounts=state.accounts,
        listings=state.listings,
        matching=state.matching,
        media=state.media,
        messaging=state.messaging,
        organisations=state.organisations,
        push=state.push,
        settings=settings,
        statistics=state.statistics,
        privacy=state.privacy,
        news=state.news,
        site=scope.get("site"),
        signed_in=signed_in,
        set_signed_in=update_signed_in,
        language=language,
        set_language=set_language,
        t=translator(language),
        csrf_token=cookies.get(csrf_cookie_name(settings), ""),
        flash=flash_from(cookies, state.app_keys.signing_key),
    )
    user_id = signed_in.account.id if signed_in else None
    inbox = use_state(InboxHub)[0]

    async def listen_to_inbox() -> None:
        if user_id is not None:
            await inbox.run(scope["app"].plugins.get(SettledChannelsPlugin), user_id)

    use_async_effect(listen_to_inbox, [user_id])
    return PageContextProvider(
        InboxContext(
            browser_router(
                route("/", landing()),
                route(SIGN_UP, visitors_only(sign_up_page)),
                route(LOG_IN, visitors_only(log_in_page)),
                route(DISCOVER, members_only(discover_page)),
                route(MY_LISTINGS, members_only(my_listings_page)),
                route(MATCHES, members_only(matches_page)),
                route(NEW_LISTING, members_only(new_listing_page)),
                route(EDIT_LISTING, members_only(edit_listing_page)),
                route(LISTING, members_only(listing_page)),
                route(MESSAGES, members_only(messages_page)),
                route(CONVERSATION, members_only(conversation_page)),
                route(PROFILE, members_only(profile_page)),
                route(ORGANISATIONS, members_only(organisations_page)),
                route(ORGANISATION, members_only(organisation_page)),
                route(SAFETY, safety_page()),
                route(DESK, members_only(desk_page)),
                route(DESK_AUDIT, members_only(audit_page)),
                route(DESK_CASE, members_only(case_page)),
                route(STATISTICS, members_only(statistics_page)),
                route(PRIVACY_SETTINGS, members_only(privacy_settings_page)),
                route(PRIVACY, privacy_statement_page()),
                route(NOTIFICATIONS, members_only(notifications_page)),
                route(NOTIFICATION_SETTINGS, members_only(notification_settings_page)),
            ),
            value=inbox,
        ),
        value=context,
    )

"""Notification pieces of every member page: the bell with the unread count (and the app icon
badge), and the card that offers push notifications after sign-in."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from pathlib import Path
from typing import Any
from uuid import UUID

from reactpy import component, html, use_async_effect, use_connection, use_state
from reactpy.reactjs import component_from_file
from reactpy.types import VdomDict
from reactpy_router import link

from backend.errors import DomainError, NotAuthenticated
from backend.push.subscriptions import DeviceSubscription
from frontend.components.chat import conversation_shown_at
from frontend.components.forms import notice
from frontend.components.inbox import use_inbox_events
from frontend.context import PageContext, use_page
from frontend.routes import NOTIFICATION_SETTINGS, NOTIFICATIONS

JS = Path(__file__).parent.parent / "js"
PushSwitch = component_from_file(JS / "push.js", import_names="PushSwitch", name="handje-push")
AppBadge = component_from_file(JS / "badge.js", import_names="AppBadge", name="handje-badge")
RECOUNT_SECONDS = 30


def _uuid(text: str) -> UUID | None:
    """``text`` as a UUID, or ``None`` if it is none."""
    try:
        return UUID(text)
    except ValueError:
        return None


@component
def notification_bell() -> VdomDict:
    """A bell linking to the notification centre, with the unread count; it also sets the
    app icon badge. The count follows new messages live and is re-read every half minute.

    The conversation open on this page is left out, from the count and from live messages: the
    page reads it, and reading a conversation settles its notifications.
    """
    page = use_page()
    t = page.t
    unread, set_unread = use_state(0)
    viewer = str(page.signed_in.account.id) if page.signed_in else None
    open_conversation = conversation_shown_at(use_connection().location.path)

    async def count() -> None:
        try:
            actor = await page.current_account()
            set_unread(await page.push.unread_count(actor, besides=_uuid(open_conversation)))
        except NotAuthenticated:
            page.set_signed_in(None)

    def changed(event: dict[str, Any]) -> Awaitable[None] | None:
        # Sending records one notification for each other participant in the same transaction,
        # so a message from someone else adds one without a query.
        message = event.get("message")
        if event.get("type") == "read":
            # Reading another conversation (say, in another tab) settled its notifications.
            if event.get("reader") == viewer and event.get("conversation") != open_conversation:
                return count()
        elif event.get("type") != "message" or message is None:
            return count()
        elif message["sender"] != viewer and event.get("conversation") != open_conversation:
            set_unread(lambda unread: unread + 1)
        return None

    use_inbox_events(count, changed)

    @use_async_effect(dependencies=[])
    async def recount_now_and_then() -> None:
        while True:
            await asyncio.sleep(RECOUNT_SECONDS)
            await count()

    label = (
        t("Notifications, {count} unread").format(count=unread) if unread else t("Notifications")
    )
    return html.div(
        {"className": "bell-wrap"},
        link(
            {"to": NOTIFICATIONS, "className": "bell", "aria-label": label},
            html.span({"aria-hidden": "true"}, "🔔"),
            html.span({"className": "bell-count", "aria-hidden": "true"}, str(unread))
            if unread
            else "",
        ),
        AppBadge({"count": unread}),
    )


def push_labels(t: Any) -> dict[str, str]:
    """The texts of the push switch, in the reader's language."""
    return {
        "title": t("Stay in the loop"),
        "explanation": t(
            "Get a notification when someone responds, when you have a match or a message, "
            "and before your listing expires. You choose which ones, and when to be left alone."
        ),
        "enable": t("Turn on notifications"),
        "enabling": t("Turning on…"),
        "enabled": t("Notifications are on for this device."),
        "disable": t("Turn off on this device"),
        "notNow": t("Not now"),
        "denied": t(
            "Notifications are blocked for Handje in this browser. "
            "You can allow them in the browser's site settings."
        ),
        "unsupported": t("This browser cannot show notifications from Handje."),
        "iosHint": t(
            "On iPhone and iPad, notifications work once Handje is on your Home Screen: "
            "tap Share, then Add to Home Screen, and open Handje from there."
        ),
        "failed": t("Notifications could not be turned on. Please try again."),
    }


def use_push_switch(page: PageContext, mode: str) -> VdomDict:
    """The push switch for this device, storing and forgetting its subscription through
    the push service; a refused subscription shows a friendly line."""
    error, set_error = use_state("")

    async def subscribe(subscription: dict[str, Any]) -> None:
        try:
            keys = subscription.get("keys") or {}
            device = DeviceSubscription(
                str(subscription.get("endpoint", "")),
                str(keys.get("p256dh", "")),
                str(keys.get("auth", "")),
            )
            # The session, re-checked: the subscription ends with it.
            signed_in = await page.still_signed_in()
            await page.push.subscribe(signed_in, device)
            set_error("")
        except NotAuthenticated:
            page.set_signed_in(None)
        except DomainError as refused:
            set_error(page.t(refused.message))

    async def unsubscribe(device: dict[str, Any]) -> None:
        try:
            await page.push.unsubscribe(await page.current_account(), str(device.get("endpoint")))
        except NotAuthenticated:
            page.set_signed_in(None)

    return html.fragment(
        notice("error", error),
        PushSwitch(
            {
                "publicKey": page.push.public_key,
                "csrfToken": page.csrf_token,
                "mode": mode,
                "labels": push_labels(page.t),
                "onSubscribe": subscribe,
                "onUnsubscribe": unsubscribe,
            }
        ),
    )


@component
def push_prompt() -> VdomDict:
    """After sign-in: what notifications are for and a button to turn them on (the browser
    asks for permission only when it is pressed). Hidden once on, blocked, or dismissed."""
    if use_connection().location.path == NOTIFICATION_SETTINGS:
        return html.fragment()  # that page has the switch itself
    return use_push_switch(use_page(), "card")

"""The notification centre (everything push would tell you, with unread state) and the
notification settings (this device, kinds, previews, quiet hours, time zone)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

from reactpy import component, html, use_async_effect, use_state
from reactpy.types import VdomDict
from reactpy_router import link

from backend.errors import DomainError, NotAuthenticated
from backend.push.preferences import Preferences, time_zones
from backend.push.service import CentreItem, ConversationMuteItem
from frontend.components.chat import message_time
from frontend.components.forms import field, notice, use_latest, value_of
from frontend.components.layout import empty_state, member_page
from frontend.components.notifications import use_push_switch
from frontend.context import PageContext, use_page
from frontend.routes import NOTIFICATION_SETTINGS
from frontend.stand_ins import shown


def _item(item: CentreItem, language: str) -> VdomDict:
    return html.li(
        {
            "key": str(item.id),
            "className": "notification" + ("" if item.read else " notification-unread"),
        },
        link(
            {"to": item.url, "className": "notification-link"},
            html.strong(item.title),
            html.span({"className": "notification-body"}, item.body),
            message_time(item.created_at, language),
        ),
    )


@component
def notifications_page() -> VdomDict:
    """The notification centre, newest first. Opening it reads what it lists: the bell and the
    app badge clear, while this visit still marks the items that were new.
    """
    page = use_page()
    t = page.t
    items, set_items = use_state(None)

    @use_async_effect(dependencies=[])
    async def load() -> None:
        try:
            actor = await page.current_account()
        except NotAuthenticated:
            page.set_signed_in(None)
            return
        listed = await page.push.centre(actor)
        set_items(listed)
        await page.push.mark_read(actor, [item.id for item in listed if not item.read])

    return member_page(
        t("Notifications"),
        html.div(
            {"className": "row"},
            link({"to": NOTIFICATION_SETTINGS, "className": "btn btn-secondary"}, t("Settings")),
        ),
        html.p({"className": "muted"}, t("Loading…"))
        if items is None
        else html.ul(
            {"className": "notification-list", "aria-label": t("Notifications")},
            *[_item(item, page.language) for item in items],
        )
        if items
        else empty_state(
            "🔔", t("Nothing yet"), t("Responses, matches and messages show up here.")
        ),
    )


Change = Callable[[Preferences], Preferences]


def _preferences_form(
    page: PageContext, chosen: Preferences, on_change: Callable[[Change], Awaitable[None]]
) -> VdomDict:
    t = page.t
    kinds = page.push.kinds(t)

    def toggle(kind: str) -> Any:
        async def changed(_event: Any) -> None:
            await on_change(lambda now: replace(now, disabled_kinds=now.disabled_kinds ^ {kind}))

        return changed

    def set_value(name: str, read: Callable[[dict[str, Any]], Any]) -> Any:
        async def changed(event_data: dict[str, Any]) -> None:
            value = read(event_data)
            await on_change(lambda now: replace(now, **{name: value}))

        return changed

    return html.div(
        html.fieldset(
            {"className": "fieldset"},
            html.legend(t("Notify me about")),
            *[
                html.label(
                    {"className": "checkbox-field", "key": kind},
                    html.input(
                        {
                            "type": "checkbox",
                            "checked": chosen.wants(kind),
                            "onChange": toggle(kind),
                        }
                    ),
                    label,
                )
                for kind, label in kinds
            ],
        ),
        html.label(
            {"className": "checkbox-field"},
            html.input(
                {
                    "type": "checkbox",
                    "checked": chosen.previews,
                    "onChange": set_value("previews", _checked),
                }
            ),
            t("Show message text in notifications"),
        ),
        html.fieldset(
            {"className": "fieldset"},
            html.legend(t("Quiet hours")),
            html.p(
                {"className": "muted"},
                t("Notifications that arrive in these hours wait, and come as one summary after."),
            ),
            field(
                "quiet-start",
                t("From"),
                html.input(
                    {
                        "type": "time",
                        "value": chosen.quiet_start,
                        "onChange": set_value("quiet_start", value_of),
                    }
                ),
            ),
            field(
                "quiet-end",
                t("Until"),
                html.input(
                    {
                        "type": "time",
                        "value": chosen.quiet_end,
                        "onChange": set_value("quiet_end", value_of),
                    }
                ),
            ),
            field(
                "time-zone",
                t("Time zone"),
                html.select(
                    {"value": chosen.time_zone, "onChange": set_value("time_zone", value_of)},
                    *[
                        html.option({"value": zone, "key": zone}, zone)
                        for zone in sorted(time_zones())
                    ],
                ),
            ),
        ),
    )


@component
def conversation_mutes() -> VdomDict:
    """A switch per conversation: a muted one sends no push for its new messages."""
    page = use_page()
    t = page.t
    items, set_items = use_state(None)

    async def load() -> None:
        try:
            set_items(await page.push.mutes(await page.current_account()))
        except NotAuthenticated:
            page.set_signed_in(None)

    @use_async_effect(dependencies=[])
    async def first_load() -> None:
        await load()

    def toggle(item: ConversationMuteItem) -> Any:
        async def changed(event_data: dict[str, Any]) -> None:
            # What the box shows now, not ``not item.muted``: a second tap can come before a render.
            muted = _checked(event_data)
            try:
                await page.push.set_muted(await page.current_account(), item.id, muted)
            except NotAuthenticated:
                page.set_signed_in(None)
                return
            except DomainError:
                pass  # the conversation is gone; the reload drops it
            await load()

        return changed

    if not items:
        return html.fragment()
    return html.fieldset(
        {"className": "fieldset"},
        html.legend(t("Mute conversations")),
        *[
            html.label(
                {"className": "checkbox-field", "key": str(item.id)},
                html.input({"type": "checkbox", "checked": item.muted, "onChange": toggle(item)}),
                f"{shown(item.partner_name, t)} – {shown(item.title, t)}",
            )
            for item in items
        ],
    )


@component
def notification_settings_page() -> VdomDict:
    """This device's push switch and the person's notification settings, saved as they change."""
    page = use_page()
    t = page.t
    chosen, latest = use_latest(None)
    outcome, set_outcome = use_state(("", ""))
    switch = use_push_switch(page, "settings")

    @use_async_effect(dependencies=[])
    async def load() -> None:
        try:
            loaded = await page.push.preferences(await page.current_account())
        except NotAuthenticated:
            page.set_signed_in(None)
            return
        latest.change(lambda _none: loaded)

    async def save(change: Change) -> None:
        latest.change(change)
        try:
            actor = await page.current_account()
            # The newest settings, with any change that came in meanwhile: the last save has all.
            preferences = latest.now
            if bool(preferences.quiet_start) != bool(preferences.quiet_end):
                return  # wait for the other half of the quiet hours
            await page.push.save_preferences(actor, preferences)
        except NotAuthenticated:
            page.set_signed_in(None)
            return
        except DomainError as error:
            set_outcome(("error", t(error.message)))
            return
        set_outcome(("success", t("Saved.")))

    return member_page(
        t("Notification settings"),
        html.section({"className": "section"}, html.h2(t("This device")), switch),
        html.section(
            {"className": "section"},
            html.h2(t("What and when")),
            notice(*outcome),
            _preferences_form(page, chosen, save) if chosen else "",
            conversation_mutes(),
        ),
    )


def _checked(event_data: dict[str, Any]) -> bool:
    return bool(event_data.get("target", {}).get("checked"))

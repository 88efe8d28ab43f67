"""Privacy pages: the statement (``/privacy``) and one's own settings (Profile → Privacy)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from reactpy import component, event, html, use_async_effect, use_ref, use_state
from reactpy.types import VdomDict
from reactpy_router import link

from backend.accounts.service import Account
from backend.errors import DomainError, NotAuthenticated
from backend.privacy.consents import PURPOSES, WORDINGS, ConsentRecord
from backend.privacy.service import READY, ExportView
from backend.settings import Settings
from frontend.components.forms import field, notice, use_latest, value_of
from frontend.components.layout import member_page
from frontend.context import use_page
from frontend.formatting import day
from frontend.i18n import Translate
from frontend.pages.profile import use_action
from frontend.routes import LOG_IN, PRIVACY, PRIVACY_SETTINGS, PROFILE

EXPORT_POLL_SECONDS = 3


def _section(title: str, *children: Any) -> VdomDict:
    return html.section({"className": "section"}, html.h2(title), *children)


def statement_sections(t: Translate, settings: Settings) -> list[VdomDict]:
    """The privacy statement's sections, with the periods the retention jobs really use."""
    paragraphs = (
        (
            t("Your account"),
            t(
                "Your email address, to log in; your password only as a secure hash; the name "
                "you show; and, if you add them, a few lines about you, your interests and a "
                "photo. Location data is removed from every photo."
            ),
        ),
        (
            t("Your region, never your address"),
            t(
                "You choose a town. Others see only its name and a distance, never an address "
                "or a point on a map."
            ),
        ),
        (
            t("Your phone number"),
            t(
                "Only if you add it. Nobody sees it unless you share it in one conversation, "
                "and you can stop sharing it."
            ),
        ),
        (
            t("Listings, responses and messages"),
            t(
                "What you post and write, so that neighbours can help each other. Messages "
                "are for the people in the conversation. A moderator reads a conversation "
                "only when it was reported; every such read is logged and listed in your "
                "data export."
            ),
        ),
        (
            t("Signing in and safety"),
            t(
                "Your sessions (only a hash of the cookie and the kind of browser), and the "
                "IP address of each sign-up and log-in, kept {days} days to stop abuse."
            ).format(days=settings.ip_retention_days),
        ),
        (
            t("Notifications"),
            t(
                "Messages for you in the app and, if you allow it, by push to your devices. "
                "The push address of a device is deleted when you delete your account."
            ),
        ),
        (
            t("Only with your consent"),
            t(
                "News from your region, and counting which pages are used (without your "
                "name). We keep when you agreed, to which wording, and when you withdrew. "
                "Withdrawing takes one tap in Profile → Privacy."
            ),
        ),
        (
            t("Statistics"),
            t(
                "Only monthly totals per site, such as the number of listings and matches. "
                "No names, no ids; every number under 5 is hidden."
            ),
        ),
        (
            t("How long we keep it"),
            t(
                "After {inactive} days without use we warn you; if you do not come back "
                "within {grace} days, your account is deleted. A closed or expired listing "
                "and its conversations are deleted {ended} days after it ended. A data "
                "export can be downloaded for {hours} hours."
            ).format(
                inactive=settings.inactive_account_days,
                grace=settings.inactive_grace_days,
                ended=settings.ended_listing_days,
                hours=settings.export_hours,
            ),
        ),
        (
            t("Your rights"),
            t(
                "In Profile → Privacy you download all your data (a ZIP file) and delete your "
                "account. Deleting removes your profile, photos, listings, devices, sessions, "
                "phone number and IP addresses. Your conversations stay for the other person, "
                "with you as a deleted user and without the text of your messages unless you "
                "choose to keep it; a listing you talked about stays for them only as "
                "“Deleted listing”, without its text or photos. Reports about you stay for the "
                "moderators, without your name."
            ),
        ),
        (
            t("Nobody else"),
            t(
                "No advertising, no trackers, nothing loaded from other companies. We never "
                "sell or share your data."
            ),
        ),
    )
    return [_section(title, html.p(text)) for title, text in paragraphs]


@component
def privacy_statement_page() -> VdomDict:
    """``/privacy``: what Handje stores and why, in plain words, for everyone."""
    page = use_page()
    t = page.t
    back = (
        link({"to": PRIVACY_SETTINGS, "className": "btn btn-link"}, t("← Your privacy settings"))
        if page.signed_in
        else link({"to": LOG_IN, "className": "btn btn-link"}, t("← Log in"))
    )
    intro = html.p(
        {"className": "lead"},
        t("Handje keeps as little as it can, only for helping each other, and never sells it."),
    )
    body = [back, intro, *statement_sections(t, page.settings)]
    if page.signed_in:
        return member_page(t("Privacy"), *body)
    return html.main(
        {"className": "page privacy-page"},
        html.header({"className": "page-header"}, html.h1(t("Privacy"))),
        html.div({"className": "page-body"}, *body),
    )


def _consent_line(t: Translate, language: str, record: ConsentRecord | None) -> str:
    if record is None:
        return t("Not given.")
    return t("Given on {date} (wording {version}).").format(
        date=day(record.given_at, language), version=record.wording_version
    )


def _history(t: Translate, language: str, records: list[ConsentRecord]) -> VdomDict | str:
    if not records:
        return ""
    items = []
    for number, record in enumerate(records):
        withdrawn = (
            t("withdrawn on {date}").format(date=day(record.withdrawn_at, language))
            if record.withdrawn_at
            else t("still given")
        )
        items.append(
            html.li(
                {"key": str(number)},
                t("{choice}: given on {date} (wording {version}), {withdrawn}").format(
                    choice=t(WORDINGS[record.purpose].title),
                    date=day(record.given_at, language),
                    version=record.wording_version,
                    withdrawn=withdrawn,
                ),
            )
        )
    return html.details(html.summary(t("History of your choices")), html.ul(*items))


@component
def consent_choices(account: Account) -> VdomDict:
    """Each optional use of data, with one switch to give or withdraw it."""
    page = use_page()
    t = page.t
    current, set_current = use_state(None)
    records, set_records = use_state([])
    outcome, run = use_action(page)
    # What the switches show: the newest choices, which a second quick tap turns back before
    # this render is replaced; the stored consents (with their dates) come from ``load``.
    switched_on, switches = use_latest({})

    async def load() -> None:
        stored = await page.privacy.consents(account)
        given = {purpose: record is not None for purpose, record in stored.items()}
        switches.change(lambda now: given | now)  # a choice made here is newer than the read
        set_current(stored)
        set_records(await page.privacy.consent_history(account))

    use_async_effect(load, [account.id])

    def toggle(purpose: str) -> Callable[[Any], Awaitable[None]]:
        async def on_click(_event: Any) -> None:
            switches.change(lambda now: now | {purpose: not now[purpose]})
            await run(
                lambda actor: page.privacy.set_consent(
                    actor.account, purpose, switches.now[purpose]
                ),
                t("Saved."),
            )
            await load()

        return on_click

    if current is None:
        return _section(t("Your choices"), html.p({"aria-busy": "true"}, t("Loading…")))
    choices = []
    for purpose in PURPOSES:
        wording, record = WORDINGS[purpose], current[purpose]
        on = switched_on.get(purpose, record is not None)
        choices.append(
            html.div(
                {"className": "consent", "key": purpose},
                html.h3({"id": f"consent-{purpose}"}, t(wording.title)),
                html.p({"className": "muted"}, t(wording.text)),
                html.button(
                    {
                        "type": "button",
                        "role": "switch",
                        "className": "chip",
                        "aria-checked": "true" if on else "false",
                        "aria-labelledby": f"consent-{purpose}",
                        "onClick": toggle(purpose),
                    },
                    t("On") if on else t("Off"),
                ),
                html.p({"className": "muted"}, _consent_line(t, page.language, record)),
            )
        )
    return _section(
        t("Your choices"),
        *choices,
        _history(t, page.language, records),
        notice(*outcome) if outcome else "",
    )


def _export_item(t: Translate, language: str, export: ExportView) -> VdomDict:
    if export.state == READY and export.expires_at:
        content: Any = html.fragment(
            html.a(
                {"href": export.download_url, "className": "btn btn-secondary", "download": True},
                t("Download your data ({size} kB)").format(size=max(1, export.size_bytes // 1024)),
            ),
            html.span(
                {"className": "muted"},
                " ",
                t("Available until {date}.").format(date=day(export.expires_at, language)),
            ),
        )
    else:
        content = html.span(
            {"role": "status"},
            t("Being prepared. You will get a notification when it is ready."),
        )
    return html.li({"key": str(export.id)}, content)


@component
def data_export(account: Account) -> VdomDict:
    """Ask for a ZIP of all one's data; download it while the link lasts."""
    page = use_page()
    t = page.t
    exports, set_exports = use_state([])
    outcome, run = use_action(page)

    async def load() -> None:
        latest = await page.privacy.exports(account)
        set_exports(latest)
        # Keep an eye on an export that is still being prepared.
        while any(export.state != READY for export in latest):
            await asyncio.sleep(EXPORT_POLL_SECONDS)
            latest = await page.privacy.exports(account)
            set_exports(latest)

    use_async_effect(load, [account.id])

    async def request(_event: Any) -> None:
        await run(
            lambda actor: page.privacy.request_export(actor.account),
            t("Asked. Your copy is listed below."),
        )
        await load()

    return _section(
        t("Download your data"),
        html.p(
            {"className": "muted"},
            t(
                "A ZIP file with your profile, listings, responses, matches, messages, "
                "notifications, choices and photos. Others appear only as “other participant”."
            ),
        ),
        html.button(
            {"type": "button", "className": "btn btn-primary", "onClick": request},
            t("Prepare my data"),
        ),
        notice(*outcome) if outcome else "",
        html.ul(
            {"className": "exports", "aria-label": t("Your data exports")},
            *[_export_item(t, page.language, export) for export in exports],
        )
        if exports
        else "",
    )


@component
def account_deletion() -> VdomDict:
    """Delete the account for good, after the password; messages' text removed by default."""
    page = use_page()
    t = page.t
    values = use_ref({"password": "", "keep": False})
    problem, set_problem = use_state("")

    def remember_password(change: dict[str, Any]) -> None:
        values.current["password"] = value_of(change)

    def remember_keep(change: dict[str, Any]) -> None:
        values.current["keep"] = bool(change["target"].get("checked"))

    @event(prevent_default=True)
    async def delete(_event: Any) -> None:
        try:
            actor = await page.current_account()
            await page.privacy.delete_account(
                actor,
                password=values.current["password"],
                keep_message_text=values.current["keep"],
            )
        except NotAuthenticated:
            page.set_signed_in(None)
            return
        except DomainError as error:
            set_problem(t(error.message))
            return
        page.set_signed_in(None)

    return _section(
        t("Delete your account"),
        html.p(
            {"className": "muted"},
            t(
                "Your profile, photos, listings, devices, sessions, phone number and IP "
                "addresses are deleted for good. The people you talked with keep their "
                "conversations, with you as Deleted user. This cannot be undone."
            ),
        ),
        html.form(
            {"className": "form", "onSubmit": delete, "aria-label": t("Delete your account")},
            html.label(
                {"className": "check"},
                html.input({"type": "checkbox", "onChange": remember_keep}),
                " ",
                t("Keep the text of my messages for the people I talked with"),
            ),
            field(
                "delete-password",
                t("Your password"),
                html.input(
                    {
                        "type": "password",
                        "autoComplete": "current-password",
                        "required": True,
                        "onChange": remember_password,
                    }
                ),
            ),
            notice("error", problem) if problem else "",
            html.button(
                {"type": "submit", "className": "btn btn-danger btn-block"},
                t("Delete my account for good"),
            ),
        ),
    )


@component
def privacy_settings_page() -> VdomDict:
    """Profile → Privacy: choices, data export and account deletion."""
    page = use_page()
    t = page.t
    account = page.signed_in.account
    return member_page(
        t("Privacy"),
        link({"to": PROFILE, "className": "btn btn-link"}, t("← Profile")),
        html.p(link({"to": PRIVACY, "className": "btn btn-link"}, t("What Handje stores and why"))),
        consent_choices(account, key=f"consents-{account.id}"),
        data_export(account, key=f"export-{account.id}"),
        account_deletion(key=f"delete-{account.id}"),
    )

"""The profile page: public profile, language, phone number, email, password, log out."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

from reactpy import component, event, html, use_async_effect, use_ref, use_state
from reactpy.types import VdomDict
from reactpy_router import link

from backend.accounts.service import Account, ProfileChanges
from backend.errors import DomainError, NotAuthenticated
from backend.listings.categories import CATEGORIES
from backend.regions.model import Region
from frontend.components.events import on_event
from frontend.components.figures import statistics_link
from frontend.components.forms import csrf_input, field, notice, use_latest, value_of
from frontend.components.language import language_buttons
from frontend.components.layout import member_page
from frontend.components.photo_picker import photo_picker
from frontend.components.region_picker import region_picker
from frontend.components.reporting import safety_links
from frontend.context import PageContext, use_page
from frontend.routes import NOTIFICATION_SETTINGS, ORGANISATIONS, PRIVACY_SETTINGS

Outcome = tuple[str, str]  # (notice kind, message)


def use_action(page: PageContext) -> tuple[Outcome | None, Callable[..., Any]]:
    """Run a service call for the signed-in user and keep its outcome for a notice.

    The session is re-checked first: a long-lived page must not outlive a log-out elsewhere.
    """
    outcome, set_outcome = use_state(None)

    async def run(action: Callable[[Any], Awaitable[Any]], success: str) -> None:
        try:
            signed_in = await page.still_signed_in()
            await action(signed_in)
            page.set_signed_in(await page.still_signed_in())
        except NotAuthenticated:
            page.set_signed_in(None)
            return
        except DomainError as error:
            set_outcome(("error", page.t(error.message)))
            return
        set_outcome(("success", success))

    return outcome, run


def _section(title: str, *children: Any) -> VdomDict:
    return html.section({"className": "section"}, html.h2(title), *children)


def _outcome_notice(outcome: Outcome | None) -> VdomDict | str:
    return notice(*outcome) if outcome else ""


def _submit(label: str) -> VdomDict:
    return html.button({"type": "submit", "className": "btn btn-primary"}, label)


@component
def profile_details(account: Account) -> VdomDict:
    """Display name, person or organisation, bio and categories of interest."""
    page = use_page()
    t = page.t
    values = use_ref(
        {
            "display_name": account.display_name,
            "bio": account.bio,
            "account_kind": account.account_kind,
        }
    )
    interests, chosen = use_latest(tuple(account.interests))
    outcome, run = use_action(page)

    def remember(name: str) -> Callable[[dict[str, Any]], None]:
        def on_change(change: dict[str, Any]) -> None:
            values.current[name] = value_of(change)

        return on_change

    def toggle(slug: str) -> Callable[[Any], None]:
        def on_click(_event: Any) -> None:
            chosen.change(
                lambda now: (
                    tuple(item for item in now if item != slug) if slug in now else (*now, slug)
                )
            )

        return on_click

    @event(prevent_default=True)
    async def save(_event: Any) -> None:
        changes = ProfileChanges(interests=list(chosen.now), **values.current)
        await run(lambda actor: page.accounts.update_profile(actor.account, changes), t("Saved."))

    return _section(
        t("Your profile"),
        html.form(
            {"className": "form", "onSubmit": save, "aria-label": t("Your profile")},
            field(
                "display_name",
                t("Display name"),
                html.input(
                    {
                        "type": "text",
                        "defaultValue": account.display_name,
                        "maxLength": 60,
                        "onChange": remember("display_name"),
                    }
                ),
            ),
            field(
                "account_kind",
                t("I am"),
                html.select(
                    {"defaultValue": account.account_kind, "onChange": remember("account_kind")},
                    html.option({"value": "person"}, t("a person")),
                    html.option({"value": "organisation"}, t("an organisation")),
                ),
            ),
            field(
                "bio",
                t("About you"),
                html.textarea(
                    {
                        "defaultValue": account.bio,
                        "rows": 3,
                        "maxLength": 500,
                        "onChange": remember("bio"),
                    }
                ),
                hint=t("A few friendly lines. Never your address."),
            ),
            html.fieldset(
                html.legend(t("What do you like to help with?")),
                html.div(
                    {"className": "chips"},
                    *[
                        html.button(
                            {
                                "type": "button",
                                "className": "chip",
                                "aria-pressed": "true" if category.slug in interests else "false",
                                "onClick": toggle(category.slug),
                                "key": category.slug,
                            },
                            f"{category.icon} {category.label(page.language)}",
                        )
                        for category in CATEGORIES
                    ],
                ),
            ),
            _outcome_notice(outcome),
            _submit(t("Save profile")),
        ),
    )


@component
def language_choice(account: Account) -> VdomDict:
    """Switch the interface language; the whole app re-renders in it at once."""
    page = use_page()
    outcome, run = use_action(page)

    async def choose(language: str) -> None:
        await run(
            lambda actor: page.accounts.update_profile(
                actor.account, ProfileChanges(language=language)
            ),
            page.t("Saved."),
        )
        page.set_language(language)

    return _section(
        page.t("Language"),
        language_buttons(account.language, page.t("Language"), choose),
        _outcome_notice(outcome),
    )


@component
def profile_photo(account: Account) -> VdomDict:
    """The profile photo: others see it next to your name; never its location data."""
    page = use_page()
    t = page.t
    photo, set_photo = use_state(None)
    outcome, run = use_action(page)

    async def load() -> None:
        set_photo((await page.media.profile_photos([account.id])).get(account.id))

    use_async_effect(load, [account.id])

    async def removed(photo_id: UUID) -> None:
        await run(lambda actor: page.media.delete(actor.account, photo_id), t("Photo removed."))
        set_photo(None)

    return _section(
        t("Profile photo"),
        html.p({"className": "muted"}, t("Location data is removed from every photo.")),
        photo_picker(
            (photo,) if photo else (),
            purpose="profile",
            max_photos=1,
            uploaded=set_photo,
            removed=removed,
        ),
        _outcome_notice(outcome),
    )


@component
def region_choice(account: Account) -> VdomDict:
    """The person's region: where their listings and the listings they see are."""
    page = use_page()
    t = page.t
    outcome, run = use_action(page)

    async def choose(region: Region) -> None:
        await run(
            lambda actor: page.accounts.update_profile(
                actor.account, ProfileChanges(region=region)
            ),
            t("Saved."),
        )

    return _section(
        t("Your region"),
        html.p({"className": "muted"}, t("Others see only the name of your town, never more.")),
        region_picker(account.region, choose, label=t("Search your town or village")),
        _outcome_notice(outcome),
    )


@component
def sensitive_change(
    name: str,
    title: str,
    explanation: str,
    current: str,
    new_label: str,
    input_type: str,
    apply: Callable[[Any, str, str], Awaitable[Any]],
    success: str,
) -> VdomDict:
    """A change that asks for the current password again (email, phone number, password)."""
    page = use_page()
    t = page.t
    values = use_ref({"new": "", "password": ""})
    form_key, set_form_key = use_state(0)
    outcome, run = use_action(page)

    def remember(key: str) -> Callable[[dict[str, Any]], None]:
        def on_change(change: dict[str, Any]) -> None:
            values.current[key] = value_of(change)

        return on_change

    @event(prevent_default=True)
    async def submit(_event: Any) -> None:
        new_value, password = values.current["new"], values.current["password"]
        await run(lambda actor: apply(actor, password, new_value), success)
        values.current = {"new": "", "password": ""}
        set_form_key(form_key + 1)  # empty the password fields

    return _section(
        title,
        html.p({"className": "muted"}, explanation),
        html.p(current) if current else "",
        html.form(
            {"className": "form", "onSubmit": submit, "aria-label": title, "key": str(form_key)},
            field(
                f"{name}-new",
                new_label,
                html.input(
                    {
                        "type": input_type,
                        "onChange": remember("new"),
                        "autoComplete": "new-password" if input_type == "password" else "off",
                    }
                ),
            ),
            field(
                f"{name}-password",
                t("Current password"),
                html.input(
                    {
                        "type": "password",
                        "autoComplete": "current-password",
                        "required": True,
                        "onChange": remember("password"),
                    }
                ),
            ),
            _outcome_notice(outcome),
            _submit(t("Save")),
        ),
    )


@component
def privacy_and_safety(account: Account) -> VdomDict:
    """Read receipts on or off, and the people you blocked (with Unblock)."""
    page = use_page()
    t = page.t
    outcome, run = use_action(page)
    blocked, set_blocked = use_state(None)

    async def load_blocked() -> None:
        try:
            actor = await page.current_account()
            set_blocked(await page.messaging.blocked_people(actor))
        except NotAuthenticated:
            page.set_signed_in(None)

    use_async_effect(load_blocked, [account.id])
    receipts_on, receipts = use_latest(account.read_receipts)

    async def toggle_receipts() -> None:
        # The opposite of the newest choice, saved as it is when saving: a second quick tap can
        # reach the server before this render is replaced.
        receipts.change(lambda on: not on)
        await run(
            lambda actor: page.accounts.update_profile(
                actor.account, ProfileChanges(read_receipts=receipts.now)
            ),
            t("Saved."),
        )

    async def unblock(user_id: UUID, name: str) -> None:
        await run(
            lambda actor: page.messaging.unblock(actor.account, user_id),
            t("{name} is no longer blocked.").format(name=name),
        )
        await load_blocked()

    people: Any = ""
    if blocked:
        people = html.ul(
            {"className": "blocked-list", "aria-label": t("Blocked people")},
            *[
                html.li(
                    {"key": str(user_id), "className": "row"},
                    html.span(name),
                    html.button(
                        {
                            "type": "button",
                            "className": "btn btn-secondary",
                            "aria-label": t("Unblock {name}").format(name=name),
                            "onClick": on_event(unblock, user_id, name),
                        },
                        t("Unblock"),
                    ),
                )
                for user_id, name in blocked
            ],
        )
    elif blocked == []:
        people = html.p({"className": "muted"}, t("You have not blocked anyone."))
    return _section(
        t("Privacy and safety"),
        html.div(
            {"className": "row"},
            html.button(
                {
                    "type": "button",
                    "role": "switch",
                    "className": "chip",
                    "aria-label": t("Read receipts"),
                    "aria-checked": "true" if receipts_on else "false",
                    "aria-describedby": "read-receipts-hint",
                    "onClick": on_event(toggle_receipts),
                },
                t("Read receipts"),
                ": ",
                t("On") if receipts_on else t("Off"),
            ),
        ),
        html.p(
            {"className": "muted", "id": "read-receipts-hint"},
            t("When off, others do not see when you read their messages, nor you theirs."),
        ),
        html.h3(t("Blocked people")),
        people,
        _outcome_notice(outcome),
    )


@component
def profile_page() -> VdomDict:
    """Everything about the signed-in user's own account."""
    page = use_page()
    t = page.t
    account = page.signed_in.account
    accounts = page.accounts
    return member_page(
        t("Profile"),
        profile_photo(account),
        profile_details(account, key=f"details-{account.id}"),
        _section(
            t("Organisations"),
            html.p(
                {"className": "muted"},
                t("Post requests and offers together with your neighbourhood team or club."),
            ),
            link({"to": ORGANISATIONS, "className": "btn btn-secondary"}, t("Your organisations")),
        ),
        _section(
            t("Privacy"),
            html.p(
                {"className": "muted"},
                t("Your choices, a copy of your data, and deleting your account."),
            ),
            link({"to": PRIVACY_SETTINGS, "className": "btn btn-secondary"}, t("Privacy settings")),
        ),
        statistics_link(),
        safety_links(account),
        region_choice(account),
        language_choice(account),
        privacy_and_safety(account),
        sensitive_change(
            "phone",
            t("Phone number"),
            t("Optional. Nobody sees it unless you share it in one conversation."),
            t("Your number: {phone}").format(phone=account.phone) if account.phone else "",
            t("New phone number (empty to remove)"),
            "tel",
            lambda actor, password, phone: accounts.change_phone(
                actor.account, current_password=password, phone=phone
            ),
            t("Your phone number was saved."),
        ),
        sensitive_change(
            "email",
            t("Email address"),
            t("You log in with this address."),
            account.email,
            t("New email address"),
            "email",
            lambda actor, password, email: accounts.change_email(
                actor.account, current_password=password, new_email=email
            ),
            t("Your email address was changed."),
        ),
        sensitive_change(
            "new-password",
            t("Password"),
            t("Changing it logs you out on your other devices."),
            "",
            t("New password"),
            "password",
            lambda actor, password, new_password: accounts.change_password(
                actor, current_password=password, new_password=new_password
            ),
            t("Your password was changed. Other devices were logged out."),
        ),
        link(
            {"to": NOTIFICATION_SETTINGS, "className": "btn btn-secondary btn-block"},
            t("Notification settings"),
        ),
        html.form(
            {"method": "post", "action": "/auth/logout", "className": "form"},
            csrf_input(page.csrf_token),
            html.button(
                {"type": "submit", "className": "btn btn-secondary btn-block"}, t("Log out")
            ),
        ),
    )

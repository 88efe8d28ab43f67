"""Organisations: the ones you belong to, starting one, and one organisation with its members."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

from reactpy import component, event, html, use_async_effect, use_ref, use_state
from reactpy.types import VdomDict
from reactpy.utils import Ref
from reactpy_router import link, navigate, use_params

from backend.accounts.service import SignedIn
from backend.errors import DomainError
from backend.organisations.service import (
    MANAGER,
    OWNER,
    MemberView,
    OrganisationChanges,
    OrganisationView,
)
from backend.regions.model import Region
from frontend.components.events import on_event
from frontend.components.figures import organisation_charts
from frontend.components.forms import field, notice, value_of
from frontend.components.layout import empty_state, member_page
from frontend.components.region_picker import region_picker
from frontend.context import use_page
from frontend.i18n import Translate
from frontend.pages.profile import Outcome, use_action
from frontend.routes import ORGANISATIONS

ROLE_LABELS = {OWNER: "Owner", MANAGER: "Manager"}
Show = Callable[[OrganisationView], None]
Run = Callable[[Callable[[SignedIn], Awaitable[Any]], str], Awaitable[None]]


def organisation_path(organisation_id: UUID) -> str:
    """The page of one organisation."""
    return f"{ORGANISATIONS}/{organisation_id}"


def _member_count(count: int, t: Translate) -> str:
    return t("1 member") if count == 1 else t("{count} members").format(count=count)


def _role_badge(role: str, t: Translate) -> VdomDict:
    return html.span({"className": "badge"}, t(ROLE_LABELS[role]))


def _outcome_notice(outcome: Outcome | None) -> VdomDict | str:
    return notice(*outcome) if outcome else ""


def _button(label: str, on_click: Callable[[Any], Any], kind: str = "btn-secondary") -> VdomDict:
    return html.button({"type": "button", "className": f"btn {kind}", "onClick": on_click}, label)


def _remember(values: Ref[dict[str, str]], name: str) -> Callable[[dict[str, Any]], None]:
    """An input handler that keeps the typed value under ``name`` without re-rendering."""

    def on_change(change: dict[str, Any]) -> None:
        values.current[name] = value_of(change)

    return on_change


def _then_show(run: Callable[..., Awaitable[None]], show: Show) -> Run:
    """``run`` for an action that returns the organisation as it is now; the page is shown it
    last, after this component's own outcome.

    Told first, the page renders this component with the new organisation while the component's
    own render (for its outcome, with the old organisation) may still be under way, and ReactPy
    2.0.0b13 can deliver that older render last: a removed member would come back.
    """

    async def run_then_show(
        action: Callable[[SignedIn], Awaitable[OrganisationView]], success: str
    ) -> None:
        now: list[OrganisationView] = []

        async def act(actor: SignedIn) -> None:
            now.append(await action(actor))

        await run(act, success)
        if now:
            show(now[0])

    return run_then_show


def _role_select(
    current: str, on_change: Callable[[dict[str, Any]], None], t: Translate
) -> VdomDict:
    return html.select(
        {"defaultValue": current, "onChange": on_change},
        *[
            html.option({"value": role, "key": role}, t(ROLE_LABELS[role]))
            for role in (MANAGER, OWNER)
        ],
    )


def _profile_fields(values: Ref[dict[str, str]], t: Translate) -> list[VdomDict]:
    """Name, description and website, shared by the start and the edit form."""
    return [
        field(
            "organisation-name",
            t("Name"),
            html.input(
                {
                    "type": "text",
                    "defaultValue": values.current["name"],
                    "maxLength": 80,
                    "required": True,
                    "onChange": _remember(values, "name"),
                }
            ),
        ),
        field(
            "organisation-description",
            t("Description"),
            html.textarea(
                {
                    "defaultValue": values.current["description"],
                    "rows": 4,
                    "maxLength": 1000,
                    "onChange": _remember(values, "description"),
                }
            ),
            hint=t("What does your organisation do, and for whom?"),
        ),
        field(
            "organisation-website",
            t("Website (optional)"),
            html.input(
                {
                    "type": "url",
                    "defaultValue": values.current["website"],
                    "placeholder": "https://",
                    "onChange": _remember(values, "website"),
                }
            ),
        ),
    ]


def _region_field(
    region: Region | None, choose: Callable[[Region], None], t: Translate
) -> list[Any]:
    """The chosen town, then a region picker whose props never change.

    Picking a town renders the picker (its search empties) and this form (the town is kept) at
    once; ReactPy 2.0.0b13 may deliver the picker's own, older render last. With the same props
    both renders agree, so the town is shown here instead of through the picker's ``current``.
    """
    return [
        html.p({"className": "region-current"}, t("Region: {name}").format(name=region.name))
        if region
        else "",
        region_picker(None, choose, label=t("Search the town or village")),
    ]


def _region_of(view: OrganisationView) -> Region | None:
    if view.region_cell and view.region_name:
        return Region(view.region_cell, view.region_name)
    return None


def _organisation_card(view: OrganisationView, t: Translate) -> VdomDict:
    return html.li(
        {"key": str(view.id)},
        link(
            {"to": organisation_path(view.id), "className": "card"},
            html.h3(view.name),
            html.p(
                {"className": "row muted"},
                _role_badge(view.my_role, t),
                _member_count(len(view.members), t),
            ),
        ),
    )


@component
def organisations_page() -> VdomDict:
    """``/organisations``: the organisations the signed-in person belongs to."""
    page = use_page()
    t = page.t
    mine, set_mine = use_state(None)

    async def load() -> None:
        set_mine(await page.organisations.mine(await page.current_account()))

    use_async_effect(load, [])
    title = t("Your organisations")
    if mine is None:
        return member_page(title, html.p({"aria-busy": "true"}, t("Loading…")))
    listed = (
        html.ul(
            {"className": "listing-list", "aria-label": title},
            *[_organisation_card(view, t) for view in mine],
        )
        if mine
        else empty_state(
            "🏘️",
            t("No organisations yet"),
            t("Start one for your neighbourhood team or club, or ask an owner to add you."),
        )
    )
    return member_page(title, listed, organisation_form(None, key="start"))


@component
def organisation_form(view: OrganisationView | None, saved: Show | None = None) -> VdomDict:
    """Start an organisation (``view`` None) or change its profile; owners and managers may.

    A started organisation is opened by this form itself, never by its page: a page that swaps
    the form out while the form's own action still sets its outcome lets ReactPy 2.0.0b13 send
    that late render for a place the browser no longer has, which breaks the whole page.
    """
    page = use_page()
    t = page.t
    values = use_ref(
        {"name": view.name, "description": view.description, "website": view.website}
        if view
        else {"name": "", "description": "", "website": ""}
    )
    region, set_region = use_state(_region_of(view) if view else page.signed_in.account.region)
    started, set_started = use_state(None)
    outcome, run = use_action(page)

    async def start(actor: SignedIn) -> None:
        set_started(await page.organisations.create(actor.account, region=region, **values.current))

    async def update(actor: SignedIn) -> OrganisationView:
        changes = OrganisationChanges(region=region, **values.current)
        return await page.organisations.update(actor.account, view.id, changes)

    @event(prevent_default=True)
    async def submit(_event: Any) -> None:
        if view is None:
            await run(start, "")
        elif saved:
            await _then_show(run, saved)(update, t("Saved."))

    if started is not None:
        return navigate(organisation_path(started.id))
    title = t("Organisation profile") if view else t("Start an organisation")
    return html.section(
        {"className": "section"},
        html.h2(title),
        html.form(
            {"className": "form", "onSubmit": submit, "aria-label": title},
            *_profile_fields(values, t),
            *_region_field(region, set_region, t),
            _outcome_notice(outcome),
            html.button(
                {"type": "submit", "className": "btn btn-primary"},
                t("Save") if view else t("Start organisation"),
            ),
        ),
    )


@component
def members_section(view: OrganisationView, show: Show) -> VdomDict:
    """Every member's name and role; owners may change a role or remove a member."""
    page = use_page()
    t = page.t
    removing, set_removing = use_state(None)  # the member whose removal awaits confirmation
    roles = use_ref({})  # the role chosen in each member's select, by user id
    outcome, run = use_action(page)
    run_then_show = _then_show(run, show)
    organisations = page.organisations

    async def change_role(actor: SignedIn, member: MemberView) -> OrganisationView:
        role = roles.current.get(member.user_id, member.role)
        return await organisations.change_role(actor.account, view.id, member.user_id, role)

    async def remove(actor: SignedIn, member: MemberView) -> OrganisationView:
        await organisations.remove_member(actor.account, view.id, member.user_id)
        set_removing(None)
        return await organisations.view(actor.account, view.id)

    def choose_role(member: MemberView) -> Callable[[dict[str, Any]], None]:
        def on_change(change: dict[str, Any]) -> None:
            roles.current[member.user_id] = value_of(change)

        return on_change

    def owner_controls(member: MemberView) -> list[Any]:
        name = member.display_name
        controls: list[Any] = [
            field(
                f"role-{member.user_id}",
                t("Role"),
                _role_select(member.role, choose_role(member), t),
            ),
            html.div(
                {"className": "row"},
                _button(
                    t("Change role"),
                    on_event(
                        run_then_show,
                        lambda actor: change_role(actor, member),
                        t("Saved."),
                    ),
                ),
                _button(t("Remove"), on_event(set_removing, member.user_id), "btn-danger")
                if member.user_id != page.signed_in.account.id
                else "",
            ),
        ]
        if removing == member.user_id:
            controls.append(
                html.div(
                    {
                        "className": "card",
                        "role": "group",
                        "aria-label": t("Remove {name}").format(name=name),
                    },
                    html.p(
                        t("Remove {name} from {organisation}?").format(
                            name=name, organisation=view.name
                        )
                    ),
                    html.div(
                        {"className": "row"},
                        _button(
                            t("Yes, remove"),
                            on_event(
                                run_then_show,
                                lambda actor: remove(actor, member),
                                t("{name} is no longer a member.").format(name=name),
                            ),
                            "btn-danger",
                        ),
                        _button(t("Cancel"), on_event(set_removing, None)),
                    ),
                )
            )
        return controls

    def member_card(member: MemberView) -> VdomDict:
        return html.li(
            {"key": str(member.user_id)},
            html.article(
                {"className": "card", "aria-label": member.display_name},
                html.div(
                    {"className": "row"},
                    html.h3(member.display_name),
                    _role_badge(member.role, t),
                ),
                *(owner_controls(member) if view.my_role == OWNER else []),
            ),
        )

    title = t("Members")
    return html.section(
        {"className": "section", "aria-label": title},
        html.h2(title),
        html.ul({"className": "listing-list"}, *[member_card(member) for member in view.members]),
        _outcome_notice(outcome),
    )


@component
def invite_form(view: OrganisationView, show: Show) -> VdomDict:
    """Add someone who already has an account, by their email address; owners only."""
    page = use_page()
    t = page.t
    values = use_ref({"email": "", "role": MANAGER})
    form_key, set_form_key = use_state(0)
    outcome, run = use_action(page)

    async def invite(actor: SignedIn) -> OrganisationView:
        email, role = values.current["email"], values.current["role"]
        now = await page.organisations.invite(actor.account, view.id, email, role)
        values.current = {"email": "", "role": MANAGER}
        set_form_key(form_key + 1)  # empty the form for the next person
        return now

    @event(prevent_default=True)
    async def submit(_event: Any) -> None:
        email = values.current["email"].strip()
        await _then_show(run, show)(invite, t("{email} is now a member.").format(email=email))

    title = t("Add a member")
    return html.section(
        {"className": "section"},
        html.h2(title),
        html.p({"className": "muted"}, t("They need a Handje account with this email address.")),
        html.form(
            {"className": "form", "onSubmit": submit, "aria-label": title, "key": str(form_key)},
            field(
                "invite-email",
                t("Their email address"),
                html.input(
                    {
                        "type": "email",
                        "autoComplete": "off",
                        "required": True,
                        "onChange": _remember(values, "email"),
                    }
                ),
            ),
            field(
                "invite-role",
                t("Role"),
                _role_select(MANAGER, _remember(values, "role"), t),
                hint=t("Managers post and edit listings; owners also manage the members."),
            ),
            _outcome_notice(outcome),
            html.button({"type": "submit", "className": "btn btn-primary"}, t("Add member")),
        ),
    )


@component
def leave_section(view: OrganisationView) -> VdomDict:
    """Stop being a member, after a confirmation; the last owner is refused by the service."""
    page = use_page()
    t = page.t
    asking, set_asking = use_state(False)
    left, set_left = use_state(False)
    outcome, run = use_action(page)

    async def leave(actor: SignedIn) -> None:
        await page.organisations.leave(actor.account, view.id)
        set_left(True)

    async def confirm() -> None:
        set_asking(False)
        await run(leave, "")

    if left:
        return navigate(ORGANISATIONS, replace=True)
    title = t("Leave organisation")
    question = html.div(
        {"className": "card", "role": "group", "aria-label": title},
        html.p(t("Leave {organisation}?").format(organisation=view.name)),
        html.div(
            {"className": "row"},
            _button(t("Yes, leave"), on_event(confirm), "btn-danger"),
            _button(t("Cancel"), on_event(set_asking, False)),
        ),
    )
    return html.section(
        {"className": "section", "aria-label": title},
        question if asking else _button(title, on_event(set_asking, True)),
        _outcome_notice(outcome),
    )


@component
def organisation_page() -> VdomDict:
    """``/organisations/{id}``: one organisation, for its members only."""
    page = use_page()
    t = page.t
    organisation_id = use_params()["organisation_id"]
    view, set_view = use_state(None)
    problem, set_problem = use_state("")

    async def load() -> None:
        try:
            set_view(await page.organisations.view(await page.current_account(), organisation_id))
        except DomainError as error:
            set_problem(t(error.message))

    use_async_effect(load, [organisation_id])
    back = link({"to": ORGANISATIONS, "className": "btn btn-link"}, t("← Your organisations"))
    if problem:
        return member_page(t("Organisation"), notice("error", problem), back)
    if view is None:
        return member_page(t("Organisation"), html.p({"aria-busy": "true"}, t("Loading…")))
    key = str(view.id)
    return member_page(
        view.name,
        back,
        organisation_form(view, set_view, key=f"profile-{key}"),
        members_section(view, set_view, key=f"members-{key}"),
        invite_form(view, set_view, key=f"invite-{key}") if view.my_role == OWNER else "",
        organisation_charts(view.id, key=f"charts-{key}"),
        leave_section(view, key=f"leave-{key}"),
    )

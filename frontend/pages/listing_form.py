"""Creating or editing a listing, in steps: kind → category → text → when → region → review."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any
from uuid import UUID

from reactpy import component, event, html, use_async_effect, use_state
from reactpy.types import VdomDict
from reactpy_router import navigate, use_params

from backend.errors import DomainError
from backend.listings.categories import CATEGORIES, CATEGORY_BY_SLUG
from backend.listings.drafts import ListingDraft
from backend.listings.service import ListingView
from backend.media.service import MAX_LISTING_PHOTOS, PhotoView
from backend.organisations.service import OrganisationView
from backend.regions.model import Region
from frontend.components.events import on_event
from frontend.components.forms import field, notice, use_latest, value_of
from frontend.components.layout import member_page
from frontend.components.photo_picker import photo_picker
from frontend.components.region_picker import region_picker
from frontend.context import PageContext, use_page
from frontend.formatting import timing_text, weekday_names

STEPS = ("kind", "category", "text", "when", "region", "review")
STEP_TITLES = ("What kind?", "Category", "Describe it", "When?", "Where?", "Check and publish")
FIELD_STEPS = {
    "kind": 0,
    "organisation_id": 0,
    "category": 1,
    "title": 2,
    "description": 2,
    "address": 2,
    "timing": 3,
    "needed_on": 3,
    "weekdays": 3,
    "region": 4,
}


@dataclass(frozen=True)
class Form:
    """What the person has entered so far."""

    kind: str = ""
    organisation_id: UUID | None = None
    category: str = ""
    title: str = ""
    description: str = ""
    timing: str = "flexible"
    needed_on: str = ""
    weekdays: tuple[int, ...] = ()
    region: Region | None = None
    photos: tuple[PhotoView, ...] = ()

    @classmethod
    def from_view(cls, view: ListingView) -> Form:
        """The form for editing an existing listing (its region stays unless changed)."""
        return cls(
            kind=view.kind,
            organisation_id=view.owner.id if view.owner.kind == "organisation" else None,
            category=view.category,
            title=view.title,
            description=view.description,
            timing=view.timing,
            needed_on=view.needed_on.isoformat() if view.needed_on else "",
            weekdays=view.weekdays,
            photos=view.photos,
        )

    def draft(self) -> ListingDraft:
        """The service's draft; a badly typed date becomes None and is reported by the service."""
        try:
            needed_on = date.fromisoformat(self.needed_on) if self.needed_on else None
        except ValueError:
            needed_on = None
        return ListingDraft(
            kind=self.kind,
            title=self.title,
            description=self.description,
            category=self.category,
            timing=self.timing,
            needed_on=needed_on,
            weekdays=self.weekdays,
            region=self.region,
            organisation_id=self.organisation_id,
        )


def _missing_in_step(step: int, form: Form, page: PageContext) -> str:
    """What must be chosen before going on (the service checks everything again)."""
    t = page.t
    if step == 0 and not form.kind:
        return t("Choose request or offer.")
    if step == 1 and not form.category:
        return t("Choose a category from the list.")
    if step == 2 and len(form.title.strip()) < 3:
        return t("Use a title of 3 to 100 characters.")
    if step == 3 and form.timing == "date" and not form.needed_on:
        return t("Choose a date from today on.")
    if step == 3 and form.timing == "weekly" and not form.weekdays:
        return t("Choose at least one day of the week.")
    if step == 4 and form.region is None and page.signed_in.account.region is None:
        return t("Choose a town from the list.")
    return ""


def _choice(label: str, pressed: bool, on_click: Any, key: str) -> VdomDict:
    return html.button(
        {
            "type": "button",
            "className": "chip",
            "aria-pressed": "true" if pressed else "false",
            "onClick": on_click,
            "key": key,
        },
        label,
    )


@component
def listing_form(existing: ListingView | None, organisations: list[OrganisationView]) -> VdomDict:
    """The step-by-step form; publishes through ``Listings.create`` or ``Listings.update``."""
    page = use_page()
    t = page.t
    # Typing, autofill and Enter can reach the server together: each must see the others.
    form, latest = use_latest(Form.from_view(existing) if existing else Form())
    step, set_step = use_state(0)
    problem, set_problem = use_state(("", ""))  # (field, message)
    done, set_done = use_state(None)

    def edit(changed: Callable[[Form], Form]) -> None:
        latest.change(changed)
        set_problem(("", ""))

    def change(**values: Any) -> None:
        edit(lambda current: replace(current, **values))

    def change_photos(changed: Callable[[tuple[PhotoView, ...]], tuple[PhotoView, ...]]) -> None:
        edit(lambda current: replace(current, photos=changed(current.photos)))

    def typed(name: str) -> Any:
        return lambda event_data: change(**{name: value_of(event_data)})

    def go(to: int) -> None:
        if to > step and (missing := _missing_in_step(step, latest.now, page)):
            set_problem(("step", missing))
            return
        set_problem(("", ""))
        set_step(to)

    async def publish(confirm_address: bool) -> None:
        form = latest.now
        try:
            actor = await page.current_account()
            if existing is None:
                view = await page.listings.create(
                    actor,
                    form.draft(),
                    site=page.site,
                    confirm_address=confirm_address,
                    photo_ids=[photo.id for photo in form.photos],
                )
            else:
                view = await page.listings.update(
                    actor,
                    existing.id,
                    form.draft(),
                    confirm_address=confirm_address,
                    photo_ids=[photo.id for photo in form.photos],
                )
        except DomainError as error:
            set_problem((error.field or "", t(error.message)))
            if error.field != "address":
                set_step(FIELD_STEPS.get(error.field or "", step))
            return
        set_done(view.id)

    @event(prevent_default=True)
    def next_step(_event: Any) -> None:
        go(step + 1)

    if done is not None:
        return navigate(f"/listings/{done}", replace=True)

    steps = [
        lambda: _kind_step(page, form, change, organisations),
        lambda: _category_step(page, form, change),
        lambda: _text_step(page, form, change_photos, typed, problem),
        lambda: _when_step(page, form, change, typed),
        lambda: region_picker(
            form.region or page.signed_in.account.region,
            lambda region: change(region=region),
            label=t("Search your town or village"),
        ),
        lambda: _review_step(page, form, existing, problem, publish),
    ]
    last = step == len(STEPS) - 1
    title = t("Edit your listing") if existing else t("New request or offer")
    return member_page(
        title,
        html.form(
            {"className": "form wizard", "onSubmit": next_step, "aria-label": title},
            html.p(
                {"className": "wizard-progress muted"},
                t("Step {number} of {total}").format(number=step + 1, total=len(STEPS)),
            ),
            html.h2(t(STEP_TITLES[step])),
            steps[step](),
            notice("error", problem[1]) if problem[0] in {"step", *_fields_of(step)} else "",
            html.div(
                {"className": "row wizard-nav"},
                html.button(
                    {
                        "type": "button",
                        "className": "btn btn-secondary",
                        "onClick": on_event(go, step - 1),
                    },
                    t("Back"),
                )
                if step > 0
                else "",
                html.button({"type": "submit", "className": "btn btn-primary"}, t("Next"))
                if not last
                else "",
            ),
        ),
    )


def _fields_of(step: int) -> set[str]:
    return {name for name, index in FIELD_STEPS.items() if index == step} - {"address"}


def _kind_step(
    page: PageContext, form: Form, change: Any, organisations: list[OrganisationView]
) -> VdomDict:
    t = page.t
    posting_as = (
        field(
            "organisation",
            t("Post as"),
            html.select(
                {
                    "value": str(form.organisation_id or ""),
                    "onChange": lambda event_data: change(
                        organisation_id=UUID(value_of(event_data)) if value_of(event_data) else None
                    ),
                },
                html.option({"value": ""}, t("Myself")),
                *[
                    html.option({"value": str(org.id), "key": str(org.id)}, org.name)
                    for org in organisations
                ],
            ),
        )
        if organisations
        else ""
    )
    return html.div(
        html.div(
            {"className": "choice-grid", "role": "group", "aria-label": t("What kind?")},
            _choice(
                t("I need help"),
                form.kind == "request",
                on_event(lambda: change(kind="request")),
                "request",
            ),
            _choice(
                t("I can help"),
                form.kind == "offer",
                on_event(lambda: change(kind="offer")),
                "offer",
            ),
        ),
        posting_as,
    )


def _category_step(page: PageContext, form: Form, change: Any) -> VdomDict:
    return html.div(
        {"className": "chips", "role": "group", "aria-label": page.t("Category")},
        *[
            _choice(
                f"{category.icon} {category.label(page.language)}",
                form.category == category.slug,
                on_event(lambda slug=category.slug: change(category=slug)),
                category.slug,
            )
            for category in CATEGORIES
        ],
    )


def _text_step(
    page: PageContext, form: Form, change_photos: Any, typed: Any, problem: tuple[str, str]
) -> VdomDict:
    t = page.t
    return html.div(
        html.fieldset(
            html.legend(t("Photos (optional, up to 4)")),
            photo_picker(
                form.photos,
                purpose="listing",
                max_photos=MAX_LISTING_PHOTOS,
                uploaded=lambda photo: change_photos(lambda photos: (*photos, photo)),
                removed=lambda photo_id: change_photos(
                    lambda photos: tuple(photo for photo in photos if photo.id != photo_id)
                ),
            ),
        ),
        field(
            "title",
            t("Title"),
            html.input(
                {
                    "type": "text",
                    "defaultValue": form.title,
                    "maxLength": 100,
                    "onChange": typed("title"),
                }
            ),
            hint=t("For example: Who can walk my dog on Saturdays?"),
            error=problem[1] if problem[0] == "title" else "",
        ),
        field(
            "description",
            t("Description"),
            html.textarea(
                {
                    "defaultValue": form.description,
                    "rows": 5,
                    "maxLength": 2000,
                    "onChange": typed("description"),
                }
            ),
            hint=t("No address or phone number: share those only in a private message."),
            error=problem[1] if problem[0] == "description" else "",
        ),
    )


def _when_step(page: PageContext, form: Form, change: Any, typed: Any) -> VdomDict:
    t = page.t
    names = weekday_names(page.language)
    options = (("flexible", t("Flexible")), ("date", t("On a date")), ("weekly", t("Every week")))
    return html.div(
        html.div(
            {"className": "chips", "role": "group", "aria-label": t("When?")},
            *[
                _choice(
                    label, form.timing == value, on_event(lambda v=value: change(timing=v)), value
                )
                for value, label in options
            ],
        ),
        field(
            "needed_on",
            t("Date"),
            html.input(
                {"type": "date", "defaultValue": form.needed_on, "onChange": typed("needed_on")}
            ),
        )
        if form.timing == "date"
        else "",
        html.div(
            {"className": "chips", "role": "group", "aria-label": t("Days of the week")},
            *[
                _choice(
                    names[index],
                    index in form.weekdays,
                    on_event(
                        lambda i=index: change(weekdays=tuple(sorted(set(form.weekdays) ^ {i})))
                    ),
                    str(index),
                )
                for index in range(7)
            ],
        )
        if form.timing == "weekly"
        else "",
    )


def _review_step(
    page: PageContext,
    form: Form,
    existing: ListingView | None,
    problem: tuple[str, str],
    publish: Any,
) -> VdomDict:
    t = page.t
    category = CATEGORY_BY_SLUG.get(form.category)
    draft = form.draft()
    region = form.region or (None if existing else page.signed_in.account.region)
    rows = [
        (t("Kind"), t("I need help") if form.kind == "request" else t("I can help")),
        (t("Category"), f"{category.icon} {category.label(page.language)}" if category else ""),
        (t("Title"), form.title),
        (t("Description"), form.description),
        (t("When?"), timing_text(draft.timing, draft.needed_on, draft.weekdays, t, page.language)),
        (t("Where?"), region.name if region else existing.region_name if existing else ""),
    ]
    address_warning = problem[0] == "address"
    return html.div(
        html.dl(
            {"className": "review"},
            *[part for label, value in rows for part in (html.dt(label), html.dd(value or "—"))],
        ),
        html.p({"className": "muted"}, t("Only the town is shown, never an address.")),
        html.div(
            {"className": "notice notice-info", "role": "alert"},
            html.p(problem[1]),
            html.button(
                {
                    "type": "button",
                    "className": "btn btn-secondary",
                    "onClick": on_event(publish, True),
                },
                t("Publish anyway"),
            ),
        )
        if address_warning
        else "",
        html.button(
            {
                "type": "button",
                "className": "btn btn-primary btn-block",
                "onClick": on_event(publish, False),
            },
            t("Save changes") if existing else t("Publish"),
        ),
    )


@component
def new_listing_page() -> VdomDict:
    """Create a listing."""
    page = use_page()
    organisations, set_organisations = use_state(None)

    async def load() -> None:
        actor = await page.current_account()
        set_organisations(await page.organisations.mine(actor))

    use_async_effect(load, [])
    if organisations is None:
        return member_page(page.t("New request or offer"), html.p(page.t("Loading…")))
    return listing_form(None, organisations)


@component
def edit_listing_page() -> VdomDict:
    """Edit a listing the signed-in person manages."""
    page = use_page()
    listing_id = use_params()["listing_id"]
    loaded, set_loaded = use_state(None)
    problem, set_problem = use_state("")

    async def load() -> None:
        try:
            actor = await page.current_account()
            view = await page.listings.view(actor, listing_id)
        except DomainError as error:
            set_problem(page.t(error.message))
            return
        set_loaded(view)

    use_async_effect(load, [listing_id])
    if problem:
        return member_page(page.t("Edit your listing"), notice("error", problem))
    if loaded is None:
        return member_page(page.t("Edit your listing"), html.p(page.t("Loading…")))
    if not loaded.can_manage:
        return member_page(page.t("Edit your listing"), notice("error", page.t("Not found.")))
    return listing_form(loaded, [])

"""``/statistics``: monthly figures per site with CSV, regional news, and page counts for admins."""

from __future__ import annotations

from typing import Any

from reactpy import component, event, html, use_async_effect, use_ref, use_state
from reactpy.types import VdomDict

from backend.errors import DomainError
from backend.privacy.news import MAX_LENGTH
from backend.sites.service import NATIONAL_SLUG
from backend.statistics.figures import Figure, suppressed
from frontend.components.figures import site_charts
from frontend.components.forms import field, notice, value_of
from frontend.components.layout import member_page
from frontend.context import use_page


@component
def regional_news(slug: str) -> VdomDict:
    """Send a short message, in the app and by push, to the people of the chosen site's region
    who asked for regional news."""
    page = use_page()
    t = page.t
    text = use_ref("")
    outcome, set_outcome = use_state(None)

    def remember(change: dict[str, Any]) -> None:
        text.current = value_of(change)

    @event(prevent_default=True)
    async def send(_event: Any) -> None:
        try:
            actor = await page.current_account()
            count = await page.news.send(actor, slug, text.current)
        except DomainError as error:
            set_outcome(("error", t(error.message)))
            return
        set_outcome(("success", t("Sent. People reached: {count}.").format(count=count)))

    return html.section(
        {"className": "section"},
        html.h2(t("Regional news")),
        html.p(
            {"className": "muted"},
            t("Goes in the app and by push only to people in this region who asked for news."),
        ),
        html.form(
            {"className": "form", "onSubmit": send, "aria-label": t("Regional news")},
            field(
                "regional-news",
                t("Your news"),
                html.textarea({"maxLength": MAX_LENGTH, "rows": 3, "onChange": remember}),
            ),
            notice(*outcome) if outcome else "",
            html.button({"type": "submit", "className": "btn btn-primary"}, t("Send the news")),
        ),
    )


@component
def page_use() -> VdomDict:
    """For admins: how often each page was opened this month by people who allowed counting."""
    page = use_page()
    t = page.t
    counts, set_counts = use_state(None)

    async def load() -> None:
        try:
            actor = await page.current_account()
            set_counts(await page.privacy.page_counts(actor))
        except DomainError:
            set_counts({})

    use_async_effect(load, [])
    rows = [
        html.tr(
            {"key": name},
            html.th({"scope": "row"}, name),
            html.td(Figure("views", "", suppressed(views)).shown),
        )
        for name, views in (counts or {}).items()
    ]
    return html.section(
        {"className": "section"},
        html.h2(t("Pages opened this month")),
        html.p(
            {"className": "muted"},
            t("Only by people who allowed counting; no names. Counts under 5 are shown as <5."),
        ),
        html.table(
            {"aria-label": t("Pages opened this month")},
            html.thead(html.tr(html.th(t("Page")), html.th(t("Times opened")))),
            html.tbody(*rows),
        )
        if rows
        else html.p(t("No figures to show yet. Counts under 5 are hidden.")),
    )


@component
def statistics_page() -> VdomDict:
    """Choose a site (admins see all; local site admins their own), then read its charts."""
    page = use_page()
    t = page.t
    choices, set_choices = use_state(None)
    chosen, set_chosen = use_state("")
    report, set_report = use_state(None)
    problem, set_problem = use_state("")

    async def load_choices() -> None:
        try:
            actor = await page.current_account()
            readable = await page.statistics.readable_sites(actor)
        except DomainError as error:
            set_problem(t(error.message))
            return
        set_choices(readable)
        if readable:
            set_chosen(readable[0].slug)

    async def load_report() -> None:
        if not chosen:
            return
        try:
            actor = await page.current_account()
            set_report(await page.statistics.report(actor, chosen))
        except DomainError as error:
            set_problem(t(error.message))

    use_async_effect(load_choices, [])
    use_async_effect(load_report, [chosen])

    def choose(change: dict[str, Any]) -> None:
        set_report(None)
        set_chosen(value_of(change))

    title = t("Statistics")
    if problem:
        return member_page(title, notice("error", problem))
    if choices is None:
        return member_page(title, html.p({"aria-busy": "true"}, t("Loading…")))
    if not choices:
        return member_page(
            title, notice("error", t("Only admins and local site admins see statistics."))
        )
    picker = field(
        "statistics-site",
        t("Site"),
        html.select(
            {"value": chosen, "onChange": choose},
            *[
                html.option({"value": choice.slug, "key": choice.slug}, choice.name)
                for choice in choices
            ],
        ),
    )
    intro = html.p(
        {"className": "muted"},
        t(
            "Monthly totals only: no names, no ids. Counts under 5 are shown as <5, "
            "so nobody can be recognised."
        ),
    )
    download = html.a(
        {
            "href": f"/api/statistics/{chosen}/figures.csv",
            "className": "btn btn-secondary",
            "download": True,
        },
        t("Download as CSV"),
    )
    charts: Any = (
        html.div({"className": "charts"}, *site_charts(report, t, page.language))
        if report is not None
        else html.p({"aria-busy": "true"}, t("Loading…"))
    )
    return member_page(
        title,
        intro,
        picker,
        download,
        charts,
        regional_news(chosen, key=f"news-{chosen}"),
        page_use() if chosen == NATIONAL_SLUG else "",
    )

"""Report a listing or its owner to the moderators, and the link to the Safety centre."""

from __future__ import annotations

from reactpy import component, html, use_state
from reactpy.types import VdomDict
from reactpy_router import link

from backend.accounts.service import Account
from backend.listings.service import ListingView
from frontend.components.chat import report_form, safety_centre_link
from frontend.components.events import on_event
from frontend.context import use_page
from frontend.routes import DESK


def safety_links(account: Account) -> VdomDict:
    """On the profile: the Safety centre, and the moderators' desk for moderators."""
    t = use_page().t
    return html.section(
        {"className": "section", "aria-label": t("Safety")},
        html.h2(t("Safety")),
        html.p(safety_centre_link(t("Safety centre: how to help safely"))),
        html.p(link({"to": DESK, "className": "btn btn-secondary"}, t("Moderation")))
        if account.is_moderator
        else "",
    )


@component
def listing_reports(view: ListingView) -> VdomDict:
    """For someone who does not manage the listing: report it, or report the person behind it."""
    page = use_page()
    t = page.t
    reporting, set_reporting = use_state("")  # "" | "listing" | "person"

    async def report(reason: str, text: str) -> None:
        target = {"listing_id": view.id} if reporting == "listing" else {"user_id": view.owner.id}
        await page.messaging.report(
            await page.current_account(), reason=reason, text=text, **target
        )

    person = view.owner.kind == "person"
    buttons = html.div(
        {"className": "row report-buttons"},
        html.button(
            {
                "type": "button",
                "className": "btn-link",
                "onClick": on_event(set_reporting, "listing"),
            },
            t("Report this listing"),
        ),
        html.button(
            {
                "type": "button",
                "className": "btn-link",
                "onClick": on_event(set_reporting, "person"),
            },
            t("Report {name}").format(name=view.owner.name),
        )
        if person
        else "",
    )
    label = (
        t("Report this listing")
        if reporting == "listing"
        else t("Report {name}").format(name=view.owner.name)
    )
    return html.section(
        {"className": "listing-safety", "aria-label": t("Safety")},
        report_form(f"report-{reporting}", label, report, lambda: set_reporting(""), key=reporting)
        if reporting
        else buttons,
        html.p(safety_centre_link(t("Safety centre: how to help safely"))),
    )

"""One listing on its own page: region name and distance, never more."""

from __future__ import annotations

from reactpy import component, html, use_async_effect, use_state
from reactpy.types import VdomDict
from reactpy_router import link, use_params

from backend.errors import DomainError
from frontend.components.forms import notice
from frontend.components.layout import member_page
from frontend.components.listings import listing_detail
from frontend.context import use_page
from frontend.routes import MY_LISTINGS


@component
def listing_page() -> VdomDict:
    """A listing as the signed-in person may see it."""
    page = use_page()
    t = page.t
    listing_id = use_params()["listing_id"]
    view, set_view = use_state(None)
    problem, set_problem = use_state("")
    gone, set_gone = use_state(False)

    async def load() -> None:
        try:
            actor = await page.current_account()
            set_view(await page.listings.view(actor, listing_id))
        except DomainError as error:
            if view is not None:
                set_gone(True)  # deleted just now
            set_problem(t(error.message))

    use_async_effect(load, [listing_id])
    back = link({"to": MY_LISTINGS, "className": "btn btn-link"}, t("← My listings"))
    if gone:
        return member_page(t("Listing"), notice("success", t("The listing was deleted.")), back)
    if problem:
        return member_page(t("Listing"), notice("error", problem), back)
    if view is None:
        return member_page(t("Listing"), html.p({"aria-busy": "true"}, t("Loading…")))
    return member_page(t("Listing"), back, listing_detail(view, load, key=str(view.id)))

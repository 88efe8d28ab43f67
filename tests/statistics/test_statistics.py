"""Monthly figures: the job, suppression of small counts, local sites, permissions, CSV."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from backend.accounts.service import Account
from backend.errors import Forbidden, NotFound
from backend.regions.service import region_from_place
from backend.statistics import figures
from backend.statistics.tables import MonthlyFigure
from tests.factories import log_in, make_account, make_listing, make_match, place_in

THIS_MONTH = datetime.now(UTC).date().replace(day=1)


async def _person(app: Litestar, town: str = "Haarlem", **fields: str) -> Account:
    return await place_in(app, await make_account(app, **fields), town)


async def _admin(app: Litestar) -> Account:
    account = await make_account(app)
    return await app.state.accounts.grant_role(account.email, "admin")


async def _stored(site: str, metric: str, label: str = "") -> float | None:
    row = (
        await MonthlyFigure.select(MonthlyFigure.value)
        .where(
            MonthlyFigure.site == site,
            MonthlyFigure.month == THIS_MONTH,
            MonthlyFigure.metric == metric,
            MonthlyFigure.label == label,
        )
        .first()
    )
    assert row is not None, (site, metric, label)
    return row["value"]


async def test_counts_under_five_are_stored_and_shown_as_suppressed(app: Litestar) -> None:
    owner = await _person(app)
    for _ in range(5):
        await make_listing(app, owner, category="shopping")
    for _ in range(2):
        await make_listing(app, owner, kind="offer", category="transport")

    await app.state.statistics.compute_month(THIS_MONTH)

    assert await _stored("national", figures.LISTINGS) == 7
    assert await _stored("national", figures.LISTINGS, "offer") is None
    assert await _stored("national", figures.LISTINGS, "offer:transport") is None
    # Shown, 5 requests would reveal the 2 offers by subtraction from the total of 7.
    assert await _stored("national", figures.LISTINGS, "request") is None
    assert await _stored("national", figures.LISTINGS, "request:shopping") is None
    assert await _stored("national", figures.ACTIVE_PEOPLE) is None  # one person
    assert await _stored("national", figures.FOUND_HELP) is None
    stored = await MonthlyFigure.select(MonthlyFigure.value).output(as_list=True)
    assert all(value is None or value >= figures.MIN_COUNT for value in stored)
    report = await app.state.statistics.report(await _admin(app), "national")
    assert report.values(figures.LISTINGS, "offer:transport")[-1] is None
    assert report.values(figures.LISTINGS)[-1] == 7


async def test_figures_count_matches_helpers_thanks_and_found_help(app: Litestar) -> None:
    owner = await _person(app)
    helpers = [await _person(app, display_name=f"Helper {n}") for n in range(5)]
    conversations = [await make_match(app, owner, helper) for helper in helpers]
    for number, (helper, conversation) in enumerate(zip(helpers, conversations, strict=True)):
        for text in ("Hoi", "Zaterdag?", "Top"):
            await app.state.messaging.send(
                helper, conversation, client_id=f"{number}-{text}", body=text
            )
        await app.state.messaging.send(
            owner, conversation, client_id=f"thanks-{number}", body="Dank je!", kind="thanks"
        )
    mine = await app.state.listings.mine(owner)
    listing_ids = [listing.id for listing in mine.personal]
    for listing_id in listing_ids:
        await app.state.listings.close(owner, listing_id, found_help=True)

    await app.state.statistics.compute_month(THIS_MONTH)

    assert await _stored("national", figures.INTERESTS) == 5
    assert await _stored("national", figures.MATCHES) == 5
    assert await _stored("national", figures.THANKS) == 5
    assert await _stored("national", figures.ACTIVE_PEOPLE) == 6
    assert await _stored("national", figures.FOUND_HELP) == 100
    assert await _stored("national", figures.MESSAGES_PER_CONVERSATION) == 4


async def test_a_local_site_counts_only_its_own_area(app: Litestar) -> None:
    await app.state.sites.create(
        slug="haarlem-helpt",
        name="Haarlem helpt",
        hosts=["haarlem.example.nl"],
        centre=region_from_place("Haarlem"),
        radius_km=5,
    )
    haarlem, groningen = await _person(app, "Haarlem"), await _person(app, "Groningen")
    for _ in range(5):
        await make_listing(app, haarlem)
        await make_listing(app, groningen)

    await app.state.statistics.compute_month(THIS_MONTH)

    assert await _stored("national", figures.LISTINGS) == 10
    assert await _stored("haarlem-helpt", figures.LISTINGS) == 5


async def test_only_admins_and_the_site_admin_read_statistics(
    app: Litestar, client: AsyncTestClient
) -> None:
    site = await app.state.sites.create(
        slug="haarlem-helpt",
        name="Haarlem helpt",
        hosts=["haarlem.example.nl"],
        centre=region_from_place("Haarlem"),
        radius_km=5,
    )
    member, site_admin, admin = await make_account(app), await make_account(app), await _admin(app)
    await app.state.sites.grant_admin(site.slug, site_admin.id)
    statistics = app.state.statistics

    with pytest.raises(Forbidden):
        await statistics.report(member, "national")
    assert [choice.slug for choice in await statistics.readable_sites(site_admin)] == [site.slug]
    with pytest.raises(NotFound):
        await statistics.report(site_admin, "national")
    assert (await statistics.report(site_admin, site.slug)).site.name == "Haarlem helpt"
    assert [choice.slug for choice in await statistics.readable_sites(admin)] == [
        "national",
        site.slug,
    ]

    await log_in(client, member.email)
    assert (await client.get("/api/statistics/national/figures.csv")).status_code == 403


async def test_csv_download_has_the_same_figures_with_small_counts_hidden(
    app: Litestar, client: AsyncTestClient
) -> None:
    owner = await _person(app)
    for _ in range(6):
        await make_listing(app, owner, category="shopping")
    await app.state.statistics.compute_month(THIS_MONTH)
    admin = await _admin(app)
    await log_in(client, admin.email)

    response = await client.get("/api/statistics/national/figures.csv")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    lines = response.text.splitlines()
    month = THIS_MONTH.strftime("%Y-%m")
    assert lines[0] == "site,month,metric,label,value"
    assert f"national,{month},listings,request:shopping,6" in lines
    assert f"national,{month},active_people,,<5" in lines
    assert (await client.get("/api/statistics/nowhere/figures.csv")).status_code == 404


async def test_an_organisation_sees_its_own_figures_and_nobody_else_does(app: Litestar) -> None:
    member = await _person(app)
    organisation = await app.state.organisations.create(
        member, "Voedselbank Haarlem", region=region_from_place("Haarlem")
    )
    listing = await make_listing(app, member, kind="offer", organisation_id=organisation.id)
    for _ in range(5):
        helper = await _person(app)
        await app.state.matching.swipe(helper, listing.id, "right", "Ik doe mee")

    report = await app.state.statistics.organisation_report(member, organisation.id)

    assert report.values("interests")[-1] == 5
    assert report.values("matches")[-1] is None
    with pytest.raises(NotFound):
        await app.state.statistics.organisation_report(await make_account(app), organisation.id)


async def test_done_listings_count_as_closed_listings_that_found_help(app: Litestar) -> None:
    owner = await _person(app)
    listings = [await make_listing(app, owner) for _ in range(10)]
    for listing in listings[:5]:
        await app.state.listings.close(owner, listing.id, found_help=False)
    for listing in listings[5:]:
        await app.state.listings.mark_done(owner, listing.id)

    await app.state.statistics.compute_month(THIS_MONTH)

    assert await _stored("national", figures.FOUND_HELP) == 50


async def test_no_hidden_count_can_be_worked_out_by_subtraction(app: Litestar) -> None:
    owner = await _person(app)
    for category, count in (("shopping", 6), ("transport", 5), ("garden", 2)):
        for _ in range(count):
            await make_listing(app, owner, category=category)

    await app.state.statistics.compute_month(THIS_MONTH)

    assert await _stored("national", figures.LISTINGS, "request") == 13
    assert await _stored("national", figures.LISTINGS, "request:shopping") == 6
    assert await _stored("national", figures.LISTINGS, "request:garden") is None
    assert await _stored("national", figures.LISTINGS, "request:transport") is None


async def test_active_organisations_are_counted_without_naming_them(app: Litestar) -> None:
    names = [f"Buurthuis {number}" for number in range(5)]
    for name in names:
        member = await _person(app)
        organisation = await app.state.organisations.create(
            member, name, region=region_from_place("Haarlem")
        )
        await make_listing(app, member, kind="offer", organisation_id=organisation.id)

    await app.state.statistics.compute_month(THIS_MONTH)

    assert await _stored("national", figures.ACTIVE_ORGANISATIONS) == 5
    assert await _stored("national", figures.ACTIVE_PEOPLE) == 5
    stored = repr(await MonthlyFigure.select())
    assert not any(name in stored for name in names)

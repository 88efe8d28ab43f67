"""Regional news goes in the app and by push only to the people of the region who opted in."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient

from backend.accounts.service import Account
from backend.notifications.service import REGIONAL_NEWS
from backend.notifications.tables import Notification
from backend.privacy import consents
from backend.regions.service import region_from_place
from tests.factories import csrf_headers, log_in, make_account, place_in


async def _person(app: Litestar, town: str, *, wants_news: bool) -> Account:
    person = await place_in(app, await make_account(app), town)
    if wants_news:
        await app.state.privacy.set_consent(person, consents.NEWSLETTER, True)
    return person


async def _news_for(person: Account) -> list[dict]:
    return (
        await Notification.select(Notification.data)
        .where(Notification.user == person.id, Notification.kind == REGIONAL_NEWS)
        .output(load_json=True)
    )


async def _send(client: AsyncTestClient, site: str, text: str) -> tuple[int, dict]:
    response = await client.post(
        f"/api/privacy/news/{site}", json={"text": text}, headers=await csrf_headers(client)
    )
    return response.status_code, response.json()


async def test_a_site_admin_sends_news_only_to_opted_in_people_of_the_region(
    app: Litestar, client: AsyncTestClient
) -> None:
    site = await app.state.sites.create(
        slug="haarlem-helpt",
        name="Haarlem helpt",
        hosts=["haarlem.example.nl"],
        centre=region_from_place("Haarlem"),
        radius_km=5,
    )
    wants = await _person(app, "Haarlem", wants_news=True)
    silent = await _person(app, "Haarlem", wants_news=False)
    withdrew = await _person(app, "Haarlem", wants_news=True)
    await app.state.privacy.set_consent(withdrew, consents.NEWSLETTER, False)
    far_away = await _person(app, "Groningen", wants_news=True)
    site_admin = await make_account(app)
    await app.state.sites.grant_admin(site.slug, site_admin.id)
    await log_in(client, site_admin.email)

    status, sent = await _send(client, site.slug, "  Buurtfeest zaterdag om 14:00  ")

    assert (status, sent) == (201, {"recipients": 1})
    assert await _news_for(wants) == [
        {"data": {"site": "Haarlem helpt", "text": "Buurtfeest zaterdag om 14:00"}}
    ]
    for person in (silent, withdrew, far_away):
        assert await _news_for(person) == []
    assert (await _send(client, "national", "Iedereen!"))[0] == 403
    assert (await _send(client, site.slug, "x" * 281))[0] == 400
    assert (await _send(client, site.slug, "   "))[0] == 400


async def test_an_admin_sends_news_everywhere_and_members_cannot(
    app: Litestar, client: AsyncTestClient, other_client: AsyncTestClient
) -> None:
    near = await _person(app, "Haarlem", wants_news=True)
    far = await _person(app, "Groningen", wants_news=True)
    member = await _person(app, "Haarlem", wants_news=True)
    admin = await app.state.accounts.grant_role((await make_account(app)).email, "admin")
    await log_in(client, admin.email)
    await log_in(other_client, member.email)

    assert (await _send(other_client, "national", "Hallo"))[0] == 403
    assert (await _send(client, "nowhere", "Hallo"))[0] == 404
    status, sent = await _send(client, "national", "Nieuwe versie van Handje")

    assert (status, sent) == (201, {"recipients": 3})
    for person in (near, far, member):
        assert len(await _news_for(person)) == 1

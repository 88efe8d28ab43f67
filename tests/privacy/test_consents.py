"""Consent records: giving and withdrawing, with wording version and times, as a history."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient

from backend.privacy import consents
from tests.factories import csrf_headers, make_account, place_in, signed_in_client


async def test_giving_and_withdrawing_keeps_a_history_with_wording_and_times(
    app: Litestar, client: AsyncTestClient
) -> None:
    await signed_in_client(app, client)
    headers = await csrf_headers(client)

    given = await client.put(
        "/api/privacy/consents/newsletter", json={"given": True}, headers=headers
    )
    withdrawn = await client.put(
        "/api/privacy/consents/newsletter", json={"given": False}, headers=headers
    )
    again = await client.put(
        "/api/privacy/consents/newsletter", json={"given": True}, headers=headers
    )
    history = (await client.get("/api/privacy/consents/history")).json()

    assert given.status_code == 200
    assert given.json()["given"] is True
    assert given.json()["wording_version"] == consents.WORDINGS["newsletter"].version
    assert withdrawn.json()["given"] is False
    assert again.json()["given"] is True
    assert [entry["purpose"] for entry in history] == ["newsletter", "newsletter"]
    assert history[0]["withdrawn_at"] is not None
    assert history[0]["withdrawn_at"] >= history[0]["given_at"]
    assert history[1]["withdrawn_at"] is None
    assert all(entry["wording_version"] == "2026-11" for entry in history)


async def test_consents_start_withdrawn_and_twice_the_same_changes_nothing(
    app: Litestar, client: AsyncTestClient
) -> None:
    await signed_in_client(app, client)
    headers = await csrf_headers(client)

    start = (await client.get("/api/privacy/consents")).json()
    for _ in range(2):
        await client.put("/api/privacy/consents/analytics", json={"given": True}, headers=headers)
    history = (await client.get("/api/privacy/consents/history")).json()

    assert {entry["purpose"]: entry["given"] for entry in start} == {
        "newsletter": False,
        "analytics": False,
    }
    assert len(history) == 1


async def test_an_unknown_choice_is_refused_clearly(app: Litestar, client: AsyncTestClient) -> None:
    await signed_in_client(app, client)

    response = await client.put(
        "/api/privacy/consents/marketing", json={"given": True}, headers=await csrf_headers(client)
    )

    assert response.status_code == 400
    assert "no such choice" in response.text


async def test_regional_news_goes_only_to_people_who_opted_in(app: Litestar) -> None:
    privacy = app.state.privacy
    yes = await place_in(app, await make_account(app), "Haarlem")
    no = await place_in(app, await make_account(app), "Haarlem")
    withdrew = await place_in(app, await make_account(app), "Haarlem")
    await privacy.set_consent(yes, consents.NEWSLETTER, True)
    await privacy.set_consent(withdrew, consents.NEWSLETTER, True)
    await privacy.set_consent(withdrew, consents.NEWSLETTER, False)

    recipients = await consents.newsletter_recipients([yes.region.cell])

    assert recipients == [yes.id]
    assert no.id not in recipients

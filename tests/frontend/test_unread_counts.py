"""The tab bar's unread count follows the live events alone, and agrees with a recount."""

from __future__ import annotations

import asyncio

from litestar import Litestar

from frontend.components.chat import UnreadCounts
from frontend.routes import DISCOVER
from tests.factories import make_account, make_match, place_in
from tests.live_clients import browser_for, live_socket, log_in_to, next_event


async def test_unread_counts_follow_live_events_like_a_recount(
    app: Litestar, live_server: str
) -> None:
    owner = await place_in(app, await make_account(app), "Utrecht")
    helper = await place_in(app, await make_account(app), "Utrecht")
    neighbour = await place_in(app, await make_account(app), "Utrecht")
    first = await make_match(app, owner, helper)
    second = await make_match(app, owner, neighbour)
    messaging = app.state.messaging
    await messaging.send(helper, first, client_id="before", body="Al eerder")
    counts = UnreadCounts(str(owner.id), await messaging.conversations(owner))
    assert counts.total == 1
    async with (
        browser_for(live_server) as owner_client,
        browser_for(live_server) as helper_client,
        browser_for(live_server) as neighbour_client,
    ):
        owner_headers = await log_in_to(owner_client, owner.email)
        helper_headers = await log_in_to(helper_client, helper.email)
        neighbour_headers = await log_in_to(neighbour_client, neighbour.email)

        async def post(client, headers, path: str, body: dict) -> None:
            response = await client.post(f"/api/conversations/{path}", json=body, headers=headers)
            assert response.status_code in (201, 204)

        async with live_socket(live_server, owner_client) as socket:
            await asyncio.sleep(0.3)
            # A read it cannot place (no message seen live there) asks for a recount.
            await post(owner_client, owner_headers, f"{first}/read", {"seq": 1})
            assert not counts.apply(await next_event(socket), DISCOVER)
            counts = UnreadCounts(str(owner.id), await messaging.conversations(owner))
            assert counts.total == 0

            for number in range(2):
                body = {"client_id": f"h{number}", "body": f"Hoi {number}"}
                await post(helper_client, helper_headers, f"{first}/messages", body)
                event = await next_event(socket)
                assert counts.apply(event, DISCOVER)
                assert counts.apply(event, DISCOVER)  # the same event twice counts once
            assert counts.total == 2
            recount = await messaging.conversations(owner)
            assert counts.total == sum(summary.unread for summary in recount)

            # On the second conversation's own page its messages are read there.
            body = {"client_id": "n0", "body": "Ik ben er"}
            await post(neighbour_client, neighbour_headers, f"{second}/messages", body)
            assert counts.apply(await next_event(socket), str(second))
            assert counts.total == 2

            await post(owner_client, owner_headers, f"{first}/read", {"seq": 3})
            assert counts.apply(await next_event(socket), DISCOVER)
            assert counts.total == 0

            # A gap (an event was missed) asks for a recount too.
            for number in (2, 3):
                body = {"client_id": f"h{number}", "body": f"Hoi {number}"}
                await post(helper_client, helper_headers, f"{first}/messages", body)
            await next_event(socket)
            assert not counts.apply(await next_event(socket), DISCOVER)

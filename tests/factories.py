"""Factories that build accounts and signed-in clients through the real services and API."""

from __future__ import annotations

import itertools
from uuid import UUID

from litestar import Litestar
from litestar.testing import AsyncTestClient

from backend.accounts.service import Account, ProfileChanges
from backend.listings.drafts import ListingDraft
from backend.listings.service import ListingView
from backend.regions.service import region_from_place

PASSWORD = "correct horse battery"
_numbers = itertools.count(1)


def unique_email(prefix: str = "person") -> str:
    """A fresh email address."""
    return f"{prefix}{next(_numbers)}@example.nl"


async def make_account(
    app: Litestar,
    *,
    email: str | None = None,
    password: str = PASSWORD,
    display_name: str = "Sam",
    language: str = "en",
) -> Account:
    """Create an account through the accounts service."""
    account = await app.state.accounts.sign_up(
        email=email or unique_email(),
        password=password,
        display_name=display_name,
        language=language,
        ip=f"factory-{next(_numbers)}",
    )
    assert account is not None
    return account


async def csrf_headers(client: AsyncTestClient) -> dict[str, str]:
    """The header that passes the CSRF check (any page visit sets the cookie)."""
    if "handje_csrf" not in client.cookies:
        await client.get("/login")
    return {"x-csrf-token": client.cookies["handje_csrf"]}


async def log_in(client: AsyncTestClient, email: str, password: str = PASSWORD) -> None:
    """Log ``client`` in through the JSON API."""
    response = await client.post(
        "/api/auth/login",
        json={"email": email, "password": password},
        headers=await csrf_headers(client),
    )
    assert response.status_code == 200, response.text


async def signed_in_client(app: Litestar, client: AsyncTestClient, **fields: str) -> Account:
    """Create an account and log ``client`` in as it."""
    account = await make_account(app, **fields)
    await log_in(client, account.email)
    return account


async def place_in(app: Litestar, account: Account, town: str) -> Account:
    """Give ``account`` the region of ``town``."""
    return await app.state.accounts.update_profile(
        account, ProfileChanges(region=region_from_place(town))
    )


async def make_listing(app: Litestar, owner: Account, **fields: object) -> ListingView:
    """Publish a listing through the listings service (a request in the owner's region)."""
    values: dict[str, object] = {
        "kind": "request",
        "title": "Help with groceries on Saturday",
        "description": "I cannot carry heavy bags at the moment.",
        "category": "shopping",
    }
    values.update(fields)
    return await app.state.listings.create(owner, ListingDraft(**values))  # type: ignore[arg-type]


async def make_match(app: Litestar, owner: Account, helper: Account) -> UUID:
    """A listing of ``owner``, ``helper``'s interest in it, accepted; return the conversation id."""
    listing = await make_listing(app, owner)
    interest_id = await app.state.matching.swipe(helper, listing.id, "right", "Ik help graag")
    accepted = await app.state.matching.accept(owner, interest_id)
    assert accepted.conversation_id is not None
    return accepted.conversation_id


async def make_organisation_match(
    app: Litestar, owner: Account, colleague: Account, helper: Account
) -> tuple[UUID, UUID]:
    """An organisation of ``owner`` with ``colleague`` as a member, its offer, and ``helper``'s
    interest in it, accepted; return the organisation's and the conversation's ids.
    """
    organisation = await app.state.organisations.create(owner, "Buurtteam")
    await app.state.organisations.invite(owner, organisation.id, colleague.email)
    listing = await make_listing(app, owner, kind="offer", organisation_id=organisation.id)
    interest_id = await app.state.matching.swipe(helper, listing.id, "right")
    accepted = await app.state.matching.accept(owner, interest_id)
    assert accepted.conversation_id is not None
    return organisation.id, accepted.conversation_id


async def make_conversation(
    app: Litestar, owner_name: str = "Henk", helper_name: str = "Sam", town: str = "Utrecht"
) -> tuple[Account, Account, UUID]:
    """Two people placed in ``town`` and matched; return the owner, the helper and the
    conversation id.
    """
    owner = await place_in(app, await make_account(app, display_name=owner_name), town)
    helper = await place_in(app, await make_account(app, display_name=helper_name), town)
    return owner, helper, await make_match(app, owner, helper)


async def make_conversations(app: Litestar, count: int) -> list[tuple[Account, Account, UUID]]:
    """``count`` conversations (see ``make_conversation``) whose people read the safety advice."""
    conversations = []
    for _ in range(count):
        owner, helper, conversation = await make_conversation(app)
        for person in (owner, helper):
            await app.state.messaging.acknowledge_safety(person, conversation)
        conversations.append((owner, helper, conversation))
    return conversations

"""The moderators' desk: reports become cases, who may see them, every action and its effect,
undo by an admin, reading conversations only with cause, and the audit log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from backend.accounts.service import AccountRestricted
from backend.accounts.tables import UserSession
from backend.errors import Conflict, Forbidden, Invalid, NotFound
from backend.listings import lifecycle
from backend.listings.tables import Listing
from backend.messaging.tables import Message
from backend.moderation.cases import QueueFilter
from backend.moderation.service import ACTIONS
from backend.moderation.tables import Action, AuditEntry, Case, ConversationRead
from backend.notifications.service import notifications_for
from backend.privacy.export import export_data
from backend.push.messages import render
from backend.push.tables import PushSubscription
from backend.web.flash import FLASH_COOKIE, read_flash
from frontend.i18n import translator
from tests.factories import PASSWORD, csrf_headers, log_in, make_account, make_listing, place_in
from tests.moderation.people import make_staff, reported_message


async def outcomes_for(user_id: UUID) -> list[dict[str, Any]]:
    """The moderation outcomes a person was told about."""
    notices = await notifications_for(user_id)
    return [notice for notice in notices if notice["kind"] == "moderation_outcome"]


async def test_reports_of_one_message_share_a_case_and_raise_its_severity(app: Litestar) -> None:
    case = await reported_message(app)
    moderator = await make_staff(app)
    await app.state.messaging.report(
        case.reporter, reason="unsafe", text="Nog een keer", message_id=case.message_id
    )
    [line] = await app.state.moderation.queue(moderator, QueueFilter())
    assert (line.subject, line.reason, line.severity) == ("message", "fraud", 4)
    detail = await app.state.moderation.case(moderator, line.id)
    assert [report.text for report in detail.reports] == ["Vraagt om geld", "Nog een keer"]
    assert detail.content["body"] == "Stuur eerst 50 euro"
    assert {person.name for person in detail.people} == {"Sam", "Henk"}
    sam = next(person for person in detail.people if person.name == "Sam")
    assert (sam.conversations, sam.listings, sam.earlier_cases) == (1, 0, 0)


async def test_listings_and_profiles_can_be_reported(app: Litestar) -> None:
    owner = await place_in(app, await make_account(app, display_name="Piet"), "Utrecht")
    neighbour = await place_in(app, await make_account(app), "Utrecht")
    listing = await make_listing(app, owner)
    await app.state.messaging.report(neighbour, reason="spam", text="", listing_id=listing.id)
    await app.state.messaging.report(neighbour, reason="unsafe", text="Eng", user_id=owner.id)
    moderator = await make_staff(app)
    lines = await app.state.moderation.queue(moderator, QueueFilter())
    assert [(line.subject, line.user_name) for line in lines] == [
        ("profile", "Piet"),
        ("listing", "Piet"),
    ]
    only_listings = await app.state.moderation.queue(moderator, QueueFilter(subject="listing"))
    assert [line.subject for line in only_listings] == ["listing"]


async def test_a_report_over_the_api_names_the_listing(
    app: Litestar, client: AsyncTestClient
) -> None:
    owner = await place_in(app, await make_account(app), "Utrecht")
    listing = await make_listing(app, owner)
    reporter = await place_in(app, await make_account(app), "Utrecht")
    await log_in(client, reporter.email)
    response = await client.post(
        "/api/reports",
        json={"reason": "fraud", "text": "Te mooi", "listing_id": str(listing.id)},
        headers=await csrf_headers(client),
    )
    assert response.status_code == 201, response.text
    lines = await app.state.moderation.queue(await make_staff(app), QueueFilter())
    assert lines[0].subject == "listing"


async def test_members_cannot_reach_the_desk(app: Litestar) -> None:
    case = await reported_message(app)
    member = await make_account(app)
    moderation = app.state.moderation
    with pytest.raises(Forbidden):
        await moderation.queue(member, QueueFilter())
    with pytest.raises(Forbidden):
        await moderation.case(member, case.case_id)
    with pytest.raises(Forbidden):
        await moderation.act(member, case.case_id, "dismiss", "Niets aan de hand")
    with pytest.raises(Forbidden):
        await moderation.read_conversation(member, case.case_id)


async def test_the_queue_shows_the_most_severe_first_then_the_longest_waiting(
    app: Litestar,
) -> None:
    owner = await place_in(app, await make_account(app, display_name="Piet"), "Utrecht")
    neighbour = await place_in(app, await make_account(app), "Utrecht")
    newer, older = [await make_listing(app, owner, title=f"Verzoek {n}") for n in range(2)]
    await app.state.messaging.report(neighbour, reason="spam", text="", listing_id=newer.id)
    await app.state.messaging.report(neighbour, reason="other", text="", listing_id=older.id)
    await app.state.messaging.report(neighbour, reason="unsafe", text="", user_id=owner.id)
    await Case.update({Case.created_at: datetime.now(UTC) - timedelta(hours=5)}).where(
        Case.listing == older.id
    )
    moderator = await make_staff(app)
    lines = await app.state.moderation.queue(moderator, QueueFilter())
    assert [line.reason for line in lines] == ["unsafe", "other", "spam"]
    spam = await app.state.moderation.queue(moderator, QueueFilter(reason="spam"))
    assert [line.reason for line in spam] == ["spam"]
    await app.state.moderation.act(moderator, spam[0].id, "dismiss", "Geen reclame")
    closed = await app.state.moderation.queue(moderator, QueueFilter(state="closed"))
    assert [(line.reason, line.outcome) for line in closed] == [("spam", "dismiss")]
    assert await app.state.moderation.queue(moderator, QueueFilter(source="flag")) == []


@pytest.mark.parametrize("kind", ACTIONS)
async def test_every_action_needs_a_reason(app: Litestar, kind: str) -> None:
    case = await reported_message(app)
    with pytest.raises(Invalid):
        await app.state.moderation.act(await make_staff(app), case.case_id, kind, "  ", days=3)
    assert not await Action.exists()


async def test_an_admin_undoes_a_warning_with_a_reason_and_the_case_opens_again(
    app: Litestar,
) -> None:
    case = await reported_message(app)
    moderator = await make_staff(app)
    admin = await make_staff(app, "admin", "Ada")
    action = await app.state.moderation.act(moderator, case.case_id, "warn", "Geen geld vragen")
    with pytest.raises(Invalid):
        await app.state.moderation.undo(admin, action, " ")
    await app.state.moderation.undo(admin, action, "Het was een grap")
    notices = await outcomes_for(case.sender.id)
    assert [notice["data"]["outcome"] for notice in notices] == ["withdrawn", "warned"]
    [line] = await app.state.moderation.queue(moderator, QueueFilter())
    assert line.id == case.case_id
    with pytest.raises(Conflict):
        await app.state.moderation.undo(admin, action, "Nog een keer")
    [undo, warn] = await app.state.moderation.audit_log(admin)
    assert (undo.actor_name, undo.action, undo.reason) == ("Ada", "undo_warn", "Het was een grap")
    assert warn.action == "warn"


async def test_dismissing_closes_the_case_and_tells_the_reporter(app: Litestar) -> None:
    case = await reported_message(app)
    moderator = await make_staff(app)
    await app.state.moderation.act(moderator, case.case_id, "dismiss", "Grapje tussen buren")
    assert await app.state.moderation.queue(moderator, QueueFilter()) == []
    [notice] = await outcomes_for(case.reporter.id)
    assert (notice["kind"], notice["data"]["outcome"]) == ("moderation_outcome", "report_handled")
    shown = render(notice["kind"], notice["data"], translator("en"))
    assert (shown.title, shown.url) == ("News from the moderators", "/safety")
    with pytest.raises(Conflict):
        await app.state.moderation.act(moderator, case.case_id, "warn", "Te laat")


async def test_removing_a_message_hides_its_text_until_an_admin_undoes_it(app: Litestar) -> None:
    case = await reported_message(app)
    moderator = await make_staff(app)
    admin = await make_staff(app, "admin", "Ada")
    with pytest.raises(Conflict):
        await app.state.moderation.act(moderator, case.case_id, "hide_listing", "Geen advertentie")
    assert not await Action.exists()
    action = await app.state.moderation.act(moderator, case.case_id, "remove_message", "Fraude")
    [shown] = await app.state.messaging.history(case.reporter, case.conversation_id)
    assert (shown.kind, shown.body) == ("removed", "")
    with pytest.raises(Forbidden):
        await app.state.moderation.undo(moderator, action, "Vergissing")
    await app.state.moderation.undo(admin, action, "Vergissing")
    [shown] = await app.state.messaging.history(case.reporter, case.conversation_id)
    assert (shown.kind, shown.body) == ("text", "Stuur eerst 50 euro")


async def test_hiding_a_listing_takes_it_out_of_sight_and_undo_restores_it(app: Litestar) -> None:
    owner = await place_in(app, await make_account(app), "Utrecht")
    neighbour = await place_in(app, await make_account(app), "Utrecht")
    listing = await make_listing(app, owner)
    await app.state.messaging.report(neighbour, reason="spam", text="", listing_id=listing.id)
    moderator = await make_staff(app)
    [line] = await app.state.moderation.queue(moderator, QueueFilter())
    action = await app.state.moderation.act(moderator, line.id, "hide_listing", "Reclame")
    with pytest.raises(NotFound):
        await app.state.listings.view(neighbour, listing.id)
    await app.state.moderation.undo(await make_staff(app, "admin"), action, "Toch goed")
    assert (await app.state.listings.view(neighbour, listing.id)).status == lifecycle.OPEN


async def test_removing_the_reported_message_resolves_its_case_and_undo_reopens_it(
    app: Litestar,
) -> None:
    case = await reported_message(app)
    moderator = await make_staff(app)
    # A second report filed at the same moment as the first opened a case of its own.
    [report] = await Case.select(Case.reason, Case.subject, Case.user, Case.message).where(
        Case.id == case.case_id
    )
    twin = Case(source="report", **report)
    await twin.save()
    action = await app.state.moderation.act(moderator, case.case_id, "remove_message", "Fraude")
    assert await app.state.moderation.queue(moderator, QueueFilter()) == []
    closed = await app.state.moderation.queue(moderator, QueueFilter(state="closed"))
    assert sorted((line.id, line.outcome) for line in closed) == sorted(
        [(case.case_id, "remove_message"), (twin.id, "remove_message")]
    )
    [notice] = await outcomes_for(case.reporter.id)
    assert notice["data"] == {"outcome": "report_handled", "case_id": str(case.case_id)}
    for settled in (case.case_id, twin.id):
        detail = await app.state.moderation.case(moderator, settled)
        assert [(line.kind, line.reason) for line in detail.actions] == [
            ("remove_message", "Fraude")
        ]
    [audited] = await app.state.moderation.audit_log(await make_staff(app, "admin", "Ada"))
    assert (audited.action, audited.case_id) == ("remove_message", case.case_id)
    await app.state.moderation.undo(await make_staff(app, "admin"), action, "Vergissing")
    reopened = await app.state.moderation.queue(moderator, QueueFilter())
    assert {line.id for line in reopened} == {case.case_id, twin.id}


async def test_a_warning_can_follow_a_removed_message_in_its_settled_case(app: Litestar) -> None:
    case = await reported_message(app)
    moderator = await make_staff(app)
    admin = await make_staff(app, "admin", "Ada")
    await app.state.moderation.act(moderator, case.case_id, "remove_message", "Fraude")
    with pytest.raises(Conflict):
        await app.state.moderation.act(moderator, case.case_id, "dismiss", "Toch niet")
    warning = await app.state.moderation.act(moderator, case.case_id, "warn", "Geen geld vragen")
    [line] = await app.state.moderation.queue(moderator, QueueFilter(state="closed"))
    assert (line.id, line.outcome) == (case.case_id, "warn")
    [notice] = await outcomes_for(case.reporter.id)  # told once, when the case was settled
    assert notice["data"]["outcome"] == "report_handled"
    with pytest.raises(Conflict):  # one follow-up; the case is decided
        await app.state.moderation.act(moderator, case.case_id, "suspend", "Nog eens", days=3)
    await app.state.moderation.undo(admin, warning, "Te streng")
    [line] = await app.state.moderation.queue(moderator, QueueFilter(state="closed"))
    assert (line.id, line.outcome) == (case.case_id, "remove_message")


async def test_hiding_the_reported_listing_resolves_its_case(app: Litestar) -> None:
    owner = await place_in(app, await make_account(app), "Utrecht")
    neighbour = await place_in(app, await make_account(app), "Utrecht")
    listing = await make_listing(app, owner)
    await app.state.messaging.report(neighbour, reason="spam", text="", listing_id=listing.id)
    await app.state.messaging.report(neighbour, reason="unsafe", text="", user_id=owner.id)
    moderator = await make_staff(app)
    [listing_case] = await app.state.moderation.queue(moderator, QueueFilter(subject="listing"))
    await app.state.moderation.act(moderator, listing_case.id, "hide_listing", "Reclame")
    # The person is a case of their own: it stays until a moderator decides about them.
    [left] = await app.state.moderation.queue(moderator, QueueFilter())
    assert left.subject == "profile"
    [done] = await app.state.moderation.queue(moderator, QueueFilter(state="closed"))
    assert (done.id, done.outcome) == (listing_case.id, "hide_listing")


async def test_a_warning_is_an_in_app_message_with_the_reason(app: Litestar) -> None:
    case = await reported_message(app)
    await app.state.moderation.act(await make_staff(app), case.case_id, "warn", "Geen geld vragen")
    [notice] = await outcomes_for(case.sender.id)
    assert notice["data"] == {"outcome": "warned", "reason": "Geen geld vragen"}


async def test_a_suspension_signs_out_and_refuses_log_in_with_why_and_until(
    app: Litestar, client: AsyncTestClient
) -> None:
    case = await reported_message(app)
    await log_in(client, case.sender.email)
    await app.state.moderation.act(
        await make_staff(app), case.case_id, "suspend", "Vroeg om geld", days=7
    )
    assert not await UserSession.exists().where(UserSession.user == case.sender.id)
    assert (await client.get("/api/me")).status_code == 401
    with pytest.raises(AccountRestricted) as refused:
        await app.state.accounts.log_in(
            email=case.sender.email, password=PASSWORD, ip="1.2.3.4", user_agent=""
        )
    assert refused.value.reason == "Vroeg om geld"
    assert refused.value.until is not None
    week = refused.value.until - datetime.now(UTC)
    assert timedelta(days=6, hours=23) < week <= timedelta(days=7)
    response = await client.post(
        "/api/auth/login",
        json={"email": case.sender.email, "password": PASSWORD},
        headers=await csrf_headers(client),
    )
    assert response.status_code == 403
    [notice] = await outcomes_for(case.sender.id)
    assert notice["data"]["outcome"] == "suspended"


async def test_the_browser_of_a_suspended_session_learns_why(
    app: Litestar, client: AsyncTestClient
) -> None:
    case = await reported_message(app)
    await log_in(client, case.sender.email)
    token = client.cookies["handje_session"]
    await app.state.moderation.act(await make_staff(app), case.case_id, "suspend", "Geld", days=3)
    notice = await app.state.standing.notice_for_token(token)
    assert notice is not None
    assert (notice.kind, notice.reason) == ("suspend", "Geld")


async def test_undoing_a_suspension_lets_the_person_log_in(app: Litestar) -> None:
    case = await reported_message(app)
    action = await app.state.moderation.act(
        await make_staff(app), case.case_id, "suspend", "Geld", days=3
    )
    await app.state.moderation.undo(await make_staff(app, "admin"), action, "Onterecht")
    await app.state.accounts.log_in(
        email=case.sender.email, password=PASSWORD, ip="1.2.3.4", user_agent=""
    )


async def test_a_ban_ends_sessions_hides_listings_and_refuses_the_email(
    app: Litestar, client: AsyncTestClient
) -> None:
    case = await reported_message(app)
    listing = await make_listing(app, case.sender, title="Gratis iPhone")
    await log_in(client, case.sender.email)
    action = await app.state.moderation.act(await make_staff(app), case.case_id, "ban", "Oplichter")
    assert not await UserSession.exists().where(UserSession.user == case.sender.id)
    hidden = await Listing.select(Listing.status).where(Listing.id == listing.id).first()
    assert hidden["status"] == lifecycle.HIDDEN
    local, _, domain = case.sender.email.partition("@")
    with pytest.raises(Forbidden):
        await app.state.accounts.sign_up(
            email=f"{local}+nieuw@{domain}",
            password=PASSWORD,
            display_name="Sam",
            language="nl",
            ip="5.6.7.8",
        )
    refused = await client.post(
        "/api/auth/signup",
        json={"email": case.sender.email, "password": PASSWORD, "display_name": "Sam"},
        headers=await csrf_headers(client),
    )
    assert refused.status_code == 403
    assert refused.json()["detail"] == "This email address cannot be used."
    with pytest.raises(AccountRestricted):
        await app.state.accounts.log_in(
            email=case.sender.email, password=PASSWORD, ip="1.2.3.4", user_agent=""
        )
    await app.state.moderation.undo(await make_staff(app, "admin"), action, "Verkeerde persoon")
    restored = await Listing.select(Listing.status).where(Listing.id == listing.id).first()
    assert restored["status"] == lifecycle.OPEN
    assert await app.state.accounts.sign_up(
        email=f"{local}+nieuw@{domain}",
        password=PASSWORD,
        display_name="Sam",
        language="nl",
        ip="9",
    )


@pytest.mark.parametrize("first", ["", "remove_message"])
async def test_a_ban_settles_every_open_case_about_the_person_and_undo_reopens_them(
    app: Litestar, first: str
) -> None:
    case = await reported_message(app)
    listing = await make_listing(app, case.sender, title="Gratis iPhone")
    neighbour = await place_in(app, await make_account(app), "Utrecht")
    await app.state.messaging.report(neighbour, reason="fraud", text="", listing_id=listing.id)
    await app.state.messaging.report(neighbour, reason="unsafe", text="", user_id=case.sender.id)
    bystander = await place_in(app, await make_account(app), "Utrecht")
    await make_listing(app, bystander)
    await app.state.messaging.report(neighbour, reason="spam", text="", user_id=bystander.id)
    moderator = await make_staff(app)
    if first:  # the ban follows up a case already settled by removing the message
        await app.state.moderation.act(moderator, case.case_id, first, "Fraude")
    ban = await app.state.moderation.act(moderator, case.case_id, "ban", "Oplichter")
    [left] = await app.state.moderation.queue(moderator, QueueFilter())
    assert left.subject == "profile"  # the bystander's case
    closed = await app.state.moderation.queue(moderator, QueueFilter(state="closed"))
    assert sorted(line.subject for line in closed) == ["listing", "message", "profile"]
    assert {line.outcome for line in closed if line.id != case.case_id} == {"ban"}
    told = [notice["data"]["outcome"] for notice in await outcomes_for(neighbour.id)]
    assert told == ["report_handled", "report_handled"]
    await app.state.moderation.undo(await make_staff(app, "admin"), ban, "Verkeerde persoon")
    reopened = await app.state.moderation.queue(moderator, QueueFilter())
    assert len(reopened) == (3 if first else 4)


async def test_a_ban_removes_push_subscriptions(app: Litestar) -> None:
    case = await reported_message(app)
    await PushSubscription.insert(
        PushSubscription(
            user=case.sender.id,
            endpoint="https://push.example/abc",
            p256dh="key",
            auth="auth",
        )
    )
    await app.state.moderation.act(await make_staff(app), case.case_id, "ban", "Oplichter")
    assert not await PushSubscription.exists().where(PushSubscription.user == case.sender.id)


async def test_a_conversation_is_read_only_through_an_open_case_and_every_read_is_audited(
    app: Litestar,
) -> None:
    case = await reported_message(app)
    moderator = await make_staff(app)
    messages = await app.state.moderation.read_conversation(moderator, case.case_id)
    assert [message.body for message in messages] == ["Stuur eerst 50 euro"]
    [read] = await ConversationRead.select(ConversationRead.moderator, ConversationRead.case)
    assert (read["moderator"], read["case"]) == (moderator.id, case.case_id)
    entries = await AuditEntry.select(AuditEntry.action, AuditEntry.actor_id)
    assert {"action": "read_conversation", "actor_id": moderator.id} in entries
    await app.state.moderation.act(moderator, case.case_id, "dismiss", "Afgehandeld")
    with pytest.raises(Forbidden):
        await app.state.moderation.read_conversation(moderator, case.case_id)


async def test_both_people_see_a_moderators_read_in_their_data_export(app: Litestar) -> None:
    case = await reported_message(app)
    await app.state.moderation.read_conversation(await make_staff(app), case.case_id)
    for person in (case.reporter, case.sender):
        [read] = (await export_data(person.id))["moderator_reads_of_your_conversations"]
        assert read["conversation"] == str(case.conversation_id)
    outsider = await make_account(app)
    assert (await export_data(outsider.id))["moderator_reads_of_your_conversations"] == []


async def test_a_case_without_a_conversation_gives_no_way_to_read_one(app: Litestar) -> None:
    owner = await place_in(app, await make_account(app), "Utrecht")
    neighbour = await place_in(app, await make_account(app), "Utrecht")
    listing = await make_listing(app, owner)
    await app.state.messaging.report(neighbour, reason="spam", text="", listing_id=listing.id)
    moderator = await make_staff(app)
    [line] = await app.state.moderation.queue(moderator, QueueFilter())
    with pytest.raises(Forbidden):
        await app.state.moderation.read_conversation(moderator, line.id)


async def test_the_audit_log_is_for_admins_and_append_only(app: Litestar) -> None:
    case = await reported_message(app)
    moderator = await make_staff(app)
    await app.state.moderation.act(moderator, case.case_id, "warn", "Let op")
    with pytest.raises(Forbidden):
        await app.state.moderation.audit_log(moderator)
    [line] = await app.state.moderation.audit_log(await make_staff(app, "admin"))
    assert (line.actor_name, line.action, line.reason) == ("Mo", "warn", "Let op")
    with pytest.raises(Exception, match="append-only"):
        await AuditEntry.update({AuditEntry.reason: "niets"}, force=True)
    with pytest.raises(Exception, match="append-only"):
        await AuditEntry.delete(force=True)


async def test_a_removed_message_stays_removed_for_a_second_report(app: Litestar) -> None:
    case = await reported_message(app)
    await app.state.moderation.act(await make_staff(app), case.case_id, "remove_message", "Weg")
    row = await Message.select(Message.kind).where(Message.id == case.message_id).first()
    assert row["kind"] == "removed"


async def test_the_log_in_form_of_a_suspended_account_comes_back_saying_why(
    app: Litestar, client: AsyncTestClient
) -> None:
    case = await reported_message(app)
    await app.state.moderation.act(await make_staff(app), case.case_id, "suspend", "Geld", days=2)
    await client.get("/login")
    response = await client.post(
        "/auth/login",
        data={
            "email": case.sender.email,
            "password": PASSWORD,
            "_csrf_token": client.cookies["handje_csrf"],
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/login"
    cookie = response.cookies[FLASH_COOKIE].strip('"')
    flash = read_flash(cookie, app.state.app_keys.signing_key)
    assert flash is not None
    assert (flash.notice, flash.email) == ("restricted", case.sender.email)
    notice = await app.state.standing.notice_for_email(flash.email)
    assert notice is not None
    assert (notice.kind, notice.reason) == ("suspend", "Geld")


async def test_a_moderator_cannot_decide_a_case_about_themselves(app: Litestar) -> None:
    owner = await place_in(app, await make_staff(app), "Utrecht")
    neighbour = await place_in(app, await make_account(app), "Utrecht")
    await make_listing(app, owner)
    await app.state.messaging.report(neighbour, reason="unsafe", text="", user_id=owner.id)
    [line] = await app.state.moderation.queue(owner, QueueFilter())
    with pytest.raises(Forbidden):
        await app.state.moderation.act(owner, line.id, "dismiss", "Niets aan de hand")

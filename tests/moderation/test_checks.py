"""The daily checks: each rule on constructed data, flags in the queue, the admin-set automatic
ban, and the IP retention job."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from litestar import Litestar

from backend.accounts.service import Account
from backend.jobs import run_jobs_once
from backend.moderation import rules
from backend.moderation.cases import QueueFilter
from backend.moderation.checks import run_daily_checks
from backend.moderation.standing import active_restriction
from backend.moderation.tables import Case, IpRecord
from backend.settings import Settings
from tests.factories import PASSWORD, make_account, make_listing, make_match, place_in
from tests.moderation.people import make_staff, reported_message

DAY_AGO = datetime.now(UTC) - timedelta(days=1)


async def _sign_up(app: Litestar, ip: str, email: str | None = None) -> Account:
    account = await app.state.accounts.sign_up(
        email=email or f"n{ip.replace(':', '-')}@example.nl",
        password=PASSWORD,
        display_name="Nieuw",
        language="nl",
        ip=ip,
    )
    assert account is not None
    return account


def _flagged(found: rules.Found) -> set:
    return {user for user, _ in found}


async def test_sign_up_and_log_in_addresses_are_recorded(app: Litestar) -> None:
    account = await _sign_up(app, "192.0.2.7")
    await app.state.accounts.log_in(
        email=account.email, password=PASSWORD, ip="198.51.100.1", user_agent=""
    )
    rows = await IpRecord.select(IpRecord.ip, IpRecord.kind).where(IpRecord.user == account.id)
    assert sorted((row["kind"], row["ip"]) for row in rows) == [
        ("login", "198.51.100.1"),
        ("signup", "192.0.2.7"),
    ]


async def test_a_burst_of_sign_ups_from_one_ipv4_network_is_flagged(
    app: Litestar, settings: Settings
) -> None:
    burst = [await _sign_up(app, f"203.0.113.{n}") for n in range(settings.signup_burst_accounts)]
    alone = await _sign_up(app, "198.51.100.9")
    found = await rules.signup_burst(DAY_AGO, settings)
    assert _flagged(found) == {account.id for account in burst}
    assert alone.id not in _flagged(found)


async def test_a_burst_from_one_ipv6_48_is_flagged_but_not_fewer(
    app: Litestar, settings: Settings
) -> None:
    fewer = replace(settings, signup_burst_accounts=3)
    for n in range(3):
        await _sign_up(app, f"2001:db8:1:{n}::1")
    await _sign_up(app, "2001:db8:2::1")
    await _sign_up(app, "2001:db8:3::1")
    assert len(_flagged(await rules.signup_burst(DAY_AGO, fewer))) == 3
    assert rules.network_of("2001:db8:1:5::1") == "2001:db8:1::/48"
    assert rules.network_of("203.0.113.77") == "203.0.113.0/24"


async def test_a_new_account_on_an_address_of_a_banned_account_is_flagged(
    app: Litestar, settings: Settings
) -> None:
    case = await reported_message(app)
    await IpRecord.insert(IpRecord(user=case.sender.id, ip="192.0.2.50", kind="login"))
    await app.state.moderation.act(await make_staff(app), case.case_id, "ban", "Oplichter")
    again = await _sign_up(app, "192.0.2.50", "weer@example.nl")
    other = await _sign_up(app, "192.0.2.51", "ander@example.nl")
    found = _flagged(await rules.banned_ip(DAY_AGO, settings))
    assert found == {again.id}
    assert other.id not in found


async def test_disposable_email_domains_from_the_shipped_list_are_flagged(
    app: Litestar, settings: Settings
) -> None:
    throwaway = await _sign_up(app, "192.0.2.1", "iemand@mailinator.com")
    await _sign_up(app, "192.0.2.2", "iemand@example.nl")
    assert "yopmail.com" in rules.disposable_domains()
    assert _flagged(await rules.disposable_email(DAY_AGO, settings)) == {throwaway.id}


async def test_links_or_numbers_to_many_people_within_an_hour_are_flagged(
    app: Litestar, settings: Settings
) -> None:
    few = replace(settings, broadcast_people=3)
    spammer = await place_in(app, await make_account(app), "Utrecht")
    caller = await place_in(app, await make_account(app), "Utrecht")
    friendly = await place_in(app, await make_account(app), "Utrecht")
    bodies = {
        spammer: "Kijk op https://winactie.example/nu",
        caller: "Bel me op 0612345678",
        friendly: "Zaterdag om 10?",
    }
    for number in range(3):
        owner = await place_in(app, await make_account(app), "Utrecht")
        for sender, body in bodies.items():
            conversation = await make_match(app, owner, sender)
            await app.state.messaging.send(sender, conversation, client_id=f"{number}", body=body)
    assert _flagged(await rules.broadcast(DAY_AGO, few)) == {spammer.id, caller.id}
    assert _flagged(await rules.broadcast(DAY_AGO, settings)) == set()


async def test_the_same_text_as_many_listings_is_flagged(app: Litestar, settings: Settings) -> None:
    copier = await place_in(app, await make_account(app), "Utrecht")
    honest = await place_in(app, await make_account(app), "Utrecht")
    for _ in range(settings.duplicate_listings):
        await make_listing(app, copier, title="Snel geld verdienen!", description="Bel mij.")
    await make_listing(app, honest, title="Hulp bij de tuin", description="Graag.")
    assert _flagged(await rules.duplicate_listings(DAY_AGO, settings)) == {copier.id}


async def test_money_asked_in_a_first_message_is_flagged(app: Litestar, settings: Settings) -> None:
    owner = await place_in(app, await make_account(app), "Utrecht")
    asker = await place_in(app, await make_account(app), "Utrecht")
    later = await place_in(app, await make_account(app), "Utrecht")
    first = await make_match(app, owner, asker)
    await app.state.messaging.send(
        asker, first, client_id="1", body="Kun je eerst 20 euro overmaken?"
    )
    banker = await place_in(app, await make_account(app), "Utrecht")
    third = await make_match(app, owner, banker)
    await app.state.messaging.send(banker, third, client_id="1", body="NL91ABNA0417164300 graag")
    second = await make_match(app, owner, later)
    await app.state.messaging.send(later, second, client_id="1", body="Hoi! Zaterdag kan ik.")
    await app.state.messaging.send(later, second, client_id="2", body="Kun je 20 euro overmaken?")
    found = _flagged(await rules.money_first_message(DAY_AGO, settings))
    assert found == {asker.id, banker.id}


async def test_flags_land_in_the_queue_once_and_nobody_is_banned_by_default(
    app: Litestar, settings: Settings
) -> None:
    throwaway = await _sign_up(app, "192.0.2.1", "iemand@yopmail.com")
    run = await run_daily_checks(settings, app.state.moderation)
    assert (run.flagged, run.banned) == (1, 0)
    assert (await run_daily_checks(settings, app.state.moderation)).flagged == 0
    [line] = await app.state.moderation.queue(await make_staff(app), QueueFilter(source="flag"))
    assert (line.user_id, line.reason) == (throwaway.id, "disposable_email")
    detail = await app.state.moderation.case(await make_staff(app), line.id)
    assert detail.signals[0]["rule"] == "disposable_email"
    assert await active_restriction(throwaway.id) is None


async def test_an_account_above_the_admin_set_score_is_banned_automatically(
    app: Litestar, settings: Settings
) -> None:
    lenient = replace(settings, auto_ban_score=21)
    strict = replace(settings, auto_ban_score=20)
    throwaway = await _sign_up(app, "192.0.2.1", "iemand@yopmail.com")
    assert (await run_daily_checks(lenient, app.state.moderation)).banned == 0
    assert await active_restriction(throwaway.id) is None
    await Case.delete(force=True)
    run = await run_daily_checks(strict, app.state.moderation)
    assert run.banned == 1
    restriction = await active_restriction(throwaway.id)
    assert restriction is not None
    assert restriction.kind == "ban"


async def test_ip_addresses_are_deleted_after_the_retention_period(
    app: Litestar, settings: Settings
) -> None:
    account = await _sign_up(app, "192.0.2.1")
    old = datetime.now(UTC) - timedelta(days=settings.ip_retention_days + 1)
    await IpRecord.insert(IpRecord(user=account.id, ip="192.0.2.99", kind="login", created_at=old))
    assert await app.state.standing.purge_old_addresses() == 1
    rows = await IpRecord.select(IpRecord.ip).where(IpRecord.user == account.id)
    assert [row["ip"] for row in rows] == ["192.0.2.1"]


async def test_the_scheduled_jobs_run_the_checks_and_delete_addresses_after_30_days(
    app: Litestar,
) -> None:
    assert Settings().ip_retention_days == 30
    throwaway = await _sign_up(app, "192.0.2.1", "iemand@yopmail.com")
    month_ago = datetime.now(UTC) - timedelta(days=31)
    await IpRecord.insert(
        IpRecord(user=throwaway.id, ip="192.0.2.98", kind="login", created_at=month_ago)
    )
    summary = await run_jobs_once(app.state)
    assert "people flagged: 1" in summary
    assert "old IP addresses deleted: 1" in summary
    rows = await IpRecord.select(IpRecord.ip).where(IpRecord.user == throwaway.id)
    assert [row["ip"] for row in rows] == ["192.0.2.1"]

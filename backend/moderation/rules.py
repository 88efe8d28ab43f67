"""The daily checks' rules: each looks at one kind of recent activity and scores the people it
finds. Each rule is small, has its own test, and takes its threshold from the settings.
"""

from __future__ import annotations

import ipaddress
import re
from collections import defaultdict
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from uuid import UUID

from backend.accounts.tables import User
from backend.listings.tables import Listing
from backend.messaging.safety import Concern, concerns_in
from backend.messaging.tables import Message
from backend.moderation.cases import Signal
from backend.moderation.tables import IpRecord, Restriction
from backend.settings import Settings

Found = list[tuple[UUID, Signal]]
Rule = Callable[[datetime, Settings], Awaitable[Found]]

SIGNUP_BURST_SCORE = 30
BANNED_IP_SCORE = 60
DISPOSABLE_EMAIL_SCORE = 20
BROADCAST_SCORE = 40
DUPLICATE_LISTINGS_SCORE = 30
MONEY_FIRST_MESSAGE_SCORE = 40
LINK = re.compile(r"\bhttps?://\S+|\bwww\.\S+|\b[\w-]+\.(?:com|nl|net|org|io|me|ly)/\S*", re.I)
DISPOSABLE_DOMAINS_FILE = Path(__file__).parent / "data" / "disposable_domains.txt"


def network_of(ip: str) -> str:
    """The /24 of an IPv4 address or the /48 of an IPv6 address; anything else as it is."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


@cache
def disposable_domains() -> frozenset[str]:
    """The shipped list of throw-away email domains."""
    lines = DISPOSABLE_DOMAINS_FILE.read_text().splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and line[0] != "#")


async def signup_burst(since: datetime, settings: Settings) -> Found:
    """Many accounts signed up from one IP address, /24 (IPv4) or /48 (IPv6) network."""
    rows = await IpRecord.select(IpRecord.user, IpRecord.ip).where(
        IpRecord.kind == "signup", IpRecord.created_at >= since
    )
    by_network: dict[str, set[UUID]] = defaultdict(set)
    for row in rows:
        by_network[network_of(row["ip"])].add(row["user"])
    return [
        (user, Signal("signup_burst", SIGNUP_BURST_SCORE, f"{len(users)} sign-ups from {network}"))
        for network, users in by_network.items()
        if len(users) >= settings.signup_burst_accounts
        for user in users
    ]


async def banned_ip(since: datetime, _: Settings) -> Found:
    """A new account used an address that a banned account used before."""
    banned = Restriction.select(Restriction.user).where(
        Restriction.kind == "ban", Restriction.lifted_at.is_null()
    )
    banned_ips = {
        row["ip"] for row in await IpRecord.select(IpRecord.ip).where(IpRecord.user.is_in(banned))
    }
    if not banned_ips:
        return []
    rows = await IpRecord.select(IpRecord.user, IpRecord.ip).where(
        IpRecord.created_at >= since,
        IpRecord.ip.is_in(list(banned_ips)),
        IpRecord.user.created_at >= since,
        IpRecord.user.not_in(banned),
    )
    found = {row["user"]: row["ip"] for row in rows}
    return [
        (user, Signal("banned_ip", BANNED_IP_SCORE, f"used {ip}")) for user, ip in found.items()
    ]


async def disposable_email(since: datetime, _: Settings) -> Found:
    """A new account with a throw-away email address."""
    rows = await User.select(User.id, User.email).where(User.created_at >= since)
    domains = disposable_domains()
    return [
        (
            row["id"],
            Signal("disposable_email", DISPOSABLE_EMAIL_SCORE, row["email"].rpartition("@")[2]),
        )
        for row in rows
        if row["email"].rpartition("@")[2].lower() in domains
    ]


async def broadcast(since: datetime, settings: Settings) -> Found:
    """Messages with a link or a phone number sent to many conversations within an hour."""
    rows = (
        await Message.select(Message.sender, Message.conversation, Message.body, Message.created_at)
        .where(Message.created_at >= since, Message.sender.is_not_null())
        .order_by(Message.created_at)
    )
    by_sender: dict[UUID, list[tuple[datetime, UUID]]] = defaultdict(list)
    for row in rows:
        if LINK.search(row["body"]) or Concern.PHONE in concerns_in(row["body"]):
            by_sender[row["sender"]].append((row["created_at"], row["conversation"]))
    found: Found = []
    for sender, sent in by_sender.items():
        widest = max(
            len(
                {
                    conversation
                    for at, conversation in sent
                    if start <= at < start + timedelta(hours=1)
                }
            )
            for start, _ in sent
        )
        if widest >= settings.broadcast_people:
            detail = f"link or phone number to {widest} people within an hour"
            found.append((sender, Signal("broadcast", BROADCAST_SCORE, detail)))
    return found


def _normalised(text: str) -> str:
    return " ".join(re.sub(r"[^\w ]", " ", text.lower()).split())


async def duplicate_listings(since: datetime, settings: Settings) -> Found:
    """The same text posted as many listings."""
    rows = await Listing.select(Listing.owner_user, Listing.title, Listing.description).where(
        Listing.created_at >= since, Listing.owner_user.is_not_null()
    )
    by_text: dict[str, list[UUID]] = defaultdict(list)
    for row in rows:
        by_text[_normalised(f"{row['title']} {row['description']}")].append(row["owner_user"])
    return [
        (
            owner,
            Signal(
                "duplicate_listings",
                DUPLICATE_LISTINGS_SCORE,
                f"{len(owners)} listings with one text",
            ),
        )
        for owners in by_text.values()
        if len(owners) >= settings.duplicate_listings
        for owner in set(owners)
    ]


async def money_first_message(since: datetime, _: Settings) -> Found:
    """Money or bank details asked for in someone's first message of a conversation."""
    rows = (
        await Message.select(Message.sender, Message.conversation, Message.seq, Message.body)
        .where(Message.created_at >= since, Message.sender.is_not_null())
        .order_by(Message.seq)
    )
    first: dict[tuple[UUID, UUID], str] = {}
    for row in rows:
        first.setdefault((row["sender"], row["conversation"]), row["body"])
    earlier = await Message.select(Message.sender, Message.conversation).where(
        Message.created_at < since, Message.sender.is_not_null()
    )
    for row in earlier:
        first.pop((row["sender"], row["conversation"]), None)
    flagged = {
        sender
        for (sender, _), body in first.items()
        if {Concern.MONEY, Concern.IBAN} & concerns_in(body)
    }
    return [
        (
            sender,
            Signal(
                "money_first_message",
                MONEY_FIRST_MESSAGE_SCORE,
                "asked for money in a first message",
            ),
        )
        for sender in flagged
    ]


RULES: tuple[Rule, ...] = (
    signup_burst,
    banned_ip,
    disposable_email,
    broadcast,
    duplicate_listings,
    money_first_message,
)

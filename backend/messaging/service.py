"""Messaging rules: who may read and write a conversation, sending (idempotent), read state,
thank-you notes, phone numbers on consent, blocks and reports.

Messages are stored first and then published on the live channels, so a client that missed an
event catches up from the last ``seq`` it saw. Messages sent at the same time are stored
together, in batches (``backend.messaging.sending``), as are read marks
(``backend.messaging.reading``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple
from uuid import UUID

from piccolo.query.functions.aggregate import Count

from backend.accounts.service import Account
from backend.accounts.tables import User
from backend.db import ids_table
from backend.errors import Conflict, Invalid, NotFound
from backend.listings.service import Listings
from backend.matching.tables import Match
from backend.messaging import safety
from backend.messaging.reading import Read, Reading, ReadWriter
from backend.messaging.sending import MessageWriter, Outgoing, Resent, Stored
from backend.messaging.sides import Sides, member_sides
from backend.messaging.tables import Block, Message, Participation, Report
from backend.ratelimit.client import CLIENT_IP
from backend.ratelimit.service import Limit, RateLimiter

MAX_LENGTH = 2_000
MAX_SEQ = 2**31 - 1  # the largest number a message's place (an integer column) can hold
KINDS = ("text", "thanks")
REPORT_REASONS = ("spam", "fraud", "inappropriate", "unsafe", "other")
Publish = Callable[[dict[str, Any], list[str]], Awaitable[None]]
ReportListener = Callable[[UUID], Awaitable[None]]


def inbox_channel(user_id: UUID) -> str:
    """The live channel of one person's inbox (unread counts, the conversation list)."""
    return f"inbox:{user_id}"


@dataclass(frozen=True)
class MessageView:
    """A message as a participant sees it."""

    id: UUID
    seq: int
    sender_id: UUID | None
    sender_name: str
    mine: bool
    kind: str
    body: str
    created_at: datetime
    concerns: frozenset[str]


class Sent(NamedTuple):
    """What a send did: the sender's view of the message, and whether this send stored it and
    published its live event (``False``: an earlier send with the same client id had).
    """

    view: MessageView
    published: bool


@dataclass(frozen=True)
class ConversationSummary:
    """A line in the conversation list."""

    id: UUID
    title: str
    partner_name: str
    preview: str
    last_message_at: datetime | None
    unread: int
    ended: bool


@dataclass(frozen=True)
class ConversationView:
    """A conversation with what the actor may know about the other side."""

    id: UUID
    title: str
    listing_id: UUID
    partner_name: str
    partner_id: UUID
    partner_phone: str | None
    i_share_phone: bool
    safety_acknowledged: bool
    read_by_partner_seq: int | None
    ended: bool


def _placeholders(values: list[Any]) -> str:
    """``{}, {}, …``: one query parameter per value (the values themselves are never joined in)."""
    return ", ".join("{}" for _ in values)


def _block_between(user_id: UUID, others: Iterable[UUID]) -> tuple[str, list[UUID]]:
    """An SQL truth value, "a block stands between ``user_id`` and one of ``others``", and its
    parameters.
    """
    others = list(others)
    if not others:
        return "(1 = 0)", []
    people = _placeholders(others)
    return (
        f"EXISTS (SELECT 1 FROM handje_block WHERE (blocker = {{}} AND blocked IN ({people})) "  # noqa: S608
        f"OR (blocked = {{}} AND blocker IN ({people})))",
        [user_id, *others, user_id, *others],
    )


def public_message(message: MessageView) -> dict[str, Any]:
    """What every participant may see of a message: the payload of its live event.

    It carries nothing about the receiver (``mine``, read state, phone numbers, blocks): each
    page works those out for its own viewer. ``concerns`` name the safety advice that goes with
    it (the receiver's page shows it).
    """
    return {
        "id": str(message.id),
        "seq": message.seq,
        "sender": str(message.sender_id) if message.sender_id else None,
        "sender_name": message.sender_name,
        "kind": message.kind,
        "body": message.body,
        "created_at": message.created_at.isoformat(),
        "concerns": sorted(message.concerns),
    }


class Messaging:
    """The messaging service, shared by the JSON API and the ReactPy pages."""

    def __init__(self, listings: Listings, limiter: RateLimiter, publish: Publish) -> None:
        self._listings = listings
        self._limiter = limiter
        self._publish = publish
        self.per_minute = Limit(
            "messages", 20, 60, "You are sending messages very fast. Please wait a moment."
        )
        self.first_messages = Limit(
            "first-messages", 10, 86_400, "You started many new conversations today. Try tomorrow."
        )
        self.reports_per_day = Limit(
            "reports", 20, 86_400, "You sent many reports today. Our moderators are on it."
        )
        self._report_listeners: list[ReportListener] = []
        self._writer = MessageWriter(self._sides_of, limiter, self._limits_for, self._published)
        self._reader = ReadWriter(self._sides_of, self._announce_read)

    @property
    def batches_stored(self) -> int:
        """How many batches of messages this process stored (each in one transaction)."""
        return self._writer.batches

    @property
    def read_batches(self) -> int:
        """How many batches of read marks this process stored (each in one transaction)."""
        return self._reader.batches

    def _limits_for(self, wrote_here: bool) -> list[Limit]:
        """The limits of a message: a sender's first in a conversation counts twice."""
        return [self.per_minute] if wrote_here else [self.per_minute, self.first_messages]

    async def sides(self, actor: Account, conversation_id: UUID) -> Sides:
        """The conversation's people; ``NotFound`` unless the actor is one of them."""
        sides = member_sides(await self._sides_of({conversation_id}), conversation_id, actor.id)
        if sides is None:
            raise NotFound("Not found.")
        return sides

    async def _sides_of(self, conversation_ids: set[UUID]) -> dict[UUID, Sides]:
        """The people of each of the conversations (that exist), in one statement."""
        # Raw SQL on the paths every message takes: building a Piccolo join costs more than
        # running it.
        wanted, values = ids_table(Match._meta.db, "wanted", conversation_ids)
        rows = await Match.raw(
            f"WITH {wanted} SELECT m.conversation, m.helper, m.listing, l.title, "  # noqa: S608
            "l.owner_user AS owner FROM handje_match m JOIN handje_listing l ON l.id = m.listing "
            "WHERE m.conversation IN (SELECT id FROM wanted)",
            *values,
        )
        managers: dict[UUID, list[UUID]] = {}
        for row in rows:
            # A person's listing names its one manager here; an organisation's needs its members.
            if row["owner"]:
                managers[row["listing"]] = [row["owner"]]
            elif row["listing"] not in managers:
                managers[row["listing"]] = await self._listings.manager_ids(row["listing"])
        return {
            row["conversation"]: Sides(
                row["helper"], managers[row["listing"]], row["listing"], row["title"]
            )
            for row in rows
        }

    async def send(
        self,
        actor: Account,
        conversation_id: UUID,
        *,
        client_id: str,
        body: str,
        kind: str = "text",
    ) -> MessageView:
        """Store a message (once per ``client_id``) with the next batch, then publish it live;
        the sender's view of it.
        """
        sent = await self.send_once(
            actor, conversation_id, client_id=client_id, body=body, kind=kind
        )
        return sent.view

    async def send_once(
        self,
        actor: Account,
        conversation_id: UUID,
        *,
        client_id: str,
        body: str,
        kind: str = "text",
    ) -> Sent:
        """As ``send``; also whether this send stored the message and published its live event
        (which names the ``client_id``), or an earlier send with the same ``client_id`` had.
        """
        body = body.strip()
        if kind not in KINDS:
            raise Invalid("That kind of message does not exist.", field="kind")
        if not body and kind == "text":
            raise Invalid("Write a message first.", field="body")
        if len(body) > MAX_LENGTH:
            raise Invalid("Keep your message under 2000 characters.", field="body")
        if not 1 <= len(client_id) <= 64:
            raise Invalid("The message has no valid id.", field="client_id")
        message = Outgoing(actor, conversation_id, client_id, kind, body, CLIENT_IP.get())
        outcome = await self._writer.submit(message)
        if isinstance(outcome, Resent):  # the stored message, as it was
            views = await self.history(actor, outcome.conversation_id, after_seq=outcome.seq - 1)
            return Sent(views[0], published=False)
        return Sent(await self._published(message, outcome), published=True)

    async def _published(self, message: Outgoing, outcome: Stored) -> MessageView:
        """Publish a stored message on its people's channels; the sender's view of it."""
        actor = message.actor
        view = MessageView(
            id=outcome.id,
            seq=outcome.seq,
            sender_id=actor.id,
            sender_name=actor.display_name,
            mine=True,
            kind=message.kind,
            body=message.body,
            created_at=outcome.created_at,
            concerns=frozenset(safety.concerns_in(message.body)),
        )
        event = {
            "type": "message",
            "conversation": str(message.conversation_id),
            "seq": view.seq,
            "client_id": message.client_id,  # the sender's pages take it as the send's answer
            "message": public_message(view),
        }
        await self._publish(event, [inbox_channel(user) for user in outcome.sides.people])
        return view

    async def _blocked_between(self, user_id: UUID, others: Iterable[UUID]) -> bool:
        blocked, people = _block_between(user_id, others)
        rows = await Block.raw(f"SELECT {blocked} AS blocked", *people)
        return bool(rows[0]["blocked"])

    async def newest_seq(self, conversation_id: UUID) -> int:
        """The ``seq`` of the conversation's newest message (0 without any), in one indexed
        lookup: for an open page to notice a missed message. A number only: what it finds is
        fetched through ``history``, which checks who asks.
        """
        rows = await Message.raw(
            "SELECT MAX(seq) AS seq FROM handje_message WHERE conversation = {}", conversation_id
        )
        return rows[0]["seq"] or 0

    async def history(
        self, actor: Account, conversation_id: UUID, *, after_seq: int = 0, limit: int = 200
    ) -> list[MessageView]:
        """Messages after ``after_seq``, in order: a reconnecting client catches up from here."""
        await self.sides(actor, conversation_id)
        rows = await (
            Message.select(
                Message.id,
                Message.seq,
                Message.sender,
                Message.sender.display_name.as_alias("sender_name"),
                Message.kind,
                Message.body,
                Message.created_at,
            )
            .where(Message.conversation == conversation_id, Message.seq > after_seq)
            .order_by(Message.seq)
            .limit(limit)
        )
        return [
            MessageView(
                id=row["id"],
                seq=row["seq"],
                sender_id=row["sender"],
                sender_name=row["sender_name"] or "",
                mine=row["sender"] == actor.id,
                kind=row["kind"],
                body=row["body"],
                created_at=row["created_at"],
                concerns=frozenset(safety.concerns_in(row["body"])),
            )
            for row in rows
        ]

    async def mark_read(self, actor: Account, conversation_id: UUID, seq: int) -> None:
        """Remember that the actor has read everything up to ``seq``; tell the other side.

        A ``seq`` no message can have is refused before it is queued: it would fail its batch.
        """
        if not 0 <= seq <= MAX_SEQ:
            raise Invalid("There is no such message.", field="seq")
        reading = Reading(actor, conversation_id, seq)
        await self._announce_read(reading, await self._reader.submit(reading))

    async def _announce_read(self, reading: Reading, read: Read) -> None:
        """Publish a stored read mark to the reader's inbox and to the others it tells."""
        event = {
            "type": "read",
            "conversation": str(reading.conversation_id),
            "seq": reading.seq,
            "reader": str(reading.actor.id),
        }
        people = [reading.actor.id, *read.told]
        await self._publish(event, [inbox_channel(person) for person in people])

    async def view(self, actor: Account, conversation_id: UUID) -> ConversationView:
        """The conversation header: partner, phone (only if shared with the actor), read state."""
        sides = await self.sides(actor, conversation_id)
        mine = await self._participation(conversation_id, actor.id)
        partner = sides.partner(actor.id)
        others = await Participation.select(
            Participation.user, Participation.read_seq, Participation.phone_shared
        ).where(Participation.conversation == conversation_id, Participation.user != actor.id)
        people = {
            row["id"]: row
            for row in await User.select(
                User.id, User.display_name, User.phone, User.read_receipts
            ).where(User.id.is_in([actor.id, *sides.others(actor.id)]))
        }
        shared = [row for row in others if row["phone_shared"]]
        phone = people[shared[0]["user"]]["phone"] if shared else None
        receipts = people[actor.id]["read_receipts"] and all(
            people[row["user"]]["read_receipts"] for row in others
        )
        read_seq = max((row["read_seq"] for row in others), default=0) if receipts else None
        return ConversationView(
            id=conversation_id,
            title=sides.title,
            listing_id=sides.listing_id,
            partner_name=people[partner]["display_name"] if partner in people else "",
            partner_id=partner,
            partner_phone=phone,
            i_share_phone=mine["phone_shared"],
            safety_acknowledged=mine["safety_acknowledged"],
            read_by_partner_seq=read_seq,
            ended=await self._blocked_between(actor.id, sides.others(actor.id)),
        )

    async def conversations(self, actor: Account) -> list[ConversationSummary]:
        """The actor's conversations, latest activity first, with previews and unread counts."""
        managed = await self._listings.managed_ids(actor)
        where = Match.helper == actor.id
        if managed:
            where = where | Match.listing.is_in(managed)
        matches = await Match.select(
            Match.conversation, Match.helper, Match.listing.title.as_alias("title")
        ).where(where)
        summaries = []
        for match in matches:
            summaries.append(await self._summary(actor, match))
        return sorted(
            summaries,
            key=lambda item: item.last_message_at or datetime.min.replace(tzinfo=UTC),
            reverse=True,
        )

    async def _summary(self, actor: Account, match: dict[str, Any]) -> ConversationSummary:
        conversation_id = match["conversation"]
        sides = await self.sides(actor, conversation_id)
        mine = await self._participation(conversation_id, actor.id)
        last = await (
            Message.select(Message.body, Message.kind, Message.created_at)
            .where(Message.conversation == conversation_id)
            .order_by(Message.seq, ascending=False)
            .first()
        )
        unread = await Message.count().where(
            Message.conversation == conversation_id,
            Message.seq > mine["read_seq"],
            (Message.sender != actor.id) | Message.sender.is_null(),
        )
        partner = (
            await User.select(User.display_name).where(User.id == sides.partner(actor.id)).first()
        )
        return ConversationSummary(
            id=conversation_id,
            title=match["title"],
            partner_name=partner["display_name"] if partner else "",
            preview=(last["body"] or "")[:80] if last else "",
            last_message_at=last["created_at"] if last else None,
            unread=unread,
            ended=await self._blocked_between(actor.id, sides.others(actor.id)),
        )

    async def acknowledge_safety(self, actor: Account, conversation_id: UUID) -> None:
        """The actor read the "Call first, then meet" advice in this conversation."""
        await self.sides(actor, conversation_id)
        await self._participation(conversation_id, actor.id)
        await Participation.update({Participation.safety_acknowledged: True}).where(
            Participation.conversation == conversation_id, Participation.user == actor.id
        )

    async def share_phone(self, actor: Account, conversation_id: UUID, share: bool) -> None:
        """Share (or withdraw) the actor's phone number in this one conversation."""
        await self.sides(actor, conversation_id)
        mine = await self._participation(conversation_id, actor.id)
        if share and actor.phone is None:
            raise Invalid("Add your phone number in your profile first.", field="phone")
        if share and not mine["safety_acknowledged"]:
            raise Conflict("Please read the safety advice first.")
        await Participation.update({Participation.phone_shared: share}).where(
            Participation.conversation == conversation_id, Participation.user == actor.id
        )

    async def block(self, actor: Account, user_id: UUID) -> None:
        """Block someone the actor has a conversation with; it ends for both, both ways."""
        if user_id == actor.id:
            raise Invalid("You cannot block yourself.", field="user")
        if not await self._shares_conversation(actor, user_id):
            raise NotFound("Not found.")
        if not await Block.exists().where(Block.blocker == actor.id, Block.blocked == user_id):
            await Block.insert(Block(blocker=actor.id, blocked=user_id))

    async def unblock(self, actor: Account, user_id: UUID) -> None:
        """Undo a block (from the settings page)."""
        await Block.delete().where(Block.blocker == actor.id, Block.blocked == user_id)

    async def blocked_people(self, actor: Account) -> list[tuple[UUID, str]]:
        """Whom the actor blocked, by name."""
        rows = await Block.select(Block.blocked, Block.blocked.display_name.as_alias("name")).where(
            Block.blocker == actor.id
        )
        return [(row["blocked"], row["name"]) for row in rows]

    def on_report(self, listener: ReportListener) -> None:
        """Call ``listener`` with every report once it is stored (the moderators' queue)."""
        self._report_listeners.append(listener)

    async def report(
        self,
        actor: Account,
        *,
        reason: str,
        text: str,
        user_id: UUID | None = None,
        message_id: UUID | None = None,
        listing_id: UUID | None = None,
    ) -> UUID:
        """Report a person, a listing or a message; the moderators' queue picks it up."""
        if reason not in REPORT_REASONS:
            raise Invalid("Choose a reason.", field="reason")
        if len(text) > 2_000:
            raise Invalid("Keep your report under 2000 characters.", field="text")
        await self._limiter.consume(self.reports_per_day, str(actor.id))
        if listing_id is not None:
            await self._listings.view(actor, listing_id)
            owners = await self._listings.manager_ids(listing_id)
            user_id = owners[0] if owners else None
        elif message_id is not None:
            row = (
                await Message.select(Message.conversation, Message.sender)
                .where(Message.id == message_id)
                .first()
            )
            if row is None:
                raise NotFound("Not found.")
            await self.sides(actor, row["conversation"])
            user_id = row["sender"]
        elif user_id is None or not await self._may_report_person(actor, user_id):
            raise NotFound("Not found.")
        report = Report(
            reporter=actor.id,
            reported_user=user_id,
            message=message_id,
            listing=listing_id,
            reason=reason,
            text=text.strip(),
        )
        await report.save()
        for listener in self._report_listeners:
            await listener(report.id)
        return report.id

    async def thanks_received(self, user_id: UUID) -> int:
        """How many thank-you notes a person received ("thanked 12 times")."""
        rows = await Message.select(Count(Message.id, alias="thanks")).where(
            Message.kind == "thanks",
            Message.conversation.is_in(
                Match.select(Match.conversation).where(Match.helper == user_id)
            ),
            Message.sender != user_id,
        )
        return rows[0]["thanks"] if rows else 0

    async def _may_report_person(self, actor: Account, user_id: UUID) -> bool:
        """Anyone the actor could have met: in a conversation, or through a visible listing."""
        if user_id == actor.id:
            return False
        return await self._listings.has_visible_listing(user_id) or await self._shares_conversation(
            actor, user_id
        )

    async def _shares_conversation(self, actor: Account, user_id: UUID) -> bool:
        for summary in await self.conversations(actor):
            sides = await self.sides(actor, summary.id)
            if user_id in sides.others(actor.id):
                return True
        return False

    async def _participation(self, conversation_id: UUID, user_id: UUID) -> dict[str, Any]:
        row = (
            await Participation.select()
            .where(Participation.conversation == conversation_id, Participation.user == user_id)
            .first()
        )
        if row is not None:
            return row
        # A concurrent first visit may have inserted it (unique index): then read that one.
        with contextlib.suppress(Exception):
            await Participation.insert(Participation(conversation=conversation_id, user=user_id))
        return (
            await Participation.select()
            .where(Participation.conversation == conversation_id, Participation.user == user_id)
            .first()
        )

"""Conversations (opened by a match), their messages and read state, blocks and reports."""

from piccolo.columns import (
    UUID,
    Boolean,
    ForeignKey,
    Integer,
    OnDelete,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from backend.accounts.tables import User
from backend.listings.tables import Listing


class Conversation(Table, tablename="handje_conversation"):
    """The private conversation of one match (its two sides come from the match)."""

    id = UUID(primary_key=True)
    created_at = Timestamptz(default=TimestamptzNow())
    last_message_at = Timestamptz(null=True, default=None, index=True)


class Message(Table, tablename="handje_message"):
    """One message; ``seq`` orders a conversation, ``client_id`` makes a resend harmless."""

    id = UUID(primary_key=True)
    conversation = ForeignKey(references=Conversation, on_delete=OnDelete.cascade, index=True)
    seq = Integer()
    sender = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    client_id = Varchar(length=64)
    kind = Varchar(length=16, default="text")
    body = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())


class Participation(Table, tablename="handje_participation"):
    """One person's state in a conversation: read up to ``read_seq``, phone shared, advice seen."""

    id = UUID(primary_key=True)
    conversation = ForeignKey(references=Conversation, on_delete=OnDelete.cascade, index=True)
    user = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    read_seq = Integer(default=0)
    phone_shared = Boolean(default=False)
    safety_acknowledged = Boolean(default=False)


class Block(Table, tablename="handje_block"):
    """``blocker`` does not want to see or hear from ``blocked``; it hides both ways."""

    id = UUID(primary_key=True)
    blocker = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    blocked = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    created_at = Timestamptz(default=TimestamptzNow())


class Report(Table, tablename="handje_report"):
    """A report of a person, a listing or a message, for the moderators' queue."""

    id = UUID(primary_key=True)
    reporter = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    reported_user = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    message = ForeignKey(references=Message, null=True, on_delete=OnDelete.set_null)
    listing = ForeignKey(references=Listing, null=True, on_delete=OnDelete.set_null)
    reason = Varchar(length=32)
    text = Text(default="")
    status = Varchar(length=16, default="open")
    created_at = Timestamptz(default=TimestamptzNow())

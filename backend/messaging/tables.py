"""Conversations (opened by a match) and blocks between people."""

from piccolo.columns import UUID, ForeignKey, OnDelete, Timestamptz
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from backend.accounts.tables import User


class Conversation(Table, tablename="handje_conversation"):
    """The private conversation of one match; the messages themselves come with messaging."""

    id = UUID(primary_key=True)
    created_at = Timestamptz(default=TimestamptzNow())


class Block(Table, tablename="handje_block"):
    """``blocker`` does not want to see or hear from ``blocked``; it hides both ways."""

    id = UUID(primary_key=True)
    blocker = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    blocked = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    created_at = Timestamptz(default=TimestamptzNow())

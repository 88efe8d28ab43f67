"""Swipes, interests, matches and recommendations."""

from piccolo.columns import UUID, ForeignKey, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from backend.accounts.tables import User
from backend.listings.tables import Listing
from backend.messaging.tables import Conversation


class Swipe(Table, tablename="handje_swipe"):
    """A decision on a card in the deck: ``right`` (interested) or ``left`` (skip).

    One per person and listing; undo deletes it, so the card comes back.
    """

    id = UUID(primary_key=True)
    user = ForeignKey(references=User, on_delete=OnDelete.cascade)
    listing = ForeignKey(references=Listing, on_delete=OnDelete.cascade, index=True)
    direction = Varchar(length=8)
    created_at = Timestamptz(default=TimestamptzNow())


class Interest(Table, tablename="handje_interest"):
    """Someone offering help on a request, or wanting an offer; see ``matching/states.py``."""

    id = UUID(primary_key=True)
    listing = ForeignKey(references=Listing, on_delete=OnDelete.cascade, index=True)
    user = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    note = Text(default="")
    state = Varchar(length=16, default="pending")
    created_at = Timestamptz(default=TimestamptzNow())
    decided_at = Timestamptz(null=True, default=None)
    decided_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)


class Match(Table, tablename="handje_match"):
    """An accepted interest: the two sides may now talk in ``conversation``."""

    id = UUID(primary_key=True)
    interest = ForeignKey(references=Interest, on_delete=OnDelete.cascade, unique=True)
    listing = ForeignKey(references=Listing, on_delete=OnDelete.cascade, index=True)
    helper = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    conversation = ForeignKey(references=Conversation, on_delete=OnDelete.cascade)
    created_at = Timestamptz(default=TimestamptzNow())


class Recommendation(Table, tablename="handje_recommendation"):
    """A new listing that fits a person nearby (delivered by the push worker)."""

    id = UUID(primary_key=True)
    user = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    listing = ForeignKey(references=Listing, on_delete=OnDelete.cascade)
    created_at = Timestamptz(default=TimestamptzNow())

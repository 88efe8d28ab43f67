"""Moderation tables: cases, actions, restrictions, conversation reads, the audit log, IPs."""

from piccolo.columns import (
    JSON,
    UUID,
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
from backend.messaging.tables import Conversation, Message, Report


class Case(Table, tablename="handje_case"):
    """Something for the moderators: reports of one subject, or the signals of a daily check.

    ``subject`` is message, listing or profile; ``user`` is the person concerned.
    """

    id = UUID(primary_key=True)
    source = Varchar(length=16)
    subject = Varchar(length=16)
    user = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null, index=True)
    listing = ForeignKey(references=Listing, null=True, on_delete=OnDelete.set_null)
    message = ForeignKey(references=Message, null=True, on_delete=OnDelete.set_null)
    conversation = ForeignKey(references=Conversation, null=True, on_delete=OnDelete.set_null)
    reason = Varchar(length=32)
    severity = Integer(default=1)
    signals = JSON(default="[]")
    state = Varchar(length=16, default="open", index=True)
    outcome = Varchar(length=16, default="")
    created_at = Timestamptz(default=TimestamptzNow())
    closed_at = Timestamptz(null=True, default=None)


class CaseReport(Table, tablename="handje_case_report"):
    """A report that belongs to a case (several reports of one subject share an open case)."""

    id = UUID(primary_key=True)
    case = ForeignKey(references=Case, on_delete=OnDelete.cascade, index=True)
    report = ForeignKey(references=Report, on_delete=OnDelete.cascade, unique=True)


class Action(Table, tablename="handje_moderation_action"):
    """One moderator action with its reason; ``detail`` holds what an undo needs."""

    id = UUID(primary_key=True)
    case = ForeignKey(references=Case, null=True, on_delete=OnDelete.set_null, index=True)
    kind = Varchar(length=24)
    actor = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    user = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null, index=True)
    reason = Text()
    detail = JSON(default="{}")
    created_at = Timestamptz(default=TimestamptzNow())
    undone_at = Timestamptz(null=True, default=None)


class Restriction(Table, tablename="handje_restriction"):
    """A suspension (until a moment) or a ban (no end) of one account."""

    id = UUID(primary_key=True)
    user = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    kind = Varchar(length=16)
    reason = Text()
    until = Timestamptz(null=True, default=None)
    action = ForeignKey(references=Action, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    lifted_at = Timestamptz(null=True, default=None)


class BannedEmail(Table, tablename="handje_banned_email"):
    """The SHA-256 of a banned account's normalised email: sign-up with it is refused."""

    id = UUID(primary_key=True)
    email_hash = Varchar(length=64, unique=True)
    action = ForeignKey(references=Action, null=True, on_delete=OnDelete.set_null)


class EndedSession(Table, tablename="handje_ended_session"):
    """A session ended by a suspension or ban, so the browser that held it can be told why."""

    id = Varchar(length=64, primary_key=True)
    user = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    created_at = Timestamptz(default=TimestamptzNow())


class ConversationRead(Table, tablename="handje_conversation_read"):
    """A moderator read a conversation through a case (shown in the users' data export)."""

    id = UUID(primary_key=True)
    moderator = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    case = ForeignKey(references=Case, null=True, on_delete=OnDelete.set_null)
    conversation = ForeignKey(references=Conversation, on_delete=OnDelete.cascade, index=True)
    created_at = Timestamptz(default=TimestamptzNow())


class AuditEntry(Table, tablename="handje_audit_entry"):
    """Append-only record of every moderator action and read (the database refuses changes).

    Plain ids, no foreign keys: deleting an account must not rewrite its history.
    """

    id = UUID(primary_key=True)
    actor_id = UUID(null=True, default=None)
    actor_name = Varchar(length=60, default="")
    action = Varchar(length=24)
    case_id = UUID(null=True, default=None)
    user_id = UUID(null=True, default=None)
    reason = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow(), index=True)


class IpRecord(Table, tablename="handje_ip_record"):
    """An address an account signed up or logged in from; deleted after the retention period."""

    id = UUID(primary_key=True)
    user = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    ip = Varchar(length=45, index=True)
    kind = Varchar(length=8)
    created_at = Timestamptz(default=TimestamptzNow(), index=True)

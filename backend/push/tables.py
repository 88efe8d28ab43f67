"""Push subscriptions (one per device), notification settings and mutes, and the delivery queue."""

from piccolo.columns import (
    JSON,
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

from backend.accounts.tables import User, UserSession
from backend.listings.tables import Listing
from backend.messaging.tables import Conversation
from backend.notifications.tables import Notification


class PushSubscription(Table, tablename="handje_push_subscription"):
    """One device's push subscription: where to send, and the keys to encrypt for it.

    It belongs to the session that stored it: when that device signs out (or its session
    ends in any other way) the subscription goes with it.
    """

    id = UUID(primary_key=True)
    user = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    session = ForeignKey(
        references=UserSession, null=True, default=None, on_delete=OnDelete.cascade, index=True
    )
    endpoint = Varchar(length=2048, unique=True)
    p256dh = Varchar(length=128)
    auth = Varchar(length=64)
    created_at = Timestamptz(default=TimestamptzNow())


class NotificationSettings(Table, tablename="handje_notification_settings"):
    """A user's choices: which kinds to push, previews, quiet hours in their time zone."""

    id = UUID(primary_key=True)
    user = ForeignKey(references=User, on_delete=OnDelete.cascade, unique=True)
    disabled_kinds = JSON(default="[]")
    previews = Boolean(default=True)
    quiet_start = Varchar(length=5, default="")
    quiet_end = Varchar(length=5, default="")
    time_zone = Varchar(length=64, default="Europe/Amsterdam")


class ConversationMute(Table, tablename="handje_conversation_mute"):
    """``user`` hears nothing by push about new messages in ``conversation``."""

    id = UUID(primary_key=True)
    user = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    conversation = ForeignKey(references=Conversation, on_delete=OnDelete.cascade)


class PushDelivery(Table, tablename="handje_push_delivery"):
    """One payload for one subscription, retried until sent, gone, or past its TTL.

    A worker claims a row by setting ``lease_until``; if it dies before recording the outcome,
    the row is claimed again once the lease has passed.
    """

    id = UUID(primary_key=True)
    subscription = ForeignKey(references=PushSubscription, on_delete=OnDelete.cascade, index=True)
    notification = ForeignKey(references=Notification, null=True, on_delete=OnDelete.set_null)
    payload = Text()
    ttl = Integer()
    urgency = Varchar(length=8)
    topic = Varchar(length=32, default="")
    state = Varchar(length=8, default="pending")
    attempts = Integer(default=0)
    not_before = Timestamptz(default=TimestamptzNow())
    lease_until = Timestamptz(null=True, default=None)
    expires_at = Timestamptz()
    created_at = Timestamptz(default=TimestamptzNow())


class ListingTip(Table, tablename="handje_listing_tip"):
    """A tip was sent for this listing (so the tip job sends one per listing)."""

    id = UUID(primary_key=True)
    listing = ForeignKey(references=Listing, on_delete=OnDelete.cascade, unique=True)
    created_at = Timestamptz(default=TimestamptzNow())

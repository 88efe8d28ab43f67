"""The notification outbox: rows written in the same transaction as the change they announce."""

from piccolo.columns import JSON, UUID, ForeignKey, OnDelete, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from backend.accounts.tables import User


class Notification(Table, tablename="handje_notification"):
    """Something ``user`` should hear about; ``kind`` names the event, ``data`` its details."""

    id = UUID(primary_key=True)
    user = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    kind = Varchar(length=40)
    data = JSON(default="{}")
    # The conversation it is about (also named in ``data``), for reading there to settle it.
    conversation = UUID(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    read_at = Timestamptz(null=True, default=None)
    # The push worker's progress: pending → queued (sent to devices), held (quiet hours),
    # summarised (sent in a summary after quiet hours) or skipped (settings, cap, no device).
    push_state = Varchar(length=12, default="pending", index=True)

"""Photo rows: one per uploaded photo; its cleaned variants live in storage under ``key_prefix``."""

from piccolo.columns import (
    UUID,
    ForeignKey,
    Integer,
    LazyTableReference,
    OnDelete,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from backend.accounts.tables import User


class Photo(Table, tablename="handje_photo"):
    """A profile photo or one of a listing's photos (``listing`` is empty until it is published)."""

    id = UUID(primary_key=True)
    owner = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    listing = ForeignKey(
        references=LazyTableReference("Listing", module_path="backend.listings.tables"),
        null=True,
        on_delete=OnDelete.cascade,
        index=True,
    )
    purpose = Varchar(length=16)
    position = Integer(default=0)
    key_prefix = Varchar(length=100, index=True)
    width = Integer()
    height = Integer()
    bytes_total = Integer()
    created_at = Timestamptz(default=TimestamptzNow())

"""Listings: requests for help and offers of help, located by region only."""

from piccolo.columns import (
    UUID,
    Array,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    LazyTableReference,
    OnDelete,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from backend.accounts.tables import User


class Listing(Table, tablename="handje_listing"):
    """A request or an offer, owned by a person or by an organisation (never both).

    The status lifecycle lives in ``backend/listings/lifecycle.py``.
    """

    id = UUID(primary_key=True)
    kind = Varchar(length=16)
    title = Varchar(length=100)
    description = Text(default="")
    category = Varchar(length=40)
    timing = Varchar(length=16, default="flexible")
    needed_on = Date(null=True, default=None)
    weekdays = Array(base_column=Integer(), default=list)
    owner_user = ForeignKey(references=User, null=True, on_delete=OnDelete.cascade, index=True)
    owner_organisation = ForeignKey(
        references=LazyTableReference("Organisation", module_path="backend.organisations.tables"),
        null=True,
        on_delete=OnDelete.cascade,
        index=True,
    )
    created_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    status = Varchar(length=16, default="open", index=True)
    paused = Boolean(default=False)
    found_help = Boolean(null=True, default=None)
    region_cell = Varchar(length=20, index=True)
    region_name = Varchar(length=80)
    posted_on_site = Varchar(length=40, null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz(index=True)
    expiry_reminder_at = Timestamptz(null=True, default=None)
    closed_at = Timestamptz(null=True, default=None)

"""Organisation tables: the public profile and who may act for it."""

from piccolo.columns import UUID, ForeignKey, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from backend.accounts.tables import User


class Organisation(Table, tablename="handje_organisation"):
    """A food bank or neighbourhood team; its region is a coarse cell, never an address."""

    id = UUID(primary_key=True)
    name = Varchar(length=80)
    description = Text(default="")
    website = Varchar(length=200, default="")
    region_cell = Varchar(length=20, null=True, default=None)
    region_name = Varchar(length=80, null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class Membership(Table, tablename="handje_organisation_member"):
    """An account that acts for an organisation, as ``owner`` or ``manager``.

    A person is a member once: a unique index on (organisation, user) is made by a raw migration,
    because Piccolo adds table constraints with ALTER TABLE, which SQLite does not have.
    """

    id = UUID(primary_key=True)
    # The unique index starts with ``organisation``, so only ``user`` needs an index of its own.
    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.cascade, null=False)
    user = ForeignKey(references=User, on_delete=OnDelete.cascade, null=False, index=True)
    role = Varchar(length=16)
    created_at = Timestamptz(default=TimestamptzNow())

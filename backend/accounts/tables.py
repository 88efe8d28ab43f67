"""Account tables: people (and organisation accounts) and their server-side sessions."""

from piccolo.columns import (
    UUID,
    Array,
    Boolean,
    ForeignKey,
    OnDelete,
    Timestamptz,
    Varchar,
)
from piccolo.columns.column_types import Text
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class User(Table, tablename="handje_user"):
    """A signed-up account. There is no address anywhere: the location is a coarse region."""

    id = UUID(primary_key=True)
    email = Varchar(length=254, unique=True)
    password_hash = Varchar(length=255)
    display_name = Varchar(length=60)
    account_kind = Varchar(length=16, default="person")
    bio = Text(default="")
    interests = Array(base_column=Varchar(length=40), default=list)
    language = Varchar(length=2, default="nl")
    phone = Varchar(length=20, null=True, default=None)
    region_cell = Varchar(length=20, null=True, default=None)
    region_name = Varchar(length=80, null=True, default=None)
    read_receipts = Boolean(default=True)
    role = Varchar(length=16, default="member")
    created_at = Timestamptz(default=TimestamptzNow())
    last_active_at = Timestamptz(default=TimestamptzNow())
    password_changed_at = Timestamptz(default=TimestamptzNow())


class UserSession(Table, tablename="handje_session"):
    """A signed-in device. Only the SHA-256 of the cookie value is stored."""

    id = Varchar(length=64, primary_key=True)
    user = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    last_seen_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    user_agent = Varchar(length=200, default="")

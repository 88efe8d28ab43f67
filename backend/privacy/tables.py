"""Privacy tables: consent records, data exports, inactivity warnings, and page counts."""

from piccolo.columns import UUID, BigInt, Date, ForeignKey, Integer, OnDelete, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from backend.accounts.tables import User


class Consent(Table, tablename="handje_consent"):
    """One consent: given at ``given_at`` to the wording ``wording_version``, until withdrawn.

    Giving again after a withdrawal adds a row, so the rows are the history.
    """

    id = UUID(primary_key=True)
    user = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    purpose = Varchar(length=16)
    wording_version = Varchar(length=16)
    given_at = Timestamptz(default=TimestamptzNow())
    withdrawn_at = Timestamptz(null=True, default=None)


class DataExport(Table, tablename="handje_data_export"):
    """A requested copy of a person's data: a ZIP file under the data directory while ready."""

    id = UUID(primary_key=True)
    user = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    state = Varchar(length=8, default="pending", index=True)
    requested_at = Timestamptz(default=TimestamptzNow())
    ready_at = Timestamptz(null=True, default=None)
    expires_at = Timestamptz(null=True, default=None)
    size_bytes = BigInt(default=0)


class InactivityWarning(Table, tablename="handje_inactivity_warning"):
    """When an inactive account was told it will be deleted (unless its owner comes back)."""

    id = UUID(primary_key=True)
    user = ForeignKey(references=User, on_delete=OnDelete.cascade, unique=True)
    warned_at = Timestamptz(default=TimestamptzNow())


class PageCount(Table, tablename="handje_page_count"):
    """How often a page was opened in a month by people who allowed counting: no person, no id.

    Two processes may each add a row for the same month and page; readers add them up.
    """

    id = UUID(primary_key=True)
    month = Date(index=True)
    page = Varchar(length=40)
    views = Integer(default=0)

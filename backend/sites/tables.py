"""Site tables: the local sites one installation serves next to the national site."""

from piccolo.columns import (
    UUID,
    Array,
    ForeignKey,
    Integer,
    LazyTableReference,
    OnDelete,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class Site(Table, tablename="handje_site"):
    """A local site ("Haarlem helpt"): its own name, colours, host names and area."""

    id = UUID(primary_key=True)
    slug = Varchar(length=40, unique=True)
    name = Varchar(length=60)
    # Lower-case host names without port; no two sites share one (checked by the service).
    hosts = Array(base_column=Varchar(length=253), default=list)
    primary_colour = Varchar(length=7)
    accent_colour = Varchar(length=7)
    centre_cell = Varchar(length=20)
    centre_name = Varchar(length=80)
    radius_km = Integer()
    created_at = Timestamptz(default=TimestamptzNow())


class SiteAdmin(Table, tablename="handje_site_admin"):
    """An account that administers one local site (it sees that site's statistics)."""

    id = UUID(primary_key=True)
    site = ForeignKey(references=Site, on_delete=OnDelete.cascade, index=True)
    user = ForeignKey(
        references=LazyTableReference("User", module_path="backend.accounts.tables"),
        on_delete=OnDelete.cascade,
        index=True,
    )
    created_at = Timestamptz(default=TimestamptzNow())

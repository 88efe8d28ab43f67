"""Site tables: the local sites one installation serves next to the national site."""

from piccolo.columns import UUID, Array, Integer, Timestamptz, Varchar
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

"""The aggregate table: monthly figures per site, without names or ids of anyone."""

from piccolo.columns import Date, Real, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class MonthlyFigure(Table, tablename="handje_monthly_figure"):
    """One figure of one site in one month; ``value`` is empty when the count was under 5.

    ``site`` is a local site's slug or ``national``; ``label`` splits a metric (for listings,
    ``kind:category``), and is empty otherwise.
    """

    site = Varchar(length=40, index=True)
    month = Date(index=True)
    metric = Varchar(length=40)
    label = Varchar(length=60, default="")
    value = Real(null=True, default=None)
    computed_at = Timestamptz(default=TimestamptzNow())

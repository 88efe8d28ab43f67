"""The database-backed counter store (used when Redis is not configured)."""

from piccolo.columns import BigInt, Integer, Varchar
from piccolo.table import Table


class RateCounter(Table, tablename="handje_rate_counter"):
    """Hits of one key in the fixed window that started at ``window_start`` (epoch seconds)."""

    key = Varchar(length=120, primary_key=True)
    window_start = BigInt()
    hits = Integer(default=0)

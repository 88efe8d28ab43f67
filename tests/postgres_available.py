"""Exit 0 when the test PostgreSQL server answers (used by ``make test``)."""

import asyncio
import os
import sys

import asyncpg

URL = os.environ.get("HANDJE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


async def _reachable() -> bool:
    try:
        connection = await asyncpg.connect(URL, timeout=5)
    except (OSError, asyncpg.PostgresError, TimeoutError):
        return False
    await connection.close()
    return True


if __name__ == "__main__":
    sys.exit(0 if asyncio.run(_reachable()) else 1)

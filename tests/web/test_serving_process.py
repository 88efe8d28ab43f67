"""What a serving process sets up for itself when the app starts."""

from __future__ import annotations

import gc

from litestar import Litestar
from litestar.testing import AsyncTestClient

from backend.app import GC_THRESHOLDS


async def test_a_serving_process_collects_garbage_less_often_than_python_would(
    app: Litestar,
) -> None:
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)  # Python's own
    try:
        async with AsyncTestClient(app):
            assert gc.get_threshold() == GC_THRESHOLDS
    finally:
        gc.set_threshold(*before)

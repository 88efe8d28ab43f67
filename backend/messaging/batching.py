"""A batch queue: work that callers ask for at the same time is done together, batch by batch.

``BatchQueue.submit`` queues an item and waits for its outcome. One task takes up to
``BATCH_SIZE`` queued items and hands them to ``_handle`` together; what is queued meanwhile
forms the next batch. Batches thus grow with the load, and nothing waits on a timer. A batch
that raises is tried again one item at a time, so that only a failing item fails; each caller
gets its own result or exception; a result whose caller stopped waiting goes to ``_unawaited``.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
from collections.abc import Hashable
from typing import Generic, TypeVar

logger = logging.getLogger(__name__)
BATCH_SIZE = 200
Item = TypeVar("Item")
Result = TypeVar("Result")


class Later:
    """Not decided in this batch: the item goes to the next one."""


LATER = Later()


class BatchQueue(Generic[Item, Result]):
    """The queue of items and the one task that handles them; ``batches`` counts the batches
    handled. Subclasses write ``_handle`` (one outcome per item, in order) and may name a
    ``_key`` that at most one item of a batch may have, and finish in ``_unawaited`` what a
    caller who stopped waiting would have done with its result.
    """

    def __init__(self) -> None:
        self._queue: list[tuple[Item, asyncio.Future[Result]]] = []
        self._running: asyncio.Task[None] | None = None
        self._finishing: set[asyncio.Task[None]] = set()
        self.batches = 0

    async def submit(self, item: Item) -> Result:
        """Handle ``item`` with the next batch; raise what refused it."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Result] = loop.create_future()
        self._queue.append((item, future))
        running = self._running
        if running is None or running.done() or running.get_loop() is not loop:
            # A context of its own: nothing of the first caller's request (a transaction, their
            # address) leaks into the batches.
            self._running = loop.create_task(self._run(), context=contextvars.Context())
        return await future

    async def _handle(self, items: list[Item]) -> list[Result | Exception | Later]:
        """The outcome of each of ``items``, handled together."""
        raise NotImplementedError

    async def _unawaited(self, item: Item, result: Result) -> None:
        """Finish ``item`` whose caller stopped waiting for ``result`` (nothing to do here)."""

    def _key(self, item: Item) -> Hashable | None:  # noqa: ARG002 (no key by default)
        """What at most one item of a batch may have (``None``: nothing); a second waits."""
        return None

    async def _run(self) -> None:
        while self._queue:
            batch = self._take()
            if not batch:
                continue
            try:
                outcomes = await self._outcomes([item for item, _ in batch])
            except BaseException:
                for _, future in batch:
                    future.cancel()
                raise
            later = []
            for entry, outcome in zip(batch, outcomes, strict=True):
                item, future = entry
                if isinstance(outcome, Later):
                    later.append(entry)
                elif future.done():
                    if not isinstance(outcome, Exception):
                        task = asyncio.create_task(self._unawaited(item, outcome))
                        self._finishing.add(task)
                        task.add_done_callback(self._finishing.discard)
                elif isinstance(outcome, Exception):
                    future.set_exception(outcome)
                else:
                    future.set_result(outcome)
            self._queue[:0] = later

    def _take(self) -> list[tuple[Item, asyncio.Future[Result]]]:
        """The next batch, in queued order: at most ``BATCH_SIZE`` items, one per ``_key``;
        whoever stopped waiting is left out (and whoever waited in an event loop that is gone).
        """
        batch = []
        waiting = []
        keys: set[Hashable] = set()
        loop = asyncio.get_running_loop()
        for entry in self._queue:
            item, future = entry
            if future.done() or future.get_loop() is not loop:
                continue
            key = self._key(item)
            if len(batch) == BATCH_SIZE or (key is not None and key in keys):
                waiting.append(entry)
            else:
                keys.add(key)
                batch.append(entry)
        self._queue = waiting
        return batch

    async def _outcomes(
        self, items: list[Item], *, again: bool = True
    ) -> list[Result | Exception | Later]:
        """The outcome of each of ``items``; if their batch fails (say, another process stored
        one of them meanwhile), each is tried once more alone, so only a failing one fails.
        """
        try:
            outcomes = await self._handle(items)
        except Exception as error:
            if not again:
                return [error]
            logger.warning("a batch of %d failed; trying each alone", len(items))
            return [(await self._outcomes([item], again=False))[0] for item in items]
        self.batches += 1
        return outcomes

"""Fixes for ReactPy 2.0.0b13: two per-render growths that a long-lived page (Discover) feels,
and a render of a component that is gone.

1. ``Layout`` maps every render task to its component in ``_render_task_to_lcs_id`` and never
   drops a finished one, so each render's whole layout update stays in memory until the page
   closes. The patched ``_parallel_render`` forgets a task once its update is taken.
2. ``LifeCycleHook`` appends a stop event for the effects of every render, even when the render
   started none. The patched ``affect_layout_did_render`` only keeps one when it has effects.
3. A component can schedule its own render (an event handler setting its state) just before its
   parent's render removes it. ReactPy still sends that render, for a place the browser no longer
   has, and in no fixed order: sent after the parent's update, it breaks the page ("Q is not
   iterable"). The patched ``_parallel_render`` drops the render of a component that is gone.

``apply()`` is idempotent; remove this module once ReactPy releases fixes for these.
"""

from __future__ import annotations

from asyncio import FIRST_COMPLETED, CancelledError, Event, create_task, wait
from typing import Any

import reactpy
from reactpy.core._life_cycle_hook import LifeCycleHook
from reactpy.core.layout import Layout

PATCHED_VERSION = "2.0.0b13"


async def _parallel_render(self: Any) -> Any:
    """ReactPy's ``Layout._parallel_render``, forgetting each finished render task and dropping
    the update of a component that was unmounted meanwhile (its parent's update replaces it).
    """
    while True:
        await self._render_tasks_ready.acquire()
        if not self._render_tasks:
            continue
        done, _ = await wait(self._render_tasks, return_when=FIRST_COMPLETED)
        update_task = done.pop()
        self._render_tasks.discard(update_task)
        component_id = self._render_task_to_lcs_id.pop(update_task, None)
        if self._render_tasks_by_id.get(component_id) is update_task:
            del self._render_tasks_by_id[component_id]
        if component_id not in self._model_states_by_life_cycle_state_id:
            continue
        try:
            return update_task.result()
        except CancelledError:
            continue


async def _affect_layout_did_render(self: Any) -> None:
    """ReactPy's ``LifeCycleHook.affect_layout_did_render``, without a stop event per render
    that has no effects to stop.
    """
    if not self._effect_funcs:
        return
    stop = Event()
    self._effect_stops.append(stop)
    self._effect_tasks.extend(create_task(effect(stop)) for effect in self._effect_funcs)
    self._effect_funcs.clear()


def apply() -> None:
    """Patch ReactPy, once; refuse another version, whose internals may differ."""
    if reactpy.__version__ != PATCHED_VERSION:
        raise RuntimeError(
            f"frontend/reactpy_patches.py fits ReactPy {PATCHED_VERSION}, not "
            f"{reactpy.__version__}: check whether the leaks are fixed, then update or remove it"
        )
    Layout._parallel_render = _parallel_render  # type: ignore[method-assign]
    LifeCycleHook.affect_layout_did_render = _affect_layout_did_render  # type: ignore[method-assign]

"""A page that stays open and renders again and again keeps no memory per render."""

from __future__ import annotations

import asyncio

import pytest
from reactpy import component, html, use_effect, use_state
from reactpy.core.layout import Layout
from reactpy.utils import Ref

from frontend import reactpy_patches


async def test_a_long_open_layout_keeps_nothing_per_render() -> None:
    reactpy_patches.apply()
    set_count: Ref = Ref()
    started = []

    @component
    def counter():
        count, set_count.current = use_state(0)
        use_effect(lambda: started.append(1), [])
        return html.p(str(count))

    async with Layout(counter()) as layout:
        await layout.render()
        for count in range(1, 50):
            set_count.current(count)
            assert (await layout.render())["model"]["children"][0]["children"] == [str(count)]
        # ReactPy's own bookkeeping: finished render tasks, and stop events for effects.
        assert len(layout._render_task_to_lcs_id) == 0
        (state,) = layout._model_states_by_life_cycle_state_id.values()
        assert len(state.life_cycle_state.hook._effect_stops) == 1
    assert started == [1]


async def test_a_component_removed_by_its_parent_sends_no_render_of_its_own() -> None:
    reactpy_patches.apply()
    show_child: Ref = Ref()
    set_child: Ref = Ref()

    @component
    def child():
        count, set_child.current = use_state(0)
        return html.p(f"child {count}")

    @component
    def parent():
        shown, show_child.current = use_state(True)
        return html.div(child() if shown else html.p("gone"))

    async with Layout(parent()) as layout:
        await layout.render()
        show_child.current(False)  # the parent renders first and removes the child...
        set_child.current(1)  # ...whose own render was asked for before it went
        assert "gone" in str(await layout.render())
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.3):
                await layout.render()

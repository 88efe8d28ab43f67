"""A page that stays open and renders again and again keeps no memory per render."""

from __future__ import annotations

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

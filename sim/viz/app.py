"""The browser page: `make viz` (python -m sim.viz.server, which serves this module behind
the Host/Origin check of sim/viz/security.py).

Mesa's SolaraViz gives Step, Play and Reset and lays out the figure panels
(sim/viz/panels.py); the sidebar adds language, settings and messages (sim/viz/sidebar.py).
Each browser session builds its own model in `Page` (solara.use_memo), from its own control
values (sim/viz/state.py). The switch under the language opens the compare view instead
(sim/viz/compare_view.py): finished comparisons from results/comparisons/ side by side.
`Layout` (Solara's AppLayout inside sim/viz/boundary.py's ErrorBoundary) and `guarded(Page)`
see to it that no exception reaches the browser as a traceback; every value the browser sends is checked where it is used
(sim/viz/inputs.py), and tests/test_viz_inputs.py feeds every input crafted values.
"""

from __future__ import annotations

import os

os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")

import matplotlib  # noqa: E402

matplotlib.use("Agg")

import solara  # noqa: E402
from mesa.visualization import SolaraViz  # noqa: E402

from . import state  # noqa: E402
from .boundary import Layout, guarded  # noqa: E402, F401  Layout: Solara wraps the page in it
from .i18n import text  # noqa: E402
from .live_model import LiveModel  # noqa: E402
from .panels import PANELS  # noqa: E402
from .compare_view import CompareView  # noqa: E402
from .sidebar import LanguageSwitch, ModelCard, Settings  # noqa: E402


def session_controls() -> dict:
    """This session's control values (called by LiveModel at every Reset)."""
    return state.values.value


@solara.component
def _Lower(model):
    # the sidebar orders its parts by their depth in the page: two levels below Page puts
    # these cards after SolaraViz's Controls (Reset, Play, Step)
    _LowerCards(model)


@solara.component
def _LowerCards(model):
    with solara.Sidebar():
        ModelCard(model)
        Settings()


@guarded
@solara.component
def Page():
    first = solara.use_memo(lambda: LiveModel(controls=session_controls), [])
    model = solara.use_reactive(first)
    lang = state.language.value
    solara.Title(text("title", lang))
    with solara.Sidebar():
        LanguageSwitch()
    if state.view.value == "compare":
        CompareView()   # the live model is kept (use_memo above) for the way back
        return
    _Lower(model.value)
    # the intervals are this session's, kept within the sliders' ranges whatever the browser sends
    SolaraViz(model, components=PANELS, model_params={"controls": session_controls},
              name=text("title", lang), play_interval=state.play_interval, render_interval=state.render_interval)

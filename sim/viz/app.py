"""The browser page: `make viz`, or `solara run sim.viz.app --host 127.0.0.1 --port 8765`.

Mesa's SolaraViz gives Step, Play and Reset and lays out the figure panels
(sim/viz/panels.py); the sidebar adds language, settings and messages (sim/viz/sidebar.py).
Each browser session builds its own model in `Page` (solara.use_memo), from its own control
values (sim/viz/state.py). The switch under the language opens the compare view instead
(sim/viz/compare_view.py): finished comparisons from results/comparisons/ side by side.
"""

from __future__ import annotations

import os

os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")

import matplotlib  # noqa: E402

matplotlib.use("Agg")

import solara  # noqa: E402
from mesa.visualization import SolaraViz  # noqa: E402

from . import state  # noqa: E402
from .i18n import text  # noqa: E402
from .live_model import LiveModel  # noqa: E402
from .panels import PANELS  # noqa: E402
from .compare_view import CompareView  # noqa: E402
from .sidebar import LanguageSwitch, ModelCard, Settings  # noqa: E402

PLAY_INTERVAL_MS = 300


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
    SolaraViz(model, components=PANELS, model_params={"controls": session_controls},
              name=text("title", lang), play_interval=PLAY_INTERVAL_MS)

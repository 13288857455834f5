"""The live view's figure panels: Solara components of one model, for SolaraViz's grid.

Each panel reads Mesa's `update_counter` so that it redraws after Step, Play and Reset, and
the session's language (sim/viz/state.py).
"""

from __future__ import annotations

import solara
from mesa.visualization.utils import update_counter

from . import figures, network, state
from .i18n import text


def _village(model) -> int:
    """The selected village, kept within this model's villages (Reset may change the world)."""
    return min(max(state.village.value, 0), model.world.villages.n - 1)


@solara.component
def VillageMap(model):
    update_counter.get()
    fig = figures.village_map(model, state.language.value, _village(model))
    return solara.FigureMatplotlib(fig, format="png")


@solara.component
def VillageNetwork(model):
    update_counter.get()
    lang, v = state.language.value, _village(model)
    lay = solara.use_memo(lambda: network.layout(model, v), [model, v])
    names = model.world.villages.name
    pops = model.world.villages.population
    items = [{"text": f"{name} ({int(p):,} {text('residents', lang)})", "value": i}
             for i, (name, p) in enumerate(zip(names, pops, strict=True))]
    with solara.Column() as main:
        solara.v.Select(label=text("network.village", lang), items=items, v_model=v,
                        on_v_model=lambda i: state.village.set(int(i)), dense=True, hide_details=True,
                        class_="viz-village-select")
        solara.FigureMatplotlib(network.network_figure(model, lay, lang), format="png")
    return main


@solara.component
def AdoptionCurves(model):
    update_counter.get()
    return solara.FigureMatplotlib(figures.adoption_curves(model, state.language.value), format="png")


@solara.component
def CollectivesChart(model):
    update_counter.get()
    return solara.FigureMatplotlib(figures.collectives_chart(model, state.language.value), format="png")


@solara.component
def BudgetChart(model):
    update_counter.get()
    return solara.FigureMatplotlib(figures.budget_chart(model, state.language.value), format="png")


PANELS = [(VillageMap, 0), (VillageNetwork, 0), (AdoptionCurves, 0), (CollectivesChart, 0), (BudgetChart, 0)]

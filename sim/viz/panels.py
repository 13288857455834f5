"""The live view's figure panels: Solara components of one model, for SolaraViz's grid.

Each panel reads Mesa's `update_counter` so that it re-renders after Step, Play and Reset,
and the session's language (sim/viz/state.py). A panel keeps its figure (sim/viz/figures.py)
for as long as the model, the language and the chosen village stay the same, and draws it
again only when the data it shows changed (`LiveFigure.key`): the collectives panel, for
one, is often the same from one month to the next.
"""

from __future__ import annotations

import solara
from mesa.visualization.utils import update_counter
from solara.alias import rw

from . import figures, inputs, network, state
from .i18n import text


def _village(model) -> int:
    """The selected village, kept within this model's villages (Reset may change the world)."""
    return min(max(state.village.value, 0), model.world.villages.n - 1)


def _pick_village(value, n: int) -> None:
    """The browser sends the village's index: an int within the villages, else a notice."""
    try:
        state.village.set(inputs.index(value, n))
    except inputs.Refused as exc:
        state.refuse(exc.reason)


def _picture(model, make, dependencies: list):
    """The PNG of the figure `make()` builds (kept while `dependencies` hold) for the model's data."""
    fig = solara.use_memo(make, dependencies)
    png = solara.use_memo(lambda: fig.png(model), [fig, fig.key(model)])
    return rw.Image(value=png, format="png")


@solara.component
def VillageMap(model):
    update_counter.get()
    lang, v = state.language.value, _village(model)
    return _picture(model, lambda: figures.MapFigure(model, lang, v), [model, lang, v])


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
                        on_v_model=lambda i: _pick_village(i, len(items)), dense=True, hide_details=True,
                        class_="viz-village-select")
        _picture(model, lambda: network.NetworkFigure(model, lay, lang), [model, v, lang])
    return main


@solara.component
def AdoptionCurves(model):
    update_counter.get()
    lang = state.language.value
    return _picture(model, lambda: figures.CurvesFigure(model, lang), [model, lang])


@solara.component
def CollectivesChart(model):
    update_counter.get()
    lang = state.language.value
    return _picture(model, lambda: figures.CollectivesFigure(model, lang), [model, lang])


@solara.component
def BudgetChart(model):
    update_counter.get()
    lang = state.language.value
    return _picture(model, lambda: figures.BudgetFigure(model, lang), [model, lang])


PANELS = [(VillageMap, 0), (VillageNetwork, 0), (AdoptionCurves, 0), (CollectivesChart, 0), (BudgetChart, 0)]

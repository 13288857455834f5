"""One village's resident network, coloured by each resident's state.

Ties are fixed after the model is built, so the layout is computed once per village
(`layout`) and each step only recolours the nodes (`NetworkFigure.update`). Villages larger than
MAX_NODES are drawn from a fixed sample of their residents; the sample and the layout use
their own generators seeded by the village index, never the model's generator, so drawing
does not change the model's results.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D

from ..state import ResidentState
from .figures import MARGINS, LiveFigure
from .i18n import text

MAX_NODES = 300  # more nodes make an unreadable picture and a slow layout
STATE_COLOURS = {
    ResidentState.UNAWARE: "#d9d9d9",
    ResidentState.AWARE: "#9ecae1",
    ResidentState.MEMBER: "#31a354",
    ResidentState.CORE: "#006d2c",
    ResidentState.DROPPED: "#e6550d",
    ResidentState.GONE: "#ffffff",   # moved away (mechanisms.demography): an empty home
}
_COLOURS = np.array([STATE_COLOURS[ResidentState(s)] for s in range(len(ResidentState))])


@dataclass(frozen=True)
class Layout:
    village: int
    residents: np.ndarray  # region-wide indices of the residents drawn
    total: int             # residents in the village
    xy: np.ndarray         # position of each drawn resident
    edges: np.ndarray      # pairs of positions into `residents`


def layout(model, village: int, max_nodes: int = MAX_NODES) -> Layout:
    """Positions of (a fixed sample of) the village's residents and the ties among them."""
    lo, hi = int(model.world.offsets[village]), int(model.world.offsets[village + 1])
    total = hi - lo
    local = np.arange(total)
    if total > max_nodes:
        local = np.sort(np.random.default_rng(village).choice(total, max_nodes, replace=False))
    residents = lo + local
    sub = model.world.adjacency[residents][:, residents].tocoo()
    keep = sub.row < sub.col
    edges = np.column_stack([sub.row[keep], sub.col[keep]])
    graph = nx.Graph()
    graph.add_nodes_from(range(len(residents)))
    graph.add_edges_from(edges.tolist())
    pos = nx.spring_layout(graph, seed=village, iterations=40)
    xy = np.array([pos[i] for i in range(len(residents))]) if len(residents) else np.zeros((0, 2))
    return Layout(village, residents, total, xy, edges)


class NetworkFigure(LiveFigure):
    """The drawn residents coloured by their current state, with a legend of states."""

    def __init__(self, model, lay: Layout, lang: str) -> None:
        super().__init__(text("network.title", lang, village=model.world.villages.name[lay.village]),
                         {**MARGINS, "left": 0.02, "right": 0.7})
        self.lay, self.lang, ax = lay, lang, self.ax
        if len(lay.edges):
            ax.add_collection(LineCollection(lay.xy[lay.edges], colors="#bbbbbb", linewidths=0.4, zorder=1))
        self.nodes = ax.scatter(lay.xy[:, 0], lay.xy[:, 1], s=14, c=_COLOURS[self._state(model)], edgecolors="none",
                                zorder=2)
        # legend markers as lines, which draw faster than scatter handles (the legend is redrawn every month)
        self.handles = {s: Line2D([], [], ls="", marker="o", markersize=30 ** 0.5, color=colour)
                        for s, colour in STATE_COLOURS.items()}
        self.shown: list[ResidentState] = []
        ax.set_xlabel(text("network.sample", lang, shown=len(lay.residents), total=lay.total), fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.autoscale_view()
        self.animate(self.nodes)
        self.update(model)

    def _state(self, model) -> np.ndarray:
        return model.people.state[self.lay.residents]

    def key(self, model) -> object:
        return self._state(model).tobytes()

    def update(self, model) -> None:
        state = self._state(model)
        self.nodes.set_facecolor(_COLOURS[state])
        counts = np.bincount(state, minlength=len(ResidentState))
        shown = [s for s in STATE_COLOURS if s != ResidentState.GONE or counts[s]]  # GONE: only under demography
        labels = [f"{text(f'state.{s.name.lower()}', self.lang)} ({int(counts[s])})" for s in shown]
        if shown == self.shown:   # same entries: new counts only
            for label, entry in zip(labels, self.ax.get_legend().get_texts(), strict=True):
                entry.set_text(label)
            return
        legend = self.ax.legend([self.handles[s] for s in shown], labels, frameon=False, fontsize=8,
                                loc="center left", bbox_to_anchor=(1.0, 0.5))
        self.shown, self.dynamic = shown, [self.nodes]
        self.animate(legend)   # the counts change with the states


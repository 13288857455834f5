"""Who took part along which ties, in one village over time: the live view's network picture.

Instead of a ring of dots, a family tree of taking part. Each of the first MAX_SHOWN residents
of the village who took part is a dot at the month they first joined (x), coloured by what
they are now (member, core group, dropped out, moved away). Everyone is linked to the tie who
took part earliest before them (sim/viz/live.py, `Tracker`): the likely way in. Those links
form a forest, drawn as a tree in time: a resident's row runs from the month they joined to
the last month someone joined through them, and a vertical step leads down to each of them.
A ring marks someone who started without anyone in their circle taking part (a pioneer, or
someone drawn in by a dialogue, a collective's visibility or a prize): the root of a tree.
Big trees are the flywheel at work; many rings are the instrument (or chance) at work. The
sentence under it counts all who took part, not only those drawn.
"""

from __future__ import annotations

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D

from ..state import ResidentState
from . import numbers, sentences
from .figures import LiveFigure
from .i18n import text

STATE_COLOURS = {ResidentState.MEMBER: "#31a354", ResidentState.CORE: "#006d2c", ResidentState.DROPPED: "#e6550d",
                 ResidentState.GONE: "#bdbdbd", ResidentState.AWARE: "#e6550d", ResidentState.UNAWARE: "#e6550d"}
SHOWN = (ResidentState.MEMBER, ResidentState.CORE, ResidentState.DROPPED, ResidentState.GONE)


MAX_SHOWN = 200   # the first residents to take part: the pioneers and early adopters a reader can follow


def order(snap) -> np.ndarray:
    """The first MAX_SHOWN residents (local indices) who took part, by month joined then index."""
    ever = np.flatnonzero(snap.joined >= 0)
    return ever[np.lexsort((ever, snap.joined[ever]))][:MAX_SHOWN]


def tree(snap) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(shown residents in tree order, their row, each one's parent position in that order or -1).

    The first MAX_SHOWN to take part are closed under 'who brought them' (a tie counts only if
    it took part strictly earlier), so every parent of a shown resident is shown."""
    shown = order(snap)
    pos = {int(r): k for k, r in enumerate(shown)}
    parent = np.array([pos.get(int(snap.recruiter[r]), -1) for r in shown], dtype=np.int64)
    children: list[list[int]] = [[] for _ in shown]
    roots = []
    for k, p in enumerate(parent):          # shown is in joining order: children in joining order too
        (children[p] if p >= 0 else roots).append(k)
    rows = np.zeros(len(shown), dtype=np.int64)
    stack, row = list(reversed(roots)), 0
    while stack:                            # depth first: a subtree's rows are together under its root
        k = stack.pop()
        rows[k] = row
        row += 1
        stack.extend(reversed(children[k]))
    return shown, rows, parent


def counts(snap) -> tuple[int, int, int]:
    """(ever took part, of whom through a tie, of whom without)."""
    ever = snap.joined >= 0
    linked = int((ever & (snap.recruiter >= 0)).sum())
    return int(ever.sum()), linked, int(ever.sum()) - linked


def summary(snap, name: str, lang: str) -> str:
    joined, linked, alone = counts(snap)
    village = sentences.village_name(name, lang)
    if not joined:
        return text("cascade.empty", lang, village=village)
    return text("cascade.summary", lang, joined=numbers.number(joined, lang), adults=numbers.number(len(snap.joined), lang),
                village=village, linked=numbers.number(linked, lang), share=numbers.pct(linked / joined, lang),
                alone=numbers.number(alone, lang))


class CascadeFigure(LiveFigure):
    def __init__(self, snap, name: str, lang: str) -> None:
        super().__init__(text("cascade.title", lang, village=sentences.village_name(name, lang), n=MAX_SHOWN),
                         {"left": 0.05, "right": 0.98, "bottom": 0.11, "top": 0.92}, size=(10.0, 4.6))
        ax = self.ax
        ax.grid(alpha=0.2, axis="x")
        ax.spines[["top", "right"]].set_visible(False)
        self.links = LineCollection([], colors="#8f9bab", linewidths=0.8, zorder=1)
        ax.add_collection(self.links)
        self.dots = ax.scatter([], [], s=14, zorder=2, edgecolors="none")
        self.rings = ax.scatter([], [], s=30, zorder=3, facecolors="none", edgecolors="#222222", linewidths=0.9)
        ax.set_xlabel(text("cascade.x", lang))
        ax.set_ylabel(text("cascade.y", lang))
        ax.set_yticks([])
        ax.set_xlim(0, snap.horizon / 12)
        handles = [Line2D([], [], ls="", marker="o", color=STATE_COLOURS[s], label=text(f"state.{s.name.lower()}", lang))
                   for s in SHOWN]
        handles += [Line2D([], [], color="#8f9bab", lw=1, label=text("cascade.link", lang)),
                    Line2D([], [], ls="", marker="o", markerfacecolor="none", markeredgecolor="#222222",
                           label=text("cascade.alone", lang))]
        ax.legend(handles=handles, frameon=True, framealpha=0.9, edgecolor="none", fontsize=8, loc="lower left")
        self.animate(self.links, self.dots, self.rings)
        self.update(snap)

    def key(self, snap) -> object:
        return snap.village, int((snap.joined >= 0).sum()), snap.state.tobytes()

    def update(self, snap) -> None:
        shown, rows, parent = tree(snap)
        x = snap.joined[shown] / 12
        y = rows.astype(float)
        self.dots.set_offsets(np.column_stack([x, y]) if len(shown) else np.zeros((0, 2)))
        self.dots.set_facecolors([STATE_COLOURS.get(ResidentState(int(s)), "#31a354") for s in snap.state[shown]]
                                 if len(shown) else [])
        segments = []
        has = parent >= 0
        last = {}
        for k in np.flatnonzero(has):       # a vertical step from the parent's row down to the child
            p = int(parent[k])
            segments.append(((x[k], y[p]), (x[k], y[k])))
            last[p] = max(last.get(p, x[p]), x[k])
        segments += [((x[p], y[p]), (end, y[p])) for p, end in last.items()]   # the parent's row in time
        self.links.set_segments(segments)
        alone = ~has
        self.rings.set_offsets(np.column_stack([x[alone], y[alone]]) if alone.any() else np.zeros((0, 2)))
        self.ax.set_ylim(max(len(shown), 10) + 1, -1)   # the first to take part at the top

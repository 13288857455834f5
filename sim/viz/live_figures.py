"""The live view's figures, drawn from a `Snapshot` (sim/viz/live.py) and kept per session:
taking part with the policy and without (same seed), the collectives by theme and stage, and
public money against the budget. Who took part through whom: sim/viz/cascade.py.
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import FuncFormatter

from ..state import Stage
from . import numbers
from .answer_figures import BASE_COLOUR, POLICY_COLOUR, ROGERS
from .figures import LiveFigure, upper
from .i18n import text
from .live import BASE, POLICY

STAGE_COLOURS = ("#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c", "#d9d9d9")


def _grid(ax) -> None:
    ax.grid(alpha=0.25)
    ax.spines[["top", "right"]].set_visible(False)


def _years_axis(ax, horizon: int) -> None:
    ax.set_xlim(0, horizon / 12)


class CurvesFigure(LiveFigure):
    """Share of adults taking part, month by month: the policy and the baseline on the same seed."""

    def __init__(self, snap, lang: str, policy: str) -> None:
        super().__init__(text("curves.title", lang, policy=policy))
        ax = self.ax
        _grid(ax)
        self.lines = {}
        if POLICY in snap.share:
            self.lines[POLICY] = ax.plot([], [], color=POLICY_COLOUR, lw=2.4, label=policy)[0]
        self.lines[BASE] = ax.plot([], [], color=BASE_COLOUR, lw=1.8, label=text("curves.baseline", lang))[0]
        for level in ROGERS:
            ax.axhline(100 * level, color="#b0b0b0", lw=0.8, ls=":")
        ax.set_xlabel(text("years", lang))
        ax.set_ylabel(text("curves.y", lang))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: numbers.number(v, lang)))
        _years_axis(ax, snap.horizon)
        legend = ax.legend(frameon=False, fontsize=9, loc="upper left")
        self.animate(*self.lines.values(), legend)
        self.update(snap)

    def key(self, snap) -> object:
        return snap.month

    def update(self, snap) -> None:
        top = 5.0
        for label, line in self.lines.items():
            share = 100 * snap.share[label]
            line.set_data(np.arange(len(share)) / 12, share)
            top = max(top, float(share.max()))
        self.ax.set_ylim(0, upper(top * 1.1, 10, 10))


class CollectivesFigure(LiveFigure):
    """Collectives now (the policy's run), one bar per theme, stacked by stage."""

    def __init__(self, snap, lang: str, policy: str) -> None:
        super().__init__(text("collectives.title", lang, policy=policy), {"left": 0.09, "right": 0.98, "bottom": 0.16,
                                                                         "top": 0.88})
        ax = self.ax
        _grid(ax)
        names = [text(f"theme.{t}", lang) for t in snap.themes]
        zero = np.zeros(len(names))
        self.bars = [ax.barh(names, zero, left=zero, color=colour, label=text(f"stage.{stage.name.lower()}", lang))
                     for stage, colour in zip(Stage, STAGE_COLOURS, strict=True)]
        ax.set_xlabel(text("collectives.x", lang))
        ax.invert_yaxis()
        legend = ax.legend(frameon=False, fontsize=8, loc="lower right", ncols=3)
        self.animate(*[rect for bars in self.bars for rect in bars], legend)
        self.update(snap)

    def key(self, snap) -> object:
        return snap.stages.tobytes()

    def update(self, snap) -> None:
        counts = snap.stages
        left = np.zeros(counts.shape[0])
        for stage, bars in zip(Stage, self.bars, strict=True):
            for rect, x, w in zip(bars, left, counts[:, stage], strict=True):
                rect.set_x(x)
                rect.set_width(w)
            left = left + counts[:, stage]
        self.ax.set_xlim(0, upper(float(left.max()) * 1.15, 5, 5))


class MoneyFigure(LiveFigure):
    """Public money of the policy: spent so far against the budget, and per month. Without an
    instrument nothing is spent, and the figure says so instead of drawing a budget line."""

    def __init__(self, snap, lang: str) -> None:
        super().__init__(text("budget.title", lang), {"left": 0.1, "right": 0.98, "bottom": 0.15, "top": 0.88})
        ax = self.ax
        _grid(ax)
        self.budget = snap.budget
        self.spent = ax.plot([], [], color=POLICY_COLOUR, lw=2, label=text("budget.spent", lang))[0]
        self.monthly = ax.stairs([0.0], [-1 / 24, 1 / 24], fill=True, color="#fd8d3c", label=text("budget.month", lang))
        handles = [self.spent, self.monthly]
        if self.budget > 0:
            total = ax.axhline(self.budget, color="grey", ls="--", lw=1,
                               label=f"{text('budget.total', lang)}: {numbers.money(self.budget, lang)}")
            handles.insert(1, total)
        else:
            ax.text(0.5, 0.5, text("budget.none", lang), transform=ax.transAxes, ha="center", va="center",
                    fontsize=10, color="#555555")
        ax.set_xlabel(text("years", lang))
        ax.set_ylabel(text("budget.y", lang))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _: numbers.number(y, lang)))
        _years_axis(ax, snap.horizon)
        legend = ax.legend(handles=handles, frameon=False, fontsize=8, loc="upper left")
        self.animate(self.monthly, self.spent, legend)
        self.update(snap)

    def key(self, snap) -> object:
        return snap.month

    def update(self, snap) -> None:
        spend = snap.spent
        years = np.arange(len(spend)) / 12
        self.spent.set_data(years, np.cumsum(spend))
        self.monthly.set_data(spend, np.append(years - 1 / 24, years[-1] + 1 / 24))
        self.ax.set_ylim(0, max(self.budget, float(np.sum(spend)), 1.0) * 1.1)

"""The live view's figures of the whole region: pure functions from a model to a Figure.

They read the recorder's monthly arrays directly (no DataFrames) so that one step redraws
quickly, and they build `matplotlib.figure.Figure` objects without pyplot, which is not
safe across the threads of several browser sessions.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from ..plots import COLOURS
from ..recorder import REGION_COLUMNS
from ..state import Rogers, Stage
from .i18n import text

DPI = 80
SIZE = (6.0, 3.6)  # inches
MARGINS = dict(left=0.15, right=0.97, bottom=0.14, top=0.9)
STAGE_COLOURS = ("#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c", "#d9d9d9")
_COL = {name: i for i, name in enumerate(REGION_COLUMNS)}


def _figure(title: str) -> tuple[Figure, object]:
    fig = Figure(figsize=SIZE, dpi=DPI)
    fig.subplots_adjust(**MARGINS)
    ax = fig.add_subplot()
    ax.set_title(title, fontsize=11)
    ax.grid(alpha=0.3)
    return fig, ax


def region_history(model) -> np.ndarray:
    """month x REGION_COLUMNS array of everything recorded so far."""
    return np.vstack(model.recorder.region)


def village_map(model, lang: str, selected: int | None = None) -> Figure:
    """Villages at their position; marker area by population, colour by share taking part."""
    vil = model.world.villages
    share = 100 * np.asarray(model.villages.participation)
    fig, ax = _figure(text("map.title", lang))
    area = 900 * vil.population / max(vil.population.max(), 1)
    top = max(5.0, float(np.ceil(share.max() / 5) * 5)) if share.size else 5.0
    points = ax.scatter(vil.x_km, vil.y_km, s=np.maximum(area, 12), c=share, cmap="viridis", vmin=0, vmax=top,
                        edgecolors="black", linewidths=0.4, alpha=0.9)
    if selected is not None and 0 <= selected < vil.n:
        ax.scatter(vil.x_km[selected], vil.y_km[selected], s=max(area[selected], 12) * 1.8, facecolors="none",
                   edgecolors="red", linewidths=1.6)
        ax.annotate(vil.name[selected], (vil.x_km[selected], vil.y_km[selected]), fontsize=8, color="red",
                    xytext=(6, 6), textcoords="offset points")
    fig.colorbar(points, ax=ax, label=text("map.colour", lang), shrink=0.9)
    ax.set_xlabel(text("map.km", lang))
    ax.set_aspect("equal", adjustable="datalim")
    return fig


def adoption_curves(model, lang: str) -> Figure:
    """Share taking part in each Rogers category, and overall, month by month."""
    rec = model.recorder
    counts = np.vstack(rec.rogers)
    shares = 100 * counts / np.maximum(rec.category_n, 1)
    years = np.arange(len(counts)) / 12
    fig, ax = _figure(text("curves.title", lang))
    for colour, cat in zip(COLOURS, Rogers, strict=True):
        ax.plot(years, shares[:, cat], color=colour, label=text(f"rogers.{cat.name.lower()}", lang))
    overall = 100 * region_history(model)[:, _COL["participation_share"]]
    ax.plot(years, overall, color="black", lw=2.2, label=text("curves.all", lang))
    ax.set_xlabel(text("years", lang))
    ax.set_ylabel(text("curves.y", lang))
    ax.set_xlim(0, max(years[-1], 1.0))
    ax.set_ylim(0, max(5.0, float(shares.max()) * 1.1))
    ax.legend(frameon=False, fontsize=8, loc="upper left")
    return fig


def collectives_chart(model, lang: str) -> Figure:
    """Collectives now, one bar per theme, stacked by stage (dissolved ones in grey)."""
    counts = model.recorder.stages[-1]  # theme x stage
    names = [text(f"theme.{t}", lang) for t in model.themes]
    fig, ax = _figure(text("collectives.title", lang))
    left = np.zeros(len(names))
    for stage, colour in zip(Stage, STAGE_COLOURS, strict=True):
        ax.barh(names, counts[:, stage], left=left, color=colour, label=text(f"stage.{stage.name.lower()}", lang))
        left += counts[:, stage]
    ax.set_xlabel(text("collectives.x", lang))
    ax.set_xlim(0, max(5, float(left.max()) * 1.1))
    ax.invert_yaxis()
    ax.legend(frameon=False, fontsize=7, loc="lower right", ncols=2)
    return fig


def budget_chart(model, lang: str) -> Figure:
    """Public money: spent so far against the budget, and spend per month."""
    hist = region_history(model)
    years = np.arange(len(hist)) / 12
    fig, ax = _figure(text("budget.title", lang))
    ax.plot(years, hist[:, _COL["public_spend_cumulative"]], color="#08519c", lw=2, label=text("budget.spent", lang))
    ax.bar(years, hist[:, _COL["public_spend"]], width=1 / 12, color="#fd8d3c", label=text("budget.month", lang))
    budget = model.cfg.policy.budget
    ax.axhline(budget, color="grey", ls="--", lw=1, label=f"{text('budget.total', lang)}: {budget:,.0f}")
    ax.set_xlabel(text("years", lang))
    ax.set_ylabel(text("budget.y", lang))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _: f"{y:,.0f}"))
    ax.set_xlim(0, max(years[-1], 1.0))
    ax.set_ylim(0, max(budget, float(hist[:, _COL["public_spend_cumulative"]].max()), 1.0) * 1.1)
    ax.legend(frameon=False, fontsize=8, loc="upper left")
    return fig

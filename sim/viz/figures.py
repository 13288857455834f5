"""The live view's figures of the whole region, kept per session and updated in place.

Each figure is a `LiveFigure`: built once for a model and a language (the axes, titles,
legends and one artist per series), then, every month, `update(model)` sets the new data on
those artists and `png()` draws and encodes it. Rebuilding every figure and going through
`savefig` each month cost about twice as much (see README, "Speed and memory"). `key(model)`
names the data a figure shows, so a panel whose data did not change is not drawn again.

The figures read the recorder's monthly arrays directly (no DataFrames) and are built on
`matplotlib.figure.Figure` without pyplot, which is not safe across the threads of several
browser sessions.
"""

from __future__ import annotations

import io
import threading

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter
from PIL import Image

from ..plots import COLOURS
from ..recorder import REGION_COLUMNS
from ..state import Rogers, Stage
from .i18n import text

DPI = 80
SIZE = (6.0, 3.6)  # inches
MARGINS = dict(left=0.15, right=0.97, bottom=0.14, top=0.9)
PNG_COMPRESSION = 1  # zlib level: 1 encodes ~3x faster than matplotlib's 6, files within a few %
STAGE_COLOURS = ("#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c", "#d9d9d9")
_COL = {name: i for i, name in enumerate(REGION_COLUMNS)}


class LiveFigure:
    """One panel's figure for one model and language; subclasses build and update the artists.

    The artists that change every month are `dynamic` (matplotlib's "animated" artists): the
    rest (axes, ticks, titles, legends, colour bar) is drawn once and kept as a background
    image, drawn again only when `background()` changes (e.g. new axis limits). A month then
    costs a copy of that image and the few dynamic artists, as in matplotlib's blitting.
    """

    def __init__(self, title: str, margins: dict | None = None) -> None:
        self.fig = Figure(figsize=SIZE, dpi=DPI)
        self.canvas = FigureCanvasAgg(self.fig)
        self.fig.subplots_adjust(**(margins or MARGINS))
        self.ax = self.fig.add_subplot()
        self.ax.set_title(title, fontsize=11)
        self.dynamic: list = []
        self._background = None
        self._drawn_with: object = None
        self._lock = threading.Lock()  # a session's Play thread and its clicks may render at once

    def animate(self, *artists) -> None:
        """Mark artists as redrawn every month (on top of the background, by zorder)."""
        for artist in artists:
            artist.set_animated(True)
            self.dynamic.append(artist)

    def key(self, model) -> object:
        """What the figure shows of `model`: equal keys, equal pictures."""
        raise NotImplementedError

    def update(self, model) -> None:
        """Set the model's current data on the artists."""
        raise NotImplementedError

    def background(self) -> object:
        """Everything the background depends on that `update` may change."""
        return self.ax.get_xlim(), self.ax.get_ylim()

    def png(self, model) -> bytes:
        """The figure with `model`'s current data, as PNG bytes."""
        with self._lock:
            self.update(model)
            if self._background is None or self.background() != self._drawn_with:
                self.canvas.draw()  # all but the dynamic artists
                self._background = self.canvas.copy_from_bbox(self.fig.bbox)
                self._drawn_with = self.background()  # after drawing: an equal aspect may move the limits
            else:
                self.canvas.restore_region(self._background)
            for artist in sorted(self.dynamic, key=lambda a: a.get_zorder()):  # stable: ties keep their order
                self.fig.draw_artist(artist)
            return png_bytes(self.canvas)


def png_bytes(canvas: FigureCanvasAgg) -> bytes:
    """The canvas as drawn, encoded as an RGB PNG (the figures are opaque)."""
    rgba = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buf = io.BytesIO()
    rgba.convert("RGB").save(buf, format="png", compress_level=PNG_COMPRESSION)
    return buf.getvalue()


def upper(value: float, step: float, least: float) -> float:
    """`value` rounded up to a multiple of `step`, at least `least`: axis limits that move
    seldom (once a year, every 5 percentage points) keep the background for many months."""
    return max(least, float(np.ceil(value / step - 1e-9) * step))


def region_history(model) -> np.ndarray:
    """month x REGION_COLUMNS array of everything recorded so far."""
    return np.vstack(model.recorder.region)


def _years(n: int) -> np.ndarray:
    return np.arange(n) / 12


def _grid(ax) -> None:
    ax.grid(alpha=0.3)


class MapFigure(LiveFigure):
    """Villages at their position; marker area by population, colour by share taking part."""

    def __init__(self, model, lang: str, selected: int | None = None) -> None:
        super().__init__(text("map.title", lang))
        vil, ax = model.world.villages, self.ax
        _grid(ax)
        self.selected = selected if selected is not None and 0 <= selected < vil.n else None
        self.points = ax.scatter(vil.x_km, vil.y_km, s=self._area(model), c=np.zeros(vil.n), cmap="viridis",
                                 vmin=0, vmax=5, edgecolors="black", linewidths=0.4, alpha=0.9)
        self.ring = self.label = None
        if self.selected is not None:
            i = self.selected
            self.ring = ax.scatter(vil.x_km[i], vil.y_km[i], s=self._area(model)[i] * 1.8, facecolors="none",
                                   edgecolors="red", linewidths=1.6)
            self.label = ax.annotate(vil.name[i], (vil.x_km[i], vil.y_km[i]), fontsize=8, color="red",
                                     xytext=(6, 6), textcoords="offset points")
        self.fig.colorbar(self.points, ax=ax, label=text("map.colour", lang), shrink=0.9)
        ax.set_xlabel(text("map.km", lang))
        ax.set_aspect("equal", adjustable="datalim")
        self.animate(*[a for a in (self.points, self.ring, self.label) if a is not None])
        self.update(model)

    @staticmethod
    def _area(model) -> np.ndarray:
        pop = model.world.villages.population
        return np.maximum(900 * pop / max(pop.max(), 1), 12)

    def key(self, model) -> object:
        return (np.asarray(model.villages.participation).tobytes(), model.world.villages.population.tobytes())

    def background(self) -> object:
        return super().background(), self.points.get_clim()   # the colour bar's scale

    def update(self, model) -> None:
        share = 100 * np.asarray(model.villages.participation)
        top = upper(share.max(), 5, 5) if share.size else 5.0
        area = self._area(model)
        self.points.set_array(share)
        self.points.set_sizes(area)
        self.points.set_clim(0, top)  # the colour bar follows
        if self.ring is not None:
            self.ring.set_sizes([area[self.selected] * 1.8])


class CurvesFigure(LiveFigure):
    """Share taking part in each Rogers category, and overall, month by month."""

    def __init__(self, model, lang: str) -> None:
        super().__init__(text("curves.title", lang))
        ax = self.ax
        _grid(ax)
        self.lines = [ax.plot([], [], color=colour, label=text(f"rogers.{cat.name.lower()}", lang))[0]
                      for colour, cat in zip(COLOURS, Rogers, strict=True)]
        self.overall = ax.plot([], [], color="black", lw=2.2, label=text("curves.all", lang))[0]
        ax.set_xlabel(text("years", lang))
        ax.set_ylabel(text("curves.y", lang))
        legend = ax.legend(frameon=False, fontsize=8, loc="upper left")
        self.animate(*self.lines, self.overall, legend)  # the legend on top of the curves
        self.update(model)

    def key(self, model) -> object:
        return len(model.recorder.rogers)   # past months never change

    def update(self, model) -> None:
        rec = model.recorder
        shares = 100 * np.vstack(rec.rogers) / np.maximum(rec.category_n, 1)
        years = _years(len(shares))
        for line, cat in zip(self.lines, Rogers, strict=True):
            line.set_data(years, shares[:, cat])
        self.overall.set_data(years, 100 * region_history(model)[:, _COL["participation_share"]])
        self.ax.set_xlim(0, upper(years[-1], 1, 1))
        self.ax.set_ylim(0, upper(float(shares.max()) * 1.1, 5, 5))


class CollectivesFigure(LiveFigure):
    """Collectives now, one bar per theme, stacked by stage (dissolved ones in grey)."""

    def __init__(self, model, lang: str) -> None:
        super().__init__(text("collectives.title", lang))
        ax = self.ax
        _grid(ax)
        names = [text(f"theme.{t}", lang) for t in model.themes]
        zero = np.zeros(len(names))
        self.bars = [ax.barh(names, zero, left=zero, color=colour, label=text(f"stage.{stage.name.lower()}", lang))
                     for stage, colour in zip(Stage, STAGE_COLOURS, strict=True)]
        ax.set_xlabel(text("collectives.x", lang))
        ax.invert_yaxis()
        legend = ax.legend(frameon=False, fontsize=7, loc="lower right", ncols=2)
        self.animate(*[rect for bars in self.bars for rect in bars], legend)
        self.update(model)

    def key(self, model) -> object:
        return model.recorder.stages[-1].tobytes()

    def update(self, model) -> None:
        counts = model.recorder.stages[-1]  # theme x stage
        left = np.zeros(counts.shape[0])
        for stage, bars in zip(Stage, self.bars, strict=True):
            for rect, x, w in zip(bars, left, counts[:, stage], strict=True):
                rect.set_x(x)
                rect.set_width(w)
            left = left + counts[:, stage]
        self.ax.set_xlim(0, upper(float(left.max()) * 1.1, 5, 5))


class BudgetFigure(LiveFigure):
    """Public money: spent so far against the budget, and spend per month."""

    def __init__(self, model, lang: str) -> None:
        super().__init__(text("budget.title", lang))
        ax = self.ax
        _grid(ax)
        self.spent = ax.plot([], [], color="#08519c", lw=2, label=text("budget.spent", lang))[0]
        # one patch for the monthly bars (bars of 1/12 year side by side), not one per month
        self.monthly = ax.stairs([0.0], [-1 / 24, 1 / 24], fill=True, color="#fd8d3c", label=text("budget.month", lang))
        self.budget = model.cfg.policy.budget
        total = ax.axhline(self.budget, color="grey", ls="--", lw=1,
                           label=f"{text('budget.total', lang)}: {self.budget:,.0f}")
        ax.set_xlabel(text("years", lang))
        ax.set_ylabel(text("budget.y", lang))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _: f"{y:,.0f}"))
        legend = ax.legend(handles=[self.spent, total, self.monthly], frameon=False, fontsize=8, loc="upper left")
        self.animate(self.monthly, self.spent, legend)
        self.update(model)

    def key(self, model) -> object:
        return len(model.recorder.region)

    def update(self, model) -> None:
        hist = region_history(model)
        years = _years(len(hist))
        spent = hist[:, _COL["public_spend_cumulative"]]
        self.spent.set_data(years, spent)
        self.monthly.set_data(hist[:, _COL["public_spend"]], np.append(years - 1 / 24, years[-1] + 1 / 24))
        self.ax.set_xlim(0, upper(years[-1], 1, 1))
        self.ax.set_ylim(0, max(self.budget, float(spent.max()), 1.0) * 1.1)


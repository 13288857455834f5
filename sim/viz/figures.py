"""The live view's figures are `LiveFigure`s: kept per session and updated in place.

Each is built once for a run, a language and a village (the axes, titles, legends and one
artist per series), then, every month, `update(snapshot)` sets the new data on those
artists and `png()` draws and encodes it. Rebuilding every figure and going through
`savefig` each month cost about twice as much (see README, "Speed and memory"). `key(snapshot)`
names the data a figure shows, so a panel whose data did not change is not drawn again.
The figures draw a `Snapshot` (sim/viz/live.py), copied under the run's lock, never the
model itself; they are built on `matplotlib.figure.Figure` without pyplot, which is not safe
across the threads of several browser sessions. The figures themselves: live_figures.py.
"""

from __future__ import annotations

import io
import threading

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter
from PIL import Image


DPI = 90
SIZE = (10.0, 3.3)  # inches: 900 x 297 pixels, shown at the width of the page's main column
MARGINS = dict(left=0.07, right=0.98, bottom=0.15, top=0.88)
PNG_COMPRESSION = 1  # zlib level: 1 encodes ~3x faster than matplotlib's 6, files within a few %


class LiveFigure:
    """One panel's figure for one model and language; subclasses build and update the artists.

    The artists that change every month are `dynamic` (matplotlib's "animated" artists): the
    rest (axes, ticks, titles, legends, colour bar) is drawn once and kept as a background
    image, drawn again only when `background()` changes (e.g. new axis limits). A month then
    costs a copy of that image and the few dynamic artists, as in matplotlib's blitting.
    """

    def __init__(self, title: str, margins: dict | None = None, size: tuple[float, float] = SIZE) -> None:
        self.fig = Figure(figsize=size, dpi=DPI)
        self.canvas = FigureCanvasAgg(self.fig)
        self.fig.subplots_adjust(**(margins or MARGINS))
        self.ax = self.fig.add_subplot()
        self.ax.set_title(title, fontsize=11, loc="left")
        self.dynamic: list = []
        self._background = None
        self._drawn_with: object = None
        self._lock = threading.Lock()  # a session's Play thread and its clicks may render at once

    def animate(self, *artists) -> None:
        """Mark artists as redrawn every month (on top of the background, by zorder)."""
        for artist in artists:
            artist.set_animated(True)
            self.dynamic.append(artist)

    def key(self, snap) -> object:
        """What the figure shows of `snap`: equal keys, equal pictures."""
        raise NotImplementedError

    def update(self, snap) -> None:
        """Set the snapshot's data on the artists."""
        raise NotImplementedError

    def background(self) -> object:
        """Everything the background depends on that `update` may change."""
        return self.ax.get_xlim(), self.ax.get_ylim()

    def png(self, snap) -> bytes:
        """The figure with `snap`'s data, as PNG bytes."""
        with self._lock:
            self.update(snap)
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

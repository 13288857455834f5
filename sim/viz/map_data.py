"""What the village map draws (sim/viz/village_map.vue), from a run's villages. Pure code.

Colours are on a fixed scale, the same for every month, world and instrument: the share
taking part in bins of 0-5-10-20-30-40-50-60-100 %, or the difference with the baseline in
bins of -30 ... +30 percentage points. A reader can compare two maps by their colours.
Positions are the villages' km (north up); circle area follows the number of adults.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib import colormaps
from matplotlib.colors import to_hex

from . import numbers, sentences
from .i18n import text
from .live import BASE, POLICY

SHARE_BINS = (0.0, 0.05, 0.10, 0.20, 0.30, 0.40, 0.50, 0.60, 1.0)
DIFF_BINS = (-1.0, -0.30, -0.20, -0.10, -0.05, 0.05, 0.10, 0.20, 0.30, 1.0)
SHARE_COLOURS = tuple(to_hex(colormaps["YlGnBu"](x)) for x in np.linspace(0.12, 0.95, len(SHARE_BINS) - 1))
DIFF_COLOURS = tuple(to_hex(colormaps["RdBu"](x)) for x in np.linspace(0.1, 0.9, len(DIFF_BINS) - 1))
SHOW = ("policy", "baseline", "diff")
PAD_KM = 4.0


def colour(value: float, diff: bool = False) -> str:
    bins, colours = (DIFF_BINS, DIFF_COLOURS) if diff else (SHARE_BINS, SHARE_COLOURS)
    if value is None or not math.isfinite(value):
        return "#dddddd"
    k = int(np.searchsorted(bins, value, side="right")) - 1
    return colours[min(max(k, 0), len(colours) - 1)]


def legend(lang: str, diff: bool = False) -> list[dict]:
    bins, colours = (DIFF_BINS, DIFF_COLOURS) if diff else (SHARE_BINS, SHARE_COLOURS)
    out = []
    for k, c in enumerate(colours):
        lo, hi = bins[k], bins[k + 1]
        if diff:
            label = (f"< {numbers.signed(100 * hi, lang)}" if k == 0 else
                     f"> {numbers.signed(100 * lo, lang)}" if k == len(colours) - 1 else
                     f"{numbers.signed(100 * lo, lang)} … {numbers.signed(100 * hi, lang)}")
        else:
            label = (f"≥ {numbers.pct(lo, lang)}" if k == len(colours) - 1 else
                     f"{numbers.number(100 * lo, lang)}–{numbers.pct(hi, lang)}")
        out.append({"colour": c, "label": label})
    return out


def value(village, show: str) -> float:
    if show == "diff":
        return village.end(POLICY) - village.end(BASE)
    return village.end(POLICY if show == "policy" else BASE)


def data(stories, show: str, selected: int, lang: str) -> dict:
    """Props for the map component: villages, view box, legend, scale bar."""
    show = show if show in SHOW else "policy"
    if BASE in stories.labels and POLICY not in stories.labels:
        show = "baseline"
    vs = stories.villages
    x = np.array([v.x_km for v in vs])
    y = np.array([v.y_km for v in vs])
    adults = np.array([v.adults for v in vs], float)
    span = max(float(x.max() - x.min()), float(y.max() - y.min()), 10.0)
    r_max = span / 28
    radius = np.maximum(r_max * np.sqrt(adults / max(adults.max(), 1.0)), r_max * 0.25)
    x0, x1 = float(x.min()) - PAD_KM, float(x.max()) + PAD_KM + span * 0.12   # room for names on the right
    y0, y1 = float(y.min()) - PAD_KM, float(y.max()) + PAD_KM
    font = span / 55
    big = adults >= np.quantile(adults, 0.5) if len(vs) > 40 else np.ones(len(vs), bool)
    villages = []
    for k, v in enumerate(vs):
        val = value(v, show)
        name = sentences.village_name(v.name, lang)
        shown = numbers.signed(100 * val, lang) + " pp" if show == "diff" else numbers.pct(val, lang)
        villages.append({"i": v.index, "x": round(v.x_km - x0, 3), "y": round(y1 - v.y_km, 3), "r": round(float(radius[k]), 3),
                         "colour": colour(val, show == "diff"), "name": name, "label": bool(big[k]),
                         "title": f"{name}: {shown} ({numbers.number(v.adults, lang)} {text('residents', lang)})"})
    return {"villages": villages, "width": round(x1 - x0, 3), "height": round(y1 - y0, 3), "font": round(font, 3),
            "selected": selected, "legend": legend(lang, show == "diff"),
            "legend_title": text("map.legend.diff" if show == "diff" else "map.legend", lang),
            "scale_km": 10.0, "scale_label": text("map.scale", lang), "north": text("map.north", lang)}

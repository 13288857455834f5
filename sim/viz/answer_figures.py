"""The start view's figures: the answer (taking part over time, policy and baseline, with the
range over runs) and the why (the gain with and without each loop). Pure functions of an
answer and a language; built on matplotlib's Figure without pyplot (safe across sessions'
threads), shared by the page (PNG) and the brief (sim/viz/brief.py).
"""

from __future__ import annotations

import io
import threading
from collections import OrderedDict
from collections.abc import Callable

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from . import numbers, sentences
from .i18n import text
from .question import BASELINE

POLICY_COLOUR = "#1f5fa8"
BASE_COLOUR = "#7a7a7a"
BRAKE_COLOUR = "#c0504d"
ROGERS = (0.025, 0.16)


def percent_axis(ax, lang: str, axis: str = "y") -> None:
    fmt = FuncFormatter(lambda v, _: numbers.number(v, lang))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


def answer_figure(answer, lang: str, size=(9.0, 3.8), dpi: int = 100) -> Figure:
    """Share of adults taking part per month: the policy and the baseline (same seeds), each
    its mean over runs and the range from the lowest to the highest run."""
    q = answer.question
    fig = Figure(figsize=size, dpi=dpi)
    ax = fig.add_subplot()
    years = answer.months / 12
    top = 0.0
    order = [BASELINE] if q.is_baseline else [BASELINE, q.label]
    for label in order:
        mean, lo, hi = answer.curves[label]
        colour = BASE_COLOUR if label == BASELINE else POLICY_COLOUR
        name = text("curves.baseline", lang) if label == BASELINE else sentences.policy_name(q, lang)
        ax.fill_between(years, 100 * lo, 100 * hi, color=colour, alpha=0.18, linewidth=0)
        ax.plot(years, 100 * mean, color=colour, lw=2.4 if label != BASELINE else 1.8, label=name)
        end = answer.end[label][0]
        ax.annotate(numbers.pct(end, lang), (years[-1], 100 * end), xytext=(6, 0), textcoords="offset points",
                    va="center", fontsize=10, color=colour, fontweight="bold")
        top = max(top, float(np.nanmax(hi)))
    for level in ROGERS:
        ax.axhline(100 * level, color="#b0b0b0", lw=0.8, ls=":")
    ax.plot([], [], color="#b0b0b0", lw=0.8, ls=":", label=text("a.figure.rogers", lang))
    ax.fill_between([], [], [], color="#999999", alpha=0.2, label=text("a.figure.band", lang, n=answer.replicates))
    ax.set_xlim(0, years[-1] * 1.08)
    ax.set_ylim(0, max(20.0, np.ceil(top * 100 / 10 + 0.5) * 10))
    ax.set_xlabel(text("a.figure.x", lang))
    ax.set_ylabel(text("a.figure.y", lang))
    percent_axis(ax, lang)
    ax.set_title(text("a.figure.title", lang), fontsize=12, loc="left")
    ax.grid(alpha=0.25)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(frameon=False, fontsize=9, loc="upper left")
    fig.tight_layout()
    return fig


def why_figure(why, lang: str, size=(9.0, 3.2), dpi: int = 100) -> Figure:
    """The gain with every loop on, and with each loop off, with the 95 % interval of the part
    the loop carried."""
    rows = [(text("why.figure.all", lang), why.gain, None, POLICY_COLOUR)]
    for p in why.parts:
        colour = BRAKE_COLOUR if p.kind == "brake" else "#6b8fc4"
        err = (p.carried[2] - p.carried[0], p.carried[0] - p.carried[1])   # gain_without = gain - carried
        rows.append((text("why.figure.off", lang, loop=text(f"loop.{p.loop}", lang)), p.gain_without, err, colour))
    fig = Figure(figsize=(size[0], 0.42 * len(rows) + 1.3), dpi=dpi)
    ax = fig.add_subplot()
    y = np.arange(len(rows))
    values = np.array([100 * r[1] for r in rows])
    ax.barh(y, values, color=[r[3] for r in rows], height=0.6)
    right = values.copy()
    for k, r in enumerate(rows):
        if r[2] is not None and all(np.isfinite(r[2])):
            hi = 100 * max(r[2][1], 0)
            ax.errorbar(100 * r[1], k, xerr=[[100 * max(r[2][0], 0)], [hi]], color="#333333", capsize=3, lw=1)
            right[k] = 100 * r[1] + hi
        ax.text(right[k], k, "  " + numbers.signed(100 * r[1], lang), va="center", fontsize=9)
    ax.set_yticks(y, [r[0] for r in rows], fontsize=9)
    ax.invert_yaxis()
    ax.axvline(0, color="#555555", lw=0.8)
    ax.set_xlim(min(0.0, values.min() * 1.2), max(right.max(), 1.0) * 1.15)
    ax.set_xlabel(text("why.figure.x", lang), fontsize=9)
    ax.set_title(text("why.figure.title", lang, n=why.replicates), fontsize=10, loc="left", wrap=True)
    ax.grid(alpha=0.25, axis="x")
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig


def png(fig: Figure, dpi: int | None = None) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi or fig.dpi)
    return buf.getvalue()


def svg(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="svg")
    return buf.getvalue()


_PNGS: OrderedDict = OrderedDict()
_LOCK = threading.Lock()
CACHE = 64


def cached_png(key: tuple, make: Callable[[], Figure]) -> bytes:
    """The PNG of `make()`, kept for every session by `key` (the answer's or the why's identity
    and the language): a second visitor's first screen does not draw the figures again."""
    with _LOCK:
        if key in _PNGS:
            _PNGS.move_to_end(key)
            return _PNGS[key]
    data = png(make())
    with _LOCK:
        _PNGS[key] = data
        while len(_PNGS) > CACHE:
            _PNGS.popitem(last=False)
    return data


def identity(result) -> tuple:
    """What identifies an answer or a why: its question, replicates and when it was made."""
    return (result.question.key(), result.replicates, result.made.timestamp(), type(result).__name__)

"""The robust view's figures and table, from the analysis as sim/viz/robust_contract.py reads it.

Pure functions of an analysis, an outcome and a language (matplotlib Figure, no pyplot).
"""

from __future__ import annotations

import io
import math

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from . import numbers, sentences
from .answer_figures import BASE_COLOUR, POLICY_COLOUR, percent_axis
from .i18n import text


def policy_label(robust, name: str, lang: str) -> str:
    lab = robust.policy_labels.get(name, {})
    return lab.get(lang) or sentences.instrument_name(name, lang)


def outcome_label(robust, name: str, lang: str) -> str:
    from .. import outcomes

    o = robust.outcome(name)
    if o is not None and o.label.get(lang):
        return o.label[lang]
    return outcomes.label(name, lang)


def others(robust) -> list[str]:
    return [p for p in robust.policies if p != robust.baseline and p in robust.rows]


def _nan(x) -> float:
    return float("nan") if x is None else float(x)


def shares_figure(robust, outcome: str, lang: str) -> Figure:
    """Per policy: share of worlds where it beats the baseline, and where it is the best, with
    their 95 % (Wilson) intervals."""
    names = [p for p in robust.policies if p in robust.rows]
    fig = Figure(figsize=(9.0, 0.5 * len(names) + 1.4), dpi=100)
    ax = fig.add_subplot()
    y = np.arange(len(names))
    for k, (key, colour, label, dy) in enumerate((("beats", POLICY_COLOUR, "robust.fig.beats", -0.18),
                                                  ("best", "#2e8b57", "robust.fig.best", 0.18))):
        vals, los, his = [], [], []
        for p in names:
            row = robust.row(p, outcome)
            iv = getattr(row, key) if row is not None else None
            vals.append(100 * _nan(iv.value if iv else None))
            los.append(100 * _nan(iv.lo if iv else None))
            his.append(100 * _nan(iv.hi if iv else None))
        vals, los, his = map(np.array, (vals, los, his))
        ax.barh(y + dy, np.nan_to_num(vals), height=0.34, color=colour, label=text(label, lang))
        ok = np.isfinite(los) & np.isfinite(his)
        ax.errorbar(vals[ok], (y + dy)[ok], xerr=[np.maximum(vals - los, 0)[ok], np.maximum(his - vals, 0)[ok]],
                    fmt="none", ecolor="#333333", capsize=2, lw=0.8)
    ax.set_yticks(y, [policy_label(robust, p, lang) for p in names], fontsize=9)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    percent_axis(ax, lang, "x")
    ax.set_xlabel(text("robust.fig.share_x", lang))
    ax.set_title(outcome_label(robust, outcome, lang), fontsize=11, loc="left")
    ax.grid(alpha=0.25, axis="x")
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(frameon=False, fontsize=9, loc="lower right")
    fig.tight_layout()
    return fig


def levels_figure(robust, outcome: str, lang: str) -> Figure:
    """Per policy: the median level over worlds and its 5-95 % range; the baseline in grey."""
    names = [p for p in robust.policies if p in robust.rows]
    o = robust.outcome(outcome)
    share = o is not None and "share" in (o.unit or "")
    k = 100.0 if share else 1.0
    fig = Figure(figsize=(9.0, 0.42 * len(names) + 1.4), dpi=100)
    ax = fig.add_subplot()
    for i, p in enumerate(names):
        row = robust.row(p, outcome)
        if row is None or row.level.value is None:
            continue
        colour = BASE_COLOUR if p == robust.baseline else POLICY_COLOUR
        lo, hi = _nan(row.level.lo), _nan(row.level.hi)
        if math.isfinite(lo) and math.isfinite(hi):
            ax.plot([k * lo, k * hi], [i, i], color=colour, lw=2.5, alpha=0.5, solid_capstyle="round")
        ax.plot(k * row.level.value, i, "o", color=colour, ms=7)
    ax.set_yticks(range(len(names)), [policy_label(robust, p, lang) for p in names], fontsize=9)
    ax.invert_yaxis()
    if share:
        percent_axis(ax, lang, "x")
    unit = "%" if share else (o.unit if o is not None else "")
    ax.set_xlabel(f"{outcome_label(robust, outcome, lang)} ({unit})" if unit else outcome_label(robust, outcome, lang))
    ax.set_title(text("robust.fig.levels", lang, outcome=outcome_label(robust, outcome, lang)), fontsize=10, loc="left")
    ax.grid(alpha=0.25, axis="x")
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig


def table(robust, outcome: str) -> pd.DataFrame:
    """The robustness table of one outcome (for CSV)."""
    rows = []
    for p in robust.policies:
        row = robust.row(p, outcome)
        if row is None:
            continue
        rows.append({"policy": p, "outcome": outcome,
                     "beats_baseline": row.beats.value, "beats_lo": row.beats.lo, "beats_hi": row.beats.hi,
                     "best": row.best.value, "best_lo": row.best.lo, "best_hi": row.best.hi,
                     "regret_mean": row.regret[0], "regret_p90": row.regret[1], "regret_max": row.regret[2],
                     "satisficing": row.satisficing.value, "median": row.level.value, "p5": row.level.lo,
                     "p95": row.level.hi, "baseline_median": row.baseline_level.value})
    return pd.DataFrame(rows)


def fmt_level(robust, outcome: str, x: float | None, lang: str, diff: bool = False) -> str:
    if x is None:
        return "–"
    o = robust.outcome(outcome)
    unit = (o.unit if o is not None else "") or ""
    if "share" in unit:
        return numbers.pp(x, lang, sign=False) if diff else numbers.pct(x, lang)
    return numbers.plain(x, lang, 2 if abs(x) < 10 else 0)


def bytes_of(fig: Figure, fmt: str) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, dpi=110 if fmt == "png" else None)
    return buf.getvalue()

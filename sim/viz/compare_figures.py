"""The compare view's figures and tables: pure functions of a Comparison and a language.

The numbers come from sim/report: `figures.band` (mean and 2.5-97.5 % band over replicates)
and `stats.compare` (the paired table, in Comparison.table); sim/viz/numbers.py writes the numbers for a Dutch or English reader.
Each figure has a `*_data` function returning the DataFrame drawn, offered as CSV. Figures
are built without pyplot (not safe across the threads of several sessions).
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ..report import figures as report_figures
from ..report import stats
from .comparisons import Comparison
from .. import outcomes
from . import numbers
from .i18n import TEXTS, text

DPI = 90
DEFAULT_METRIC = "participation_end"
THEME_PREFIXES = ("founded_", "surviving_", "self_sustaining_")


# -- names in the page's language ------------------------------------------------------------

def scenario_name(scenario: str, lang: str) -> str:
    """An instrument's name in `lang` ('subsidy+prize' -> both translated); other labels as they are."""
    from ..instruments.registry import instrument_names

    parts = scenario.split("+")
    if all(p in instrument_names() for p in parts):
        return " + ".join(text(f"instrument.{p}", lang) for p in parts)
    return scenario


def metric_label(metric: str, lang: str) -> str:
    """A metric's plain name in `lang` (the by-theme counts from their prefix and theme)."""
    for prefix in THEME_PREFIXES:
        if metric.startswith(prefix):
            theme = metric.removeprefix(prefix)
            name = text(f"theme.{theme}", lang) if f"theme.{theme}" in TEXTS["en"] else theme
            return f"{outcomes.outcome(prefix).label(lang) if outcomes.outcome(prefix) else prefix}: {name}"
    return outcomes.label(metric, lang)


def metric_choices(cmp: Comparison, lang: str) -> list[dict]:
    """The metrics of the table, for a select: [{'text': label, 'value': metric}]."""
    return [{"text": metric_label(m, lang), "value": m} for m in dict.fromkeys(cmp.table["metric"])]


def runs_summary(cmp: Comparison, lang: str) -> str:
    per = "; ".join(f"{scenario_name(s, lang)}: {k}" for s, k in cmp.runs.items())
    out = text("compare.runs", lang, n=cmp.n_runs, per=per)
    if cmp.failed:
        out += " " + text("compare.failed", lang, n=cmp.failed)
    return out


# -- adoption curves with bands ----------------------------------------------------------------

def bands_data(cmp: Comparison, value: str = "participation_share") -> pd.DataFrame:
    """Per scenario and month: mean and 95 % band over replicates (sim.report.figures.band)."""
    if cmp.curves is None:
        return pd.DataFrame(columns=["scenario", "month", "mean", "lo", "hi", "n"])
    region = cmp.curves[cmp.curves["level"] == "region"]
    return report_figures.band(region, value)


def bands_figure(cmp: Comparison, lang: str, value: str = "participation_share") -> Figure:
    """Small multiples: each instrument's share taking part (mean and band), the baseline in grey."""
    b = bands_data(cmp, value)
    others = [s for s in cmp.scenarios if s != cmp.baseline] or [cmp.baseline]
    ncol = min(4, len(others))
    nrow = -(-len(others) // ncol)
    fig = Figure(figsize=(12.0, 3.0 * nrow + 0.7), dpi=DPI)   # the page's full width, whatever the number
    axes = np.atleast_2d(fig.subplots(nrow, ncol, sharex=True, sharey=True, squeeze=False))
    ref = b[b["scenario"] == cmp.baseline]
    base_name = scenario_name(cmp.baseline, lang)
    for ax, scen in zip(axes.flat, others, strict=False):
        own = b[b["scenario"] == scen]
        if scen != cmp.baseline:
            ax.fill_between(ref["month"] / 12, 100 * ref["lo"], 100 * ref["hi"], color="0.85")
            ax.plot(ref["month"] / 12, 100 * ref["mean"], color="0.45", lw=1.2, label=base_name)
        ax.fill_between(own["month"] / 12, 100 * own["lo"], 100 * own["hi"], color="tab:blue", alpha=0.25)
        ax.plot(own["month"] / 12, 100 * own["mean"], color="tab:blue", lw=1.8, label=scenario_name(scen, lang))
        n = int(own["n"].min()) if len(own) else 0
        ax.set_title(f"{scenario_name(scen, lang)} (n={n})", fontsize=9)
        ax.grid(alpha=0.3)
        _dutch_ticks(ax, lang)
    for ax in axes.flat[len(others):]:
        ax.axis("off")
    for ax in axes[-1]:
        ax.set_xlabel(text("years", lang))
    for ax in axes[:, 0]:
        ax.set_ylabel(text("curves.y", lang), fontsize=8)
    axes.flat[0].legend(fontsize=7, loc="upper left", frameon=False)
    fig.suptitle(text("compare.bands.title", lang, baseline=base_name), fontsize=11)
    fig.tight_layout()
    return fig


def _dutch_ticks(ax, lang: str, y: bool = True) -> None:
    """Tick labels with the reader's decimal mark (0,2 in Dutch); `y=False` keeps the y axis's
    own labels (names, not numbers)."""
    from matplotlib.ticker import FuncFormatter

    fmt = FuncFormatter(lambda v, _: numbers.plain(v, lang, 2))
    ax.xaxis.set_major_formatter(fmt)
    if y:
        ax.yaxis.set_major_formatter(fmt)


# -- differences against the baseline --------------------------------------------------------

DIFF_COLUMNS = ["scenario", "metric", "n_pairs", "diff", "diff_lo", "diff_hi"]


def difference_data(cmp: Comparison, metric: str) -> pd.DataFrame:
    """The paired differences with the baseline for one metric (rows of stats.compare)."""
    t = cmp.table
    rows = t[(t["metric"] == metric) & (t["scenario"] != cmp.baseline)]
    if "diff" not in rows.columns:
        return pd.DataFrame(columns=DIFF_COLUMNS)
    return rows.reindex(columns=DIFF_COLUMNS).dropna(subset=["diff"]).reset_index(drop=True)


def _scale(metric: str) -> float:
    return 100.0 if outcomes.scale(metric) == "share" else 1.0


def difference_figure(cmp: Comparison, metric: str, lang: str) -> Figure:
    """Each instrument's paired difference with the baseline and its 95 % interval."""
    rows = difference_data(cmp, metric)
    k = _scale(metric)
    fig = Figure(figsize=(10.0, 0.42 * max(len(rows), 2) + 1.3), dpi=DPI)
    ax = fig.add_subplot()
    y = np.arange(len(rows))
    if len(rows):
        d, lo, hi = (k * rows[c].to_numpy(float) for c in ("diff", "diff_lo", "diff_hi"))
        err = np.nan_to_num(np.vstack([d - lo, hi - d]), nan=0.0)
        ax.errorbar(d, y, xerr=err, fmt="o", color="tab:blue", capsize=3)
        ax.set_yticks(y, [scenario_name(s, lang) for s in rows["scenario"]])
    else:
        ax.text(0.5, 0.5, text("compare.no_differences", lang), ha="center", va="center", transform=ax.transAxes)
    ax.axvline(0, color="0.4", lw=0.8)
    ax.invert_yaxis()
    unit = text("compare.pp", lang) if k == 100 else stats.label(metric)[1]
    ax.set_title(f"{metric_label(metric, lang)}: {text('compare.diff.title', lang, baseline=scenario_name(cmp.baseline, lang))}",
                 fontsize=9)
    ax.set_xlabel(f"{text('compare.diff.x', lang)} ({unit})", fontsize=8)
    ax.grid(alpha=0.3, axis="x")
    _dutch_ticks(ax, lang, y=False)   # the y axis names the instruments
    fig.tight_layout()
    return fig


# -- the metrics table -----------------------------------------------------------------------

def table_rows(cmp: Comparison, metric: str, lang: str) -> list[dict[str, str]]:
    """One row per scenario for one metric: mean [interval], difference [interval], n."""
    t = cmp.table[cmp.table["metric"] == metric]
    out = []
    for _, r in t.iterrows():
        sc = outcomes.scale(metric)
        mean = (f"{numbers.metric(r['mean'], sc, lang)} [{numbers.metric(r['lo'], sc, lang)}, "
                f"{numbers.metric(r['hi'], sc, lang)}]")
        diff = ""
        if r["scenario"] == cmp.baseline:
            diff = text("compare.baseline", lang)
        elif "diff" in r and not pd.isna(r.get("diff")):
            d = [numbers.metric(r[c], sc, lang, difference=True) for c in ("diff", "diff_lo", "diff_hi")]
            diff = f"{d[0]} [{d[1]}, {d[2]}]"
        n = r.get("n_pairs") if "n_pairs" in r and not pd.isna(r.get("n_pairs")) else r["n"]
        out.append({"scenario": scenario_name(r["scenario"], lang), "mean": mean, "diff": diff, "n": str(int(n))})
    return out


TABLE_HEAD = ("scenario", "mean", "diff", "n")


def table_markdown(rows: list[dict[str, str]], lang: str) -> str:
    head = [text(f"compare.col.{c}", lang) for c in TABLE_HEAD]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(r[c].replace("|", "/") for c in TABLE_HEAD) + " |" for r in rows]
    return "\n".join(lines)


# -- downloads --------------------------------------------------------------------------------

def figure_bytes(fig: Figure, fmt: str) -> bytes:
    """A figure as PNG or SVG bytes."""
    if fmt not in ("png", "svg"):
        raise ValueError(fmt)
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, dpi=110 if fmt == "png" else None)
    return buf.getvalue()


def csv_bytes(df: pd.DataFrame) -> bytes:
    return df.to_csv(index=False).encode("utf-8")

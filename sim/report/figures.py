"""The report's figures (matplotlib, Agg), drawn from the comparison table and the compact
curves (sim/experiments/collect.py: the region and Rogers rows of every run, villages at the
end): effects at three horizons, adoption curves with bands, Rogers categories, the gap of
vulnerable residents, and each village at the end."""

from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from ..atomic import write_atomic  # noqa: E402
from .stats import label  # noqa: E402

ROGERS = ("innovator", "early_adopter", "early_majority", "late_majority", "laggard")
BAND = (2.5, 97.5)  # percentiles over replicates
DPI = 100
EFFECT_HORIZONS = ("participation_y5", "participation_end", "participation_auc")


def band(curves: pd.DataFrame, value: str = "participation_share") -> pd.DataFrame:
    """Per scenario and month: mean and the 2.5-97.5 percentile band over replicates."""
    g = curves.groupby(["scenario", "month"], sort=False)[value]
    return pd.DataFrame({"mean": g.mean(), "lo": g.quantile(BAND[0] / 100), "hi": g.quantile(BAND[1] / 100),
                         "n": g.count()}).reset_index()


def _scenarios(frame: pd.DataFrame, baseline: str) -> list[str]:
    names = sorted(frame["scenario"].unique().tolist())   # (a set of the column iterates 100,000 strings)
    return [baseline, *[s for s in names if s != baseline]] if baseline in names else names


def effects(table: pd.DataFrame, path: Path) -> Path | None:
    """The paired difference with the baseline at year 5, year 10 (the end) and as area under
    the curve, with 95 % intervals: one panel per horizon, a row per scenario."""
    rows = table[table["metric"].isin(EFFECT_HORIZONS)].dropna(subset=["diff"]) if "diff" in table else table.iloc[:0]
    if rows.empty:
        return None
    metrics = [m for m in EFFECT_HORIZONS if m in set(rows["metric"])]
    names = list(dict.fromkeys(zip(rows["stratum"], rows["scenario"])))
    shown = dict(zip(zip(rows["stratum"], rows["scenario"]), rows.get("compared", rows["scenario"]), strict=True))
    fig, axes = plt.subplots(1, len(metrics), figsize=(3.6 * len(metrics), 0.42 * len(names) + 1.3),
                             sharey=True, squeeze=False)
    y = np.arange(len(names))
    for ax, metric in zip(axes.flat, metrics, strict=True):
        sub = rows[rows["metric"] == metric].set_index(["stratum", "scenario"]).reindex(names)
        k = 100.0 if metric != "participation_auc" else 1.0
        d = k * sub["diff"].to_numpy(float)
        err = [d - k * sub["diff_lo"].to_numpy(float), k * sub["diff_hi"].to_numpy(float) - d]
        ax.errorbar(d, y, xerr=err, fmt="o", color="tab:blue", capsize=3, ms=4)
        ax.axvline(0, color="0.4", lw=0.8)
        ax.set_title("\n".join(textwrap.wrap(label(metric)[0], 30)), fontsize=8)
        ax.set_xlabel("percentage points" if k == 100 else "share-years", fontsize=8)
        ax.grid(alpha=0.3, axis="x")
    axes[0, 0].set_yticks(y, ["\n".join(textwrap.wrap(f"{shown[(st, s)]} ({st})" if st else s, 28))
                              for st, s in names], fontsize=7)
    axes[0, 0].invert_yaxis()
    fig.suptitle(f"Difference with the baseline ({table.attrs.get('baseline', '')}), paired by replicate; "
                 "95 % bootstrap intervals", fontsize=9)
    fig.subplots_adjust(left=0.2 if len(metrics) > 1 else 0.35, right=0.98, bottom=0.5 / fig.get_figheight(),
                        top=1 - 0.75 / fig.get_figheight(), wspace=0.12)
    return save(fig, path)


def adoption_bands(curves: pd.DataFrame, baseline: str, path: Path) -> Path:
    """Small multiples: each scenario's share taking part (mean, 95 % band over replicates)
    with the baseline in grey, and the 2.5 % and 16 % marks of Rogers' curve."""
    region = curves[curves["level"] == "region"]
    b = band(region)
    scenarios = _scenarios(region, baseline)
    others = [s for s in scenarios if s != baseline] or scenarios
    ncol = min(4, len(others))
    nrow = -(-len(others) // ncol)
    fig, axes = plt.subplots(nrow, ncol, figsize=(3.2 * ncol, 2.5 * nrow + 0.5), sharex=True, sharey=True,
                             squeeze=False)
    ref = b[b["scenario"] == baseline]
    for ax, scen in zip(axes.flat, others, strict=False):
        own = b[b["scenario"] == scen]
        if scen != baseline and len(ref):
            ax.fill_between(ref["month"] / 12, 100 * ref["lo"], 100 * ref["hi"], color="0.85", lw=0)
            ax.plot(ref["month"] / 12, 100 * ref["mean"], color="0.45", lw=1.2, label=f"{baseline} (baseline)")
        ax.fill_between(own["month"] / 12, 100 * own["lo"], 100 * own["hi"], color="tab:blue", alpha=0.25, lw=0)
        ax.plot(own["month"] / 12, 100 * own["mean"], color="tab:blue", lw=1.8, label=scen)
        for level in (2.5, 16):
            ax.axhline(level, color="0.6", lw=0.6, ls=":")
        ax.set_title(f"{scen} (n={int(own['n'].min())})", fontsize=9)
        ax.grid(alpha=0.3)
    for ax in axes.flat[len(others):]:
        ax.axis("off")
    for ax in axes[-1]:
        ax.set_xlabel("year", fontsize=8)
    for ax in axes[:, 0]:
        ax.set_ylabel("% taking part", fontsize=8)
    axes.flat[0].legend(fontsize=7, loc="upper left")
    fig.suptitle("Residents taking part: mean and 95 % band over replicates (grey: baseline)", fontsize=10)
    fig.subplots_adjust(left=0.07, right=0.98, bottom=0.1, top=0.9, hspace=0.35, wspace=0.12)
    return save(fig, path)


def rogers_panels(curves: pd.DataFrame, baseline: str, path: Path) -> Path:
    """One panel per Rogers category: each scenario's mean share taking part over time (the
    baseline dashed black)."""
    rog = curves[curves["level"] == "rogers"]
    mean = rog.groupby(["unit", "scenario", "month"], sort=True)["participation_share"].mean()
    scenarios = _scenarios(rog, baseline)
    fig, axes = plt.subplots(1, len(ROGERS), figsize=(2.9 * len(ROGERS), 2.9), sharex=True, squeeze=False)
    colours = plt.get_cmap("tab10")
    present = set(mean.index.droplevel(2))
    for ax, cat in zip(axes.flat, ROGERS, strict=True):
        for k, scen in enumerate(scenarios):
            if (cat, scen) not in present:
                continue
            m = mean.loc[(cat, scen)]
            style = {"color": "black", "ls": "--"} if scen == baseline else {"color": colours((k - 1) % 10)}
            ax.plot(m.index / 12, 100 * m.to_numpy(), lw=1.3, label=scen, **style)
        ax.set_title(cat.replace("_", " "), fontsize=9)
        ax.set_xlabel("year", fontsize=8)
        ax.grid(alpha=0.3)
    axes[0, 0].set_ylabel("% of the category taking part", fontsize=8)
    axes[0, -1].legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.02, 1.0))
    fig.suptitle("Taking part by Rogers category (mean over replicates)", fontsize=10)
    fig.subplots_adjust(left=0.05, right=0.86, bottom=0.17, top=0.82, wspace=0.25)
    return save(fig, path)


def vulnerable_gap(curves: pd.DataFrame, baseline: str, path: Path) -> Path | None:
    """Vulnerable residents' share taking part minus everyone's, per scenario (mean over
    replicates, percentage points): below 0, vulnerable residents are left behind."""
    region = curves[curves["level"] == "region"]
    if "vulnerable_participation_share" not in region.columns:
        return None
    gap = (region["vulnerable_participation_share"] - region["participation_share"]).rename("gap")
    mean = pd.concat([region[["scenario", "month"]], gap], axis=1).groupby(["scenario", "month"])["gap"].mean()
    fig, ax = plt.subplots(figsize=(7.0, 3.6))
    colours = plt.get_cmap("tab10")
    for k, scen in enumerate(_scenarios(region, baseline)):
        m = mean.loc[scen]
        style = {"color": "black", "ls": "--"} if scen == baseline else {"color": colours((k - 1) % 10)}
        ax.plot(m.index / 12, 100 * m.to_numpy(), lw=1.4, label=scen, **style)
    ax.axhline(0, color="0.4", lw=0.8)
    ax.set_xlabel("year")
    ax.set_ylabel("percentage points")
    ax.set_title("Vulnerable residents taking part minus all residents (mean over replicates)", fontsize=9)
    n = region["scenario"].nunique()
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=min(n, 3), frameon=False)
    ax.grid(alpha=0.3)
    fig.set_figheight(3.4 + 0.2 * -(-n // 3))
    fig.subplots_adjust(left=0.1, right=0.97, bottom=(0.75 + 0.2 * -(-n // 3)) / fig.get_figheight(), top=0.9)
    return save(fig, path)


def villages_end(curves: pd.DataFrame, baseline: str, path: Path) -> Path | None:
    """Per scenario, each village's share taking part at the end (mean over replicates), as
    dots, with the median: who is left behind, and how unequal villages become."""
    vil = curves[curves["level"] == "village"]
    if vil.empty:
        return None
    end = vil[vil["month"] == vil["month"].max()]
    mean = end.groupby(["scenario", "unit"], sort=False)["participation_share"].mean().reset_index()
    scenarios = _scenarios(mean, baseline)
    fig, ax = plt.subplots(figsize=(7.0, 0.42 * len(scenarios) + 1.2))
    for k, scen in enumerate(scenarios):
        x = 100 * mean.loc[mean["scenario"] == scen, "participation_share"].to_numpy()
        jitter = (np.arange(x.size) % 5 - 2) * 0.06
        ax.scatter(x, k + jitter, s=10, color="0.3" if scen == baseline else "tab:blue", alpha=0.7)
        if x.size:
            ax.plot([np.median(x)] * 2, [k - 0.3, k + 0.3], color="tab:red", lw=2)
    ax.set_yticks(range(len(scenarios)), scenarios, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("% of a village's residents taking part at the end")
    ax.set_title("Villages at the end: a dot per village (mean over replicates), red the median", fontsize=9)
    ax.grid(alpha=0.3, axis="x")
    fig.subplots_adjust(left=0.22, right=0.97, bottom=0.12 + 0.1 / len(scenarios), top=0.9)
    return save(fig, path)


def warm() -> None:
    """Do once what the first figure of a report would do before drawing anything of its
    own (load the font, set up Agg's text path): a sweep calls it from a thread while its
    runs go on, so that the report after the last run only draws. Uses no pyplot state."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(1.0, 1.0), dpi=DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.set_title("0", fontsize=9)
    ax.plot([0, 1], [0, 1])
    fig.canvas.draw()


def save(fig, path: Path) -> Path:
    """Save under a temporary name, then rename (nothing half-written)."""
    try:
        write_atomic(path, lambda tmp: fig.savefig(tmp, dpi=DPI, format=Path(path).suffix[1:]))
    finally:
        plt.close(fig)
    return path

"""The report's figures (matplotlib, Agg): adoption curves with bands per scenario, and
participation by Rogers category."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

ROGERS = ("innovator", "early_adopter", "early_majority", "late_majority", "laggard")
BAND = (2.5, 97.5)  # percentiles over replicates


def band(curves: pd.DataFrame, value: str = "participation_share") -> pd.DataFrame:
    """Per scenario and month: mean and the 2.5-97.5 percentile band over replicates."""
    g = curves.groupby(["scenario", "month"], sort=False)[value]
    return pd.DataFrame({"mean": g.mean(), "lo": g.quantile(BAND[0] / 100), "hi": g.quantile(BAND[1] / 100),
                         "n": g.count()}).reset_index()


def adoption_bands(curves: pd.DataFrame, baseline: str, path: Path, value: str = "participation_share",
                   what: str = "Residents taking part") -> Path:
    """Small multiples: each scenario's share taking part (mean, 95 % band over replicates)
    with the baseline in grey, and the 2.5 % and 16 % marks of Rogers' curve. `value` picks
    the region-level series (e.g. vulnerable_participation_share)."""
    region = curves[curves["level"] == "region"]
    b = band(region, value)
    scenarios = [baseline, *sorted(set(region["scenario"]) - {baseline})]
    others = scenarios[1:] or scenarios
    ncol = min(4, len(others))
    nrow = -(-len(others) // ncol)
    fig, axes = plt.subplots(nrow, ncol, figsize=(3.4 * ncol, 2.8 * nrow), sharex=True, sharey=True, squeeze=False)
    ref = b[b["scenario"] == baseline]
    for ax, scen in zip(axes.flat, others, strict=False):
        own = b[b["scenario"] == scen]
        if scen != baseline:
            ax.fill_between(ref["month"] / 12, 100 * ref["lo"], 100 * ref["hi"], color="0.85")
            ax.plot(ref["month"] / 12, 100 * ref["mean"], color="0.45", lw=1.2, label=f"{baseline} (baseline)")
        ax.fill_between(own["month"] / 12, 100 * own["lo"], 100 * own["hi"], color="tab:blue", alpha=0.25)
        ax.plot(own["month"] / 12, 100 * own["mean"], color="tab:blue", lw=1.8, label=scen)
        for level in (2.5, 16):
            ax.axhline(level, color="0.6", lw=0.6, ls=":")
        ax.set_title(f"{scen} (n={int(own['n'].min())})", fontsize=9)
        ax.grid(alpha=0.3)
    for ax in axes.flat[len(others):]:
        ax.axis("off")
    for ax in axes[-1]:
        ax.set_xlabel("year")
    for ax in axes[:, 0]:
        ax.set_ylabel("% of residents taking part")
    axes.flat[0].legend(fontsize=7, loc="upper left")
    fig.suptitle(f"{what}: mean and 95 % band over replicates (grey: baseline)", fontsize=10)
    fig.tight_layout()
    return save(fig, path)


def rogers_panels(curves: pd.DataFrame, baseline: str, path: Path) -> Path:
    """One panel per Rogers category: each scenario's mean share taking part over time (the
    baseline dashed black)."""
    rog = curves[curves["level"] == "rogers"]
    scenarios = [baseline, *sorted(set(rog["scenario"]) - {baseline})]
    fig, axes = plt.subplots(1, len(ROGERS), figsize=(3.0 * len(ROGERS), 3.0), sharex=True, squeeze=False)
    colours = plt.get_cmap("tab10")
    for ax, cat in zip(axes.flat, ROGERS, strict=True):
        sub = rog[rog["unit"] == cat]
        mean = sub.groupby(["scenario", "month"], sort=False)["participation_share"].mean().reset_index()
        for k, scen in enumerate(scenarios):
            m = mean[mean["scenario"] == scen]
            style = {"color": "black", "ls": "--"} if scen == baseline else {"color": colours((k - 1) % 10)}
            ax.plot(m["month"] / 12, 100 * m["participation_share"], lw=1.4, label=scen, **style)
        ax.set_title(cat.replace("_", " "), fontsize=9)
        ax.set_xlabel("year")
        ax.grid(alpha=0.3)
    axes[0, 0].set_ylabel("% of the category taking part")
    axes[0, -1].legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.02, 1.0))
    fig.suptitle("Taking part by Rogers category (mean over replicates)", fontsize=10)
    fig.tight_layout()
    return save(fig, path)


def villages_end(curves: pd.DataFrame, baseline: str, path: Path) -> Path:
    """Per scenario, each village's share taking part at the end (mean over replicates), as
    dots, with the median: who is left behind, and how unequal villages become."""
    vil = curves[curves["level"] == "village"]
    end = vil[vil["month"] == vil["month"].max()]
    mean = end.groupby(["scenario", "unit"], sort=False)["participation_share"].mean().reset_index()
    scenarios = [baseline, *sorted(set(mean["scenario"]) - {baseline})]
    fig, ax = plt.subplots(figsize=(7.0, 0.45 * len(scenarios) + 1.2))
    for k, scen in enumerate(scenarios):
        x = 100 * mean.loc[mean["scenario"] == scen, "participation_share"].to_numpy()
        jitter = (np.arange(x.size) % 5 - 2) * 0.06
        ax.scatter(x, k + jitter, s=10, color="0.3" if scen == baseline else "tab:blue", alpha=0.7)
        if x.size:
            ax.plot([np.median(x)] * 2, [k - 0.3, k + 0.3], color="tab:red", lw=2)
    ax.set_yticks(range(len(scenarios)), scenarios)
    ax.invert_yaxis()
    ax.set_xlabel("% of a village's residents taking part at the end")
    ax.set_title("Villages at the end: a dot per village (mean over replicates), red the median", fontsize=9)
    ax.grid(alpha=0.3, axis="x")
    fig.tight_layout()
    return save(fig, path)


def differences(table: pd.DataFrame, metric: str, baseline: str, path: Path, label: str) -> Path:
    """Paired difference against the baseline with its 95 % interval, one row per scenario."""
    rows = table[(table["metric"] == metric) & (table["scenario"] != baseline)].dropna(subset=["diff"])
    fig, ax = plt.subplots(figsize=(6.0, 0.45 * max(len(rows), 2) + 1.0))
    y = np.arange(len(rows))
    ax.errorbar(100 * rows["diff"], y, xerr=[100 * (rows["diff"] - rows["diff_lo"]), 100 * (rows["diff_hi"] - rows["diff"])],
                fmt="o", color="tab:blue", capsize=3)
    ax.axvline(0, color="0.4", lw=0.8)
    ax.set_yticks(y, rows["scenario"])
    ax.invert_yaxis()
    ax.set_xlabel(f"{label}: difference with {baseline}, percentage points (95 % interval, paired)")
    ax.grid(alpha=0.3, axis="x")
    fig.tight_layout()
    return save(fig, path)


def save(fig, path: Path) -> Path:
    """Save under a temporary name, then rename (nothing half-written)."""
    tmp = path.with_name(f".{path.stem}.{uuid.uuid4().hex[:8]}{path.suffix}")
    try:
        fig.savefig(tmp, dpi=110)
        os.replace(tmp, path)
    finally:
        plt.close(fig)
        tmp.unlink(missing_ok=True)
    return path

"""Figures of a run (matplotlib, no display needed)."""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from .state import Rogers  # noqa: E402

COLOURS = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e")


def adoption_by_rogers(results, path: Path) -> Path:
    """Share taking part over time, overall and within each Rogers category (one run)."""
    rg, region, cfg = results.rogers, results.region, results.config
    fig, ax = plt.subplots(figsize=(8, 4.8), dpi=120)
    for colour, cat in zip(COLOURS, Rogers, strict=True):
        sub = rg[rg["category"] == cat.name.lower()]
        ax.plot(sub["month"] / 12, 100 * sub["participation_share"], color=colour,
                label=cat.name.replace("_", " ").lower())
    ax.plot(region["month"] / 12, 100 * region["participation_share"], color="black", lw=2.2, label="all residents")
    for level in (2.5, 16.0):
        ax.axhline(level, color="grey", lw=0.8, ls=":")
        ax.text(0, level, f" {level:g} %", va="bottom", ha="left", fontsize=8, color="grey")
    ax.set_xlabel("years")
    ax.set_ylabel("residents taking part (%)")
    ax.set_title(f"Adoption by Rogers category - one run, seed {cfg.seed}, "
                 f"{int(region['residents'].iloc[0]):,} residents, rule {cfg.adoption.rule}", fontsize=10)
    ax.legend(frameon=False, fontsize=8, loc="upper left")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    tmp = path.with_name(path.name + ".tmp.png")
    fig.savefig(tmp)
    plt.close(fig)
    os.replace(tmp, path)
    return path

"""Sensitivity indices with 95 % confidence intervals (SALib), as a table and a figure.

Sobol: first-order S1 and total ST indices, intervals by SALib's bootstrap (Saltelli et al.
2010 estimators). Morris: mu* (mean absolute elementary effect) with its bootstrap interval,
and sigma (spread: interaction or non-linearity).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..atomic import write_text_atomic
from .design import Problem

CONF_LEVEL = 0.95
RESAMPLES = 1000


def indices(problem: Problem, method: str, x: np.ndarray, y: np.ndarray, seed: int) -> pd.DataFrame:
    """A row per parameter: the indices and their interval half-widths."""
    if method == "sobol":
        from SALib.analyze import sobol

        r = sobol.analyze(problem.salib(), y, calc_second_order=False, num_resamples=RESAMPLES,
                          conf_level=CONF_LEVEL, seed=seed)
        return pd.DataFrame({"parameter": problem.names, "S1": r["S1"], "S1_conf": r["S1_conf"],
                             "ST": r["ST"], "ST_conf": r["ST_conf"]})
    from SALib.analyze import morris

    r = morris.analyze(problem.salib(), x, y, num_resamples=RESAMPLES, conf_level=CONF_LEVEL,
                       num_levels=4, seed=seed)
    return pd.DataFrame({"parameter": problem.names, "mu_star": r["mu_star"], "mu_star_conf": r["mu_star_conf"],
                         "mu": r["mu"], "sigma": r["sigma"]})


def markdown(table: pd.DataFrame, method: str, metric: str, runs: int) -> str:
    head = f"# Sensitivity of {metric} ({method}, {runs} runs, 95 % intervals)\n\n"
    if method == "sobol":
        rows = [f"| {r.parameter} | {r.S1:.3f} ± {r.S1_conf:.3f} | {r.ST:.3f} ± {r.ST_conf:.3f} |"
                for r in table.itertuples()]
        return head + "| parameter | first-order S1 | total ST |\n|---|---|---|\n" + "\n".join(rows) + "\n"
    rows = [f"| {r.parameter} | {r.mu_star:.4g} ± {r.mu_star_conf:.3g} | {r.mu:.4g} | {r.sigma:.4g} |"
            for r in table.itertuples()]
    return head + "| parameter | mu* | mu | sigma |\n|---|---|---|---|\n" + "\n".join(rows) + "\n"


def figure(table: pd.DataFrame, method: str, metric: str, path: Path) -> Path:
    """Bars with 95 % intervals: S1 and ST (Sobol) or mu* (Morris), one row per parameter."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ..report.figures import save

    y = np.arange(len(table))
    fig, ax = plt.subplots(figsize=(6.5, 0.5 * len(table) + 1.4))
    if method == "sobol":
        ax.barh(y - 0.2, table["S1"], 0.4, xerr=table["S1_conf"], label="first order S1", color="tab:blue", capsize=3)
        ax.barh(y + 0.2, table["ST"], 0.4, xerr=table["ST_conf"], label="total ST", color="tab:orange", capsize=3)
        ax.set_xlabel(f"Sobol index of {metric} (95 % interval)")
        ax.legend(fontsize=8)
    else:
        ax.barh(y, table["mu_star"], 0.6, xerr=table["mu_star_conf"], color="tab:blue", capsize=3)
        ax.set_xlabel(f"Morris mu* of {metric} (95 % interval)")
    ax.set_yticks(y, table["parameter"])
    ax.invert_yaxis()
    ax.grid(alpha=0.3, axis="x")
    fig.tight_layout()
    return save(fig, path)


def write_text(path: Path, text: str) -> None:
    write_text_atomic(path, text)

"""Check: with adoption=bass and every mechanism off, one village follows Bass' closed form.

Where the model may differ from the closed form, and by how much (the tolerance):

1. The monthly time step. Each month every non-participant joins with probability
   1 - exp(-(p + q F_m) / 12), F_m the share at the start of the month. The mean field of
   that scheme (`bass_monthly_recursion`) lags the closed form slightly because F is held
   fixed within a month; its largest gap to the closed form is the step error (0.0092 for
   p=0.03, q=0.38; 0.0177 for p=0.01, q=0.5).
2. Sampling noise. The run-to-run standard deviation of F(t) (largest over t) was measured
   at N = 20,000 over 48 seeds (BASS_SD); it is larger than the binomial sqrt(F(1-F)/N)
   because imitation amplifies the chance timing of the first innovators, and scales as
   1/sqrt(N) (measured at N = 5,000: within 15 %). The mean of `runs` runs has
   sd / sqrt(runs); the tolerance allows 3 of those.

tolerance = step error + 3 * BASS_SD * sqrt(20000 / N) / sqrt(runs)
"""

from __future__ import annotations

import time

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..runner import run
from .registry import CheckResult, Context, register_check
from .report import save_figure
from .setups import one_village
from .textbook import bass_closed_form, bass_monthly_recursion

MONTHS = 144
SD_POPULATION = 20_000  # the population at which BASS_SD was measured
BASS_SD = {  # (p, q): largest run-to-run sd of F(t) at N = 20,000 (48 seeds; tests' 24 for 0.03/0.38)
    (0.03, 0.38): 0.0076,  # Sultan, Farley & Lehmann (1990) meta-analysis averages
    (0.01, 0.5): 0.0135,
    (0.05, 0.2): 0.0050,
}
FULL = {"population": 20_000, "runs": 8}
FAST = {"population": 5_000, "runs": 2}


def bass_config(population: int, p: float, q: float, seed: int, months: int = MONTHS):
    return one_village(population, "adoption=bass", "mechanisms=none", "network.mean_degree=4", f"months={months}",
                       f"adoption.bass_p={p}", f"adoption.bass_q={q}", seed=seed)


def bass_tolerance(p: float, q: float, population: int, runs: int, months: int = MONTHS) -> tuple[float, float]:
    """(step error, tolerance) for the mean of `runs` runs of one village of `population`."""
    closed = bass_closed_form(np.arange(months + 1) / 12.0, p, q)
    step_error = float(np.abs(bass_monthly_recursion(months, p, q) - closed).max())
    sd = BASS_SD[(p, q)] * np.sqrt(SD_POPULATION / population)
    return step_error, step_error + 3.0 * sd / np.sqrt(runs)


def mean_curve(population: int, p: float, q: float, seeds: range) -> np.ndarray:
    """Share taking part by month, averaged over one run per seed."""
    return np.mean([run(bass_config(population, p, q, s)).region["participation_share"].to_numpy() for s in seeds],
                   axis=0)


@register_check("bass_closed_form", fast=True)
def bass_closed_form_check(ctx: Context) -> CheckResult:
    """Bass rule, no mechanisms, one village: the share taking part follows F(t) of Bass (1969)."""
    size = FAST if ctx.fast else FULL
    n, runs = size["population"], size["runs"]
    seeds = range(ctx.seed, ctx.seed + runs)
    t = np.arange(MONTHS + 1) / 12.0
    rows, curves = [], {}
    for (p, q) in BASS_SD:
        start = time.perf_counter()
        f = mean_curve(n, p, q, seeds)
        closed = bass_closed_form(t, p, q)
        step_error, tol = bass_tolerance(p, q, n, runs)
        dev = float(np.abs(f - closed).max())
        rows.append({"p": p, "q": q, "N": n, "runs": runs, "F_closed_end": closed[-1], "F_model_end": f[-1],
                     "max_dev": dev, "max_dev_recursion": float(np.abs(f - bass_monthly_recursion(MONTHS, p, q)).max()),
                     "step_error": step_error, "tolerance": tol, "passed": dev <= tol,
                     "seconds": time.perf_counter() - start})
        curves[(p, q)] = (f, closed)
    table = pd.DataFrame(rows)
    return CheckResult(
        name="bass_closed_form",
        title=bass_closed_form_check.__doc__.splitlines()[0],
        source="Bass (1969); (p, q) = (0.03, 0.38): Sultan, Farley & Lehmann (1990) averages",
        expected="; ".join(f"F(t) closed form, p={p}, q={q}" for p, q in BASS_SD),
        observed="; ".join(f"max |F_model - F_closed| = {r.max_dev:.4f}" for r in table.itertuples()),
        tolerance="; ".join(f"<= {r.tolerance:.4f}" for r in table.itertuples())
        + f" (step error + 3 sd / sqrt({runs}), sd scaled to N = {n:,})",
        passed=bool(table["passed"].all()),
        figure=_figure(ctx, curves, table),
        details=table,
        notes=(f"One village of {n:,} residents, `adoption=bass mechanisms=none`, {MONTHS} months, mean of "
               f"{runs} runs (seeds {seeds.start}-{seeds.stop - 1}) per (p, q). The tolerance is the largest gap "
               "between the mean field of the model's monthly step and the closed form (the step error; "
               "`max_dev_recursion` is the model's gap to that mean field) plus three standard errors of the "
               "mean curve, from run-to-run standard deviations measured at N = 20,000 and scaled by "
               "sqrt(20,000 / N)."),
    )


def _figure(ctx: Context, curves: dict, table: pd.DataFrame):
    fig, axes = plt.subplots(1, len(curves), figsize=(4.2 * len(curves), 3.4), sharey=True)
    months = np.arange(MONTHS + 1)
    for ax, ((p, q), (f, closed)), row in zip(axes, curves.items(), table.itertuples()):
        ax.plot(months, closed, color="black", lw=2, label="closed form (Bass 1969)")
        ax.plot(months, f, color="tab:orange", lw=1.5, ls="--", label=f"model, mean of {row.runs} runs")
        ax.set_title(f"p = {p}, q = {q}\nmax gap {row.max_dev:.3f} (tolerance {row.tolerance:.3f})", fontsize=9)
        ax.set_xlabel("month")
    axes[0].set_ylabel("share taking part F(t)")
    axes[0].legend(fontsize=8, loc="lower right")
    fig.suptitle(f"Bass rule vs closed form, one village of {int(table['N'].iloc[0]):,}", fontsize=10)
    return save_figure(fig, ctx.figure("bass_closed_form"))

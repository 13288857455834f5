"""The posterior predictive: the calibrated model run forward from the first observed year,
with its parameter uncertainty, as national series with bands.

Draw j = 0 ... J-1 of the posterior's fixed weighted draw (posterior.py) runs R replicates on
model seed `seed + j`; its national series is the mean over its R runs. Bands are the 5 %
and 95 % quantiles over the J draws, the central line their mean (`bands`): parameter uncertainty
plus the chance of a region R times the model's size. That chance is larger than the
country's own (a region of A_model adults scaled by s = A_NL / A_model has s / R times the
variance of a sum over the whole country), so the bands are conservative.

`fit_table` lists every pattern's observed values next to the band; `judge_hindcast` says
whether the held-out years lie inside the 90 % band and how far the median is (NRMSE).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..experiments import Run, run_ensemble
from .national import mean_series, sumstat
from .patterns import SCALAR, Patterns

LEVELS = (0.05, 0.5, 0.95)
PREDICTIVE_SEED = 770_000_000   # added to the calibration's seed: streams no particle was judged on


def predictive_runs(simulator, post, draws: int, seed: int) -> list[list[Run]]:
    """The runs of draws 0..draws-1 (each: the simulator's replicates on seed + j)."""
    return [simulator.runs(post.draw(j), seed + j, f"draw{j}") for j in range(draws)]


def run_predictive(simulator, post, draws: int, seed: int, folder, executor) -> tuple[list[dict[str, np.ndarray]], int]:
    """Every draw's mean national series (run through one ensemble in `folder`), and how many
    runs were run now (0 when every record was found)."""
    per = predictive_runs(simulator, post, draws, seed)
    result = run_ensemble([r for runs in per for r in runs], folder, executor, collect_outputs=False, quiet=True)
    if result.failed:
        from ..errors import Failed

        raise Failed(f"{len(result.failed)} run(s) of the forecast failed; see {folder}/runs/*.failed.json")
    return [mean_series(simulator.series(folder / "runs", runs)) for runs in per], result.ran


def bands(draws: list[dict[str, np.ndarray]], first_year: int) -> pd.DataFrame:
    """Per series and year: the mean over draws (the central line), the median, and 5-95 % (a
    long table). The central line is the mean because a national count is a sum over the
    country's many regions: its expectation is the regions' mean, while the median of a small
    region's counts (a few collectives, right-skewed) lies below it."""
    rows = []
    for name in draws[0]:
        if name == "early_lead":   # one number per run, not a yearly series: see fit_table
            continue
        arr = np.array([d[name] for d in draws])
        for i in range(arr.shape[1]):
            col = arr[:, i]
            col = col[np.isfinite(col)]
            if not col.size:
                continue
            q = np.quantile(col, LEVELS)
            rows.append({"series": name, "year": first_year + i, "q05": q[0], "median": q[1], "q95": q[2],
                         "mean": float(col.mean())})
    return pd.DataFrame(rows)


def ratio_band(draws: list[dict[str, np.ndarray]], first_year: int) -> pd.DataFrame:
    """Members per co-operative per draw (members / count), median and 5-95 %."""
    per = [np.where(d["count"] > 0, d["members"] / np.where(d["count"] > 0, d["count"], 1.0), np.nan) for d in draws]
    return bands([{"per_coop": p} for p in per], first_year)


def fit_table(patterns: Patterns, band: pd.DataFrame, draws, everything: dict) -> pd.DataFrame:
    """Every observed value (fitted or held out) next to the predictive median and band. A
    one-number pattern's band is over the draws' numbers; the one-sided `rogers` pattern
    counts as inside when the mean over draws is at or above its floor (its distance is 0)."""
    rows = []
    scalar = {}
    for name in SCALAR:
        if name in patterns.names:
            xs = [sumstat(d, patterns)[name][0] for d in draws]
            scalar[name] = [x for x in xs if np.isfinite(x)]
    for name, (years, values) in everything.items():
        for y, v in zip(years, values):
            b = band[(band["series"] == name) & (band["year"] == y)]
            if name in scalar:
                xs = scalar[name]
                q = [*np.quantile(xs, LEVELS), float(np.mean(xs))] if xs else [math.nan] * 4
            elif b.empty:
                continue
            else:
                q = b[["q05", "median", "q95", "mean"]].iloc[0].to_numpy()
            inside = q[3] >= v if patterns_norm(patterns, name) == "at_least" else q[0] <= v <= q[2]
            rows.append({"pattern": name, "year": int(y), "observed": float(v), "mean": q[3], "q05": q[0],
                         "median": q[1], "q95": q[2], "fitted": bool(y <= patterns.last_year),
                         "inside": bool(inside)})
    return pd.DataFrame(rows)


def patterns_norm(patterns: Patterns, name: str) -> str:
    return patterns.by_name(name).norm if name in patterns.names else ""


def nrmse(observed, simulated) -> float:
    o, s = np.asarray(observed, float), np.asarray(simulated, float)
    return float(np.sqrt(((o - s) ** 2).mean()) / np.ptp(o)) if np.ptp(o) > 0 else math.inf


def judge_hindcast(table: pd.DataFrame, last_fitted: int, limit: float = 0.05) -> dict:
    """Held-out counts inside the 90 % band, and the central line's (mean over draws) NRMSE
    over every observed count (range-normalised, as the count pattern's distance) and over the
    held-out years alone."""
    c = table[table["pattern"] == "count"].sort_values("year")
    held = c[c["year"] > last_fitted]
    out = {"held_out_years": held["year"].tolist(), "held_out_observed": held["observed"].tolist(),
           "band": held[["q05", "q95"]].to_numpy().tolist(), "mean": held["mean"].tolist(),
           "inside": bool(held["inside"].all()) if len(held) else False,
           "nrmse_all_years": nrmse(c["observed"], c["mean"]),
           "nrmse_held_out": nrmse(held["observed"], held["mean"]) if len(held) > 1 else math.nan,
           "limit": limit}
    out["passed"] = bool(out["inside"] and out["nrmse_all_years"] <= limit)
    return out


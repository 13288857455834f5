"""Comparison statistics: each scenario against the baseline, paired by replicate.

Replicate k of every scenario shares its random stream (common random numbers, see
sim/streams.py), so the difference scenario - baseline is taken within each replicate
and tested with the paired t-test (scipy.stats.ttest_rel); the Wilcoxon signed-rank test
(scipy.stats.wilcoxon) is given as a check that needs no normality. Intervals are 95 %
t-intervals of the mean. Runs where a metric is undefined (NaN, e.g. a level never
reached) are left out of that metric, and n says how many counted.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from .. import outcomes

# metrics in the report's table, in this order, with a plain label and unit (sim/outcomes.py)
METRICS = {o.name: (o.en, o.unit) for o in (*outcomes.METRICS, *outcomes.WITHDRAWAL_METRICS, *outcomes.PAIRED)}


NOT_METRICS = {"run", "scenario", "seed", "replicate", "run_seed", "model_version", "seconds"}


def metric_names(metrics: pd.DataFrame) -> list[str]:
    """Every metric column: the labelled ones of METRICS first, then the rest (by theme...)."""
    rest = [c for c in metrics.columns
            if c not in METRICS and c not in NOT_METRICS and not c.startswith("param:")
            and pd.api.types.is_numeric_dtype(metrics[c])]
    return [m for m in METRICS if m in metrics.columns] + rest


def label(metric: str) -> tuple[str, str]:
    """A plain label and unit for a metric (sim/outcomes.py; by-theme counts from their key)."""
    return outcomes.label(metric), outcomes.unit(metric)


def baseline_of(metrics: pd.DataFrame, baseline: str | None = None) -> str:
    """The given baseline, else 'none' (no instrument) if in the sweep, else the first scenario."""
    scenarios = sorted(set(metrics["scenario"]))
    return baseline if baseline in scenarios else ("none" if "none" in scenarios else scenarios[0])


def order(metrics: pd.DataFrame, base: str) -> list[str]:
    """Scenarios in report order: the baseline, then alphabetical."""
    return [base, *sorted(set(metrics["scenario"]) - {base})]


def mean_interval(x: np.ndarray) -> tuple[float, float, float]:
    """Mean and 95 % t-interval (NaN bounds for fewer than 2 values)."""
    x = x[np.isfinite(x)]
    if x.size == 0:
        return math.nan, math.nan, math.nan
    m = float(x.mean())
    if x.size < 2:
        return m, math.nan, math.nan
    half = float(stats.t.ppf(0.975, x.size - 1) * x.std(ddof=1) / math.sqrt(x.size))
    return m, m - half, m + half


def paired(a: np.ndarray, b: np.ndarray) -> dict[str, float]:
    """Paired difference a - b over pairs where both are defined: mean, 95 % interval,
    t-test and Wilcoxon p-values, number of pairs."""
    ok = np.isfinite(a) & np.isfinite(b)
    d = a[ok] - b[ok]
    mean, lo, hi = mean_interval(d)
    p_t = p_w = math.nan
    if d.size >= 2 and np.ptp(d) > 0:
        p_t = float(stats.ttest_rel(a[ok], b[ok]).pvalue)
        p_w = float(stats.wilcoxon(d).pvalue) if np.any(d != 0) else 1.0
    elif d.size >= 2 and np.all(d == d[0]):
        p_t = p_w = 1.0 if d[0] == 0 else 0.0   # a constant, nonzero shift is certain
    return {"diff": mean, "diff_lo": lo, "diff_hi": hi, "p_t": p_t, "p_wilcoxon": p_w, "n_pairs": int(d.size)}


def compare(metrics: pd.DataFrame, baseline: str | None = None) -> pd.DataFrame:
    """A row per scenario and metric: n, mean, interval, paired difference against the
    baseline scenario (matched on replicate) with its tests."""
    base = baseline_of(metrics, baseline)
    scenarios = order(metrics, base)
    ref = metrics[metrics["scenario"] == base].set_index("replicate")
    rows = []
    for scen in scenarios:
        own = metrics[metrics["scenario"] == scen].set_index("replicate")
        common = own.index.intersection(ref.index)
        for metric in metric_names(metrics):
            x = own[metric].to_numpy(float)
            mean, lo, hi = mean_interval(x)
            row = {"scenario": scen, "metric": metric, "n": int(np.isfinite(x).sum()), "mean": mean, "lo": lo, "hi": hi}
            if scen != base:
                row.update(paired(own.loc[common, metric].to_numpy(float), ref.loc[common, metric].to_numpy(float)))
            rows.append(row)
        if scen != base and {"public_spend_total", "participants_end"} <= set(metrics.columns):
            rows.append(cost_per_extra_participant(own.loc[common], ref.loc[common], scen))
    out = pd.DataFrame(rows)
    out.attrs["baseline"] = base
    return out


def cost_per_extra_participant(own: pd.DataFrame, ref: pd.DataFrame, scenario: str) -> dict:
    """Public spend per extra resident taking part at the end, against the baseline:
    sum of spend / sum of paired extra participants (a ratio of means over the replicates;
    undefined when the instrument adds no participants on average). The interval is a
    percentile bootstrap over replicates (2000 resamples, fixed seed)."""
    spend = (own["public_spend_total"] - ref["public_spend_total"]).to_numpy(float)
    extra = (own["participants_end"] - ref["participants_end"]).to_numpy(float)
    row = {"scenario": scenario, "metric": "cost_per_extra_participant", "n": int(len(extra))}
    if len(extra) == 0 or extra.sum() <= 0:
        return {**row, "mean": math.nan, "lo": math.nan, "hi": math.nan}
    ratio = spend.sum() / extra.sum()
    rng = np.random.default_rng(20261127)
    idx = rng.integers(0, len(extra), size=(2000, len(extra)))
    s, e = spend[idx].sum(axis=1), extra[idx].sum(axis=1)
    boot = np.where(e > 0, s / np.where(e > 0, e, 1), np.inf)   # no extra participants: unbounded
    lo, hi = np.percentile(boot, [2.5, 97.5], method="nearest") if len(extra) > 1 else (math.nan, math.nan)
    return {**row, "mean": float(ratio), "lo": float(lo), "hi": float(hi)}

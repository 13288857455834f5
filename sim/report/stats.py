"""Comparison statistics fit for simulations: effect sizes with intervals, paired on common
random numbers, against a baseline that is named (White et al. 2014: with as many runs as one
wants, a p-value says more about the number of runs than about the effect; so none are given).

- The baseline is one value of one swept parameter (`Baseline`, e.g. policy.instruments=[none]),
  named by the caller or found when it is the one "none" among the swept values; when it
  cannot be found unambiguously there are no differences, and the report says why.
- Each run is paired with the baseline run that shares its seed, replicate and the values of
  every other swept parameter (its stratum): replicate k of every scenario uses the same
  random stream (sim/streams.py), so the difference is taken within a pair.
- Intervals are 95 % percentile bootstrap intervals over replicates (2,000 resamples, a
  fixed seed): the interval of a mean share stays within 0-100 % and that of a mean
  difference of shares within -100 to +100 pp, whatever the skew. A share of runs (the early
  majority following) has a Wilson score interval.
- Runs where a metric is undefined (a level never reached) are left out of that metric, and
  n says how many counted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import outcomes

RESAMPLES = 2000
LEVEL = 0.95
SEED = 20261127
NOT_METRICS = {"run", "scenario", "seed", "replicate", "run_seed", "model_version", "seconds"}
SEED_KEYS = ("seed", "replicate")
# labels that vary between runs but are no factor to compare within: a sensitivity design's row,
# and the posterior draw that posterior=replicate gives replicate r (the same draw for every
# scenario at r, sim/calibrate/draws.py), which pairing on the replicate already matches
NOT_FACTORS = ("design.row", "posterior_draw")
HEADLINE = ("participation_y5", "participation_end", "participation_auc", "months_to_2_5", "months_to_16")
BINARY = {"chasm_crossed"}   # a share of runs: Wilson


@dataclass(frozen=True)
class Baseline:
    """The baseline of a comparison: `key` = `value` (e.g. policy.instruments = [none])."""

    key: str
    value: str

    def __str__(self) -> str:
        return f"{self.key}={self.value}"

    @classmethod
    def parse(cls, text: str) -> Baseline:
        key, sep, value = text.partition("=")
        if not sep or not key.strip():
            from ..errors import UserError

            raise UserError(f"--baseline {text}: give KEY=VALUE, e.g. policy.instruments=[none]")
        return cls(key.strip(), value.strip())


def metric_names(metrics: pd.DataFrame) -> list[str]:
    """Every metric column: the declared ones in their order (sim/outcomes.py), then the rest."""
    numeric = [c for c in metrics.columns if c not in NOT_METRICS and not c.startswith("param:")
               and pd.api.types.is_numeric_dtype(metrics[c])]
    declared = [o.name for o in (*outcomes.METRICS, *outcomes.WITHDRAWAL_METRICS)]
    return [m for m in declared if m in numeric] + [c for c in numeric if c not in declared]


def label(metric: str) -> tuple[str, str]:
    """A plain label and unit for a metric (sim/outcomes.py; by-theme counts from their key)."""
    return outcomes.label(metric), outcomes.unit(metric)


def swept(metrics: pd.DataFrame) -> list[str]:
    """The parameters whose values differ between runs (seeds, design rows and posterior draws aside)."""
    keys = [c.removeprefix("param:") for c in metrics.columns if c.startswith("param:")]
    return [k for k in keys if k not in SEED_KEYS and k not in NOT_FACTORS and metrics[f"param:{k}"].nunique() > 1]


def find_baseline(metrics: pd.DataFrame, named: Baseline | str | None = None) -> tuple[Baseline | None, str]:
    """(the baseline, '') or (None, why there is none)."""
    if isinstance(named, str):
        named = Baseline.parse(named)
    keys = swept(metrics)
    if named is not None:
        col = f"param:{named.key}"
        if col not in metrics.columns or not (metrics[col] == named.value).any():
            return None, f"no run has {named} (the swept parameters are {', '.join(keys) or 'none'})"
        return named, ""
    found = [Baseline(k, v) for k in keys for v in metrics[f"param:{k}"].unique() if str(v).strip("[]") == "none"]
    if len(found) == 1:
        return found[0], ""
    if not keys:
        return None, "nothing was swept: one scenario, nothing to compare"
    why = "several swept values are 'none'" if found else "no swept value is 'none'"
    return None, f"{why}; name the baseline (vliegwiel --baseline KEY=VALUE, e.g. policy.instruments=[none])"


# --- intervals ----------------------------------------------------------------------------
def bootstrap_means(x: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Column means of x (runs x metrics, NaN = undefined) and their 95 % percentile
    bootstrap interval over runs."""
    x = np.asarray(x, float)
    with np.errstate(invalid="ignore"), _quiet():
        mean = np.nanmean(x, axis=0) if len(x) else np.full(x.shape[1], math.nan)
    lo = np.full(x.shape[1], math.nan)
    hi = lo.copy()
    if len(x) >= 2:
        idx = rng.integers(0, len(x), size=(RESAMPLES, len(x)))
        with np.errstate(invalid="ignore"), _quiet():
            boot = _nanmean_rows(x, idx)
            lo, hi = _nanpercentile_columns(boot, [100 * (1 - LEVEL) / 2, 100 * (1 + LEVEL) / 2])
    n = np.isfinite(x).sum(axis=0)
    lo = np.where(n >= 2, lo, math.nan)
    hi = np.where(n >= 2, hi, math.nan)
    return mean, lo, hi


def _nanmean_rows(x: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """np.nanmean(x[idx], axis=1), computed as nanmean does (the sum of the resample with
    NaN as 0, along the same axis of an array of the same shape, divided by the count of
    numbers) but with the NaN replaced in x once instead of in every resample: the same
    numbers in a fraction of the time, a few resamples at a time (each resample's mean is
    its own sum, so the numbers do not depend on how many are taken at once; a 4,000-run
    ensemble's resamples would take 4 GB at once). (Summing fewer columns at a time would
    change numpy's order of summation, and so the last digit.)"""
    holes = np.isnan(x)
    filled, valid = (x, None) if not holes.any() else (np.where(holes, 0.0, x), ~holes)
    out = np.empty((idx.shape[0], x.shape[1]))
    step = max(1, CHUNK // max(1, idx.shape[1] * x.shape[1]))   # resamples at a time: a few MB, not GB
    for lo in range(0, idx.shape[0], step):
        rows = idx[lo : lo + step]
        if valid is None:
            out[lo : lo + step] = filled[rows].mean(axis=1)
        else:
            total = filled[rows].sum(axis=1)
            count = valid[rows].sum(axis=1, dtype=np.intp)
            out[lo : lo + step] = np.true_divide(total, count, out=total, casting="unsafe")
    return out


CHUNK = 1 << 20   # values of a resample held at once by _nanmean_rows (8 MB)


def _nanpercentile_columns(boot: np.ndarray, q: list[float]) -> np.ndarray:
    """np.nanpercentile(boot, q, axis=0): columns without NaN through np.percentile (one
    vectorised call, the same interpolation), the others column by column as nanpercentile does."""
    holes = np.isnan(boot).any(axis=0)
    if not holes.any():
        return np.percentile(boot, q, axis=0)
    out = np.empty((len(q), boot.shape[1]))
    out[:, ~holes] = np.percentile(boot[:, ~holes], q, axis=0)
    out[:, holes] = np.nanpercentile(boot[:, holes], q, axis=0)
    return out


def wilson(k: float, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """Wilson score interval of a proportion k/n (Wilson 1927): stays within 0-1 and is
    not degenerate at 0 or n."""
    if n <= 0:
        return math.nan, math.nan
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


class _quiet:
    def __enter__(self):
        import warnings

        self.w = warnings.catch_warnings()
        self.w.__enter__()
        warnings.simplefilter("ignore", RuntimeWarning)

    def __exit__(self, *exc):
        self.w.__exit__(*exc)


# --- the comparison -----------------------------------------------------------------------
def compare(metrics: pd.DataFrame, baseline: Baseline | str | None = None) -> pd.DataFrame:
    """A row per stratum, scenario and metric: n, mean and interval, and (with a baseline)
    the paired difference with the baseline and its interval, n_pairs. attrs: baseline (the
    label of the baseline scenario or ''), baseline_spec, why (if none), strata."""
    base, why = find_baseline(metrics, baseline)
    names = metric_names(metrics)
    rng = np.random.default_rng(SEED)
    keys = swept(metrics)
    other = [k for k in keys if base is None or k != base.key]
    strata = _strata(metrics, other)
    rows = []
    for stratum, runs in strata.items():
        ref = None
        if base is not None:
            ref = runs[runs[f"param:{base.key}"] == base.value].set_index(["seed", "replicate"])
        for scen in order(runs, ref):
            own = runs[runs["scenario"] == scen]
            mean, lo, hi = bootstrap_means(own[names].to_numpy(float), rng)
            diffs = None
            if ref is not None and not (own[f"param:{base.key}"] == base.value).all():
                mine = own.set_index(["seed", "replicate"])
                common = mine.index.intersection(ref.index)
                d = mine.loc[common, names].to_numpy(float) - ref.loc[common, names].to_numpy(float)
                diffs = (*bootstrap_means(d, rng), np.isfinite(d).sum(axis=0))
            compared = _compared(own, base, scen)
            for j, metric in enumerate(names):
                row = {"stratum": stratum, "scenario": scen, "compared": compared, "metric": metric,
                       "n": int(np.isfinite(own[metric].to_numpy(float)).sum()),
                       "mean": mean[j], "lo": lo[j], "hi": hi[j]}
                if metric in BINARY:
                    row["lo"], row["hi"] = wilson(float(np.nansum(own[metric])), row["n"])
                if diffs is not None:
                    row.update(diff=diffs[0][j], diff_lo=diffs[1][j], diff_hi=diffs[2][j], n_pairs=int(diffs[3][j]))
                rows.append(row)
            if diffs is not None and {"public_spend_total", "participants_end"} <= set(metrics.columns):
                mine = own.set_index(["seed", "replicate"])
                common = mine.index.intersection(ref.index)
                rows.append({"stratum": stratum, "compared": compared,
                             **cost_per_extra_participant(mine.loc[common], ref.loc[common], scen, rng)})
    out = pd.DataFrame(rows)
    out.attrs.update(baseline=_label_of(metrics, base), baseline_spec=str(base) if base else "", why=why,
                     strata=list(strata))
    return out


def baseline_label(metrics: pd.DataFrame, baseline: Baseline | str | None = None) -> str:
    """The scenario label of the baseline (compare(...).attrs['baseline']; '' without one),
    without the comparison itself: what the figures need."""
    return _label_of(metrics, find_baseline(metrics, baseline)[0])


def _label_of(metrics: pd.DataFrame, base: Baseline | None) -> str:
    if base is None:
        return ""
    hits = metrics.loc[metrics[f"param:{base.key}"] == base.value, "scenario"].unique()
    return str(hits[0]) if len(hits) == 1 else str(base)


def _compared(own: pd.DataFrame, base: Baseline | None, scenario: str) -> str:
    """What a scenario is within its stratum: its value of the baseline's key (instruments
    without brackets), or the scenario's label."""
    if base is None or f"param:{base.key}" not in own.columns or own.empty:
        return scenario
    value = str(own[f"param:{base.key}"].iloc[0])
    return value.strip("[]").replace(",", "+").replace(" ", "") or value if base.key == "policy.instruments" else value


def _strata(metrics: pd.DataFrame, keys: list[str]) -> dict[str, pd.DataFrame]:
    if not keys:
        return {"": metrics}
    groups = metrics.groupby([f"param:{k}" for k in keys], sort=True)
    return {", ".join(f"{k}={v}" for k, v in zip(keys, vals if isinstance(vals, tuple) else (vals,), strict=True)): g
            for vals, g in groups}


def order(runs: pd.DataFrame, ref: pd.DataFrame | None) -> list[str]:
    """Scenarios in report order: the baseline first, then as they come (sorted)."""
    scenarios = sorted(set(runs["scenario"]))
    if ref is not None and len(ref):
        first = ref["scenario"].iloc[0]
        return [first, *[s for s in scenarios if s != first]]
    return scenarios


def cost_per_extra_participant(own: pd.DataFrame, ref: pd.DataFrame, scenario: str,
                               rng: np.random.Generator | None = None) -> dict:
    """Public spend per extra resident taking part at the end, against the baseline:
    sum of extra spend / sum of paired extra participants (a ratio of means over the
    replicates; undefined when the instrument adds no participants on average). The interval
    is a percentile bootstrap over replicates (2,000 resamples, fixed seed)."""
    rng = rng if rng is not None else np.random.default_rng(SEED)
    spend = (own["public_spend_total"] - ref["public_spend_total"]).to_numpy(float)
    extra = (own["participants_end"] - ref["participants_end"]).to_numpy(float)
    row = {"scenario": scenario, "metric": "cost_per_extra_participant", "n": int(len(extra))}
    if len(extra) == 0 or extra.sum() <= 0:
        return {**row, "mean": math.nan, "lo": math.nan, "hi": math.nan}
    ratio = spend.sum() / extra.sum()
    idx = rng.integers(0, len(extra), size=(RESAMPLES, len(extra)))
    s, e = spend[idx].sum(axis=1), extra[idx].sum(axis=1)
    boot = np.where(e > 0, s / np.where(e > 0, e, 1), np.inf)   # no extra participants: unbounded
    lo, hi = np.percentile(boot, [2.5, 97.5], method="nearest") if len(extra) > 1 else (math.nan, math.nan)
    return {**row, "mean": float(ratio), "lo": float(lo), "hi": float(hi)}

"""From a run's record to national yearly series, and from a particle's runs to the summary
statistics its patterns are compared on.

A run's record (sim/experiments/records.py) holds, per theme and month, the organised
collectives, their members and how many became organised or stopped that month, and the
region's residents. Month 0 is the end of the first observed year (2009), so year y is month
12 (y - 2009); a year's flow (foundings, stoppings) is the sum over its months 12 (y - 2009)
- 11 ... 12 (y - 2009). Every count is scaled to the country by the mapping's s (mapping.py).
The record's metric `early_lead` (sim/metrics.py; not scaled: a ratio) is carried along as a
series of one number, for the `rogers` pattern.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

from ..errors import UserError
from ..experiments.records import META_KEY
from .mapping import Mapping
from .patterns import Patterns

SERIES = ("count", "members", "founded", "stopped", "care")


COLUMNS = ["month", "level", "unit", "residents", "organised", "members", "became_organised", "stopped"]


def run_series(path: Path, mapping: Mapping, first_year: int, years: int) -> dict[str, np.ndarray]:
    """National yearly series of one run's record (years first_year ... first_year + years - 1),
    and its early_lead."""
    table = pq.read_table(path, columns=COLUMNS)
    out = curves_series(table.to_pandas(), mapping, first_year, years, str(path))
    meta = json.loads((table.schema.metadata or {}).get(META_KEY, b"{}"))
    out["early_lead"] = np.array([float(meta.get("metrics", {}).get("early_lead", math.nan))])
    return out


def curves_series(t, mapping: Mapping, first_year: int, years: int, path: str = "a run") -> dict[str, np.ndarray]:
    """The same from a run's tidy curves (sim.experiments.records.curves)."""
    region = t[t["level"] == "region"].sort_values("month")
    if region.empty:
        raise UserError(f"{path}: a record without region rows")
    s = mapping.scale(float(region["residents"].iloc[0]))
    months = 12 * np.arange(years)
    last = int(months[-1])
    out = {}
    for theme, prefix in (("energy", ""), ("care", "care_")):
        rows = t[(t["level"] == "theme") & (t["unit"] == theme)].sort_values("month")
        rows = rows[rows["month"] <= last]
        if len(rows) != last + 1:
            raise UserError(f"{path}: the record has {len(rows)} months of {theme}, needs {last + 1}")
        org, mem = rows["organised"].to_numpy(float), rows["members"].to_numpy(float)
        became, stop = rows["became_organised"].to_numpy(float), rows["stopped"].to_numpy(float)
        cum_b, cum_s = np.cumsum(became), np.cumsum(stop)
        founded = np.diff(np.concatenate([[0.0], cum_b[months]]))
        stopped = np.diff(np.concatenate([[0.0], cum_s[months]]))
        founded[0] = stopped[0] = np.nan   # year 0's month 0 holds the collectives from before
        if theme == "energy":
            out.update(count=s * org[months], members=s * mem[months], founded=s * founded, stopped=s * stopped)
        else:
            out[prefix + "count"] = s * org[months]
    out["care"] = out.pop("care_count")
    return out


def mean_series(runs: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """The mean of each series over a particle's replicates (early_lead: over the replicates
    that have it, NaN in a run without adopters after month 0)."""
    out = {k: np.mean([r[k] for r in runs], axis=0) for k in runs[0] if k != "early_lead"}
    if "early_lead" in runs[0]:
        lead = np.array([r["early_lead"] for r in runs], float)
        ok = np.isfinite(lead)
        out["early_lead"] = (lead * ok).sum(axis=0, where=ok) / ok.sum(axis=0) if ok.any() else np.full(1, math.nan)
    return out


def sumstat(series: dict[str, np.ndarray], patterns: Patterns) -> dict[str, np.ndarray]:
    """The summary statistics of `patterns` from a particle's mean national series."""
    first = patterns.first_year
    idx = lambda years: np.asarray(years, int) - first   # noqa: E731
    out = {}
    for p in patterns.items:
        if p.name == "per_coop":
            i = idx(p.years)
            count = series["count"][i]
            # no co-operative in the model: 0 members per co-operative (as far from the data as it gets)
            out[p.name] = np.where(count > 0, series["members"][i] / np.where(count > 0, count, 1.0), 0.0)
        elif p.name == "rogers":
            out[p.name] = series.get("early_lead", np.full(1, np.nan))
        elif p.name == "stopped":
            last = patterns.last_year - first
            ever = series["count"][0] + np.nansum(series["founded"][1:last + 1])
            out[p.name] = np.array([np.nansum(series["stopped"][1:last + 1]) / ever if ever > 0 else np.nan])
        else:
            out[p.name] = series[p.name][idx(p.years)]
    return out

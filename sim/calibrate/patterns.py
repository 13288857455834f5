"""The patterns a calibration fits at once (pattern-oriented modelling, Grimm et al. 2005),
each with its own distance and a stated weight.

Every pattern compares a national series computed from the model (sim/calibrate/national.py:
model counts x the mapping's scale, mean over a particle's replicates) with an observed one:

| pattern | observed (years) | distance d_k | weight |
|---|---|---|---|
| count | energy co-operatives, cumulative (2009-2019) | RMSE / range of observed | 1 |
| members | members of energy co-operatives (2016-2019) | RMSE / mean of observed | 1 |
| per_coop | members per co-operative (2016-2019) | RMSE / mean of observed | 0.5 |
| founded | new co-operatives per year (2010-2019) | RMSE / mean of observed | 0.5 |
| stopped | share of all co-operatives ever that stopped (2010-2019) | abs. difference / 0.04 | 0.25 |
| care | care initiatives (2012, 2014, 2016) | RMSE / range of observed | 0.5 |
| rogers (with --rogers) | innovators + early adopters lead their village's adoption: at least 2 x random order | shortfall / 0.1 | 0.5 |

The total distance is the weighted mean, D = sum_k w_k d_k / sum_k w_k. Why these weights: the
count is the longest, best-defined series; members are a second level (people, not
organisations) from the same monitor; members per co-operative and foundings are partly
redundant with those two (half weight); stoppings are few and their definition differs
between sources (a quarter); the care series mixes inventories of changing definition (half).
`rogers` (only with `vliegwiel-calibrate --rogers`: the shipped fit does not use it, see
docs/ODD.md s9 for what it did) is a pattern of individuals, not of the country: among the first 16 % of each
village's adopters, innovators and early adopters are at least twice as frequent as in random
order (sim/metrics.py: early_lead, mean over a particle's replicates; Rogers 2003 defines the
categories by this timing, "twice" is the assumption of the `rogers_timing` check). It is
one-sided (no distance at or above twice) because Rogers gives no upper level short of all;
its unit 0.1 is about the run-to-run standard deviation of early_lead on the calibration world
(0.08-0.22 measured over four seeds): a particle one noise-width short is one unit away. Half
weight: it comes from theory, with an assumed threshold, not from Dutch data. The counts
leave how much sooner innovators act once convinced (adoption.decide_innovativeness) open;
this pattern is what informs it.

The stopping share's scale 0.04 is the gap between the series' 1 % and the monitor's "about
5 % of all ever founded" (EVIDENCE.md s1): a simulated share at either end is one unit away.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from importlib.resources import files
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import UserError
from ..outcomes import FAR_MORE

DATA = Path(str(files("sim") / "data"))
ENERGY = DATA / "energy_cooperatives_nl.csv"
CARE = DATA / "care_initiatives_nl.csv"
STOP_SCALE = 0.04   # the stopping share's distance unit (module docstring)
LEAD_SCALE = 0.1    # the rogers pattern's distance unit (module docstring)
SCALAR = ("stopped", "rogers")   # patterns of one number over the fitted years, not a series per year


@dataclass(frozen=True)
class Pattern:
    """One observed pattern: what, in which years, how far a simulation is from it."""

    name: str
    label: str
    years: np.ndarray       # the years the observed values belong to
    observed: np.ndarray
    weight: float
    norm: str               # "range", "mean", "scale" (divide by `scale`) or "at_least" (shortfall / `scale`)
    source: str
    scale: float = math.nan
    unit: str = ""

    def distance(self, simulated) -> float:
        """d_k: RMSE of simulated - observed, divided by the observed range or mean (or, for a
        single number, the absolute difference divided by `scale`; "at_least": how far the
        simulated number falls short of the observed one, max(0, o - s) / `scale`)."""
        s = np.asarray(simulated, float)
        o = self.observed
        if s.shape != o.shape or not np.all(np.isfinite(s)):
            return math.inf
        if self.norm == "at_least":
            return float(np.sqrt((np.maximum(o - s, 0.0) ** 2).mean())) / self.scale
        rmse = float(np.sqrt(((s - o) ** 2).mean()))
        if self.norm == "range":
            return rmse / float(np.ptp(o))
        if self.norm == "mean":
            return rmse / float(np.abs(o).mean())
        return rmse / self.scale

    def until(self, year: int) -> Pattern | None:
        """The pattern restricted to years up to `year` (None if nothing is left)."""
        keep = self.years <= year
        if not keep.any():
            return None
        if self.name in SCALAR:   # one number over the fitted years: recomputed by `energy_patterns`
            return self
        return replace(self, years=self.years[keep], observed=self.observed[keep])


@dataclass(frozen=True)
class Patterns:
    """The patterns of one calibration and their combination."""

    items: tuple[Pattern, ...]
    first_year: int                 # model month 0 is the end of this year
    last_year: int                  # the last fitted year
    held_out: dict = field(default_factory=dict)   # name -> (years, values) observed after last_year

    @property
    def names(self) -> list[str]:
        return [p.name for p in self.items]

    def by_name(self, name: str) -> Pattern:
        return next(p for p in self.items if p.name == name)

    def distances(self, sumstat: dict) -> dict[str, float]:
        return {p.name: p.distance(sumstat.get(p.name, np.full(p.observed.shape, np.nan))) for p in self.items}

    def total(self, sumstat: dict) -> float:
        """D = sum_k w_k d_k / sum_k w_k."""
        d = self.distances(sumstat)
        w = sum(p.weight for p in self.items)
        return float(sum(p.weight * d[p.name] for p in self.items) / w)

    def observed_sumstat(self) -> dict:
        return {p.name: p.observed for p in self.items}


def observed_values(patterns: Patterns, full: Patterns, until: int | None = None) -> dict:
    """Every observed value of every pattern, fitted or held out: the series of `full` (the
    patterns over every observed year; up to `until` if given), the one-number patterns of
    `patterns` (computed over its fitted years)."""
    out = {p.name: (p.years, p.observed) for p in full.items if p.name not in SCALAR}
    if until is not None:
        out = {k: (y[y <= until], v[y <= until]) for k, (y, v) in out.items()}
    out.update({p.name: (p.years, p.observed) for p in patterns.items if p.name in SCALAR})
    return out


def _read(path: Path) -> pd.DataFrame:
    try:
        return pd.read_csv(path)
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise UserError(f"--data {path}: not a readable CSV file ({exc})") from None


def energy_patterns(fit_until: int | None = None, care: bool = True, energy: Path = ENERGY,
                    care_file: Path = CARE, rogers: bool = False) -> Patterns:
    """The patterns of the Dutch energy co-operatives (and care initiatives, and Rogers' timing
    of adoption), up to `fit_until`."""
    df = _read(energy)
    need = {"year", "cooperatives_cumulative", "founded", "stopped", "members"}
    if not need <= set(df.columns):
        raise UserError(f"--data {energy}: needs the columns {', '.join(sorted(need))}")
    df = df.sort_values("year")
    first, last_all = int(df["year"].iloc[0]), int(df["year"].iloc[-1])
    last = last_all if fit_until is None else int(fit_until)
    if not first + 3 <= last <= last_all:
        raise UserError(f"--fit-until {fit_until}: between {first + 3} and {last_all} (at least 4 years to fit)")
    fit = df[df["year"] <= last]
    lem = "Lokale Energie Monitor (HIER opgewekt), sim/data/energy_cooperatives_nl.csv"
    m = fit.dropna(subset=["members"])
    ever = float(fit["cooperatives_cumulative"].iloc[0] + fit["founded"].iloc[1:].sum())
    items = [
        Pattern("count", "energy co-operatives", fit["year"].to_numpy(int),
                fit["cooperatives_cumulative"].to_numpy(float), 1.0, "range", lem, unit="co-operatives"),
        Pattern("members", "members of energy co-operatives", m["year"].to_numpy(int), m["members"].to_numpy(float),
                1.0, "mean", lem, unit="members"),
        Pattern("per_coop", "members per co-operative", m["year"].to_numpy(int),
                (m["members"] / m["cooperatives_cumulative"]).to_numpy(float), 0.5, "mean", lem + " (derived)",
                unit="members"),
        Pattern("founded", "new co-operatives per year", fit["year"].to_numpy(int)[1:],
                fit["founded"].to_numpy(float)[1:], 0.5, "mean", lem, unit="per year"),
        Pattern("stopped", "share of co-operatives ever that stopped", np.array([last]),
                np.array([float(fit["stopped"].iloc[1:].sum()) / ever]), 0.25, "scale",
                lem + "; about 5 % of all ever founded stop (EVIDENCE.md s1)", scale=STOP_SCALE, unit="share"),
    ]
    items = [p for p in items if p.observed.size]
    if care:
        c = _read(care_file)
        c = c[c["year"] <= last]
        if len(c) >= 2:
            items.append(Pattern("care", "care initiatives", c["year"].to_numpy(int), c["initiatives"].to_numpy(float),
                                 0.5, "range", "EVIDENCE.md s2, sim/data/care_initiatives_nl.csv", unit="initiatives"))
    if rogers:
        items.append(Pattern("rogers", "innovators + early adopters leading (x random order)", np.array([last]),
                             np.array([FAR_MORE]), 0.5, "at_least",
                             "Rogers (2003): adopter categories by time of adoption; at least twice random order is "
                             "an assumption (the rogers_timing check)", scale=LEAD_SCALE, unit="x random order"))
    later = df[df["year"] > last]
    held = {"count": (later["year"].to_numpy(int), later["cooperatives_cumulative"].to_numpy(float))}
    lm = later.dropna(subset=["members"])
    held["members"] = (lm["year"].to_numpy(int), lm["members"].to_numpy(float))
    return Patterns(tuple(items), first, last, held)

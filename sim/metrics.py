"""Outcomes of one run as numbers (DOMAIN.md section 5): pure functions of its tidy tables.

`run_metrics(results)` returns one flat dict per run; ensembles (sim/experiments/) put many
of them side by side. Each metric is declared, with its unit, labels and formula, in
sim/outcomes.py; this module holds the fits and counts they use.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .outcomes import (  # noqa: E402, F401 - the declarations of every metric (re-exported: months_to_reach, ...)
    CHASM_SHARE, METRICS, ROGERS_LEVELS, SPILLOVER_METRICS, THEME_METRICS, WITHDRAWAL_METRICS, months_to_reach,
    pilot_villages,
)


def bass_curve(t: np.ndarray, p: float, q: float, m: float) -> np.ndarray:
    """m F(t), F(t) = (1 - e^{-(p+q)t}) / (1 + (q/p) e^{-(p+q)t}) (Bass 1969), t in years."""
    e = np.exp(-(p + q) * t)
    return m * (1.0 - e) / (1.0 + (q / p) * e)


def fit_bass(month: np.ndarray, share: np.ndarray) -> dict[str, float]:
    """Least-squares Bass fit of a cumulative adoption share (scipy curve_fit).

    The curve is shifted to start at 0 (adopters at month 0 are seeds, not diffusion) and
    the saturation level m is free (0 < m <= 1). Returns p and q per year, m, R^2 and RMSE;
    NaN where the curve is flat or the fit fails.
    """
    from scipy.optimize import curve_fit   # here: scipy takes half a second to import

    t = np.asarray(month, dtype=float) / 12.0
    y = np.asarray(share, dtype=float) - float(share[0])
    nan = {"bass_p": math.nan, "bass_q": math.nan, "bass_m": math.nan, "bass_r2": math.nan, "bass_rmse": math.nan}
    if t.size < 4 or np.ptp(y) <= 1e-9:
        return nan
    try:
        (p, q, m), _ = curve_fit(bass_curve, t, y, p0=(0.01, 0.4, min(1.0, max(y.max(), 1e-3) * 1.5)),
                                 bounds=([1e-6, 0.0, 1e-6], [1.0, 10.0, 1.0]), maxfev=20_000)
    except (RuntimeError, ValueError):
        return nan
    resid = y - bass_curve(t, p, q, m)
    ss_tot = float(((y - y.mean()) ** 2).sum())
    return {"bass_p": float(p), "bass_q": float(q), "bass_m": float(m),
            "bass_r2": 1.0 - float((resid**2).sum()) / ss_tot if ss_tot > 0 else math.nan,
            "bass_rmse": float(np.sqrt((resid**2).mean()))}


def early_lead(first: np.ndarray, category: np.ndarray, village: np.ndarray, first_share: float = 0.16,
               top: int = 1) -> float:
    """How far the innovators and early adopters lead the adoption in their own village (Rogers 2003).

    Each village's adopters (first month taking part > 0; month 0 is the seeds and founders)
    are ordered by first month and ranked (k + 1/2) / n_v; the first `first_share` of ranks is
    its first adopters (0.16: Rogers' innovators + early adopters). Ties (one month) are broken
    at random, and this returns the expectation over that draw exactly: a group of g adopters
    of one month at positions a ... a + g - 1, of which c lie in the first ranks, puts c / g of
    each of them there. With s the share of categories <= `top` (1: innovators and early
    adopters) among the first adopters, pooled over villages, and r their share among all
    adopters:

        lead = s / r        (1: adoption in random order of category; Rogers' ideal 1 / r)

    NaN when there are no adopters after month 0 or none of categories <= `top`.
    (sim/validate/rogers.py judges the same ranks with ties drawn; the calibration's `rogers`
    pattern fits this number.)
    """
    adopters = np.flatnonzero(np.asarray(first) > 0)
    if adopters.size == 0:
        return math.nan
    v, m = np.asarray(village)[adopters], np.asarray(first)[adopters]
    order = np.lexsort((m, v))
    v, m = v[order], m[order]
    lead_cat = np.asarray(category)[adopters][order] <= top
    idx = np.arange(adopters.size)
    new_v = np.r_[True, v[1:] != v[:-1]]
    new_g = new_v | np.r_[True, m[1:] != m[:-1]]
    v_id, g_id = np.cumsum(new_v) - 1, np.cumsum(new_g) - 1
    v_start, g_start = idx[new_v][v_id], idx[new_g][g_id]
    v_size, g_size = np.bincount(v_id)[v_id], np.bincount(g_id)[g_id]
    # first ranks: positions k with (k + 1/2) / n_v < first_share
    cut = np.clip(np.ceil(first_share * v_size - 0.5), 0, v_size)
    a = g_start - v_start
    frac = np.clip(np.minimum(a + g_size, cut) - a, 0, None) / g_size
    slots, r = float(frac.sum()), float(lead_cat.mean())
    if slots <= 0 or r <= 0:
        return math.nan
    return float((frac * lead_cat).sum() / slots / r)


ORGANISED_STAGES = ("organised", "realising", "self_sustaining")  # a legal entity, not (yet) dissolved


def theme_reach(village_collectives: pd.DataFrame, n_villages: int, months: int,
                themes: tuple[str, ...]) -> pd.DataFrame:
    """Per month and theme: the share of villages with an organised collective of that theme.

    S_t(m) = #{v : village v has a collective of theme t in stage organised, realising or
    self-sustaining at month m} / V. "Organised" means a legal entity (as an energy
    co-operative is), so ideas and starting groups do not count; dissolved ones neither.
    This is the model side of the energy co-operatives calibration (sim/calibrate/).
    """
    vc = village_collectives
    organised = vc[vc["stage"].astype(str).isin(ORGANISED_STAGES)]
    counts = organised.groupby(["month", organised["theme"].astype(str)])["village"].nunique()
    grid = pd.MultiIndex.from_product([range(months + 1), themes], names=["month", "theme"])
    share = counts.reindex(grid, fill_value=0).to_numpy(float) / max(n_villages, 1)
    return pd.DataFrame({"month": grid.get_level_values(0).astype(np.int64),
                         "theme": grid.get_level_values(1).astype(str),
                         "villages_share": share})


THEME_COUNTS = ("organised", "members", "became_organised", "stopped")  # sim/recorder.py: the themes table


def run_theme_reach(results) -> pd.DataFrame:
    """theme_reach of one run's results (every theme, every month, the run's villages), with
    the themes table's counts per theme and month: organised collectives, their members, and
    how many became organised and stopped that month (what calibration compares with the
    counts of co-operatives, sim/calibrate/patterns.py)."""
    reach = theme_reach(results.tables.village_collectives, int(results.village["village"].nunique()),
                        int(results.region["month"].iloc[-1]), tuple(results.config.collectives.themes))
    counts = results.tables.themes
    if counts is None:
        return reach
    counts = counts.assign(theme=counts["theme"].astype(str))
    out = reach.merge(counts, on=["month", "theme"], how="left")
    out[list(THEME_COUNTS)] = out[list(THEME_COUNTS)].fillna(0).astype(float)
    return out


class _Run:
    """What the metrics of one run are computed from (sim/outcomes.py: METRICS)."""

    def __init__(self, results, stop_month: int | None) -> None:
        self.region, self.rogers, self.final = results.region, results.rogers, results.collectives
        self.month = self.region["month"].to_numpy()
        self.share = self.region["participation_share"].to_numpy()
        self.end = self.region.iloc[-1]
        em = self.rogers[self.rogers["category"] == "early_majority"]
        self.early_majority_end = float(em["participation_share"].iloc[-1])
        self.vulnerable_gap = (self.region["vulnerable_participation_share"]
                               - self.region["rest_participation_share"]).to_numpy()
        self.village, self.pilots = results.village, pilot_villages(results.config)
        self.residents = results.residents
        self.stop_month = stop_month
        self._bass = None

    @property
    def early_lead(self) -> float:
        res = self.residents
        return early_lead(res["first_month"].to_numpy(), res["category"].cat.codes.to_numpy(), res["village"].to_numpy())

    @property
    def bass(self) -> dict[str, float]:
        if self._bass is None:
            self._bass = fit_bass(self.month, self.share)
        return self._bass


def run_metrics(results, stop_month: int | None = None) -> dict[str, float]:
    """Every outcome of one run (sim/outcomes.py: METRICS, by theme, and with `stop_month`,
    an instrument's withdrawal, what persists; with pilot villages, the spill-over)."""
    r = _Run(results, stop_month)
    out = {o.name: o.compute(r) for o in METRICS}
    for theme, rows in results.collectives.groupby("theme", observed=False):
        out.update({f"{o.name}{theme}": o.compute(rows) for o in THEME_METRICS})
    if stop_month is not None and 0 <= stop_month < len(r.region):
        out.update({o.name: o.compute(r) for o in WITHDRAWAL_METRICS})
    if r.pilots is not None:
        out.update({o.name: o.compute(r) for o in SPILLOVER_METRICS})
    return out


def stop_month(cfg) -> int | None:
    """The month the last instrument stops, if every instrument of the mix stops before the
    horizon (a withdrawal): persistence is measured from there."""
    from .config.governance import stop_month_of

    pol = cfg.policy
    stops = [stop_month_of(pol, n) for n in pol.instruments]
    return max(stops) if stops and all(0 <= s < cfg.months for s in stops) else None


def metric_names(cfg) -> list[str]:
    """Every metric `run_metrics` gives for a run of `cfg` (by theme, persistence when
    every instrument stops before the horizon, spill-over when it has pilot villages)."""
    names = [o.name for o in METRICS]
    for theme in cfg.collectives.themes:
        names += [f"{o.name}{theme}" for o in THEME_METRICS]
    if stop_month(cfg) is not None:
        names += [o.name for o in WITHDRAWAL_METRICS]
    if pilot_villages(cfg) is not None:
        names += [o.name for o in SPILLOVER_METRICS]
    return names

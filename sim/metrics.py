"""Outcomes of one run as numbers (DOMAIN.md section 5): pure functions of its tidy tables.

`run_metrics(results)` returns one flat dict per run; comparisons (sim/compare.py) put many
of them side by side. Definitions that are choices of this model say so.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.optimize import curve_fit

ROGERS_LEVELS = (0.025, 0.16)  # innovators; innovators + early adopters (Rogers 2003)
CHASM_SHARE = 0.16  # assumption: the early majority "follows" once 16 % of it takes part


def months_to_reach(month: np.ndarray, share: np.ndarray, level: float) -> float:
    """First month at which the share reaches `level` (NaN if it never does)."""
    hit = np.flatnonzero(np.asarray(share) >= level)
    return float(month[hit[0]]) if hit.size else math.nan


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


def run_theme_reach(results) -> pd.DataFrame:
    """theme_reach of one run's results (every theme, every month, the run's villages)."""
    return theme_reach(results.tables.village_collectives, int(results.village["village"].nunique()),
                       int(results.region["month"].iloc[-1]), tuple(results.config.collectives.themes))


def run_metrics(results, stop_month: int | None = None) -> dict[str, float]:
    """Every outcome of one run. `stop_month` (an instrument's withdrawal) adds persistence."""
    region, rogers, final = results.region, results.rogers, results.collectives
    month, share = region["month"].to_numpy(), region["participation_share"].to_numpy()
    end = region.iloc[-1]
    em = rogers[rogers["category"] == "early_majority"]
    out = {
        "participation_end": float(end["participation_share"]),
        "vulnerable_participation_end": float(end["vulnerable_participation_share"]),
        "months_to_2_5": months_to_reach(month, share, ROGERS_LEVELS[0]),
        "months_to_16": months_to_reach(month, share, ROGERS_LEVELS[1]),
        "early_majority_share_end": float(em["participation_share"].iloc[-1]),
        "chasm_crossed": float(em["participation_share"].iloc[-1] >= CHASM_SHARE),
        **fit_bass(month, share),
        "collectives_founded": float(len(final)),
        "collectives_surviving": float(end["collectives_alive"]),
        "self_sustaining_end": float(end["self_sustaining"]),
        "liveability_mean_end": float(end["liveability_mean"]),
        "liveability_spread_end": float(end["liveability_sd"]),
        "wellbeing_gap_end": float(end["wellbeing_gap"]),
        "public_spend_total": float(end["public_spend_cumulative"]),
        "dependence_end": float(end["government_funding_share"]),
        "participants_end": float(end["members"] + end["core"]),
    }
    out.update(_by_theme(final))
    if stop_month is not None and 0 <= stop_month < len(region):
        at_stop = float(region["participation_share"].iloc[stop_month])
        out["participation_at_stop"] = at_stop
        out["persistence"] = out["participation_end"] / at_stop if at_stop > 0 else math.nan
    return out


def _by_theme(final: pd.DataFrame) -> dict[str, float]:
    out = {}
    for theme, rows in final.groupby("theme", observed=False):
        out[f"founded_{theme}"] = float(len(rows))
        out[f"surviving_{theme}"] = float((rows["stage"] != "dissolved").sum())
        out[f"self_sustaining_{theme}"] = float((rows["stage"] == "self_sustaining").sum())
    return out


SCALAR_METRICS = ("participation_end", "vulnerable_participation_end", "months_to_2_5", "months_to_16",
                  "early_majority_share_end", "chasm_crossed", "bass_p", "bass_q", "bass_m", "bass_r2", "bass_rmse",
                  "collectives_founded", "collectives_surviving", "self_sustaining_end", "liveability_mean_end",
                  "liveability_spread_end", "wellbeing_gap_end", "public_spend_total", "dependence_end",
                  "participants_end")


def stop_month(cfg) -> int | None:
    """The month the last instrument stops, if every instrument of the mix stops before the
    horizon (a withdrawal): persistence is measured from there."""
    from .config.governance import stop_month_of

    pol = cfg.policy
    stops = [stop_month_of(pol, n) for n in pol.instruments]
    return max(stops) if stops and all(0 <= s < cfg.months for s in stops) else None


def metric_names(cfg) -> list[str]:
    """Every metric `run_metrics` gives for a run of `cfg` (by theme, and persistence when
    every instrument stops before the horizon)."""
    names = list(SCALAR_METRICS)
    for theme in cfg.collectives.themes:
        names += [f"founded_{theme}", f"surviving_{theme}", f"self_sustaining_{theme}"]
    if stop_month(cfg) is not None:
        names += ["participation_at_stop", "persistence"]
    return names

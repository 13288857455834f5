"""How model output is compared with data: a free saturation level, NRMSE and Bass fits.

The model and the data differ in scale: the model gives a share of its villages (S(t), 0-1),
the data a national count y(t). Only the shape is fitted, through the mapping

    y(t) / K  ~  S(t)

with K the count at which every village would have one (the "eventual number"), a free
parameter profiled out for every simulated curve: the K within [K_min, K_max] that minimises
the distance itself. NRMSE = RMSE(y/K - S) / range(y/K) = RMSE(y - K S) / range(y), so the
best K minimises sum_t (y_t - K S_t)^2, a convex quadratic in K:
K* = sum_t y_t S_t / sum_t S_t^2, clipped to [K_min, K_max].
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..metrics import fit_bass


SCALE_MAX = 5.0  # default K_max / K_min (assumption): at most 5 times the last fitted count


@dataclass(frozen=True)
class Fit:
    """How well one simulated curve fits the observed one."""

    scale: float   # K, the observed count that corresponds to a share of 1
    nrmse: float   # RMSE of (y/K - S), divided by the range of y/K
    rmse: float    # RMSE of (y/K - S), in shares of villages


def profile_scale(observed: np.ndarray, simulated: np.ndarray, k_min: float, k_max: float) -> float:
    """K* = argmin_K sum (y - K S)^2 for K in [k_min, k_max] (closed form, module docstring);
    k_max for a curve that stays at 0 (any K fits it equally badly)."""
    y, s = np.asarray(observed, float), np.asarray(simulated, float)
    if not 0 < k_min <= k_max:
        raise ValueError(f"need 0 < k_min <= k_max, got {k_min}, {k_max}")
    ss = float((s * s).sum())
    k = float((y * s).sum()) / ss if ss > 0 else k_max
    return min(max(k, k_min), k_max)


def nrmse(observed_share: np.ndarray, simulated: np.ndarray) -> tuple[float, float]:
    """(NRMSE, RMSE): RMSE of the two curves and that divided by the range of the observed one."""
    o, s = np.asarray(observed_share, float), np.asarray(simulated, float)
    rmse = float(np.sqrt(((o - s) ** 2).mean()))
    spread = float(np.ptp(o))
    return (rmse / spread if spread > 0 else math.inf), rmse


def goodness(observed: np.ndarray, simulated: np.ndarray, k_min: float, k_max: float) -> Fit:
    """The fit of one simulated share curve to an observed count curve, with K profiled out."""
    if not np.all(np.isfinite(simulated)):
        return Fit(math.nan, math.inf, math.inf)
    k = profile_scale(observed, simulated, k_min, k_max)
    n, r = nrmse(np.asarray(observed, float) / k, simulated)
    return Fit(k, n, r)


def bass_parameters(months: np.ndarray, share: np.ndarray) -> dict[str, float]:
    """Bass p, q (per year), saturation m and R^2 of a cumulative share curve (sim.metrics.fit_bass)."""
    fit = fit_bass(np.asarray(months), np.asarray(share, float))
    return {"p": fit["bass_p"], "q": fit["bass_q"], "m": fit["bass_m"], "r2": fit["bass_r2"]}

"""Approximate Bayesian computation by rejection (Pritchard et al. 1999; Beaumont 2010).

1. draw n parameter sets ("particles") from uniform priors, as a Latin hypercube with a
   fixed seed (every parameter's range is covered evenly; same seed, same design);
2. simulate each with R replicates, each particle on its own random streams (independent
   noise), and measure its distance to the data (NRMSE, fit.py);
3. accept the fraction `accept` with the smallest distances. The accepted particles are a
   sample of the approximate posterior p(theta | d(theta) <= eps), eps the largest accepted
   distance; their spread is the calibrated values' uncertainty.

Rejection is the simplest ABC scheme: nothing is tuned, every model run can run in
parallel and resume, and the whole design is kept for inspection (particles.csv).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import qmc

from ..errors import UserError
from ..sensitivity.design import parse_range

QUANTILES = (0.05, 0.5, 0.95)


@dataclass(frozen=True)
class Prior:
    """A uniform prior on one parameter (dotted key, as on the command line)."""

    key: str
    lo: float
    hi: float


def parse_prior(text: str) -> Prior:
    """'key=lo:hi' -> Prior."""
    return Prior(*parse_range(text, "collectives.knowledge_founding=0:10"))


def draw(priors: list[Prior], n: int, seed: int) -> np.ndarray:
    """n x d Latin-hypercube sample of the uniform priors."""
    unit = qmc.LatinHypercube(d=len(priors), rng=np.random.default_rng(seed)).random(n)
    lo = np.array([p.lo for p in priors])
    hi = np.array([p.hi for p in priors])
    return lo + unit * (hi - lo)


def accept(distance: np.ndarray, fraction: float) -> np.ndarray:
    """Indices of the ceil(fraction * n) particles with the smallest finite distance (ties by index)."""
    d = np.asarray(distance, float)
    ok = np.flatnonzero(np.isfinite(d))
    if ok.size == 0:
        raise UserError("no parameter set came near the data (every distance is infinite or undefined)")
    k = min(ok.size, max(1, math.ceil(fraction * d.size)))
    return ok[np.argsort(d[ok], kind="stable")[:k]]


def summarise(values: pd.DataFrame, priors: dict[str, tuple[float, float]] | None = None) -> pd.DataFrame:
    """Mean, sd and 5/50/95 % quantiles of each column of the accepted particles."""
    rows = []
    for name in values.columns:
        v = values[name].to_numpy(float)
        row = {"parameter": name, "mean": v.mean(), "sd": v.std(ddof=1) if v.size > 1 else math.nan}
        row.update({f"q{round(q * 100):02d}": float(np.quantile(v, q)) for q in QUANTILES})
        lo, hi = (priors or {}).get(name, (math.nan, math.nan))
        row.update({"prior_low": lo, "prior_high": hi})
        rows.append(row)
    return pd.DataFrame(rows)

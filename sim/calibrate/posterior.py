"""The shipped posterior: load it, summarise it, draw from it.

    from sim.calibrate.posterior import load_posterior
    post = load_posterior()                # sim/data/calibration/energy_posterior.csv
    post.keys                              # the calibrated parameters (command-line keys)
    post.median()                          # {key: weighted median}: what calibration=energy sets
    post.draw(7)                           # {key: value} of draw 7 of the fixed weighted draw
    post.sample(100, rng)                  # 100 particles drawn by weight (a DataFrame)
    post.overrides(post.draw(7))           # ["key=value", ...] for load_config / apply_overrides

The file has one row per particle of the last ABC-SMC population: a column per calibrated
parameter (its key as on the command line) and `weight` (importance weights, summing to 1).
Draw r of the fixed weighted draw is particle searchsorted(cumsum(w), u_r) with u_r the first
uniform of numpy's default_rng(SeedSequence(DRAW_SEED, spawn_key=(r,))): it depends on r
alone, so replicate r of every scenario (and of every command) gets the same particle.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from importlib.resources import files
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import UserError

CALIBRATION_DIR = Path(str(files("sim") / "data" / "calibration"))
DRAW_SEED = 20261128   # the fixed weighted draw (module docstring)


def posterior_path(name: str = "energy") -> Path:
    return CALIBRATION_DIR / f"{name}_posterior.csv"


def weighted_quantile(values, weights, q: float) -> float:
    """The q-quantile of a weighted sample (inverse of the weighted empirical distribution,
    with each particle at the middle of its weight: the midpoint rule)."""
    v, w = np.asarray(values, float), np.asarray(weights, float)
    order = np.argsort(v, kind="stable")
    v, w = v[order], w[order]
    cdf = (np.cumsum(w) - 0.5 * w) / w.sum()
    return float(np.interp(q, cdf, v))


@dataclass(frozen=True)
class Posterior:
    """A weighted sample of calibrated parameters."""

    frame: pd.DataFrame   # a column per key and `weight`
    source: str = ""

    @property
    def keys(self) -> list[str]:
        return [c for c in self.frame.columns if c not in ("weight", "distance")]

    @property
    def weights(self) -> np.ndarray:
        w = self.frame["weight"].to_numpy(float)
        return w / w.sum()

    def quantile(self, key: str, q: float) -> float:
        return weighted_quantile(self.frame[key], self.weights, q)

    def median(self, digits: int = 3) -> dict[str, float]:
        """Weighted medians, to `digits` significant digits (a calibrated value is not known to 16)."""
        return {k: round_sig(self.quantile(k, 0.5), digits) for k in self.keys}

    def index_of_draw(self, r: int) -> int:
        if r < 0:
            raise ValueError(f"draw {r}: draws are numbered from 0")
        u = np.random.default_rng(np.random.SeedSequence(DRAW_SEED, spawn_key=(int(r),))).random()
        return int(min(np.searchsorted(self._cumulative, u, side="right"), len(self.frame) - 1))

    def draw(self, r: int) -> dict[str, float]:
        """Parameter values of draw r of the fixed weighted draw."""
        row = self._values[self.index_of_draw(r)]
        return {k: float(v) for k, v in zip(self.keys, row, strict=True)}

    # computed once per posterior: a sweep with posterior=replicate draws once per run
    @cached_property
    def _cumulative(self) -> np.ndarray:
        return np.cumsum(self.weights)

    @cached_property
    def _values(self) -> np.ndarray:
        return self.frame[self.keys].to_numpy(float)

    def sample(self, n: int, rng: np.random.Generator) -> pd.DataFrame:
        """n particles drawn with replacement by weight."""
        idx = rng.choice(len(self.frame), size=n, replace=True, p=self.weights)
        return self.frame.iloc[idx][self.keys].reset_index(drop=True)

    @staticmethod
    def overrides(values: dict[str, float]) -> list[str]:
        return [f"{k}={float(v)!r}" for k, v in values.items()]


def round_sig(v: float, digits: int = 3) -> float:
    return 0.0 if v == 0 or not math.isfinite(v) else float(f"{v:.{digits}g}")


def load_posterior(name_or_path: str | Path = "energy") -> Posterior:
    """The posterior shipped as sim/data/calibration/<name>_posterior.csv (or a CSV file)."""
    path = Path(name_or_path) if str(name_or_path).endswith(".csv") else posterior_path(str(name_or_path))
    if not path.is_file():
        raise UserError(f"{path}: no such posterior (run make calibrate, or name another calibration)")
    try:
        df = pd.read_csv(path)
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise UserError(f"{path}: not a readable posterior CSV ({exc})") from None
    if "weight" not in df.columns or len(df.columns) < 2 or df.empty:
        raise UserError(f"{path}: a posterior needs a column per parameter and `weight`, and at least one row")
    try:
        values = df.to_numpy(float)
    except ValueError:
        raise UserError(f"{path}: a posterior holds numbers only") from None
    if not np.all(np.isfinite(values)) or (df["weight"] < 0).any() or df["weight"].sum() <= 0:
        raise UserError(f"{path}: values must be finite numbers and weights non-negative, not all 0")
    return Posterior(df, str(path))


def identifiability(post: Posterior, priors) -> pd.DataFrame:
    """Per parameter: prior and posterior 5-95 % widths and their ratio (1: the data say
    nothing about it; near 0: well identified). Priors as smc.Prior (log ones on log scale)."""
    rows = []
    for p in priors:
        lo, med, hi = (post.quantile(p.key, q) for q in (0.05, 0.5, 0.95))
        plo, _, phi = p.quantiles()
        if p.log:
            ratio = (math.log(hi) - math.log(lo)) / (math.log(phi) - math.log(plo))
        else:
            ratio = (hi - lo) / (phi - plo)
        rows.append({"parameter": p.key, "prior": p.text, "prior_q05": plo, "prior_q95": phi, "q05": lo,
                     "median": med, "q95": hi, "width_ratio": ratio,
                     "identified": "well" if ratio < 0.5 else ("partly" if ratio < 0.8 else "not")})
    return pd.DataFrame(rows)

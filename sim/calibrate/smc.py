"""ABC-SMC with pyabc: priors, adaptive tolerances, a history that survives a kill.

    history = run_smc(simulator, priors, patterns, folder, executor, population=64, generations=5)

- Priors: independent, each uniform or log-uniform between two stated bounds (`Prior`, priors.py).
- Tolerances: adaptive, epsilon_t = the median distance of the previous population
  (pyabc's QuantileEpsilon, alpha 0.5), starting from infinity (generation 0 is a sample of
  the prior, every particle accepted).
- Proposals: pyabc's multivariate normal kernel around the previous population's
  particles, with covariance twice the population's weighted covariance (Beaumont et al.
  2009, Biometrika 96: 983-990; Filippi et al. 2013), on log10 of every parameter with a
  log-uniform prior (a kernel on the linear scale would spread most proposals over the
  prior's upper decade). Until 2026-11-29 the covariance was shrunk by Silverman's rule
  (0.4 times the covariance for 7 parameters and 64 particles): a lumpy proposal whose
  thin places gave the particles proposed there weights hundreds of times the others'.
- Weights: importance weights prior / proposal, truncated at the mean weight times sqrt(N)
  (Ionides 2008, weights.py); the effective sample size of each population is
  (sum w)^2 / sum w^2 (Kish), reported for the truncated weights and the raw ones.
- History: pyabc's SQLite database `<folder>/abc.db`. A run killed while a generation is
  being sampled loses nothing that was finished: the completed generations are in the
  database, the model runs in `<folder>/runs/`; running again loads the history and samples
  the unfinished generation again (with the same proposals, sampler.py), finding the
  particles' runs already done.
"""

from __future__ import annotations

import logging
import math
import sqlite3
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pyabc

from .priors import Prior
from .sampler import Deferred, EnsembleSampler, key_of, natural, pyabc_name
from .weights import ess

QUANTILE = 0.5
KERNEL_SCALE = 2.0   # perturbation covariance / the previous population's weighted covariance (Beaumont et al. 2009)
SAMPLER = (f"multivariate normal kernel, {KERNEL_SCALE:g} x the weighted covariance (Beaumont et al. 2009); "
           "weights truncated at mean x sqrt(N) (Ionides 2008)")   # noted in calibration.json: a history is resumed only by the same sampler


def unshrunk(n_samples: float, dimension: int) -> float:
    """pyabc's bandwidth factor, here 1: the kernel's covariance is KERNEL_SCALE times the
    population's, whatever its size (not Silverman's shrinking with N)."""
    return 1.0


def transition() -> pyabc.MultivariateNormalTransition:
    """The proposal kernel (module docstring)."""
    return pyabc.MultivariateNormalTransition(scaling=KERNEL_SCALE, bandwidth_selector=unshrunk)


class ResumableQuantileEpsilon(pyabc.QuantileEpsilon):
    """pyabc's QuantileEpsilon, except that a continued history's first new generation gets
    the tolerance an uninterrupted run would give it (the quantile of the last population's
    weighted distances), not the initial epsilon again (what pyabc 0.13 does on `load`)."""

    def initialize(self, t, get_weighted_distances, get_all_records, max_nr_populations, acceptor_config):
        if t > 0:
            self._update(t, get_weighted_distances())


def _history_ok(db: Path) -> bool:
    """The database holds a started analysis (it may have been killed before its first generation)."""
    try:
        with sqlite3.connect(db) as con:
            return con.execute("select count(*) from abc_smc").fetchone()[0] > 0
    except sqlite3.Error:
        return False


def run_smc(simulator, priors: list[Prior], patterns, folder: Path, executor, *, population: int,
            generations: int, seed: int, min_epsilon: float = 0.0, say=None) -> tuple[pyabc.History, EnsembleSampler]:
    """Run (or continue) ABC-SMC until `generations` populations are done or epsilon <= min_epsilon."""
    logging.getLogger("ABC").setLevel(logging.WARNING)
    logging.getLogger("pyabc").setLevel(logging.WARNING)
    warnings.filterwarnings("ignore", message="invalid value encountered in scalar subtract")  # pyabc: inf - inf
    folder.mkdir(parents=True, exist_ok=True)
    model = Deferred()
    sampler = EnsembleSampler(model, simulator, patterns, folder, executor, seed, say=say)
    prior = pyabc.Distribution(**{pyabc_name(p.key, p.log): p.rv() for p in priors})
    abc = pyabc.ABCSMC(model, prior, lambda x, x0: patterns.total(x), population_size=population,
                       sampler=sampler, eps=ResumableQuantileEpsilon(initial_epsilon=math.inf, alpha=QUANTILE),
                       transitions=transition())
    db = folder / "abc.db"
    if db.exists() and _history_ok(db):
        abc.load(f"sqlite:///{db}", 1)
        done = abc.history.max_t + 1
    else:
        db.unlink(missing_ok=True)
        abc.new(f"sqlite:///{db}", patterns.observed_sumstat())
        done = 0
    if done < generations:
        last_eps = _last_epsilon(abc.history) if done else math.inf
        if not last_eps <= min_epsilon:
            abc.run(max_nr_populations=generations - done, minimum_epsilon=min_epsilon)
    return abc.history, sampler


def _last_epsilon(history) -> float:
    pops = history.get_all_populations()
    pops = pops[pops["t"] >= 0]
    return float(pops["epsilon"].iloc[-1]) if len(pops) else math.inf


def posterior_frame(history, t: int | None = None) -> pd.DataFrame:
    """The particles of population t (default: the last), by parameter key, with `weight`
    (normalised to sum 1) and `distance`."""
    df, w = history.get_distribution(m=0, t=t)
    df = pd.DataFrame({key_of(c): [natural(c, v) for v in df[c]] for c in df.columns})
    df.columns.name = None
    out = df.reset_index(drop=True)
    out["weight"] = np.asarray(w, float) / float(np.sum(w))
    pops = history.get_weighted_distances(t=t)
    if len(pops) == len(out):
        out["distance"] = pops["distance"].to_numpy(float)
    return out


def generations_table(history, folder: Path | None = None) -> pd.DataFrame:
    """Per generation: epsilon, particles evaluated, accepted, acceptance rate, ESS (of the
    weights used), and ess_raw, the ESS before truncation (from <folder>/particles/, where
    the sampler logs each particle's raw weight; NaN where the log has none)."""
    pops = history.get_all_populations()
    pops = pops[pops["t"] >= 0]
    rows = []
    for _, r in pops.iterrows():
        t = int(r["t"])
        _, w = history.get_distribution(m=0, t=t)
        n = len(w)
        rows.append({"generation": t, "epsilon": float(r["epsilon"]), "evaluated": int(r["samples"]),
                     "accepted": n, "acceptance": n / max(int(r["samples"]), 1), "ess": ess(w),
                     "ess_raw": _raw_ess(folder, t, n)})
    return pd.DataFrame(rows)


def _raw_ess(folder: Path | None, t: int, n: int) -> float:
    """ESS of generation t's raw (untruncated) weights, from the sampler's particle log."""
    if folder is None:
        return math.nan
    try:
        log = pd.read_csv(Path(folder) / "particles" / f"generation_{t}.csv")
    except (OSError, ValueError):
        return math.nan
    if "raw_weight" not in log or "accepted" not in log:
        return math.nan
    raw = log.loc[log["accepted"].astype(bool), "raw_weight"].to_numpy(float)
    return ess(raw) if raw.size == n else math.nan

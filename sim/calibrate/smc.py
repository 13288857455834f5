"""ABC-SMC with pyabc: priors, adaptive tolerances, a history that survives a kill.

    history = run_smc(simulator, priors, patterns, folder, executor, population=64, generations=5)

- Priors: independent, each uniform or log-uniform between two stated bounds (`Prior`, priors.py).
- Tolerances: adaptive, epsilon_t = the median distance of the previous population
  (pyabc's QuantileEpsilon, alpha 0.5), starting from infinity (generation 0 is a sample of
  the prior, every particle accepted).
- Proposals: pyabc's multivariate normal kernel fitted to the previous population (scaled
  by Silverman's rule), on log10 of every parameter with a log-uniform prior (a kernel on
  the linear scale would spread most proposals over the prior's upper decade).
- Weights: importance weights prior / proposal; the effective sample size of each
  population is (sum w)^2 / sum w^2 (Kish).
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

QUANTILE = 0.5


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
                       transitions=pyabc.MultivariateNormalTransition())
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


def ess(weights) -> float:
    """Kish's effective sample size (sum w)^2 / sum w^2."""
    w = np.asarray(weights, float)
    return float(w.sum() ** 2 / (w**2).sum()) if (w > 0).any() else 0.0


def generations_table(history) -> pd.DataFrame:
    """Per generation: epsilon, particles evaluated, accepted, acceptance rate, ESS."""
    pops = history.get_all_populations()
    pops = pops[pops["t"] >= 0]
    rows = []
    for _, r in pops.iterrows():
        t = int(r["t"])
        _, w = history.get_distribution(m=0, t=t)
        n = len(w)
        rows.append({"generation": t, "epsilon": float(r["epsilon"]), "evaluated": int(r["samples"]),
                     "accepted": n, "acceptance": n / max(int(r["samples"]), 1), "ess": ess(w)})
    return pd.DataFrame(rows)

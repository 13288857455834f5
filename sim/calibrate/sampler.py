"""pyabc's populations evaluated as ensembles of the experiment layer.

pyabc (Klinger, Rickert & Hasenauer 2018; Schälte et al. 2022) asks a sampler for a
population: "sample until n particles are accepted". Its own samplers evaluate one particle at
a time inside `simulate_one`, which proposes a parameter, simulates and judges it in one go.
`EnsembleSampler` splits that, with pyabc's own look-ahead contract (preliminary particles,
used by its Redis sampler):

1. propose a batch of particles with pyabc's simulate function built with `evaluate=False`
   (the proposal: prior or perturbed previous population, weights from pyabc); the model
   (`Deferred`) only notes each particle's parameters;
2. turn every noted particle into runs (`simulators.py`: configurations with its values,
   its own seed), and run them all as one ensemble (`run_ensemble`: records, resume,
   failures, any executor);
3. fill in each particle's summary statistics from its records and let pyabc judge it
   (`evaluate_preliminary_particle`: distance, acceptance under the current epsilon);
4. take particles in the order proposed until n are accepted (what a single-core sampler
   would have accepted: no bias towards fast runs); propose another batch if needed;
5. truncate the accepted particles' importance weights (weights.py, Ionides 2008) and log
   every particle with its raw weight and the weight used (<folder>/particles/).

Reproducible and resumable: numpy's global generator, from which pyabc draws proposals, is
seeded at the start of every generation with (seed, t); particle k of generation t runs on
model seed `seed + 100000 (t + 1) + k`. So a generation that was killed is proposed again
identically, its particles have the same run keys, and their finished runs are found in the
ensemble folder instead of being run again.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyabc
from pyabc.inference_util.inference_util import create_simulate_function, evaluate_preliminary_particle
from pyabc.population import Particle
from pyabc.sampler import Sampler

from ..atomic import write_text_atomic
from ..experiments import run_ensemble
from .weights import truncate

PARTICLE_SEEDS = 100_000   # seeds per generation (particle k of generation t: seed + 100000 (t + 1) + k)
MIN_BATCH = 8


LOG = "log10_"   # a pyabc name with this prefix holds log10 of the parameter (log-uniform priors)


def pyabc_name(key: str, log: bool = False) -> str:
    """A parameter key (collectives.themes.energy.appeal) as a pyabc name (no dots); a log-uniform
    parameter is sampled as log10 of it, so that pyabc's kernels perturb it on its own scale."""
    return (LOG if log else "") + key.replace(".", "__")


def key_of(name: str) -> str:
    return name.removeprefix(LOG).replace("__", ".")


def natural(name: str, value: float) -> float:
    """A pyabc parameter value on the parameter's own scale."""
    return float(10.0 ** value) if name.startswith(LOG) else float(value)


class Deferred(pyabc.Model):
    """pyabc's model, deferred: notes the parameters of each proposal and returns a
    placeholder; the sampler runs the noted particles as one ensemble."""

    def __init__(self) -> None:
        super().__init__(name="vliegwiel")
        self.pending: list[dict[str, float]] = []

    def sample(self, pars) -> dict:
        self.pending.append({key_of(k): natural(k, v) for k, v in dict(pars).items()})
        return {"pending": np.array([len(self.pending) - 1])}


class EnsembleSampler(Sampler):
    """A pyabc sampler that evaluates batches of particles through `run_ensemble`."""

    def __init__(self, model: Deferred, simulator, patterns, folder: Path, executor, seed: int,
                 say=None) -> None:
        super().__init__()
        self.model, self.simulator, self.patterns = model, simulator, patterns
        self.folder, self.executor, self.seed = Path(folder), executor, int(seed)
        self.say = say or (lambda text: print(text, file=sys.stderr, flush=True))
        self.rate = 0.5            # last generation's acceptance rate (batch sizes only)
        self.runs_done = 0
        self.log: list[dict] = []  # every particle evaluated: generation, index, values, distances

    def particle_seed(self, t: int, k: int) -> int:
        return self.seed + PARTICLE_SEEDS * (t + 1) + k

    def sample_until_n_accepted(self, n, simulate_one, t, *, max_eval=np.inf, all_accepted=False, ana_vars=None):
        np.random.seed([self.seed % 2**32, t + 1])   # pyabc's proposals: same generation, same particles
        propose = simulate_one if all_accepted else self._proposer(t, ana_vars)
        if all_accepted or (t == 0 and ana_vars is not None and not math.isfinite(ana_vars.eps(t))):
            self.rate = 1.0   # every particle is accepted (the prior sample): no more than n
        sample = self._create_empty_sample()
        accepted = evaluated = proposed = 0
        rows = []
        while accepted < n and evaluated < max_eval:
            size = int(min(4 * n, max(MIN_BATCH if self.rate < 1 else 1,
                                       math.ceil((n - accepted) / max(self.rate, 0.05) * (1.2 if self.rate < 1 else 1)))))
            self.model.pending.clear()
            batch = [propose() for _ in range(size)]
            stats = self._evaluate(t, proposed, list(self.model.pending))
            for k, (particle, stat) in enumerate(zip(batch, stats)):
                particle = self._judge(particle, stat, t, ana_vars, all_accepted)
                sample.append(particle)
                evaluated += 1
                rows.append(self._row(t, proposed + k, particle))
                if particle.accepted:
                    accepted += 1
                if accepted >= n or evaluated >= max_eval:
                    break
            proposed += size
            self.say(f"generation {t}: {accepted} of {n} accepted after {evaluated} particles"
                     + (f" (epsilon {ana_vars.eps(t):.4g})" if ana_vars is not None and t >= 0 and not all_accepted else ""))
        self.rate = accepted / max(evaluated, 1)
        self.nr_evaluations_ = evaluated
        if not all_accepted:
            self._truncate(sample, rows)
        if sample.n_accepted < n:
            sample.ok = False
        self._write_log(t, rows)
        return sample

    def _proposer(self, t: int, ana_vars):
        """pyabc's simulate function for generation t, without evaluation (look-ahead mode)."""
        return create_simulate_function(
            t=t, model_probabilities=pd.DataFrame({"p": [1.0]}, index=[0]),
            model_perturbation_kernel=ana_vars.model_perturbation_kernel, transitions=ana_vars.transitions,
            model_prior=ana_vars.model_prior, parameter_priors=ana_vars.parameter_priors, models=ana_vars.models,
            summary_statistics=ana_vars.summary_statistics, x_0=ana_vars.x_0,
            distance_function=ana_vars.distance_function, eps=ana_vars.eps, acceptor=ana_vars.acceptor,
            evaluate=False)

    def _evaluate(self, t: int, first: int, pending: list[dict[str, float]]) -> list[dict]:
        """Run every pending particle (its replicates) as one ensemble; their summary statistics."""
        per = [self.simulator.runs(values, self.particle_seed(t, first + k), f"t{t}")
               for k, values in enumerate(pending)]
        flat = [r for runs in per for r in runs]
        result = run_ensemble(flat, self.folder, self.executor, collect_outputs=False, quiet=True)
        if result.failed:
            from ..errors import Failed

            raise Failed(f"{len(result.failed)} model run(s) failed in {self.folder}; see runs/*.failed.json")
        self.runs_done += result.ran
        runs_dir = self.folder / "runs"
        return [self.simulator.summarise(runs_dir, runs) for runs in per]

    def _judge(self, particle: Particle, stat: dict, t: int, ana_vars, all_accepted: bool) -> Particle:
        particle = Particle(m=particle.m, parameter=particle.parameter, weight=particle.weight, sum_stat=stat,
                            distance=particle.distance, accepted=particle.accepted,
                            preliminary=not all_accepted, proposal_id=particle.proposal_id)
        return particle if all_accepted else evaluate_preliminary_particle(particle, t, ana_vars)

    @staticmethod
    def _truncate(sample, rows: list[dict]) -> None:
        """Truncate the accepted particles' weights in place; note raw and used weights in the log rows."""
        accepted = sample.accepted_particles
        raw = np.array([p.weight for p in accepted], float)
        used = truncate(raw)
        for particle, w in zip(accepted, used):
            particle.weight = float(w)
        it = iter(used)
        for row in rows:
            row["weight"] = float(next(it)) if row["accepted"] else 0.0

    def _row(self, t: int, k: int, particle: Particle) -> dict:
        row = {"generation": t, "particle": k, "seed": self.particle_seed(t, k)}
        row.update({key_of(name): natural(name, v) for name, v in dict(particle.parameter).items()})
        row.update({f"d_{name}": d for name, d in self.patterns.distances(particle.sum_stat).items()})
        row.update({"distance": self.patterns.total(particle.sum_stat), "accepted": bool(particle.accepted),
                    "raw_weight": float(particle.weight) if particle.accepted else 0.0})
        return row

    def _write_log(self, t: int, rows: list[dict]) -> None:
        self.log = [r for r in self.log if r["generation"] != t] + rows
        out = self.folder / "particles"
        out.mkdir(parents=True, exist_ok=True)
        write_text_atomic(out / f"generation_{t}.csv", pd.DataFrame(rows).to_csv(index=False))

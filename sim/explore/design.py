"""The design: N worlds drawn from the uncertainty table, and the runs that evaluate them.

    design = draw_worlds(table, n=64, sampler="lhs", seed=..., posterior=None)
    runs = explore_runs(design, policies, replicates=2, base_overrides=[...])

A *world* is one value of every uncertain parameter plus its own `seed`. Boxes are sampled by
a Latin hypercube or a scrambled Sobol sequence (scipy.stats.qmc, seeded), so the same
command gives the same worlds. The parameters in the calibration's posterior (table.py) are
drawn jointly instead: one weighted particle per world, from that world's own random
stream, SeedSequence(world seed, spawn_key=(POSTERIOR_STREAM,)).

Every *policy* (an instrument alone, or a programme mix of configs/programme/) meets every
world with the same budget, and replicate r of world w is one random stream for every
policy: the run's `seed` is the world's and its `replicate` is r (common random numbers,
sim/streams.py). Each run's params carry every sampled input, its world and its policy, so
metrics.parquet is a tidy table with the inputs as `param:<key>` columns.

The *point* runs are the comparison at the default parameters: the very configurations
`vliegwiel scenario=compare_instruments replicate=range(0,R)` runs (same keys, same records).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import qmc

from ..config.compose import load_config
from ..config.overrides import apply_overrides
from ..errors import UserError
from ..experiments import MODEL, Run
from .table import Posterior, Uncertainty, as_value

SAMPLERS = ("lhs", "sobol")
POSTERIOR_STREAM = 0x706F7374   # "post": the posterior draw's stream, apart from the model's replicates
WORLD = "world"
POLICY = "policy"


@dataclass(frozen=True)
class Design:
    """The worlds (a row each: world, seed, every sampled input) and where the inputs came from."""

    worlds: pd.DataFrame
    box_keys: tuple[str, ...]          # drawn from their plausible boxes
    posterior_keys: tuple[str, ...]    # drawn jointly from the calibration's posterior
    integers: frozenset[str] = frozenset()

    @property
    def inputs(self) -> list[str]:
        return [*self.box_keys, *self.posterior_keys]

    def values(self, w: int) -> dict[str, float | int]:
        """World w's inputs, typed (integers as int)."""
        row = self.worlds.iloc[w]
        return {k: as_value(row[k], k in self.integers) for k in self.inputs}


def unit_sample(d: int, n: int, sampler: str, seed: int) -> np.ndarray:
    """n points in [0, 1)^d: a Latin hypercube or a scrambled Sobol sequence."""
    rng = np.random.default_rng(seed)
    if d == 0:
        return np.zeros((n, 0))
    if sampler == "lhs":
        return qmc.LatinHypercube(d=d, rng=rng).random(n)
    if sampler == "sobol":
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)   # balance needs a power of 2; any n is allowed
            return qmc.Sobol(d=d, scramble=True, rng=rng).random(n)
    raise UserError(f"--sampler {sampler}: one of {', '.join(SAMPLERS)}")


def world_seeds(n: int, seed: int) -> list[int]:
    """Each world's own seed (0 .. 2^32 - 1), independent streams spawned from the design seed."""
    return [int(s.generate_state(1)[0]) for s in np.random.SeedSequence(seed).spawn(n)]


def draw_worlds(table: list[Uncertainty], n: int, sampler: str, seed: int,
                posterior: Posterior | None = None) -> Design:
    """The N worlds of the design."""
    post_keys = tuple(posterior.keys) if posterior is not None else ()
    box = [u for u in table if u.key not in post_keys]
    u01 = unit_sample(len(box), n, sampler, seed)
    seeds = world_seeds(n, seed)
    data: dict[str, list] = {WORLD: list(range(n)), "seed": seeds}
    for j, u in enumerate(box):
        data[u.key] = [u.value(x) for x in u01[:, j]]
    if posterior is not None:
        draws = [posterior.draw(np.random.default_rng(np.random.SeedSequence(s, spawn_key=(POSTERIOR_STREAM,))))
                 for s in seeds]
        for key in post_keys:
            data[key] = [d[key] for d in draws]
    integers = frozenset(u.key for u in table if u.integer)
    return Design(pd.DataFrame(data), tuple(u.key for u in box), post_keys, integers)


# --- policies and runs ----------------------------------------------------------------------
def policies(instruments: list[str], mixes: list[str] = ()) -> dict[str, list[str]]:
    """{label: overrides}: every instrument alone (`policy.instruments=[name]`), then every
    programme mix (`programme=<name>`), labelled by its file name."""
    out = {name: [f"policy.instruments=[{name}]"] for name in instruments}
    out.update({f"mix:{m}": [f"programme={m}"] for m in mixes})
    return out


def explore_runs(design: Design, policy_overrides: dict[str, list[str]], replicates: int,
                 base_overrides: list[str] = (), function: str = MODEL) -> list[Run]:
    """Every world x policy x replicate as a Run; replicate r of world w shares its stream
    across policies. A test function gets the world's inputs and the policy's position
    (`policy_index`) instead of a configuration."""
    runs = []
    for p, (label, overrides) in enumerate(policy_overrides.items()):
        base = load_config([*base_overrides, *overrides])
        for w in range(len(design.worlds)):
            values = design.values(w)
            seed = int(design.worlds["seed"].iloc[w])
            params = {WORLD: str(w), POLICY: label, "seed": str(seed),
                      **{k: repr(v) for k, v in values.items()}}
            if function == MODEL:
                cfg = apply_overrides(base, {**values, "seed": seed})
            else:
                cfg = apply_overrides(base, {"seed": seed})
            for r in range(replicates):
                run_cfg = apply_overrides(cfg, {"replicate": r}, check=False)
                inputs = {**{k: float(v) for k, v in values.items()}, "policy_index": float(p)} if function != MODEL else {}
                runs.append(Run(run_cfg, scenario=label, params={**params, "replicate": str(r)},
                                function=function, inputs=inputs))
    return runs


def point_runs(instruments: list[str], replicates: int, base_overrides: list[str] = ()) -> list[Run]:
    """The comparison at the default parameters: every instrument alone, replicates 0..R-1,
    configured exactly as `vliegwiel scenario=compare_instruments` configures them: on a
    calibrated model (calibration=energy, the default) replicate r runs draw r of the
    posterior (posterior=replicate, sim/calibrate/draws.py)."""
    from ..calibrate.draws import calibration_of, draw_overrides

    draws = calibration_of(list(base_overrides)) != "none"
    runs = []
    for name in instruments:
        model = [*base_overrides, f"policy.instruments=[{name}]"]
        cfg = load_config(model)
        for r in range(replicates):
            params = {"policy.instruments": f"[{name}]", "replicate": str(r)}
            here = cfg
            if draws:
                extra, labels = draw_overrides(model, r)
                here, params = load_config([*model, *extra]), {**params, **labels}
            runs.append(Run(apply_overrides(here, {"replicate": r}, check=False), scenario=name, params=params))
    return runs

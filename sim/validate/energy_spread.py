"""The chance spread behind the `energy_calibration` check's tolerance (sim/validate/energy.py).

    python -m sim.validate.energy_spread [--seed 1] [--replicates 200] [--subsets 2000]

Runs scenarios/energy_calibrated.yaml with --replicates replicates of --seed over the data's
years and prints, for means of n = 8 and 20 replicates (the check's --fast and full sizes),
the quantiles of the NRMSE over --subsets random subsets. Use a seed other than the check's
(0), so the tolerance is not derived from the replicates it judges.
"""

from __future__ import annotations

import argparse

import numpy as np

from ..calibrate.fit import SCALE_MAX, goodness
from ..calibrate.observed import ENERGY_COOPERATIVES, load_series
from .energy import energy_share
from .setups import config


def spread(seed: int, replicates: int, subsets: int, sizes=(8, 20)) -> dict[int, np.ndarray]:
    observed = load_series(ENERGY_COOPERATIVES, "cooperatives_cumulative")
    months = int(observed.months[-1])
    curves = np.array([energy_share(config("scenario=energy_calibrated", f"months={months}", f"replicate={r}",
                                           seed=seed)) for r in range(replicates)])[:, observed.months]
    rng = np.random.default_rng(seed)
    k = (float(observed.values[-1]), SCALE_MAX * float(observed.values[-1]))
    return {n: np.quantile([goodness(observed.values, curves[rng.choice(replicates, n, replace=False)].mean(0),
                                     *k).nrmse for _ in range(subsets)], [0.05, 0.5, 0.95, 0.99])
            for n in sizes}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--replicates", type=int, default=200)
    parser.add_argument("--subsets", type=int, default=2000)
    args = parser.parse_args(argv)
    for n, q in spread(args.seed, args.replicates, args.subsets).items():
        print(f"n = {n:2d}: NRMSE 5 % {q[0]:.4f}, median {q[1]:.4f}, 95 % {q[2]:.4f}, 99 % {q[3]:.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

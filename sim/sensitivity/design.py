"""SALib designs as design files: one row per run, a column per uncertain parameter.

    Sobol (Saltelli's scheme, first-order and total indices): N (D + 2) rows
    Morris (elementary effects, 4 levels):                    N (D + 1) rows

Each parameter is uniform between its bounds. The design is drawn with a fixed seed, so the
same command gives the same design (and a rerun resumes it).
"""

from __future__ import annotations

import csv
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

import numpy as np

METHODS = ("sobol", "morris")
MORRIS_LEVELS = 4


@dataclass(frozen=True)
class Problem:
    names: tuple[str, ...]
    bounds: tuple[tuple[float, float], ...]

    def salib(self) -> dict:
        return {"num_vars": len(self.names), "names": list(self.names), "bounds": [list(b) for b in self.bounds]}


def parse_range(text: str, example: str) -> tuple[str, float, float]:
    """'key=lo:hi' -> (key, lo, hi), with lo < hi; `example` shows the form in the error."""
    from ..errors import UserError

    key, sep, rng = text.partition("=")
    lo, sep2, hi = rng.partition(":")
    try:
        bounds = (float(lo), float(hi))
    except ValueError:
        bounds = None
    if not sep or not sep2 or not key.strip() or bounds is None or not bounds[0] < bounds[1]:
        raise UserError(f"--param {text}: give KEY=LOW:HIGH with LOW < HIGH, e.g. {example}")
    return key.strip(), bounds[0], bounds[1]


def sample(problem: Problem, method: str, n: int, seed: int) -> np.ndarray:
    """The design matrix (rows = runs) of `method` with base sample size n."""
    if method == "sobol":
        from SALib.sample import sobol

        return sobol.sample(problem.salib(), n, calc_second_order=False, seed=seed)
    if method == "morris":
        from SALib.sample import morris

        return morris.sample(problem.salib(), n, num_levels=MORRIS_LEVELS, seed=seed)
    raise ValueError(f"method={method}: one of {', '.join(METHODS)}")


def write_design(path: Path, problem: Problem, x: np.ndarray) -> None:
    """The design as CSV (header: parameter keys), written atomically."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.partial")
    try:
        with open(tmp, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(problem.names)
            w.writerows([[repr(float(v)) for v in row] for row in x])
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)

"""What a particle is in terms of runs: its configurations (so run keys hash its values), and
how its runs' records become the summary statistics it is judged on.

- `ModelSimulator`: the model on a base configuration with the particle's values applied,
  `replicates` runs on the particle's own seed; national series through the mapping.
- `FunctionSimulator`: a registered test function (sim/experiments/testfunctions.py) with
  known answers, through the same machinery: a calibration can be checked on it.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np

from ..config.compose import load_config
from ..experiments import Run
from ..experiments import records
from .mapping import Mapping
from .national import mean_series, run_series, sumstat
from .patterns import Patterns


def value_text(v: float) -> str:
    """A parameter value as an override text that reads back to the same float."""
    return repr(float(v))


class ModelSimulator:
    """Particles of the model: base overrides + the particle's values, seed, replicates."""

    def __init__(self, overrides: list[str], patterns: Patterns, replicates: int, months: int) -> None:
        self.overrides = list(overrides)
        self.patterns = patterns
        self.replicates = replicates
        self.months = months
        self.base = load_config([*self.overrides, f"months={months}"])
        self.mapping = Mapping.of(self.base.world)
        self.years = months // 12 + 1

    def over(self, months: int, replicates: int | None = None) -> ModelSimulator:
        """The same particles over another horizon (a forecast runs past the fitted years)."""
        return ModelSimulator(self.overrides, self.patterns, replicates or self.replicates, months)

    def config(self, values: dict[str, float], seed: int, replicate: int = 0):
        cfg = load_config([*self.overrides, f"months={self.months}",
                           *(f"{k}={value_text(v)}" for k, v in values.items())])
        return dataclasses.replace(cfg, seed=int(seed), replicate=int(replicate))

    def runs(self, values: dict[str, float], seed: int, label: str) -> list[Run]:
        params = {k: value_text(v) for k, v in values.items()}
        first = self.config(values, seed, 0)
        return [Run(dataclasses.replace(first, replicate=r), scenario=label, params=params)
                for r in range(self.replicates)]

    def series(self, runs_dir: Path, runs: list[Run]) -> list[dict[str, np.ndarray]]:
        return [run_series(runs_dir / f"{r.key}.parquet", self.mapping, self.patterns.first_year, self.years)
                for r in runs]

    def summarise(self, runs_dir: Path, runs: list[Run]) -> dict[str, np.ndarray]:
        return sumstat(mean_series(self.series(runs_dir, runs)), self.patterns)


class FunctionSimulator:
    """Particles of a test function whose metrics are count_0 ... count_{k-1}: compared with
    the `count` pattern (the others are left out)."""

    def __init__(self, function: str, patterns: Patterns, fixed: dict[str, float] | None = None,
                 replicates: int = 1) -> None:
        self.function, self.patterns, self.fixed = function, patterns, dict(fixed or {})
        self.replicates = replicates
        self.base = load_config(["world=small"])

    def runs(self, values: dict[str, float], seed: int, label: str) -> list[Run]:
        inputs = {**self.fixed, **{k: float(v) for k, v in values.items()}}
        cfg = dataclasses.replace(self.base, seed=int(seed))
        return [Run(dataclasses.replace(cfg, replicate=r), scenario=label, function=self.function, inputs=inputs,
                    params={k: value_text(v) for k, v in values.items()}) for r in range(self.replicates)]

    def summarise(self, runs_dir: Path, runs: list[Run]) -> dict[str, np.ndarray]:
        p = self.patterns.by_name("count")
        values = []
        for r in runs:
            metrics = records.read_meta(runs_dir / f"{r.key}.parquet")["metrics"]
            values.append([metrics[f"count_{y - self.patterns.first_year}"] for y in p.years])
        return {"count": np.mean(values, axis=0)}

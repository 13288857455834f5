"""One pure runner, `run(cfg) -> Results`, shared by the CLI, sweeps, tests and the browser."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .config.schema import Config
from .model import VillageModel
from .recorder import Tables


@dataclass
class Results:
    """Everything a run produced, in memory. `sim.output.write_run` puts it on disk."""

    config: Config
    tables: Tables
    collectives: pd.DataFrame   # final state of every collective ever founded
    residents: pd.DataFrame     # final state of every resident (with its Rogers category)
    seconds_build: float
    seconds_run: float

    @property
    def region(self) -> pd.DataFrame:
        return self.tables.region

    @property
    def village(self) -> pd.DataFrame:
        return self.tables.village

    @property
    def rogers(self) -> pd.DataFrame:
        return self.tables.rogers


def run(cfg: Config, progress: Callable[[int, int], None] | None = None) -> Results:
    """Build the model from `cfg`, run `cfg.months` months and return the tidy results.

    `progress(month, months)` is called after every month if given.
    """
    t0 = time.perf_counter()
    model = VillageModel(cfg)
    t1 = time.perf_counter()
    for month in range(cfg.months):
        model.step()
        if progress is not None:
            progress(month + 1, cfg.months)
    t2 = time.perf_counter()
    return Results(cfg, model.results(), final_collectives(model), final_residents(model), t1 - t0, t2 - t1)


def final_residents(model: VillageModel) -> pd.DataFrame:
    """One row per resident: fixed attributes (Rogers category among them) and final state."""
    from .state import AgeGroup, ResidentState, Rogers

    p = model.people
    return pd.DataFrame({
        "resident": np.arange(p.n),
        "village": p.village,
        "category": pd.Categorical.from_codes(p.category, [r.name.lower() for r in Rogers]),
        "innovativeness": p.innovativeness,
        "threshold": p.threshold,
        "age_group": pd.Categorical.from_codes(p.age_group, [a.name.lower() for a in AgeGroup]),
        "vulnerable": p.vulnerable,
        "hours": p.hours,
        "trust": p.trust,
        "health": p.health,
        "state": pd.Categorical.from_codes(p.state, [s.name.lower() for s in ResidentState]),
        "collective": p.collective,
        "first_month": p.first_month,
    })


def final_collectives(model: VillageModel) -> pd.DataFrame:
    """One row per collective ever founded, with its state at the end of the run."""
    snap = model.collectives.snapshot()
    df = pd.DataFrame({k: v for k, v in snap.items() if k not in ("burden", "eased")})
    df.insert(0, "collective", range(len(df)))
    df["theme"] = pd.Categorical([model.themes[t] for t in snap["theme"]], categories=list(model.themes))
    from .state import Stage

    df["stage"] = [Stage(s).name.lower() for s in snap["stage"]]
    return df

"""Model set-ups of the validation checks and the textbook tests: one-village worlds, runs to
a fixed point, first months of taking part.

Composing a configuration through Hydra costs a fraction of a second, so configurations are
composed once per set of overrides and varied by seed with `dataclasses.replace`.
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache

import numpy as np

from ..config.compose import load_config


@lru_cache(maxsize=None)
def _composed(overrides: tuple[str, ...]):
    return load_config(list(overrides))


def config(*overrides: str, seed: int | None = None):
    """A validated Config for these overrides (composed once), optionally with another seed."""
    cfg = _composed(tuple(overrides))
    return dataclasses.replace(cfg, seed=seed) if seed is not None else dataclasses.replace(cfg)


def one_village(population: int, *overrides: str, seed: int | None = None):
    """A region of exactly one village of `population` residents (no ties to other villages)."""
    base = (
        "world.n_villages=1",
        "world.villages_per_municipality=1",
        f"world.median_population={population}",
        "world.population_sigma=0",
        "world.min_population=2",
        f"world.max_population={max(population, 2)}",
    )
    return config(*base, *overrides, seed=seed)


def run_to_fixed_point(model, max_months: int) -> int:
    """Step a deterministic, monotone model (threshold rule, no dropout) until nobody joins.

    With the threshold rule and all mechanisms off, a month in which nobody joins leaves the
    inputs of the next month unchanged, so nobody will ever join again: a fixed point.
    Returns the number of months stepped.
    """
    before = int(model.people.participating().sum())
    for month in range(1, max_months + 1):
        model.step()
        now = int(model.people.participating().sum())
        if now == before:
            return month
        before = now
    return max_months


def first_join_months(model, months: int) -> tuple[np.ndarray, np.ndarray]:
    """Step `model` for `months` months. Returns each resident's first month taking part
    (0: at the start, -1: never) and the share taking part at months 0..months."""
    part = model.people.participating()
    first = np.where(part, 0, -1)
    shares = [float(part.mean())]
    for month in range(1, months + 1):
        model.step()
        part = model.people.participating()
        first[part & (first < 0)] = month
        shares.append(float(part.mean()))
    return first, np.array(shares)

"""How the model's villages stand for the Netherlands: one stated scale, no free K.

The model's region is a sample of Dutch adults living in communities of the model's village
sizes. National counts of co-operatives and of their members are the model's counts times

    s = A_NL / A_model,

A_NL the adults (18+) of the Netherlands and A_model the adults of the run's region (its
residents at month 0). So co-operatives per adult, and members per adult, are the same in the
model's villages as in the country (an assumption: co-operatives may be denser in rural
places), and members per co-operative need no scale at all. The same s scales counts,
members, foundings and stoppings, of energy and of care.

The start (month 0, end of the first observed year) follows from the same mapping: the
observed count c_0 in that year means a share of villages

    initial_share = c_0 / (A_NL / a_village),

a_village the expected adults of a village of the world (lognormal sizes, clipped), so that
the expected count at month 0 is the observed one.

The calibration's world is the default world grown to --villages villages at the default
world's density of villages (its map's sides scaled by sqrt(villages / default villages)):
a larger calibration world then only averages more villages of the same kind, and the
posterior is used in worlds like the one it was fitted in (`world_overrides`).

A_NL: about 13.9 million adults on 1 January 2019 (CBS StatLine, population by age: 17.28
million inhabitants, about 80 % aged 18 or older). The count of adults changed by about 3 %
over 2009-2019; one value is used for every year (its error is far below the runs' noise).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

NL_ADULTS = 13.9e6   # adults (18+) in the Netherlands, 1 January 2019 (CBS StatLine); see module docstring
SIZE_DRAWS = 200_000  # draws of the village-size distribution for its mean (fixed seed: deterministic)


def mean_village_adults(median: float, sigma: float, lo: float, hi: float) -> float:
    """E[adults per village] of the world's size distribution: lognormal(log median, sigma),
    rounded and clipped to [lo, hi] (sim/world/villages.py), by a fixed-seed Monte Carlo."""
    rng = np.random.default_rng(20090101)
    pop = np.clip(np.rint(np.exp(rng.normal(np.log(median), sigma, SIZE_DRAWS))), lo, hi)
    return float(pop.mean())


def world_overrides(villages: int, default_world=None) -> list[str]:
    """Overrides that make the default world `villages` villages large at its own density:
    width and height scaled by sqrt(villages / n_villages of the default world)."""
    if default_world is None:
        from ..config.world import WorldConfig
        default_world = WorldConfig()
    f = math.sqrt(villages / default_world.n_villages)
    return [f"world.n_villages={int(villages)}", f"world.width_km={round(default_world.width_km * f, 6)!r}",
            f"world.height_km={round(default_world.height_km * f, 6)!r}"]


@dataclass(frozen=True)
class Mapping:
    """National adults and the world's expected village size: the two stated quantities."""

    nl_adults: float = NL_ADULTS
    village_adults: float = 1000.0

    @classmethod
    def of(cls, world) -> Mapping:
        """The mapping for a WorldConfig (its village sizes)."""
        return cls(NL_ADULTS, mean_village_adults(world.median_population, world.population_sigma,
                                                  world.min_population, world.max_population))

    @property
    def village_equivalents(self) -> float:
        """How many villages of the world's mean size the Netherlands' adults make."""
        return self.nl_adults / self.village_adults

    def scale(self, model_adults: float) -> float:
        """s = A_NL / A_model: national count per model count."""
        if model_adults <= 0:
            raise ValueError("a region without adults cannot stand for a country")
        return self.nl_adults / model_adults

    def initial_share(self, count: float) -> float:
        """Share of villages that start with an organised collective, for an observed count."""
        return min(1.0, count / self.village_equivalents)

"""The root configuration of the model: the one place where every default lives.

`Config` holds the model's parameters and nothing else: where a run writes (the command
line's `output.*`, sim/cli/settings.py) and how runs are grouped and executed (the
experiment layer, sim/experiments/) live with their callers, so a run key, a design row or
a page's settings never carry them.

`configs/` is composed on top of this schema (sim/config/compose.py; the command line does
the same with Hydra), so YAML files only select groups and change values; they never repeat
a default.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .applications import ApplicationsConfig
from .collectives import CollectivesConfig
from .governance import GovernmentConfig, PolicyConfig, new_policy
from .params import param
from .people import AdoptionConfig, MechanismsConfig, ResidentConfig
from .world import NetworkConfig, WorldConfig


@dataclass
class Config:
    """Everything a run needs. `run(Config)` is a pure function of it."""

    seed: int = param(42, unit="integer", lo=0, hi=2**32 - 1, source="convention",
                      help="Master seed; with `replicate` it fixes every random draw: same seed, same numbers.")
    replicate: int = param(0, unit="integer", lo=0, hi=2**31 - 1, source="convention",
                           help="Replication number: the run's stream is SeedSequence(seed, spawn_key=(replicate,)), "
                                "shared by every scenario (common random numbers).")
    months: int = param(120, unit="months", lo=0, hi=12_000, source="DOMAIN.md: a 10-year horizon",
                        help="Horizon in monthly steps.")
    world: WorldConfig = field(default_factory=WorldConfig)
    network: NetworkConfig = field(default_factory=NetworkConfig)
    residents: ResidentConfig = field(default_factory=ResidentConfig)
    adoption: AdoptionConfig = field(default_factory=AdoptionConfig)
    mechanisms: MechanismsConfig = field(default_factory=MechanismsConfig)
    collectives: CollectivesConfig = field(default_factory=CollectivesConfig)
    applications: ApplicationsConfig = field(default_factory=ApplicationsConfig)
    governments: GovernmentConfig = field(default_factory=GovernmentConfig)
    policy: PolicyConfig = field(default_factory=new_policy)

"""The root configuration: the one place where every default lives.

Hydra composes `configs/config.yaml` on top of this schema (registered as `base_config`),
so YAML files only select groups and change values; they never repeat a default.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .collectives import CollectivesConfig
from .design import DesignConfig
from .governance import GovernmentConfig, PolicyConfig
from .params import param
from .people import AdoptionConfig, MechanismsConfig, ResidentConfig
from .world import NetworkConfig, WorldConfig


@dataclass
class OutputConfig:
    """Where and what a run writes (not part of the model)."""

    dir: str = param("results/runs", unit="path", source="convention",
                     help="Folder under which each run gets its own folder.")
    name: str = param("", unit="name", source="convention",
                      help="Name of the run folder; empty gives <date>_<time>_seed<seed>.")
    plot: bool = param(True, unit="switch", source="convention",
                       help="Write the adoption curve by Rogers category as PNG.")


@dataclass
class SweepConfig:
    """How a multirun groups its runs into jobs (not part of the model)."""

    pack: int = param(1, unit="runs", lo=1, hi=100_000, source="convention",
                      help="Runs per job of a multirun: the job with replicate=r runs replicates "
                           "r ... r+pack-1 (with a design: design.row=k runs rows k ... k+pack-1), one record "
                           "each (sweep replicate=range(0,N,pack)); fewer, longer jobs.")


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
    governments: GovernmentConfig = field(default_factory=GovernmentConfig)
    policy: PolicyConfig = field(default_factory=PolicyConfig)
    output: OutputConfig = field(default_factory=OutputConfig)
    design: DesignConfig = field(default_factory=DesignConfig)
    sweep: SweepConfig = field(default_factory=SweepConfig)

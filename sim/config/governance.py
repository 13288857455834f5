"""Levers: governments, their budgets and attitude, and the instruments they run."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..instruments.registry import instrument_names
from .instruments import (
    DialogueConfig, LearningNetworkConfig, PrizeConfig, RightToChallengeConfig, ShareholdingConfig, SubsidyConfig,
    TenderConfig,
)
from .params import param


@dataclass
class GovernmentConfig:
    """Municipalities and the province."""

    attitude_mean: float = param(
        0.5, unit="index 0-1", lo=0.0, hi=1.0,
        source="assumption: 0 controlling, 1 co-creating (DOMAIN.md s3)",
        help="Mean attitude of municipalities.")
    attitude_sd: float = param(
        0.15, unit="index 0-1", lo=0.0, hi=1.0, source="assumption",
        help="Spread of attitude between municipalities.")


@dataclass
class PolicyConfig:
    """The policy mix: instruments chosen by name from a fixed registry, sharing one budget."""

    instruments: list[str] = param(
        unit="names", choices=instrument_names, source="DOMAIN.md s4", default_factory=lambda: ["none"],
        help="Instruments in the policy mix; they share policy.budget by their weights.")
    budget: float = param(
        1_500_000.0, unit="EUR over the horizon", lo=0.0, hi=1e12,
        source="assumption: a provincial programme of ~150,000 EUR a year for ten years",
        help="Public money of the whole mix over the horizon (the same for every instrument in a fair comparison).")
    subsidy: SubsidyConfig = field(default_factory=SubsidyConfig)
    prize: PrizeConfig = field(default_factory=PrizeConfig)
    tender: TenderConfig = field(default_factory=TenderConfig)
    shareholding: ShareholdingConfig = field(default_factory=ShareholdingConfig)
    right_to_challenge: RightToChallengeConfig = field(default_factory=RightToChallengeConfig)
    dialogue: DialogueConfig = field(default_factory=DialogueConfig)
    learning_network: LearningNetworkConfig = field(default_factory=LearningNetworkConfig)

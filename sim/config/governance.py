"""Levers: governments, their budgets and attitude, and the instruments they run."""

from __future__ import annotations

from dataclasses import dataclass

from ..instruments.registry import instrument_names
from .params import param


@dataclass
class GovernmentConfig:
    """Municipalities and the province."""

    municipal_budget: float = param(
        20_000.0, unit="EUR/year per municipality", lo=0.0, hi=1e10, source="assumption",
        help="Budget a municipality has for community initiatives.")
    provincial_budget: float = param(
        300_000.0, unit="EUR/year", lo=0.0, hi=1e11, source="assumption",
        help="Budget the province has for community initiatives.")
    attitude_mean: float = param(
        0.5, unit="index 0-1", lo=0.0, hi=1.0,
        source="assumption: 0 controlling, 1 co-creating (DOMAIN.md s3)",
        help="Mean attitude of municipalities.")
    attitude_sd: float = param(
        0.15, unit="index 0-1", lo=0.0, hi=1.0, source="assumption",
        help="Spread of attitude between municipalities.")


@dataclass
class PolicyConfig:
    """The instrument portfolio. Instruments are chosen by name from a fixed registry."""

    instruments: list[str] = param(
        unit="names", choices=instrument_names, source="DOMAIN.md s4", default_factory=lambda: ["none"],
        help="Instruments in the policy mix (the comparison issue adds the others).")

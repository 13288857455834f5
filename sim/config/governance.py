"""Levers: governments, their budgets and attitude, and the instruments they run."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from ..instruments.registry import instrument_names, instruments, version
from .params import param


@dataclass
class GovernmentConfig:
    """Municipalities and the province: attitudes and the province's own roles."""

    attitude_mean: float = param(
        0.5, unit="index 0-1", lo=0.0, hi=1.0,
        source="assumption: 0 controlling, 1 co-creating (DOMAIN.md s3)",
        help="Mean attitude of municipalities.")
    attitude_sd: float = param(
        0.15, unit="index 0-1", lo=0.0, hi=1.0, source="assumption",
        help="Spread of attitude between municipalities.")
    # the province's own role (middenbestuur); docs/ODD.md section 7.7
    province_attitude: float = param(
        0.5, unit="index 0-1", lo=0.0, hi=1.0,
        source="assumption: 0 controlling, 1 co-creating (DOMAIN.md s3)",
        help="Attitude of the province; with mechanisms.attitude it counts with the municipality's (province_weight).")
    province_weight: float = param(
        0.3, unit="share", lo=0.0, hi=1.0, source="assumption: the province sets frames, the municipality is met most",
        plausible=(0.0, 0.5), plausible_reason="assumption: the municipality is closest to collectives, so at most half",
        help="Weight of the province's attitude in the attitude a collective meets (mechanisms.attitude).")
    attitude_burden: float = param(
        0.5, unit="share of hours", lo=0.0, hi=1.0,
        source="assumption; DOMAIN.md s3: attitude shapes procedures; s6: grant burden ~38 % of grant income (UK)",
        plausible=(0.0, 1.0), plausible_reason="assumption: from no effect to procedures halved or doubled",
        help="Procedures (admin hours, instruments' hours) are 1 + this x (1 - 2 attitude) times a neutral government's (mechanisms.attitude).")
    cocreation_risk: float = param(
        0.5, unit="share of risk", lo=0.0, hi=1.0,
        source="assumption; DOMAIN.md loop 3; Igalla, Edelenbos & van Meerkerk (2019): support relates to performance",
        plausible=(0.0, 1.0), plausible_reason="assumption: direction known, size not",
        help="Co-creation (trust x attitude) lowers project failure risk by this x (trust x attitude - 0.25) (mechanisms.attitude).")
    cofunding: float = param(
        0.0, unit="EUR per EUR", lo=0.0, hi=10.0,
        source="assumption: a lever (matching funds), 0 = the province co-funds nothing",
        help="Co-funder: the province adds this much per EUR of every municipal instrument's allocation, at its own expense (mechanisms.province_roles).")
    room_to_deviate: float = param(
        0.0, unit="share of hours", lo=0.0, hi=1.0,
        source="assumption: a lever (afwijkingsruimte), 0 = none",
        help="Room to deviate: share of the hours of tenders and Right to Challenge, and of the admin hours of collectives dealing with them, the province lets go of (mechanisms.province_roles).")


def _policy_fields() -> list:
    return [
        ("instruments", list[str], param(
            unit="names", choices=instrument_names, source="DOMAIN.md s4", default_factory=lambda: ["none"],
            help="Instruments in the policy mix; they share policy.budget by their weights.")),
        ("budget", float, param(
            1_500_000.0, unit="EUR over the horizon", lo=0.0, hi=1e12,
            source="assumption: a provincial programme of ~150,000 EUR a year for ten years",
            help="Public money of the whole mix over the horizon (the same for every instrument in a fair comparison).")),
        ("stop_month", int, param(
            -1, unit="month", lo=-1, hi=12_000, source="convention",
            help="Month every instrument of the mix stops (exclusive) unless its own stop_month is set; "
                 "-1 = none. A withdrawal: scenarios/withdrawal.yaml.")),
    ]


_built: dict = {}


def policy_config_class() -> type:
    """The policy's dataclass: the mix (`instruments`), its `budget`, and for every registered
    instrument with parameters a field of its config class under its name
    (`policy.dialogue.cost`). Built from the registry (sim/instruments/registry.py), and
    again whenever an instrument is registered (a plugin, or a test's toy instrument)."""
    global PolicyConfig
    if _built.get("version") != version():
        groups = tuple((name, cls.config) for name, cls in instruments().items() if getattr(cls, "config", None))
        if groups not in _built:     # the same instruments give the very same class (equal configs stay equal)
            fields = _policy_fields() + [(name, config, dataclasses.field(default_factory=config))
                                         for name, config in groups]
            _built[groups] = dataclasses.make_dataclass(
                "PolicyConfig", fields, namespace={"__module__": __name__, "__doc__": POLICY_DOC})
        _built.update(version=version(), cls=_built[groups])
        PolicyConfig = _built["cls"]
    return _built["cls"]


def stop_month_of(policy, name: str) -> int:
    """When instrument `name` of the mix stops: its own stop_month, else the policy's (-1: never)."""
    own = getattr(getattr(policy, name, None), "stop_month", -1)
    return own if own >= 0 else policy.stop_month


def new_policy():
    """A PolicyConfig with every default (Config's default for `policy`)."""
    return policy_config_class()()


POLICY_DOC = """The policy mix: instruments chosen by name from the registry, sharing one budget, and
each registered instrument's parameters under its name."""

PolicyConfig = policy_config_class()

"""Uncertainties about how collectives decide to apply (mechanisms.voluntary_applications).

Each instrument a collective can apply for states its own prior chance of success
(`policy.<instrument>.prior_success`, next to its behaviour); what is common to every
application lives here. The rule is in sim/rules/applications.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from .params import param


@dataclass
class ApplicationsConfig:
    """Whether a collective applies: expected gain against the volunteer hours it costs."""

    hour_price: float = param(
        15.0, unit="EUR/hour", lo=0.0, hi=1e4,
        source="derived: applying costs small charities ~38 % of grant income (EVIDENCE.md s3); with the subsidy's "
               "defaults 0.38 x 0.35 x 5,000 EUR / 40 hours ~ 17 EUR an hour, rounded down",
        plausible=(5.0, 40.0),
        plausible_reason="assumption: from a token volunteer allowance to the hour of a paid professional",
        help="Shadow price of a volunteer hour to a collective whose core has time to spare.")
    overload_price: float = param(
        2.0, unit="per unit of overload", lo=0.0, hi=100.0,
        source="assumption: an overloaded core values an hour more (DOMAIN.md balancing loop: workload)",
        plausible=(0.0, 5.0), plausible_reason="assumption: 0, hours cost the same however busy the core is",
        help="The hour price is multiplied by 1 + this x the core's relative overload last month.")
    prior_strength: float = param(
        4.0, unit="applications", lo=0.0, hi=1e6, source="assumption",
        plausible=(1.0, 20.0),
        plausible_reason="assumption: from a hunch that one outcome overturns to a belief a few rounds barely move",
        help="How many applications the prior chance of success is worth against experience.")
    peer_weight: float = param(
        0.5, unit="weight", lo=0.0, hi=1.0,
        source="assumption: collectives hear of their neighbours' applications (DOMAIN.md loop 4: regional learning)",
        plausible=(0.0, 1.0), plausible_reason="assumption: 0, only own experience counts; 1, a neighbour's as much",
        help="Weight of an application by a collective in the same or a linked village against an own one.")

"""Prijsvraag: a prize competition in rounds (DOMAIN.md section 4).

Run by: the province or each municipality (`policy.prize.government`).
Eligibility: every living collective from stage starting on, new groups included.
Money: each round's pot (the paced budget up to the round's last month, so the budget of
the whole round) split equally among at most `winners` winners. Volunteer hours: every entrant spends `proposal_hours`.
Selection: competitive; the entrants' capacity (core hours x (1 + knowledge)) times a
lognormal judging noise ranks them. Horizon: rounds every `round_months`. Channels:
mobilisation of new groups (a founding boost everywhere when a round opens), visibility for
winners (extra pull in their village for a year), losers discouraged (some stop).
Entering: with `mechanisms.voluntary_applications` (the default) a collective enters only
when its share of the round's pot (pot / `winners`), times the chance of winning it
expects (learned from its own and its neighbours' entries, from `prior_success`), is worth
more than the proposal's hours (sim/rules/applications.py). Off, every eligible collective
enters every round. A round nobody enters pays nothing; its money stays for the next.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..config.instruments import InstrumentConfig
from ..config.params import param
from .base import Instrument
from .registry import register_instrument

VISIBLE_MONTHS = 12
JUDGING_NOISE = 0.5  # sd of the lognormal noise on capacity (assumption)


@dataclass
class PrizeConfig(InstrumentConfig):
    """Prijsvraag: rounds in which many groups enter and a few win the pot."""

    round_months: int = param(12, unit="months", lo=1, hi=600, source="assumption",
                              plausible=(6.0, 24.0), plausible_reason="assumption: from two rounds a year to one every two years",
                              help="Months between rounds.")
    winners: int = param(3, unit="collectives", lo=1, hi=10_000,
                         source="Nesta Big Green Challenge: 355 entries, 10 finalists, 4 winners",
                         plausible=(1.0, 6.0), plausible_reason="EVIDENCE.md s3: Big Green Challenge 3-4 winners of 10 finalists; 1-6 a round (assumption)",
                         help="Winners per round; the round's pot is split equally among them.")
    proposal_hours: float = param(30.0, unit="hours", lo=0.0, hi=1e5, source="assumption",
                                  plausible=(10.0, 80.0), plausible_reason="assumption: from a one-page idea to a full plan",
                                  help="Volunteer hours every entrant spends on its proposal.")
    mobilisation: float = param(0.5, unit="founding boost", lo=0.0, hi=100.0,
                                source="Nesta: challenge prizes mobilise many new groups",
                                plausible=(0.0, 1.5), plausible_reason="EVIDENCE.md s3: no study measures whether prizes create collectives that would not exist otherwise (from none); 12 % of entrants were new groups",
                                help="Relative boost of founding in every village in the month a round opens.")
    visibility: float = param(0.05, unit="pull", lo=0.0, hi=10.0, source="assumption",
                              plausible=(0.0, 0.1), plausible_reason="assumption: no measured effect; from none to twice the default",
                              help="Extra pull toward joining in a winner's village for a year.")
    loser_discouragement: float = param(0.3, unit="failure signal", lo=0.0, hi=100.0,
                                        source="Nesta: over half of the non-finalists carried on",
                                        plausible=(0.0, 1.0), plausible_reason="EVIDENCE.md s3: over half of the non-finalists carried on; from none to about 3x the default (assumption)",
                                        help="Disappointment added to each losing entrant.")
    prior_success: float = param(
        3 / 355, unit="probability", lo=0.0, hi=1.0,
        source="EVIDENCE.md s3: Nesta Big Green Challenge, 355 entrants, 3 winners",
        plausible=(0.005, 0.3),
        plausible_reason="Nesta's national challenge the lower end; a provincial prize draws far fewer entrants "
                         "(assumption: a few winners among some ten entrants)",
        help="With mechanisms.voluntary_applications: the chance of winning a collective expects before any experience.")


@register_instrument
class Prize(Instrument):
    name = "prize"
    config = PrizeConfig
    labels = {"en": "prize competition", "nl": "prijsvraag"}
    order = 20

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.visible_until: dict[int, int] = {}  # village -> month the winner's visibility ends
        self.rounds: list[dict] = []              # what each round did (for tests and reports)

    def apply(self, month: int) -> None:
        cfg = self.cfg
        for v, until in list(self.visible_until.items()):
            if month < until:
                self.government.signal([v], "mobilisation", cfg.visibility)
        if (month - self.start_month) % cfg.round_months == 0:
            self.run_round(month)

    def run_round(self, month: int) -> None:
        cfg = self.cfg
        self.government.signal(self.villages, "founding", cfg.mobilisation)
        until = self.round_end(month, cfg.round_months)
        prize = self.allowance(until) / cfg.winners          # what a winner may expect
        eligible = self.collectives()
        # all decide on what they knew before the round, then enter together
        entering = [c.wants_to_apply("prize", prize, cfg.proposal_hours, 0.0, cfg.prior_success) for c in eligible]
        entrants = [c for c, yes in zip(eligible, entering, strict=True) if yes]
        for c, yes in zip(eligible, entering, strict=True):
            c.apply_for("prize", cfg.proposal_hours) if yes else c.decline("prize")
        if not entrants:
            self.rounds.append({"month": month, "entrants": 0, "winners": 0, "paid": 0.0})
            return
        score = np.array([c.capacity for c in entrants]) * self.model.rng.lognormal(0.0, JUDGING_NOISE, len(entrants))
        order = np.argsort(-score, kind="stable")
        winners = [entrants[i] for i in order[: cfg.winners]]
        share = self.allowance(until) / len(winners)
        paid = sum(self.pay(c, share, month, until) for c in winners)
        for c in winners:
            self.visible_until[c.village] = month + VISIBLE_MONTHS
            c.record_win("prize")
        for i in order[cfg.winners :]:
            entrants[i].discourage(cfg.loser_discouragement)
        self.rounds.append({"month": month, "entrants": len(entrants), "winners": len(winners), "paid": paid})

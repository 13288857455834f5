"""Subsidie: a grant for part of a project's cost (DOMAIN.md section 4).

Run by: the province or each municipality (`policy.subsidy.government`).
Eligibility: organised collectives (or later) without a running project whose capital falls
short of their next project's own share, that have not applied in `reapply_months` / g.
Money: a grant of `cost_share` x project cost, at most `max_grant`, paid from the paced
budget. Unspent money: an undersubscribed scheme becomes more generous; the approval
chance, the share and the maximum grow with the take-up gap g, the ratio of what is left
per month left to the planned pace (see `take_up_gap`, `grant_for`), and the wait before
applying again shrinks by g: a scheme that gets few applications grants more of them,
sooner, and covers up to the whole project. Volunteer hours: `application_hours` per
application, `report_hours` a month while the granted project runs. Selection:
eligibility, then granted with probability min(1, `approval` x g).
Horizon: short (one project). Channels: money; administrative burden; crowding-out (the
village's pull drops with the government's share in its collectives' funding); a cliff when
it ends (grant-dependent collectives are discouraged). Inclusion options (off by default):
grants only to collectives with vulnerable members (`vulnerable_only`), a bonus per vulnerable
member (`vulnerable_bonus`), and an inclusion plan as a condition: while the granted project
runs the collective reaches out to vulnerable residents of its village (`outreach`, the
outreach channel) at `outreach_hours` a month.
Applying: with `mechanisms.voluntary_applications` (the default) an eligible collective
applies only when the grant it would get, times the chance it expects (learned from its
own and its neighbours' applications, from `prior_success`), is worth more than the hours
of applying and reporting (sim/rules/applications.py); otherwise it declines and looks
again after the same wait. Off, every eligible collective applies.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..state import Stage
from ..config.instruments import InstrumentConfig
from ..config.params import param
from .base import Instrument
from .registry import register_instrument


@dataclass
class SubsidyConfig(InstrumentConfig):
    """Subsidie: a grant covering part of a project's cost."""

    cost_share: float = param(0.5, unit="share of project cost", lo=0.0, hi=1.0, source="assumption",
                              plausible=(0.3, 0.8), plausible_reason="assumption: Dutch grant schemes cover from about a third to most of a project's cost",
                              help="Part of the project cost a grant covers.")
    max_grant: float = param(25_000.0, unit="EUR", lo=0.0, hi=1e9, source="assumption",
                             plausible=(10000.0, 50000.0), plausible_reason="assumption: provincial small-grant ceilings, half to twice the default",
                             help="Largest grant per project.")
    approval: float = param(0.35, unit="probability", lo=0.0, hi=1.0,
                            source="DOMAIN.md s6: about two thirds of grant applications fail",
                            plausible=(0.3, 0.55), plausible_reason="EVIDENCE.md s3: about 30 of 58 postcoderoos applications approved (0.52); DOMAIN.md s6: about two thirds fail (0.33)",
                            help="Chance that an eligible application is granted.")
    application_hours: float = param(40.0, unit="hours", lo=0.0, hi=1e5,
                                     source="DOMAIN.md s6: applying costs ~38% of grant income for small charities",
                                     plausible=(20.0, 80.0), plausible_reason="assumption: DOMAIN.md s6, applying costs ~38 % of grant income for small charities; half to twice the default",
                                     help="Volunteer hours an application takes (in the month of applying).")
    report_hours: float = param(4.0, unit="hours/month", lo=0.0, hi=1e5, source="assumption",
                                plausible=(1.0, 10.0), plausible_reason="assumption: from a short annual report to monthly accountability",
                                help="Accountability hours per month while a granted project runs.")
    reapply_months: int = param(12, unit="months", lo=0, hi=600, source="assumption",
                                plausible=(6.0, 24.0), plausible_reason="assumption: from two calls a year to one every two years",
                                help="Months a collective waits before applying again.")
    crowding: float = param(0.05, unit="pull per share", lo=0.0, hi=10.0,
                            source="Frey & Jegen (2001); Koirala et al. (2018): money is a weak lever on willingness",
                            plausible=(0.0, 0.15), plausible_reason="Frey & Jegen (2001): both crowding-out and -in (from none); Gneezy & Rustichini (2000): it can be large (up to 3x the default, assumption)",
                            help="Crowding-out in a village per unit of government share in its collectives' funding.")
    cliff: float = param(0.5, unit="failure signal", lo=0.0, hi=100.0, source="assumption (DOMAIN.md: cliff when it ends)",
                         plausible=(0.0, 1.5), plausible_reason="assumption: DOMAIN.md names the cliff, no size known; from none to 3x the default",
                         help="Disappointment added to grant-dependent collectives when the subsidy stops.")
    vulnerable_only: bool = param(False, unit="switch", source="assumption: an inclusion condition (DOMAIN.md s1: "
                                  "reaching vulnerable groups)",
                                  help="Grant only collectives with at least one vulnerable member (others do not apply).")
    vulnerable_bonus: float = param(0.0, unit="EUR per vulnerable member", lo=0.0, hi=1e7,
                                    source="assumption: an inclusion bonus on top of the grant",
                                    plausible=(0.0, 1000.0), plausible_reason="assumption: from none to about a year of a member's fee and outings",
                                    help="Added to a grant for each vulnerable member of the collective.")
    outreach: float = param(0.0, unit="1/month", lo=0.0, hi=100.0,
                            source="assumption: an inclusion plan as a grant condition (outreach to vulnerable residents)",
                            plausible=(0.0, 0.02), plausible_reason="assumption: from no plan to twice the dialogue's one-month awareness push (0.1) spread over a year",
                            help="Outreach effort a granted collective makes in its village each month while its "
                                 "project runs (the outreach channel: awareness aimed at vulnerable residents).")
    outreach_hours: float = param(8.0, unit="hours/month", lo=0.0, hi=1e5,
                                  source="assumption: a few evenings a month of visits and calls",
                                  plausible=(4.0, 16.0), plausible_reason="assumption: half to twice the default",
                                  help="Volunteer hours the outreach takes a month (only with outreach > 0).")
    prior_success: float = param(
        0.33, unit="probability", lo=0.0, hi=1.0,
        source="EVIDENCE.md s3, DOMAIN.md s6: about two thirds of grant applications fail",
        plausible=(0.2, 0.5), plausible_reason="assumption around the UK figure: Dutch schemes and years differ",
        help="With mechanisms.voluntary_applications: the chance of a grant a collective expects before any experience.")


@register_instrument
class Subsidy(Instrument):
    name = "subsidy"
    config = SubsidyConfig
    labels = {"en": "subsidy", "nl": "subsidie"}
    order = 10

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.last_applied: dict[int, int] = {}
        self.reporting: set[int] = set()
        self.granted: set[int] = set()

    def apply(self, month: int) -> None:
        cfg, rng = self.cfg, self.model.rng
        organised = self.collectives(Stage.ORGANISED)
        for c in organised:
            if c.cid in self.reporting:
                if c.project_running:
                    c.add_burden(cfg.report_hours)
                    self.reach_out(c)
                else:
                    self.reporting.discard(c.cid)
            wait = cfg.reapply_months / self.take_up_gap(month)
            if c.shortfall <= 0 or month - self.last_applied.get(c.cid, -10**9) < wait or not self.admits(c):
                continue
            self.last_applied[c.cid] = month                 # applied or declined: looks again after the wait
            grant = self.grant_for(c.project_cost, month) + self.inclusion_bonus(c)
            if not c.wants_to_apply("subsidy", grant, cfg.application_hours, cfg.report_hours * c.project_months,
                                    cfg.prior_success):
                c.decline("subsidy")
                continue
            c.apply_for("subsidy", cfg.application_hours)
            if rng.random() < min(1.0, cfg.approval * self.take_up_gap(month)) and self.pay(c, grant, month) > 0:
                self.reporting.add(c.cid)
                self.granted.add(c.cid)
                c.record_win("subsidy")
        self._crowd_out(organised)

    def grant_for(self, project_cost: float, month: int) -> float:
        """The grant for a project: cost_share x cost, at most max_grant, both raised by the
        take-up gap g (an undersubscribed scheme covers more of the cost, up to all of it):
            grant = min(cost x min(1, cost_share x g), max_grant x g)"""
        g = self.take_up_gap(month)
        return min(project_cost * min(1.0, self.cfg.cost_share * g), self.cfg.max_grant * g)

    # --- inclusion options (reaching vulnerable residents; all off by default) -----------
    def admits(self, c) -> bool:
        """With `vulnerable_only`, only collectives with a vulnerable member may apply."""
        return not self.cfg.vulnerable_only or c.vulnerable_members > 0

    def inclusion_bonus(self, c) -> float:
        """`vulnerable_bonus` EUR for each vulnerable member, on top of the grant."""
        return self.cfg.vulnerable_bonus * c.vulnerable_members if self.cfg.vulnerable_bonus > 0 else 0.0

    def reach_out(self, c) -> None:
        """The inclusion plan while a granted project runs: `outreach` effort in the
        collective's village (aimed at vulnerable residents), `outreach_hours` of burden."""
        if self.cfg.outreach > 0:
            self.government.signal([c.village], "outreach", self.cfg.outreach)
            c.add_burden(self.cfg.outreach_hours)

    def _crowd_out(self, organised) -> None:
        """Crowding-out: pull falls with the government's share in the village's funding."""
        for v in {c.village for c in organised}:
            shares = [c.government_share for c in organised if c.village == v]
            self.government.signal([v], "crowding", self.cfg.crowding * float(np.mean(shares)))

    def finish(self, month: int) -> None:
        """The cliff: collectives this subsidy funded that live on public money (more than
        half of their funding) are discouraged when it stops."""
        for c in self.collectives(Stage.ORGANISED):
            if c.cid in self.granted and c.government_share > 0.5:
                c.discourage(self.cfg.cliff)

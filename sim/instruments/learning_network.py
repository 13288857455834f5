"""Regionaal lerend netwerk: a regional learning network (DOMAIN.md section 4).

Run by: the province by default (`policy.learning_network.government`).
Eligibility: every living collective from stage starting on, as many as the budget pays for
(earliest founded first). Money: `cost_per_member` a month per collective taking part
(coordination, meetings); what that leaves of the paced budget buys coaching trajectories
(`coaching_cost` each, the least knowledgeable member first, each member at most once per
`coaching_months`). Volunteer hours: `hours` a month each (small), `coaching_hours` for a
coaching. Selection: none.
Horizon: continuous. Channel: knowledge spill-over across the whole region: each member
closes `learning_rate` of its gap to the best knowledge of its theme among all members,
in addition to the built-in learning between linked villages (sim/dynamics/collectives.py);
coaching closes `coaching_gain` of a member's gap to full knowledge.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config.instruments import InstrumentConfig
from ..config.params import param
from .base import Instrument
from .registry import register_instrument


@dataclass
class LearningNetworkConfig(InstrumentConfig):
    """Regionaal lerend netwerk: knowledge sharing between villages' collectives."""

    learning_rate: float = param(0.05, unit="1/month at full funding", lo=0.0, hi=1.0, source="DOMAIN.md s4: knowledge spill-over",
                                 plausible=(0.01, 0.1), plausible_reason="EVIDENCE.md s3: networks spread codified lessons, tacit knowledge stays local (Hargreaves et al. 2013); no effect size: a fifth to twice the default",
                                 help="Share of the gap to the region's best knowledge of a theme closed each month.")
    cost_per_member: float = param(100.0, unit="EUR/month per collective", lo=0.0, hi=1e9, source="assumption: coordination",
                                   plausible=(50.0, 300.0), plausible_reason="assumption: a coordinator's time shared by the members",
                                   help="Coordination cost per participating collective; the budget caps how many take part.")
    hours: float = param(2.0, unit="hours/month", lo=0.0, hi=1e5, source="DOMAIN.md s4: burden small",
                         plausible=(1.0, 6.0), plausible_reason="assumption: DOMAIN.md s4 calls the burden small",
                         help="Volunteer hours per month of taking part.")
    coaching_cost: float = param(5_000.0, unit="EUR per coaching", lo=0.0, hi=1e9, source="assumption: a few days of a regional coach",
                                 plausible=(2000.0, 10000.0), plausible_reason="assumption: two to ten days of a regional coach",
                                 help="Cost of one coaching trajectory for a member collective, bought with money the membership leaves over.")
    coaching_gain: float = param(0.1, unit="share of gap", lo=0.0, hi=1.0, source="assumption",
                                 plausible=(0.0, 0.2), plausible_reason="assumption: no effect size (EVIDENCE.md s3); from none to twice the default",
                                 help="Share of its gap to full knowledge a coached collective closes.")
    coaching_hours: float = param(16.0, unit="hours", lo=0.0, hi=1e5, source="assumption",
                                  plausible=(8.0, 32.0), plausible_reason="assumption: half to twice the default",
                                  help="Volunteer hours a coaching takes.")
    coaching_months: int = param(12, unit="months", lo=1, hi=600, source="assumption",
                                 plausible=(6.0, 24.0), plausible_reason="assumption: half to twice the default",
                                 help="Fewest months between two coachings of the same collective.")


@register_instrument
class LearningNetwork(Instrument):
    name = "learning_network"
    config = LearningNetworkConfig
    labels = {"en": "regional learning network", "nl": "regionaal leernetwerk"}
    order = 70

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.coached: dict[int, int] = {}   # collective id -> month of its last coaching
        self.coachings = 0

    def apply(self, month: int) -> None:
        cfg = self.cfg
        affordable = int(self.monthly_rate(month) // max(cfg.cost_per_member, 1e-9))
        members = sorted(self.collectives(), key=lambda c: c.cid)[:affordable]
        if not members:
            return
        best: dict[str, float] = {}
        for c in members:
            best[c.theme] = max(best.get(c.theme, 0.0), c.knowledge)
        for c in members:
            c.learn_towards(best[c.theme], cfg.learning_rate)
            c.add_burden(cfg.hours)
        self.pay_service(sorted({c.village for c in members}), cfg.cost_per_member * len(members), month)
        self.coach(members, month)

    def coach(self, members, month: int) -> None:
        """Money the membership leaves over buys coaching: while the paced allowance covers
        `coaching_cost`, the member with the least knowledge that was not coached in the last
        `coaching_months` closes `coaching_gain` of its gap to full knowledge."""
        cfg = self.cfg
        due = [c for c in members if month - self.coached.get(c.cid, -10**9) >= cfg.coaching_months]
        for c in sorted(due, key=lambda c: (c.knowledge, c.cid)):
            if cfg.coaching_cost <= 0 or self.allowance(month) < cfg.coaching_cost:
                break
            self.pay_service([c.village], cfg.coaching_cost, month)
            c.add_knowledge(cfg.coaching_gain)
            c.add_burden(cfg.coaching_hours)
            self.coached[c.cid] = month
            self.coachings += 1

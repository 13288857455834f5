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

from .base import Instrument
from .registry import register_instrument


@register_instrument
class LearningNetwork(Instrument):
    name = "learning_network"

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

"""Regionaal lerend netwerk: a regional learning network (DOMAIN.md section 4).

Run by: the province by default (`policy.learning_network.government`).
Eligibility: every living collective from stage starting on, as many as the budget pays for
(earliest founded first). Money: `cost_per_member` a month per collective taking part
(coordination, meetings). Volunteer hours: `hours` a month each (small). Selection: none.
Horizon: continuous. Channel: knowledge spill-over across the whole region: each member
closes `learning_rate` of its gap to the best knowledge of its theme among all members,
in addition to the built-in learning between linked villages (sim/dynamics/collectives.py).
"""

from __future__ import annotations

from .base import Instrument
from .registry import register_instrument


@register_instrument
class LearningNetwork(Instrument):
    name = "learning_network"

    def apply(self, month: int) -> None:
        cfg = self.cfg
        months_left = max(1, self.stop_month - month)
        affordable = int((self.allocation - self.spent) / months_left // max(cfg.cost_per_member, 1e-9))
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

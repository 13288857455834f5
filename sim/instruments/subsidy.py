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
it ends (grant-dependent collectives are discouraged).
"""

from __future__ import annotations

import numpy as np

from ..state import Stage
from .base import Instrument
from .registry import register_instrument


@register_instrument
class Subsidy(Instrument):
    name = "subsidy"

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
                else:
                    self.reporting.discard(c.cid)
            wait = cfg.reapply_months / self.take_up_gap(month)
            if c.shortfall <= 0 or month - self.last_applied.get(c.cid, -10**9) < wait:
                continue
            self.last_applied[c.cid] = month
            c.add_burden(cfg.application_hours)
            if rng.random() < min(1.0, cfg.approval * self.take_up_gap(month)) and self.pay(c, self.grant_for(c.project_cost, month), month) > 0:
                self.reporting.add(c.cid)
                self.granted.add(c.cid)
        self._crowd_out(organised)

    def grant_for(self, project_cost: float, month: int) -> float:
        """The grant for a project: cost_share x cost, at most max_grant, both raised by the
        take-up gap g (an undersubscribed scheme covers more of the cost, up to all of it):
            grant = min(cost x min(1, cost_share x g), max_grant x g)"""
        g = self.take_up_gap(month)
        return min(project_cost * min(1.0, self.cfg.cost_share * g), self.cfg.max_grant * g)

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

"""Aanbesteding: a public tender for a service, won by a collective or a business.

Run by: the province or each municipality (`policy.tender.government`).
Eligibility: organised collectives of the tender's themes (public services) without a
contract. Money: the winner is paid `contract_value` a month for `contract_months`; a
business that wins is paid the same (public money that builds no community power).
Volunteer hours: `bid_hours` per bid, `service_hours` a month while delivering. Selection:
the strongest bidder (capacity) wins against the business with probability
capacity / (capacity + business_strength). Horizon: the contract term. Channels: stable
revenue if won; a high burden either way.
"""

from __future__ import annotations

from ..state import Stage
from .base import Instrument
from .registry import register_instrument


@register_instrument
class Tender(Instrument):
    name = "tender"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.contracts: dict[int, int] = {}   # collective id -> months left
        self.business_months = 0              # months left of a contract won by a business
        self.tenders: list[dict] = []

    def apply(self, month: int) -> None:
        cfg = self.cfg
        self.serve(self.contracts, cfg.contract_value, cfg.service_hours, month)
        if self.business_months > 0:
            self.pay_service(self.government.villages, cfg.contract_value, month)
            self.business_months -= 1
        elif self._affordable():
            self.run_tender(month)

    def _affordable(self) -> bool:
        return self.fits(self.contracts, self.cfg.contract_value, self.cfg.contract_months)

    def run_tender(self, month: int) -> None:
        cfg = self.cfg
        bidders = [c for c in self.collectives(Stage.ORGANISED, themes=cfg.themes) if c.cid not in self.contracts]
        for c in bidders:
            c.add_burden(cfg.bid_hours)
        best = max(bidders, key=lambda c: c.capacity, default=None)
        strength = best.capacity + cfg.business_strength if best is not None else 0.0
        chance = best.capacity / strength if strength > 0 else 0.5  # two zero scores: a coin toss
        won = best is not None and self.model.rng.random() < chance
        if won:
            self.contracts[best.cid] = cfg.contract_months
        else:
            self.business_months = cfg.contract_months
        self.tenders.append({"month": month, "bidders": len(bidders), "won_by_collective": won})

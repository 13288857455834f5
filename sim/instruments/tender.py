"""Aanbesteding: a public tender for a service, won by a collective or a business.

Run by: the province or each municipality (`policy.tender.government`).
Eligibility: organised collectives of the tender's themes (public services) without a
contract. Money: the winner is paid `contract_value` a month for `contract_months`; a
business that wins is paid the same (public money that builds no community power).
Volunteer hours: `bid_hours` per bid, `service_hours` a month while delivering. Selection:
the strongest bidder (capacity) wins against the business with probability
capacity / (capacity + business_strength). Horizon: the contract term. Channels: stable
revenue if won; a high burden either way. Unspent money: a new tender opens in any month in
which one more contract fits the monthly rate (what is left over the months left), so
several contracts run side by side and the budget is taken up.
Bidding: with `mechanisms.voluntary_applications` (the default) a collective bids only when
the contract (`contract_value` x `contract_months`, less the hours of delivering it at the
price of an hour), times the chance of winning it expects (learned from its own and its
neighbours' bids, from `prior_success`), is worth more than the bid's hours
(sim/rules/applications.py). Off, every eligible collective bids for every tender.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..state import Stage
from ..config.instruments import InstrumentConfig
from ..config.params import param
from .base import Commitment, Instrument
from .registry import register_instrument


@dataclass
class TenderConfig(InstrumentConfig):
    """Aanbesteding: a contract for a public service, won against businesses."""

    themes: list[str] = param(default_factory=lambda: ["care", "mobility"], unit="themes",
                              source="assumption: public services collectives can deliver",
                              help="Themes whose collectives may bid.")
    contract_months: int = param(36, unit="months", lo=1, hi=600, source="assumption",
                                 plausible=(24.0, 60.0), plausible_reason="assumption: public service contracts of two to five years",
                                 help="Length of a contract.")
    contract_value: float = param(3_000.0, unit="EUR/month", lo=0.0, hi=1e9, source="assumption",
                                  plausible=(1500.0, 6000.0), plausible_reason="assumption: half to twice the default, a small local service",
                                  help="What a contract pays each month.")
    bid_hours: float = param(80.0, unit="hours", lo=0.0, hi=1e5, source="DOMAIN.md s4: burden high",
                             plausible=(40.0, 160.0), plausible_reason="assumption: DOMAIN.md s4 calls the burden high; half to twice the default",
                             help="Volunteer hours a bid takes.")
    service_hours: float = param(40.0, unit="hours/month", lo=0.0, hi=1e5, source="assumption",
                                 plausible=(20.0, 80.0), plausible_reason="assumption: half to twice the default",
                                 help="Volunteer hours delivering the contracted service takes.")
    business_strength: float = param(100.0, unit="core hours x (1 + knowledge)", lo=0.0, hi=1e6, source="assumption",
                                     plausible=(50.0, 200.0), plausible_reason="assumption: half to twice the default",
                                     help="Price/quality score of the competing business, in the units of a collective's capacity.")
    prior_success: float = param(
        0.2, unit="probability", lo=0.0, hi=1.0, source="assumption: a collective against a professional business",
        plausible=(0.05, 0.5), plausible_reason="assumption: from rarely winning to an even chance",
        help="With mechanisms.voluntary_applications: the chance of winning a tender a collective expects before any experience.")


@register_instrument
class Tender(Instrument):
    name = "tender"
    config = TenderConfig
    labels = {"en": "tender", "nl": "aanbesteding"}
    order = 30

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.contracts: dict[int, Commitment] = {}   # collective id -> its contract
        self.business: dict[int, Commitment] = {}    # tender number -> a contract won by a business
        self.tenders: list[dict] = []

    def apply(self, month: int) -> None:
        cfg = self.cfg
        self.serve(self.contracts, cfg.service_hours, month)
        for k, contract in list(self.business.items()):
            self.pay_service(self.villages, contract.monthly, month)
            if contract.months_left <= 1:
                del self.business[k]
            else:
                self.business[k] = Commitment(contract.months_left - 1, contract.monthly)
        if self.fits({**self.contracts, **{-1 - k: c for k, c in self.business.items()}},
                     cfg.contract_value, cfg.contract_months, month):
            self.run_tender(month)

    def run_tender(self, month: int) -> None:
        cfg = self.cfg
        value, delivering = cfg.contract_value * cfg.contract_months, cfg.service_hours * cfg.contract_months
        eligible = [c for c in self.collectives(Stage.ORGANISED, themes=cfg.themes) if c.cid not in self.contracts]
        # all decide on what they knew before the tender, then bid together
        bidding = [c.wants_to_apply("tender", value, cfg.bid_hours, delivering, cfg.prior_success) for c in eligible]
        bidders = [c for c, yes in zip(eligible, bidding, strict=True) if yes]
        for c, yes in zip(eligible, bidding, strict=True):
            c.apply_for("tender", cfg.bid_hours) if yes else c.decline("tender")
        best = max(bidders, key=lambda c: c.capacity, default=None)
        strength = best.capacity + cfg.business_strength if best is not None else 0.0
        chance = best.capacity / strength if strength > 0 else 0.5  # two zero scores: a coin toss
        won = best is not None and self.model.rng.random() < chance
        if won:
            self.contracts[best.cid] = Commitment(cfg.contract_months, cfg.contract_value)
            best.record_win("tender")
        else:
            self.business[len(self.tenders)] = Commitment(cfg.contract_months, cfg.contract_value)
        self.tenders.append({"month": month, "bidders": len(bidders), "won_by_collective": won})

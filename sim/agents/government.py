"""Governments: municipalities and the province, each with a budget and an instrument portfolio.

A government's budget is what the policy mix allocates to the instruments it runs
(`policy.budget`, shared by the mix by the instruments' weights): it pays grants, prizes,
contracts and shares from it, never more than is left. Money that comes back (dividends and
shares bought back, `receive_return`) is available again: what is left is the budget plus
what came back minus what was paid.

The province's own roles (middenbestuur; docs/ODD.md section 7.7): as co-funder it adds
`governments.cofunding` EUR per EUR to every municipal instrument's allocation (a
municipality's `cofunded_share` of what it spends is the province's money); with room to
deviate (`governments.room_to_deviate`) the tenders and Right to Challenge of every
government run under lighter procedures; as broker it runs an instrument of its own
(sim/instruments/broker.py). Attitudes act through sim/dynamics/governance.py.
"""

from __future__ import annotations

import mesa
import numpy as np

from ..dynamics import governance
from ..instruments.base import Instrument
from ..rules.governance import DEVIATING_INSTRUMENTS


class Government(mesa.Agent):
    """A government with a budget and a portfolio of instruments behind one interface."""

    def __init__(self, model, name: str, villages: np.ndarray, attitude: float) -> None:
        super().__init__(model)
        self.name = name
        self.villages = np.asarray(villages, dtype=np.int64)
        self.attitude = float(attitude)  # 0 controlling .. 1 co-creating
        self.portfolio: list[Instrument] = []
        self.budget = 0.0        # EUR allocated over the horizon
        self.spent_total = 0.0
        self.spent_month = 0.0
        self.cofunded_share = 0.0  # share of what it spends that the province pays (co-funding)
        self.returned_total = 0.0  # EUR come back from shares: dividends and buy-backs

    @property
    def budget_left(self) -> float:
        return self.budget + self.returned_total - self.spent_total

    @property
    def cofunded_total(self) -> float:
        """EUR of what it spent that the province paid as co-funder."""
        return self.spent_total * self.cofunded_share

    def step(self) -> None:
        """Run the instruments of the portfolio for this month (tenders and Right to Challenge
        under the province's room to deviate, if it gives any)."""
        self.spent_month = 0.0
        room = governance.room_to_deviate(self.model)
        for instrument in self.portfolio:
            if room > 0 and instrument.name in DEVIATING_INSTRUMENTS:
                governance.under_room_to_deviate(self.model, lambda i=instrument: i.step(self.model.month), room)
            else:
                instrument.step(self.model.month)

    def fund(self, amount: float) -> None:
        """Add money to the budget (the policy's allocation to this government)."""
        if amount < 0:
            raise ValueError("funding must be non-negative")
        self.budget += float(amount)

    # --- public methods for instruments -------------------------------------------------
    def grant(self, collective, amount: float) -> float:
        """Pay up to `amount` from the budget to a collective; returns what was paid."""
        paid = float(min(max(amount, 0.0), self.budget_left))
        if paid > 0:
            collective.receive_funding(paid, public=True)
            self.model.villages.spend[collective.village] += paid
            self.spent_total += paid
            self.spent_month += paid
        return paid

    def invest(self, collective, amount: float) -> float:
        """Buy shares for up to `amount` from the budget in a collective: public money paid
        (public spend in its village), booked as equity, not as a grant; returns what was paid."""
        paid = float(min(max(amount, 0.0), self.budget_left))
        if paid > 0:
            collective.receive_equity(paid)
            self.model.villages.spend[collective.village] += paid
            self.spent_total += paid
            self.spent_month += paid
        return paid

    def receive_return(self, amount: float) -> None:
        """Money that comes back from shares (dividends, buy-backs): available again."""
        if amount < 0:
            raise ValueError("a return must be non-negative")
        self.returned_total += float(amount)

    def spend(self, villages, amount: float) -> float:
        """Pay up to `amount` for a service to villages (e.g. facilitating a dialogue)."""
        paid = float(min(max(amount, 0.0), self.budget_left))
        villages = np.atleast_1d(np.asarray(villages, dtype=np.int64))
        if paid > 0 and villages.size:
            np.add.at(self.model.villages.spend, villages, paid / villages.size)
            self.spent_total += paid
            self.spent_month += paid
        return paid

    def signal(self, villages, channel: str, amount: float) -> None:
        """Add to a behavioural channel (see sim/instruments/effects.py) in some villages."""
        self.model.effects.add(channel, villages, amount)

    def attitude_in(self, villages) -> np.ndarray:
        """The attitude collectives in these villages meet (their municipality's, with the
        province's under mechanisms.attitude)."""
        return governance.attitude_of(self.model, np.atleast_1d(np.asarray(villages, dtype=np.int64)))

    def make_agreement(self, village: int, priorities: np.ndarray, until: int) -> None:
        """A village agreement (dorpsafspraak): the village's municipality commits to the
        priority themes (a bool per theme) until month `until` (exclusive); it replaces an
        agreement in force."""
        vs = self.model.villages
        vs.agreement_until[village] = until
        vs.priorities[village] = np.asarray(priorities, dtype=bool)
        vs.agreements_made[village] += 1


class Municipality(Government):
    """A municipality (gemeente) of a few villages."""


class Province(Government):
    """The province: all villages. Besides its own instruments it may co-fund the
    municipalities' (`cofunded_total`)."""

    @property
    def spent_with_cofunding(self) -> float:
        """What the province spent: on its own instruments and as co-funder of the municipalities'."""
        return self.spent_total + sum(m.cofunded_total for m in self.model.municipalities)

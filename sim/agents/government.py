"""Governments: municipalities and the province, each with a budget and an instrument portfolio."""

from __future__ import annotations

import mesa
import numpy as np

from ..instruments.base import Instrument


class Government(mesa.Agent):
    """A government with a yearly budget and a portfolio of instruments behind one interface."""

    def __init__(self, model, name: str, villages: np.ndarray, budget_per_year: float, attitude: float) -> None:
        super().__init__(model)
        self.name = name
        self.villages = np.asarray(villages, dtype=np.int64)
        self.budget_per_year = float(budget_per_year)
        self.attitude = float(attitude)  # 0 controlling .. 1 co-creating
        self.portfolio: list[Instrument] = []
        self.budget_left = 0.0
        self.spent_total = 0.0
        self.spent_month = 0.0

    def step(self) -> None:
        """Open the year's budget in January, then run the active instruments."""
        month = self.model.month
        self.spent_month = 0.0
        if month % 12 == 0:
            self.open_budget()
        for instrument in self.portfolio:
            if instrument.active(month):
                instrument.apply(month)

    def open_budget(self) -> None:
        """A new budget year: unspent money lapses (annual public budgets)."""
        self.budget_left = self.budget_per_year

    # --- public methods for instruments -------------------------------------------------
    def grant(self, collective, amount: float) -> float:
        """Pay up to `amount` from the budget to a collective; returns what was paid."""
        paid = float(min(max(amount, 0.0), self.budget_left))
        if paid > 0:
            collective.receive_funding(paid, public=True)
            self.model.villages.spend[collective.village] += paid
            self.budget_left -= paid
            self.spent_total += paid
            self.spent_month += paid
        return paid

    def signal(self, villages, channel: str, amount: float) -> None:
        """Add to a behavioural channel (see sim/instruments/effects.py) in some villages."""
        self.model.effects.add(channel, villages, amount)


class Municipality(Government):
    """A municipality (gemeente) of a few villages."""


class Province(Government):
    """The province: all villages."""

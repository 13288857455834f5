"""The instrument interface: one small class per instrument, run by a government.

An instrument runs from `start_month` (inclusive) to `stop_month` (exclusive; the horizon if
-1). Each month its government calls `step(month)`: while active that is `apply(month)`,
and once, in the first month after it stopped, `finish(month)` (e.g. the cliff when a
subsidy ends). It acts on the world only through public methods:

- `self.pay(collective, amount)` / `self.pay_service(villages, amount)` spend from its
  allocation through `Government.grant` / `Government.spend`;
- `Government.signal(villages, channel, amount)` adds to a channel of InstrumentEffects
  (awareness, mobilisation, crowding, founding), read by the residents' and founding rules;
- the public methods of `Collective` (sim/agents/collective.py): `add_burden`,
  `receive_funding`, `raise_trust`, `add_knowledge`, `discourage`.

Money is paced: by month m an instrument may have spent at most its allocation times the
share of its period that has passed, so an instrument cannot spend a ten-year budget in
its first year, and what it does not spend stays available later.

    >>> from sim import load_config, VillageModel
    >>> model = VillageModel(load_config(["world=small"]))
    >>> [type(i).__name__ for i in model.province.portfolio]
    ['NoInstrument']
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, ClassVar

from ..state import Stage

if TYPE_CHECKING:
    from ..agents.collective import Collective
    from ..agents.government import Government


class Instrument(ABC):
    """Base class of all instruments."""

    name: ClassVar[str]

    def __init__(self, government: Government, cfg=None, allocation: float = 0.0, horizon: int = 0) -> None:
        self.government = government
        self.cfg = cfg
        self.start_month = cfg.start_month if cfg is not None else 0
        stop = cfg.stop_month if cfg is not None else -1
        self.stop_month = stop if stop >= 0 else max(horizon, self.start_month + 1)
        self.allocation = float(allocation)
        self.spent = 0.0
        self.finished = False
        government.fund(self.allocation)

    @property
    def model(self):
        return self.government.model

    def active(self, month: int) -> bool:
        return self.start_month <= month < self.stop_month

    def step(self, month: int) -> None:
        if self.active(month):
            self.apply(month)
        elif month >= self.stop_month and not self.finished:
            self.finished = True
            self.finish(month)

    @abstractmethod
    def apply(self, month: int) -> None:
        """Act for one month through the government's and agents' public methods."""

    def finish(self, month: int) -> None:
        """Called once after the instrument stopped (nothing by default)."""

    # --- money ------------------------------------------------------------------------
    def allowance(self, month: int) -> float:
        """What may still be spent by the end of this month (paced over the active period)."""
        period = self.stop_month - self.start_month
        share = min(1.0, (month - self.start_month + 1) / period) if period > 0 else 1.0
        return max(0.0, self.allocation * share - self.spent)

    @property
    def monthly_pace(self) -> float:
        """The allocation spread evenly over the active period, EUR a month."""
        return self.allocation / max(self.stop_month - self.start_month, 1)

    def fits(self, commitments: dict[int, int], monthly: float, months: int) -> bool:
        """Whether one more commitment of `monthly` EUR for `months` fits next to the running
        ones (id -> months left, each paying `monthly`): all monthly payments stay within the
        paced budget and every term is covered by what is left."""
        committed = sum(commitments.values()) * monthly
        within_pace = (len(commitments) + 1) * monthly <= self.monthly_pace + 1e-9
        return within_pace and self.allocation - self.spent - committed >= monthly * months

    def serve(self, commitments: dict[int, int], monthly: float, hours: float, month: int) -> list[Collective]:
        """One month of running commitments (id -> months left): pay each living collective
        `monthly`, add `hours` of burden, count down, and drop the ended ones. Returns the
        collectives served this month."""
        served = []
        for cid, left in list(commitments.items()):
            c = self.model.collective_agents[cid]
            if left <= 0 or not c.alive:
                del commitments[cid]
                continue
            self.pay(c, monthly, month)
            c.add_burden(hours)
            commitments[cid] = left - 1
            served.append(c)
        return served

    def pay(self, collective: Collective, amount: float, month: int) -> float:
        paid = self.government.grant(collective, min(amount, self.allowance(month)))
        self.spent += paid
        return paid

    def pay_service(self, villages, amount: float, month: int) -> float:
        paid = self.government.spend(villages, min(amount, self.allowance(month)))
        self.spent += paid
        return paid

    # --- who is there -----------------------------------------------------------------
    def collectives(self, min_stage: Stage = Stage.STARTING, themes=None) -> list[Collective]:
        """Living collectives in this government's villages at min_stage or beyond."""
        mine = set(self.government.villages.tolist())
        return [c for c in self.model.collective_agents
                if c.alive and c.stage >= min_stage and c.village in mine and (themes is None or c.theme in themes)]

"""The instrument interface: one small class per instrument, run by a government.

An instrument runs from `start_month` (inclusive) to `stop_month` (exclusive; the policy's
`stop_month` if -1, the horizon if that is -1 too). Each month its government calls `step(month)`: while active that is `apply(month)`,
and once, in the first month after it stopped, `finish(month)` (e.g. the cliff when a
subsidy ends). It serves `self.villages`: its government's villages, or of those only the
ones its config lists (`villages`, e.g. pilot villages). It acts on the world only through
public methods:

- `self.pay(collective, amount)` / `self.pay_service(villages, amount)` spend from its
  allocation through `Government.grant` / `Government.spend`; `self.invest(collective,
  amount)` buys shares through `Government.invest` (equity, not a grant), and
  `self.take_back(amount)` books money that came back (`Government.receive_return`);
- `Government.signal(villages, channel, amount)` adds to a channel of InstrumentEffects
  (awareness, mobilisation, crowding, founding), read by the residents' and founding rules;
- the public methods of `Collective` (sim/agents/collective.py): `add_burden`,
  `receive_funding`, `raise_trust`, `add_knowledge`, `discourage`, and for shares
  `pay_shareholder`, `write_down_equity`; for applications `wants_to_apply`, `apply_for`,
  `decline`, `record_win`.

Money is paced: by month m an instrument may have spent at most its allocation times the
share of its period that has passed, so an instrument cannot spend a ten-year budget in
its first year, and what it does not spend stays available later.

A revolving fund (shareholding: shares earn dividends and are bought back) gets money back:
`self.take_back(amount)` adds it to `self.returned`, and what came back may be paid out
again at once. So at every month m

    spent(m) <= allocation x share of the period passed by m + returned(m)

and over the horizon an instrument may pay out more than its allocation, never more than
its allocation plus what came back (tests/test_equity.py sums it month by month). For every
other instrument `returned` stays 0 and the rule is the plain pacing above.

Budgets are meant to be spent (a comparison of instruments is only fair at equal spend), so
every instrument has an explicit rule for money that demand leaves over, documented in its
module: rounds take the budget of their whole round (prize); running commitments fit what is left
per month left (tender, Right to Challenge); an undersubscribed offer grows with the take-up
gap (subsidy, shareholding, Right to Challenge); units that buy an effect are bought while
the budget allows (dialogues, coaching in the learning network).

    >>> from sim import load_config, VillageModel
    >>> model = VillageModel(load_config(["world=small"]))
    >>> [type(i).__name__ for i in model.province.portfolio]
    ['NoInstrument']
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, ClassVar, NamedTuple

import numpy as np

from ..state import Stage

if TYPE_CHECKING:
    from ..agents.collective import Collective
    from ..agents.government import Government


class Commitment(NamedTuple):
    """A running monthly payment: a tender contract, a Right to Challenge task."""

    months_left: int
    monthly: float   # EUR a month


class Instrument(ABC):
    """Base class of all instruments (a plugin: see sim/instruments/registry.py).

    A subclass declares, next to its behaviour (`apply`, maybe `finish`):
        name:   its key in `policy.instruments` and `policy.<name>.*` (lower_case);
        config: its parameters, a dataclass derived from InstrumentConfig, every field a
                `param()` with unit, range and source (None: it has none, like `none`);
        labels: {"en": ..., "nl": ...}, what the report and the page call it;
        order:  its place in lists (the baseline first).
    """

    name: ClassVar[str]
    config: ClassVar[type | None] = None
    labels: ClassVar[dict[str, str]] = {}
    order: ClassVar[int] = 100

    def __init__(self, government: Government, cfg=None, allocation: float = 0.0, horizon: int = 0,
                 stop_month: int = -1) -> None:
        self.government = government
        self.cfg = cfg
        self.start_month = cfg.start_month if cfg is not None else 0
        stop = cfg.stop_month if cfg is not None and cfg.stop_month >= 0 else stop_month
        self.stop_month = stop if stop >= 0 else max(horizon, self.start_month + 1)
        targets = list(cfg.villages) if cfg is not None and getattr(cfg, "villages", None) else None
        self.villages = government.villages if targets is None else np.intersect1d(government.villages, targets)
        self.allocation = float(allocation)
        self.spent = 0.0
        self.returned = 0.0   # EUR come back to this instrument's fund (a revolving fund)
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
        """What may still be spent by the end of this month (paced over the active period),
        plus what came back to the fund (available at once)."""
        period = self.stop_month - self.start_month
        share = min(1.0, (month - self.start_month + 1) / period) if period > 0 else 1.0
        return max(0.0, self.allocation * share + self.returned - self.spent)

    @property
    def monthly_pace(self) -> float:
        """The allocation spread evenly over the active period, EUR a month."""
        return self.allocation / max(self.stop_month - self.start_month, 1)

    def monthly_rate(self, month: int) -> float:
        """What is left spread over the months left of the active period, EUR a month:
        the monthly pace at the start, higher after months that spent less than the pace."""
        months_left = max(self.stop_month - max(month, self.start_month), 1)
        return max(0.0, self.allocation + self.returned - self.spent) / months_left

    def take_up_gap(self, month: int) -> float:
        """g = monthly_rate / monthly_pace, at least 1: how far spending lags the budget. An
        undersubscribed instrument uses it to offer more (see subsidy, shareholding, Right
        to Challenge)."""
        return max(1.0, self.monthly_rate(month) / self.monthly_pace) if self.monthly_pace > 0 else 1.0

    def round_end(self, month: int, round_months: int) -> int:
        """The last month of a round opened this month that covers `round_months` (or the
        last month of the period): its pot is the paced allowance up to that month."""
        return max(min(month + round_months, self.stop_month) - 1, month)

    def fits(self, commitments: dict[int, Commitment], monthly: float, months: int, month: int) -> bool:
        """Whether one more commitment of `monthly` EUR for `months` fits next to the running
        ones: all monthly payments stay within the monthly rate (what is left over the
        months left, so unspent money is taken up later) and every term within the period
        is covered by what is left."""
        horizon = self.stop_month - month
        committed = sum(min(c.months_left, horizon) * c.monthly for c in commitments.values())
        within_rate = sum(c.monthly for c in commitments.values()) + monthly <= self.monthly_rate(month) + 1e-9
        return within_rate and self.allocation + self.returned - self.spent - committed >= monthly * min(months, horizon) - 1e-9

    def serve(self, commitments: dict[int, Commitment], hours: float, month: int) -> list[Collective]:
        """One month of running commitments to collectives: pay each living collective its
        monthly amount, add `hours` of burden, count down, and drop the ended ones. Returns
        the collectives served this month."""
        served = []
        for cid, commitment in list(commitments.items()):
            c = self.model.collective_agents[cid]
            if commitment.months_left <= 0 or not c.alive:
                del commitments[cid]
                continue
            self.pay(c, commitment.monthly, month)
            c.add_burden(hours)
            commitments[cid] = Commitment(commitment.months_left - 1, commitment.monthly)
            served.append(c)
        return served

    def pay(self, collective: Collective, amount: float, month: int, until: int | None = None) -> float:
        """Grant `amount` to a collective, within the allowance up to month `until` (this
        month by default; a round's last month for a round's pot)."""
        paid = self.government.grant(collective, min(amount, self.allowance(month if until is None else until)))
        self.spent += paid
        return paid

    def invest(self, collective: Collective, amount: float, month: int) -> float:
        """Buy shares for `amount` in a collective, within this month's allowance (equity,
        booked apart from grants: `Government.invest`)."""
        paid = self.government.invest(collective, min(amount, self.allowance(month)))
        self.spent += paid
        return paid

    def take_back(self, amount: float) -> None:
        """Money come back to the fund (dividends, shares bought back): it may be paid out again."""
        if amount > 0:
            self.government.receive_return(amount)
            self.returned += amount

    def pay_service(self, villages, amount: float, month: int) -> float:
        paid = self.government.spend(villages, min(amount, self.allowance(month)))
        self.spent += paid
        return paid

    # --- who is there -----------------------------------------------------------------
    def collectives(self, min_stage: Stage = Stage.STARTING, themes=None) -> list[Collective]:
        """Living collectives in the villages this instrument serves at min_stage or beyond."""
        from ..agents.collective import living_collectives  # here: agents import this module

        return living_collectives(self.model, min_stage, self.villages, themes)

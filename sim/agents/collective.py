"""Collective (bewonerscollectief): a Mesa agent whose state lives in CollectiveArrays.

Collectives act together in array operations (sim/dynamics/collectives.py with the rules of
sim/rules/collectives.py). This class is the per-collective view, and it holds the public
methods through which instruments act on a collective.
"""

from __future__ import annotations

import mesa
import numpy as np

from ..rules import applications as A
from ..rules import equity as E
from ..state import APPLICATION_KINDS, ResidentState, Stage

_STAGES = tuple(Stage)  # _STAGES[v] is Stage(v): the values are 0, 1, 2, ...
assert all(s == i for i, s in enumerate(_STAGES))
_DISSOLVED = int(Stage.DISSOLVED)


class Collective(mesa.Agent):
    """A residents' collective of one theme in one village (id into model.collectives)."""

    def __init__(self, model, cid: int) -> None:
        super().__init__(model)
        self.cid = cid

    @property
    def _a(self):
        return self.model.collectives

    # Reads take one element as a Python number (ndarray.item): the same value as int(a[i]) or
    # float(a[i]), and the arithmetic below is the same IEEE arithmetic as on numpy scalars.
    @property
    def theme(self) -> str:
        return self.model.themes[self.model.collectives.theme.item(self.cid)]

    @property
    def village(self) -> int:
        return self.model.collectives.village.item(self.cid)

    @property
    def stage(self) -> Stage:
        value = self.model.collectives.stage.item(self.cid)
        return _STAGES[value] if 0 <= value < len(_STAGES) else Stage(value)  # Stage(value), without Enum's lookup

    @property
    def alive(self) -> bool:
        return self.model.collectives.stage.item(self.cid) != _DISSOLVED

    @property
    def capital(self) -> float:
        return self.model.collectives.capital.item(self.cid)

    @property
    def knowledge(self) -> float:
        return self.model.collectives.knowledge.item(self.cid)

    @property
    def trust(self) -> float:
        return self.model.collectives.trust.item(self.cid)

    @property
    def burnout(self) -> float:
        return self.model.collectives.burnout.item(self.cid)

    @property
    def revenue(self) -> float:
        return self.model.collectives.revenue.item(self.cid)

    @property
    def n_members(self) -> int:
        return self.model.collectives.members.item(self.cid)

    @property
    def n_core(self) -> int:
        return self.model.collectives.core.item(self.cid)

    @property
    def project_running(self) -> bool:
        return self.model.collectives.project_left.item(self.cid) > 0

    @property
    def successes(self) -> int:
        return self.model.collectives.successes.item(self.cid)

    @property
    def failures(self) -> int:
        return self.model.collectives.failures.item(self.cid)

    @property
    def capacity(self) -> float:
        """The core's free time weighted by know-how: core hours x (1 + knowledge)."""
        a = self.model.collectives
        return a.core_hours.item(self.cid) * (1.0 + a.knowledge.item(self.cid))

    @property
    def shortfall(self) -> float:
        """Money missing for the next project's own share (0 if it can pay or a project runs)."""
        a = self.model.collectives
        if a.project_left.item(self.cid) > 0:
            return 0.0
        th, t = self.model.theme_table, a.theme.item(self.cid)
        need = th.project_cost.item(t) * (1.0 - th.loan_share.item(t)) - a.members.item(self.cid) * th.member_investment.item(t)
        return max(0.0, need - a.capital.item(self.cid))

    @property
    def project_months(self) -> int:
        return self.model.theme_table.project_months.item(self.model.collectives.theme.item(self.cid))

    @property
    def overload(self) -> float:
        """Relative overload of the core last month (0: the workload fits its free time)."""
        return self.model.collectives.overload.item(self.cid)

    @property
    def project_cost(self) -> float:
        return self.model.theme_table.project_cost.item(self.model.collectives.theme.item(self.cid))

    @property
    def government_share(self) -> float:
        """Share of all funding received that came from government grants (dependence):
        G / (G + O + E), equity bought by governments counted as funding, not as a grant
        (rules.equity.funding_shares)."""
        a = self.model.collectives
        gov = a.gov_funding.item(self.cid)
        total = gov + a.own_funding.item(self.cid) + a.equity_funding.item(self.cid)
        return gov / total if total > 0 else 0.0

    @property
    def equity_share(self) -> float:
        """Share of all funding received that governments paid for shares: E / (G + O + E)."""
        a = self.model.collectives
        eq = a.equity_funding.item(self.cid)
        total = a.gov_funding.item(self.cid) + a.own_funding.item(self.cid) + eq
        return eq / total if total > 0 else 0.0

    @property
    def equity(self) -> float:
        """EUR of this collective's shares that governments hold now."""
        return self.model.collectives.equity.item(self.cid)

    @property
    def own_share_of_project(self) -> float:
        """What the next project asks from capital: cost x (1 - loan share), members'
        investment aside (the part a shareholder shares when the project fails)."""
        th, t = self.model.theme_table, self.model.collectives.theme.item(self.cid)
        return th.project_cost.item(t) * (1.0 - th.loan_share.item(t))

    def members(self) -> list:
        """Residents taking part in this collective (core volunteers included)."""
        people = self.model.people
        idx = np.flatnonzero((people.collective == self.cid) & (people.state >= ResidentState.MEMBER)
                             & (people.state <= ResidentState.CORE))
        return [self.model.resident_agents[i] for i in idx]

    @property
    def vulnerable_members(self) -> int:
        """Vulnerable residents taking part in this collective (core volunteers included)."""
        people = self.model.people
        mine = (people.collective == self.cid) & people.vulnerable
        state = people.state[mine]
        return int(np.count_nonzero((state >= ResidentState.MEMBER) & (state <= ResidentState.CORE)))

    def linked_collectives(self) -> list[Collective]:
        """Living collectives this one learns from: its village's (any theme) and, for its
        theme, those of the villages it is linked to in the regional network (R4)."""
        c, links = self._a, self.model.world.village_links
        ids = np.flatnonzero(c.alive())
        v, t = self.village, int(self._a.theme[self.cid])
        keep = (c.village[ids] == v) | (links[v, c.village[ids]] & (c.theme[ids] == t))
        return [self.model.collective_agents[i] for i in ids[keep] if i != self.cid]

    # --- applications (mechanisms.voluntary_applications; rules/applications.py) ---------
    def application_record(self, kind: str) -> tuple[int, int, int, int]:
        """(won, applied) of its own applications of `kind` (subsidy, prize, tender), and
        (won, applied) of the living collectives in its own and linked villages."""
        a, i, n = self._a, self.cid, self.model.collectives.n
        won, applied = self._counts("won", kind)[:n], self._counts("applied", kind)[:n]
        v, village = a.village.item(i), a.village[:n]
        near = ((village == v) | self.model.world.village_links[v, village]) & a.alive()
        near[i] = False
        return won.item(i), applied.item(i), int(won[near].sum()), int(applied[near].sum())

    def success_estimate(self, kind: str, prior_mean: float) -> float:
        """The chance of success it expects for an application of `kind`, learned from its own
        and its neighbours' applications from the prior `prior_mean` (rules.applications)."""
        p = self.model.cfg.applications
        return float(A.success_estimate(*self.application_record(kind), prior_mean, p.prior_strength, p.peer_weight))

    def wants_to_apply(self, kind: str, value: float, hours: float, hours_if_won: float, prior_mean: float) -> bool:
        """Whether it applies: p (V - lambda H_won) > lambda H_apply (rules.applications), with
        its learned chance p and the price lambda of an hour to its core. Always, with
        mechanisms.voluntary_applications off (compulsory applying)."""
        if not self.model.cfg.mechanisms.voluntary_applications:
            return True
        p = self.model.cfg.applications
        price = A.hour_price(p.hour_price, self.overload, p.overload_price)
        return bool(A.applies(self.success_estimate(kind, prior_mean), value, hours, hours_if_won, price))

    def apply_for(self, kind: str, hours: float) -> None:
        """Apply (enter, bid): the hours are this month's burden, and the application is counted."""
        self.add_burden(hours)
        a = self._a
        self._counts("applied", kind)[self.cid] += 1
        a.application_hours[self.cid] += hours

    def decline(self, kind: str) -> None:
        """It chose not to apply this time."""
        self._counts("declined", kind)[self.cid] += 1

    def record_win(self, kind: str) -> None:
        """Its application was granted (won the prize, the tender)."""
        self._counts("won", kind)[self.cid] += 1

    def _counts(self, what: str, kind: str) -> np.ndarray:
        if kind not in APPLICATION_KINDS:
            raise ValueError(f"unknown kind of application {kind!r}; kinds: {', '.join(APPLICATION_KINDS)}")
        return getattr(self._a, f"{what}_{kind}")

    # --- public methods for instruments -------------------------------------------------
    def receive_funding(self, amount: float, public: bool = True) -> None:
        """Add money to capital, booked as government (public) or own funding."""
        if amount < 0:
            raise ValueError("funding must be non-negative")
        self._a.capital[self.cid] += amount
        (self._a.gov_funding if public else self._a.own_funding)[self.cid] += amount

    def receive_equity(self, amount: float) -> None:
        """Sell shares to a government: `amount` EUR into capital, booked as equity (not a
        grant, not own funding) and owed back as shares outstanding."""
        if amount < 0:
            raise ValueError("equity must be non-negative")
        a = self._a
        a.capital[self.cid] += amount
        a.equity[self.cid] += amount
        a.equity_funding[self.cid] += amount

    def pay_shareholder(self, annual_return: float, dividend_share: float, buyback_share: float) -> tuple[float, float, float]:
        """Pay this month's dividend and, once self-sustaining, buy shares back, from
        capital by rules.equity.shareholder_payments. Returns (dividend, buy-back, behind):
        EUR paid, EUR of shares bought back, share of the due dividend left unpaid."""
        a, i = self._a, self.cid
        d, b, behind = E.shareholder_payments(
            a.equity.item(i), a.revenue.item(i), self.model.cfg.collectives.running_cost, a.capital.item(i),
            a.stage.item(i) == Stage.SELF_SUSTAINING, annual_return, dividend_share, buyback_share)
        d, b = float(d), float(b)
        a.capital[i] -= d + b
        a.equity[i] -= b
        a.returned[i] += d + b
        return d, b, float(behind)

    def write_down_equity(self, amount: float) -> float:
        """The shareholder bears a loss: shares worth up to `amount` EUR are written off (the
        collective owes them no longer). Returns what was written off."""
        lost = min(max(amount, 0.0), self._a.equity.item(self.cid))
        self._a.equity[self.cid] -= lost
        return lost

    def add_burden(self, hours: float) -> None:
        """Volunteer hours an instrument asks this month (applications, reports, meetings)."""
        if hours < 0:
            raise ValueError("burden must be non-negative")
        self._a.burden[self.cid] += hours

    def raise_trust(self, rate: float) -> None:
        """Close a share `rate` of the gap to full trust with government (equal footing)."""
        t = self._a.trust[self.cid]
        self._a.trust[self.cid] = t + min(max(rate, 0.0), 1.0) * (1.0 - t)

    def add_knowledge(self, rate: float) -> None:
        """Close a share `rate` of the gap to full knowledge (knowledge transfer)."""
        k = self._a.knowledge[self.cid]
        self._a.knowledge[self.cid] = k + min(max(rate, 0.0), 1.0) * (1.0 - k)

    def learn_towards(self, level: float, rate: float) -> None:
        """Close a share `rate` of the gap to a knowledge level (a learning network)."""
        k = self._a.knowledge[self.cid]
        if level > k:
            self._a.knowledge[self.cid] = k + min(max(rate, 0.0), 1.0) * (level - k)

    def discourage(self, amount: float) -> None:
        """Members' disappointment (a lost prize, a subsidy that ends): raises dropout for a while."""
        self._a.failure_signal[self.cid] += max(amount, 0.0)

    def __repr__(self) -> str:
        return f"Collective({self.cid}, {self.theme}, village={self.village}, {self.stage.name.lower()})"


def living_collectives(model, min_stage: Stage, villages: np.ndarray, themes=None) -> list[Collective]:
    """The living collectives at `min_stage` or beyond in `villages` (and of `themes`, names,
    if given), as agents in id order: what asking each agent gives, read from the arrays in
    one pass (agent i is collective i)."""
    agents, a = model.collective_agents, model.collectives
    n = a.n
    if len(agents) != n:  # not one agent per collective id: ask each agent
        mine = set(np.asarray(villages).tolist())
        return [c for c in agents
                if c.alive and c.stage >= min_stage and c.village in mine and (themes is None or c.theme in themes)]
    stage = a.stage[:n]
    chosen = (stage != _DISSOLVED) & (stage >= int(min_stage))
    served = np.zeros(model.world.villages.n, dtype=bool)
    served[villages] = True
    chosen &= served[a.village[:n]]
    if themes is not None:
        chosen &= np.array([t in themes for t in model.themes], dtype=bool)[a.theme[:n]]
    return [agents[i] for i in chosen.nonzero()[0].tolist()]

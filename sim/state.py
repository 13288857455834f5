"""The model's state as arrays (struct of arrays), and the enums that name its values.

Residents and collectives are Mesa agents for inspection and extension (sim/agents/), but
their state lives here so that every rule runs as an array operation over all of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from types import SimpleNamespace

import numpy as np


class ResidentState(IntEnum):
    UNAWARE = 0
    AWARE = 1
    MEMBER = 2
    CORE = 3      # core volunteer (kerngroep)
    DROPPED = 4   # left a collective
    GONE = 5      # moved away or died (mechanisms.demography)


class Rogers(IntEnum):
    INNOVATOR = 0
    EARLY_ADOPTER = 1
    EARLY_MAJORITY = 2
    LATE_MAJORITY = 3
    LAGGARD = 4


class AgeGroup(IntEnum):
    YOUNG = 0    # 18-39
    MIDDLE = 1   # 40-64
    SENIOR = 2   # 65+


class Stage(IntEnum):
    IDEA = 0
    STARTING = 1
    ORGANISED = 2
    REALISING = 3
    SELF_SUSTAINING = 4
    DISSOLVED = 5


# What collectives apply for (mechanisms.voluntary_applications): each kind has its counts
# in CollectiveArrays (applied_<kind>, won_<kind>, declined_<kind>; sim/rules/applications.py)
APPLICATION_KINDS = ("subsidy", "prize", "tender")
APPLICATION_COUNTS = tuple(f"{what}_{kind}" for kind in APPLICATION_KINDS for what in ("applied", "won", "declined"))

# Enum members as plain ints for array comparisons: numpy compares an int8 array with an
# IntEnum member by first casting the whole array to int64 (several times slower).
STATE_VALUES = SimpleNamespace(**{s.name: int(s) for s in ResidentState})  # STATE_VALUES.CORE == 3
STAGE_VALUES = SimpleNamespace(**{s.name: int(s) for s in Stage})
_MEMBER, _CORE, _DISSOLVED = STATE_VALUES.MEMBER, STATE_VALUES.CORE, STAGE_VALUES.DISSOLVED


@dataclass
class ResidentArrays:
    """One entry per resident; residents are stored grouped by village."""

    village: np.ndarray
    age_group: np.ndarray
    vulnerable: np.ndarray
    hours: np.ndarray           # free time for community work, hours/month
    trust: np.ndarray           # trust in government, 0-1
    innovativeness: np.ndarray  # z, standard normal
    category: np.ndarray        # Rogers category 0-4
    threshold: np.ndarray       # adoption threshold phi, 0-1
    health: np.ndarray          # starting wellbeing, 0-1
    state: np.ndarray = field(default=None)       # ResidentState
    collective: np.ndarray = field(default=None)  # collective id or -1
    income: np.ndarray = field(default=None)      # relative disposable income (1 = median; all 1 without mechanisms.vulnerability)
    first_month: np.ndarray = field(default=None)  # month the resident first took part (0: at the start, -1: not yet)

    def __post_init__(self) -> None:
        n = len(self.village)
        if self.income is None:
            self.income = np.ones(n, dtype=np.float32)
        if self.state is None:
            self.state = np.zeros(n, dtype=np.int8)
        if self.collective is None:
            self.collective = np.full(n, -1, dtype=np.int32)
        if self.first_month is None:
            self.first_month = np.full(n, -1, dtype=np.int32)

    @property
    def n(self) -> int:
        return len(self.village)

    def participating(self) -> np.ndarray:
        """Members and core volunteers."""
        return (self.state == _MEMBER) | (self.state == _CORE)


@dataclass
class CollectiveArrays:
    """One entry per collective ever founded (dissolved ones stay, with stage DISSOLVED)."""

    capacity: int = 64
    n: int = 0
    village: np.ndarray = None
    theme: np.ndarray = None
    stage: np.ndarray = None
    founded: np.ndarray = None        # month of founding
    ended: np.ndarray = None          # month of dissolution, -1 while alive
    capital: np.ndarray = None        # EUR
    knowledge: np.ndarray = None      # 0-1
    trust: np.ndarray = None          # trust with the municipality, 0-1
    burnout: np.ndarray = None        # core group's burnout, 0-1
    project_left: np.ndarray = None   # months left of the running project, 0 = none
    successes: np.ndarray = None
    failures: np.ndarray = None
    revenue: np.ndarray = None        # EUR/month from successful projects
    own_funding: np.ndarray = None    # EUR received from members, revenue and the village fund
    gov_funding: np.ndarray = None    # EUR received from governments
    failure_signal: np.ndarray = None # members' memory of recent failure, decays
    weak_months: np.ndarray = None    # consecutive months with too small a core or negative capital
    burden: np.ndarray = None         # extra volunteer hours this month imposed by instruments
    members: np.ndarray = None        # members incl. core, refreshed each month
    core: np.ndarray = None           # core volunteers, refreshed each month
    core_hours: np.ndarray = None     # summed free time of the core, refreshed each month
    overload: np.ndarray = None       # relative overload of the core last month
    eased: np.ndarray = None          # share of admin hours let go this month (room to deviate), cleared by `work`
    equity: np.ndarray = None         # EUR of shares governments hold now (at the price paid)
    equity_funding: np.ndarray = None # EUR received from governments for shares (not a grant)
    returned: np.ndarray = None       # EUR paid to government shareholders: dividends and buy-backs
    applied_subsidy: np.ndarray = None    # applications made, won, and calls it chose not to apply for
    won_subsidy: np.ndarray = None
    declined_subsidy: np.ndarray = None
    applied_prize: np.ndarray = None      # prize rounds entered, won, passed up
    won_prize: np.ndarray = None
    declined_prize: np.ndarray = None
    applied_tender: np.ndarray = None     # tenders bid for, won, passed up
    won_tender: np.ndarray = None
    declined_tender: np.ndarray = None
    application_hours: np.ndarray = None  # volunteer hours spent on applications, entries and bids

    _dtypes = {
        "village": np.int32, "theme": np.int8, "stage": np.int8, "founded": np.int32, "ended": np.int32,
        "capital": np.float64, "knowledge": np.float64, "trust": np.float64, "burnout": np.float64,
        "project_left": np.int32, "successes": np.int32, "failures": np.int32, "revenue": np.float64,
        "own_funding": np.float64, "gov_funding": np.float64, "failure_signal": np.float64,
        "weak_months": np.int32, "burden": np.float64, "members": np.int64, "core": np.int64,
        "core_hours": np.float64, "overload": np.float64, "eased": np.float64,
        "equity": np.float64, "equity_funding": np.float64, "returned": np.float64,
        **dict.fromkeys(APPLICATION_COUNTS, np.int32), "application_hours": np.float64,
    }

    def __post_init__(self) -> None:
        for name, dt in self._dtypes.items():
            if getattr(self, name) is None:
                setattr(self, name, np.zeros(self.capacity, dtype=dt))

    def add_many(self, villages: np.ndarray, themes: np.ndarray, month: int, trust: float) -> np.ndarray:
        """Append new collectives at stage IDEA with no capital; return their ids."""
        k = len(villages)
        while self.n + k > self.capacity:
            self._grow()
        ids = np.arange(self.n, self.n + k)  # slots beyond n are still all zero
        self.village[ids], self.theme[ids], self.founded[ids], self.ended[ids] = villages, themes, month, -1
        self.trust[ids], self.stage[ids] = trust, Stage.IDEA
        self.n += k
        return ids

    def _grow(self) -> None:
        self.capacity *= 2
        for name in self._dtypes:
            old = getattr(self, name)
            new = np.zeros(self.capacity, dtype=old.dtype)
            new[: old.size] = old
            setattr(self, name, new)

    def alive(self) -> np.ndarray:
        """Boolean mask over ids 0..n-1 of collectives not dissolved."""
        return self.stage[: self.n] != _DISSOLVED

    def snapshot(self) -> dict[str, np.ndarray]:
        """Copies of all per-collective arrays, trimmed to n (for outputs)."""
        return {name: getattr(self, name)[: self.n].copy() for name in self._dtypes}


@dataclass
class VillageState:
    """Per-village state that changes month by month."""

    participation: np.ndarray   # share of residents taking part
    visibility: np.ndarray      # visible success of the village's collectives, 0-1
    liveability: np.ndarray     # 0-1
    fund: np.ndarray            # community fund, EUR (R2: revenue across themes)
    successes: np.ndarray       # V x T successful projects of living collectives
    spend: np.ndarray           # public money received by the village's collectives this month, EUR
    residents: np.ndarray       # residents living in the village now (falls under mechanisms.demography)
    # village agreements and co-operatives (sim/dynamics/governance.py, docs/ODD.md 7.8)
    agreement_until: np.ndarray = None  # month the agreement in force ends (exclusive); -1 none ever
    priorities: np.ndarray = None       # V x T: the agreement's priority themes
    agreements_made: np.ndarray = None  # agreements concluded (renewals included)
    coop: np.ndarray = None             # a village co-operative exists
    coops_formed: np.ndarray = None     # village co-operatives formed
    inspiration: np.ndarray = None  # inspiration from nearby villages' visible success, 0-1 (mechanisms.inspiration)

    def __post_init__(self) -> None:
        if self.inspiration is None:
            self.inspiration = np.zeros(len(self.participation))

    @classmethod
    def initial(cls, liveability0: np.ndarray, n_themes: int, population: np.ndarray) -> VillageState:
        n = len(liveability0)
        return cls(np.zeros(n), np.zeros(n), liveability0.astype(float).copy(), np.zeros(n),
                   np.zeros((n, n_themes)), np.zeros(n), np.asarray(population, dtype=np.int64).copy(),
                   agreement_until=np.full(n, -1, np.int64), priorities=np.zeros((n, n_themes), bool),
                   agreements_made=np.zeros(n, np.int64), coop=np.zeros(n, bool), coops_formed=np.zeros(n, np.int64))

    def agreements_in_force(self, month: int) -> np.ndarray:
        """Villages whose agreement is in force in `month`."""
        return self.agreement_until > month

"""Outcomes, recorded every month as tidy tables (one row per observation).

- region:      month x metric columns (participation, collectives, liveability, spend, ...)
- village:     month x village
- rogers:      month x Rogers category
- collectives: month x theme x stage (counts)

Each month's figures are a handful of array reductions (bincount) over residents.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .rules.villages import wellbeing
from .state import ResidentState as S
from .state import Rogers, Stage

REGION_COLUMNS = (
    "residents", "participation_share", "aware_share", "members", "core", "dropped",
    "vulnerable_participation_share", "collectives_alive", "collectives_founded", "collectives_dissolved",
    "self_sustaining", "liveability_mean", "liveability_sd", "wellbeing_gap", "public_spend",
    "public_spend_cumulative", "government_funding_share", "capital_total",
)
VILLAGE_COLUMNS = ("participation_share", "liveability", "collectives_alive", "successes", "public_spend")


@dataclass
class Tables:
    """The tidy outputs of one run."""

    region: pd.DataFrame
    village: pd.DataFrame
    rogers: pd.DataFrame
    collectives: pd.DataFrame

    def items(self):
        return {"region": self.region, "village": self.village, "rogers": self.rogers,
                "collectives": self.collectives}.items()


class Recorder:
    """Collects the model's outcomes after every month into preallocated lists."""

    def __init__(self, model) -> None:
        self.region: list[np.ndarray] = []
        self.village: list[np.ndarray] = []
        self.rogers: list[np.ndarray] = []
        self.stages: list[np.ndarray] = []
        self.spent = 0.0
        self.vulnerable_n = max(int(model.people.vulnerable.sum()), 1)
        self.category_n = np.bincount(model.people.category, minlength=len(Rogers))

    def collect(self, model) -> None:
        p, c, vs = model.people, model.collectives, model.villages
        n = max(p.n, 1)
        counts = np.bincount(p.state, minlength=len(S))
        part = (p.state == S.MEMBER) | (p.state == S.CORE)
        n_part = counts[S.MEMBER] + counts[S.CORE]
        stage = c.stage[: c.n]
        alive = stage != Stage.DISSOLVED
        spend = float(sum(g.spent_month for g in model.governments))
        self.spent += spend
        gov, own = c.gov_funding[: c.n][alive].sum(), c.own_funding[: c.n][alive].sum()
        self.region.append(np.array([
            p.n, n_part / n, 1.0 - counts[S.UNAWARE] / n, counts[S.MEMBER], counts[S.CORE], counts[S.DROPPED],
            np.count_nonzero(part & p.vulnerable) / self.vulnerable_n, alive.sum(), c.n, c.n - alive.sum(),
            np.count_nonzero(stage == Stage.SELF_SUSTAINING), vs.liveability.mean(), vs.liveability.std(),
            self._wellbeing_gap(model, part), spend, self.spent, gov / (gov + own) if gov + own > 0 else 0.0,
            c.capital[: c.n][alive].sum(),
        ], dtype=float))
        alive_by_village = np.bincount(c.village[: c.n][alive], minlength=vs.participation.size)
        self.village.append(np.column_stack([vs.participation, vs.liveability, alive_by_village,
                                             vs.successes.sum(axis=1), vs.spend]))
        self.rogers.append(np.bincount(p.category, weights=part, minlength=len(Rogers)))
        n_t = len(model.themes)
        key = c.theme[: c.n].astype(np.int64) * len(Stage) + stage
        self.stages.append(np.bincount(key, minlength=n_t * len(Stage)).reshape(n_t, len(Stage)))

    @staticmethod
    def _wellbeing_gap(model, part: np.ndarray) -> float:
        """Mean wellbeing of residents who are not vulnerable minus that of vulnerable ones."""
        p, r = model.people, model.cfg.residents
        care = model.themes.index("care") if "care" in model.themes else None
        care_v = model.villages.successes[:, care] > 0 if care is not None else np.zeros(model.world.villages.n, bool)
        w = wellbeing(p.health, part, p.vulnerable, care_v, p.village, r.health_participation, r.health_care)
        if p.vulnerable.all() or not p.vulnerable.any():
            return 0.0
        return float(w[~p.vulnerable].mean() - w[p.vulnerable].mean())

    def tables(self, model) -> Tables:
        months = np.arange(len(self.region))
        region = pd.DataFrame(np.vstack(self.region), columns=list(REGION_COLUMNS))
        for col in ("residents", "members", "core", "dropped", "collectives_alive", "collectives_founded",
                    "collectives_dissolved", "self_sustaining"):
            region[col] = region[col].astype(np.int64)
        region.insert(0, "month", months)
        return Tables(region, self._village_table(model, months), self._rogers_table(months),
                      self._collectives_table(model, months))

    def _village_table(self, model, months: np.ndarray) -> pd.DataFrame:
        vil = model.world.villages
        data = np.concatenate(self.village)
        df = pd.DataFrame(data, columns=list(VILLAGE_COLUMNS))
        df.insert(0, "month", np.repeat(months, vil.n))
        df.insert(1, "village", np.tile(np.arange(vil.n), months.size))
        df.insert(2, "municipality", np.tile(vil.municipality, months.size))
        df.insert(3, "population", np.tile(vil.population, months.size))
        df["collectives_alive"] = df["collectives_alive"].astype(np.int64)
        df["successes"] = df["successes"].astype(np.int64)
        return df

    def _rogers_table(self, months: np.ndarray) -> pd.DataFrame:
        k = len(Rogers)
        taking_part = np.concatenate(self.rogers)
        total = np.repeat(np.vstack(self.rogers).sum(axis=1), k)
        size = np.tile(self.category_n, months.size)
        return pd.DataFrame({
            "month": np.repeat(months, k),
            "category": pd.Categorical(np.tile([r.name.lower() for r in Rogers], months.size),
                                       categories=[r.name.lower() for r in Rogers], ordered=True),
            "residents": size,
            "participating": taking_part.astype(np.int64),
            "participation_share": np.divide(taking_part, size, out=np.zeros_like(taking_part), where=size > 0),
            "share_of_participants": np.divide(taking_part, total, out=np.zeros_like(taking_part), where=total > 0),
        })

    def _collectives_table(self, model, months: np.ndarray) -> pd.DataFrame:
        n_t, n_s = len(model.themes), len(Stage)
        counts = np.stack(self.stages)  # month x theme x stage
        return pd.DataFrame({
            "month": np.repeat(months, n_t * n_s),
            "theme": pd.Categorical(np.tile(np.repeat(model.themes, n_s), months.size), categories=list(model.themes)),
            "stage": pd.Categorical(np.tile([s.name.lower() for s in Stage], months.size * n_t),
                                    categories=[s.name.lower() for s in Stage], ordered=True),
            "count": counts.reshape(-1).astype(np.int64),
        })

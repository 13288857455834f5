"""Outcomes, recorded every month as tidy tables (one row per observation).

- region:      month x metric columns (participation, collectives, liveability, spend, ...)
- village:     month x village
- rogers:      month x Rogers category
- collectives: month x theme x stage (counts)
- village_collectives: month x village x theme x stage (counts; only cells that are not 0)
- themes:      month x theme: organised collectives (a legal entity: stage organised,
               realising or self-sustaining), their members, and how many became organised
               or stopped (dissolved after being organised) that month: what the calibration
               compares with counts of co-operatives (sim/metrics.py: run_theme_reach). Not
               written to a run folder (`items()`); every ensemble record carries it.

Each month's figures are a handful of array reductions (bincount) over residents.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .dynamics import governance
from .outcomes import INTEGER_SERIES, SERIES, SERIES_NAMES, Snapshot
from .rules.villages import wellbeing
from .state import STATE_VALUES as S  # plain ints: see sim/state.py
from .state import APPLICATION_COUNTS, Rogers, Stage

REGION_COLUMNS = SERIES_NAMES   # declared with their labels and formulas in sim/outcomes.py
VILLAGE_COLUMNS = ("participation_share", "liveability", "collectives_alive", "successes", "public_spend")


@dataclass
class Tables:
    """The tidy outputs of one run."""

    region: pd.DataFrame
    village: pd.DataFrame
    rogers: pd.DataFrame
    collectives: pd.DataFrame
    village_collectives: pd.DataFrame
    themes: pd.DataFrame | None = None

    def items(self):
        return {"region": self.region, "village": self.village, "rogers": self.rogers,
                "collectives": self.collectives, "village_collectives": self.village_collectives}.items()


class Recorder:
    """Collects the model's outcomes after every month (one array per month and table)."""

    def __init__(self, model) -> None:
        self.region: list[np.ndarray] = []
        self.village: list[np.ndarray] = []
        self.rogers: list[np.ndarray] = []
        self.stages: list[np.ndarray] = []
        self.cells: list[np.ndarray] = []  # per month: the (village, theme, stage) cell of each collective
        self.themes: list[np.ndarray] = []  # per month: theme x (organised, members, became organised, stopped)
        self.was_organised = np.zeros(0, bool)  # per collective: organised at some month so far
        self.stopped = np.zeros(0, bool)        # per collective: dissolved after being organised
        self.populations: list[np.ndarray] = []   # per month: residents per village
        self.category_sizes: list[np.ndarray] = []  # per month: residents per Rogers category
        self.spent = 0.0
        self.n_themes = len(model.themes)
        self.care = model.themes.index("care") if "care" in model.themes else None  # theme of care collectives
        p, r = model.people, model.cfg.residents
        self.vulnerable_n = int(p.vulnerable.sum())
        self.category_n = np.bincount(p.category, minlength=len(Rogers))
        self.vulnerable_by_village = np.bincount(p.village[p.vulnerable], minlength=model.world.villages.n)
        self.health_mean = (float(p.health[p.vulnerable].mean()) if self.vulnerable_n else 0.0,
                            float(p.health[~p.vulnerable].mean()) if self.vulnerable_n < p.n else 0.0)
        # wellbeing is linear (no clipping) when the highest health plus both gains stays <= 1
        self.wellbeing_linear = p.n == 0 or float(p.health.max()) + r.health_participation + r.health_care <= 1.0

    def _living(self, model) -> np.ndarray:
        """Under mechanisms.demography: who lives in the region now (counts that are fixed
        otherwise: residents, vulnerable residents, each Rogers category)."""
        p = model.people
        here = p.state != S.GONE
        self.vulnerable_n = int(np.count_nonzero(p.vulnerable & here))
        self.category_n = np.bincount(p.category[here], minlength=len(Rogers))
        self.vulnerable_by_village = np.bincount(p.village[p.vulnerable & here], minlength=model.world.villages.n)
        return here

    def collect(self, model) -> None:
        p, c, vs, tp = model.people, model.collectives, model.villages, model.taking_part
        self.here = self._living(model) if model.cfg.mechanisms.demography else None
        n_here = int(_sum(vs.residents))
        by_state = np.bincount(p.state.view(np.uint8), minlength=_N_STATES)   # one pass, every state
        core, unaware, dropped = int(by_state[S.CORE]), int(by_state[S.UNAWARE]), int(by_state[S.DROPPED])
        n_part = tp.total
        first = p.first_month   # each resident's first month taking part (sim/metrics.py: early_lead)
        first[tp.mask & (first < 0)] = model.month
        n = c.n
        stage = c.stage[:n]
        alive = stage != _DISSOLVED
        n_alive = int(np.count_nonzero(alive))
        spend = float(_sum(vs.spend))
        self.spent += spend
        # mean and population sd (as np.mean, np.std: the sum divided by the count)
        live = vs.liveability
        live_mean = float(_sum(live) / live.size)
        live_sd = float(np.sqrt(_sum((live - live_mean) ** 2) / live.size))
        snap = Snapshot(
            residents=n_here, taking_part=n_part, unaware=unaware, core=core, dropped=dropped,
            vulnerable_taking_part=tp.vulnerable, vulnerable=self.vulnerable_n, alive=n_alive, founded=n,
            self_sustaining=int(np.count_nonzero(stage == _SELF_SUSTAINING)) if n else 0, liveability_mean=live_mean,
            liveability_sd=live_sd, wellbeing_gap=self._wellbeing_gap(model, n_here), spend=spend, spent=self.spent,
            **self._money(c, n, alive, n_alive), **governance.counts(model, alive))
        self.region.append(np.array([o.compute(snap) for o in SERIES], dtype=float))
        n_v, n_t, n_s = vs.participation.size, self.n_themes, len(Stage)
        if n:
            alive_by_village = np.bincount(c.village[:n][alive], minlength=n_v)
            key = c.theme[:n].astype(np.int64) * n_s + stage  # theme x stage
            stages = np.bincount(key, minlength=n_t * n_s).reshape(n_t, n_s)
            cells = c.village[:n].astype(np.int64) * (n_t * n_s) + key  # (village x theme) x stage
        else:  # no collective yet: none in any village, theme or stage (what the counts above give)
            alive_by_village, stages, cells = np.zeros(n_v, np.intp), np.zeros((n_t, n_s), np.intp), _NO_CELLS
        # village x column, as np.column_stack of the five (one call instead of its Python loop)
        self.village.append(np.array([vs.participation, vs.liveability, alive_by_village,
                                      np.add.reduce(vs.successes, axis=1), vs.spend], dtype=float).T)
        self.rogers.append(tp.by_category.astype(float))
        self.populations.append(vs.residents.copy())
        self.category_sizes.append(self.category_n.copy())
        self.stages.append(stages)
        self.cells.append(cells)
        self.themes.append(self._organised(c, stage, n_t))

    @staticmethod
    def _money(c, n: int, alive: np.ndarray, n_alive: int) -> dict:
        """The Snapshot's sums of money and applications over the collectives (0 and none
        before the first collective: the sums of nothing)."""
        if not n:
            return _NO_MONEY
        # sums over the living collectives: without the mask while none has dissolved (the same
        # elements in the same order, so the same sums)
        living = _all if n_alive == n else alive
        return dict(gov_funding=_sum(c.gov_funding[:n][living]), own_funding=_sum(c.own_funding[:n][living]),
                    capital=_sum(c.capital[:n][living]), equity_funding=_sum(c.equity_funding[:n][living]),
                    equity=_sum(c.equity[:n][living]), returned=_sum(c.returned[:n]),
                    applications={k: _sum(getattr(c, k)[:n]) for k in _APPLYING})

    def _organised(self, c, stage: np.ndarray, n_t: int) -> np.ndarray:
        """theme x (organised now, their members, became organised this month, stopped this month)."""
        n = stage.size
        if not n:  # no collective yet
            return np.zeros((n_t, 4))
        grow = n - self.was_organised.size
        if grow > 0:
            self.was_organised = np.concatenate([self.was_organised, np.zeros(grow, bool)])
            self.stopped = np.concatenate([self.stopped, np.zeros(grow, bool)])
        out = np.zeros((n_t, 4))
        organised = (stage.view(np.uint8) - _ORGANISED) <= _SELF_SUSTAINING - _ORGANISED   # in [ORGANISED, SELF_SUSTAINING]
        if not organised.any() and not self.was_organised.any():
            return out   # none organised, now or before: nothing became organised or stopped
        theme = c.theme[:n].astype(np.int64)
        became = organised & ~self.was_organised
        stops = self.was_organised & (stage == _DISSOLVED) & ~self.stopped
        self.was_organised |= organised
        self.stopped |= stops
        out[:, 0] = np.bincount(theme[organised], minlength=n_t)
        out[:, 1] = np.bincount(theme[organised], weights=c.members[:n][organised], minlength=n_t)
        out[:, 2] = np.bincount(theme[became], minlength=n_t)
        out[:, 3] = np.bincount(theme[stops], minlength=n_t)
        return out

    def _wellbeing_gap(self, model, n_here: int) -> float:
        """Mean wellbeing of residents who are not vulnerable minus that of vulnerable ones.

        Wellbeing (rules.villages.wellbeing) is linear in taking part and in living in a
        village with a successful care collective unless clipping at 1 binds, so the group
        means follow from counts; otherwise it is computed resident by resident. `n_here`:
        residents living in the region now.
        """
        p, r, tp = model.people, model.cfg.residents, model.taking_part
        n_vul, n_other = self.vulnerable_n, n_here - self.vulnerable_n
        if n_vul == 0 or n_other == 0:
            return 0.0
        care = self.care
        care_v = model.villages.successes[:, care] > 0 if care is not None else np.zeros(model.world.villages.n, bool)
        if not self.wellbeing_linear or self.here is not None:   # resident by resident
            w = wellbeing(p.health, tp.mask, p.vulnerable, care_v, p.village, r.health_participation, r.health_care)
            here = self.here if self.here is not None else np.ones(p.n, bool)
            return float(w[~p.vulnerable & here].mean() - w[p.vulnerable & here].mean())
        vul = self.health_mean[0] + r.health_participation * tp.vulnerable / n_vul \
            + r.health_care * _sum(self.vulnerable_by_village[care_v]) / n_vul
        other = self.health_mean[1] + r.health_participation * (tp.total - tp.vulnerable) / n_other
        return float(other - vul)

    def tables(self, model) -> Tables:
        months = np.arange(len(self.region))
        region = pd.DataFrame(np.vstack(self.region), columns=list(REGION_COLUMNS))
        for col in INTEGER_SERIES:
            region[col] = region[col].astype(np.int64)
        region.insert(0, "month", months)
        return Tables(region, self._village_table(model, months), self._rogers_table(months),
                      self._collectives_table(model, months), self._cells_table(model),
                      self._themes_table(model, months))

    def _themes_table(self, model, months: np.ndarray) -> pd.DataFrame:
        n_t = len(model.themes)
        data = np.concatenate(self.themes) if self.themes else np.zeros((0, 4))
        return pd.DataFrame({
            "month": np.repeat(months, n_t),
            "theme": pd.Categorical(np.tile(list(model.themes), months.size), categories=list(model.themes)),
            "organised": data[:, 0].astype(np.int64),
            "members": data[:, 1].astype(np.int64),
            "became_organised": data[:, 2].astype(np.int64),
            "stopped": data[:, 3].astype(np.int64),
        })

    def _village_table(self, model, months: np.ndarray) -> pd.DataFrame:
        vil = model.world.villages
        data = np.concatenate(self.village)
        return pd.DataFrame({  # built in one go (inserting columns one by one copies the frame each time)
            "month": np.repeat(months, vil.n),
            "village": np.tile(np.arange(vil.n), months.size),
            "municipality": np.tile(vil.municipality, months.size),
            "population": np.concatenate(self.populations),
            **{name: data[:, j].astype(np.int64) if name in ("collectives_alive", "successes") else data[:, j]
               for j, name in enumerate(VILLAGE_COLUMNS)},
        })

    def _rogers_table(self, months: np.ndarray) -> pd.DataFrame:
        k = len(Rogers)
        taking_part = np.concatenate(self.rogers)
        total = np.repeat(np.vstack(self.rogers).sum(axis=1), k)
        size = np.concatenate(self.category_sizes)
        return pd.DataFrame({
            "month": np.repeat(months, k),
            "category": pd.Categorical.from_codes(np.tile(np.arange(k), months.size), dtype=_categories(_ROGERS, True)),
            "residents": size,
            "participating": taking_part.astype(np.int64),
            "participation_share": np.divide(taking_part, size, out=np.zeros_like(taking_part), where=size > 0),
            "share_of_participants": np.divide(taking_part, total, out=np.zeros_like(taking_part), where=total > 0),
        })

    def _cells_table(self, model) -> pd.DataFrame:
        """Count the (village, theme, stage) cell of every collective, month by month."""
        n_t, n_s = len(model.themes), len(Stage)
        # all months at once: the cell keys of month m shifted by m * (a bound on the keys), so one
        # sort orders them by month and then by cell, as counting month by month does
        sizes = [len(keys) for keys in self.cells]
        keys = np.concatenate(self.cells) if self.cells else np.zeros(0, np.int64)
        bound = int(keys.max()) + 1 if keys.size else 1
        month_key = np.sort(np.repeat(np.arange(len(sizes), dtype=np.int64), sizes) * bound + keys)
        first = np.flatnonzero(np.r_[True, month_key[1:] != month_key[:-1]]) if month_key.size else np.zeros(0, np.int64)
        count = np.diff(np.r_[first, month_key.size])
        month, cell = np.divmod(month_key[first], bound)
        return pd.DataFrame({
            "month": month,
            "village": cell // (n_t * n_s),
            "theme": pd.Categorical.from_codes(cell // n_s % n_t, dtype=_categories(tuple(model.themes), False)),
            "stage": pd.Categorical.from_codes(cell % n_s, dtype=_categories(_STAGES, True)),
            "count": count.astype(np.int64),
        })

    def _collectives_table(self, model, months: np.ndarray) -> pd.DataFrame:
        n_t, n_s = len(model.themes), len(Stage)
        counts = np.stack(self.stages)  # month x theme x stage
        return pd.DataFrame({
            "month": np.repeat(months, n_t * n_s),
            "theme": pd.Categorical.from_codes(np.tile(np.repeat(np.arange(n_t), n_s), months.size),
                                               dtype=_categories(tuple(model.themes), False)),
            "stage": pd.Categorical.from_codes(np.tile(np.arange(n_s), months.size * n_t),
                                               dtype=_categories(_STAGES, True)),
            "count": counts.reshape(-1).astype(np.int64),
        })


# plain ints for array comparisons (numpy compares an int8 array with an IntEnum member by
# first widening the whole array), and what collect() reads every month, spelled out once
_N_STATES = max(S.__dict__.values()) + 1
_DISSOLVED, _ORGANISED, _SELF_SUSTAINING = int(Stage.DISSOLVED), int(Stage.ORGANISED), int(Stage.SELF_SUSTAINING)
_APPLYING = (*APPLICATION_COUNTS, "application_hours")
_all = slice(None)
_sum = np.add.reduce   # what ndarray.sum() computes, without its Python wrapper (called some 20 times a month)
_NO_MONEY = dict(gov_funding=0.0, own_funding=0.0, capital=0.0, equity_funding=0.0, equity=0.0, returned=0.0,
                 applications={})   # Recorder._money before the first collective
_NO_CELLS = np.empty(0, np.int64)   # Recorder.collect: the cells of no collective
_NO_CELLS.flags.writeable = False

_ROGERS = tuple(r.name.lower() for r in Rogers)
_STAGES = tuple(s.name.lower() for s in Stage)


@functools.lru_cache(maxsize=64)
def _categories(names: tuple[str, ...], ordered: bool) -> pd.CategoricalDtype:
    """The categorical dtype of these names, made (and checked) once."""
    return pd.CategoricalDtype(list(names), ordered=ordered)

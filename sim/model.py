"""VillageModel: the region, its residents, collectives and governments, month by month.

Where every rule lives (read this file first, then follow the imports):

    build        sim/world/       villages.py (sizes, positions), population.py (Rogers
                                  categories, thresholds), networks.py (ties), build.py
    state        sim/state.py     arrays of residents and collectives; the enums
    agents       sim/agents/      Resident, Collective, Municipality/Province (Mesa agents)
    phases       sim/dynamics/    demography.py, residents.py, collectives.py, villages.py
                                  (array operations)
    rules        sim/rules/       adoption.py, collectives.py, villages.py, demography.py
                                  (pure functions)
    instruments  sim/instruments/ base.py (interface), none.py, effects.py (channels)
    outcomes     sim/recorder.py  tidy time series; sim/runner.py runs a Config to Results

One step is one month. `step()` only orders the phases.
"""

from __future__ import annotations

import mesa
from mesa.agentset import AgentSet
import numpy as np

from .agents import Collective, Municipality, Province, Resident
from .config.governance import stop_month_of
from .config.schema import Config
from .config.validate import validate
from .dynamics import collectives, demography, governance, residents, villages
from .dynamics.participation import Participation
from .instruments import InstrumentEffects, get_instrument
from .recorder import Recorder
from .rules.adoption import alertness, decision_speed
from .rules.governance import matched_allocation, province_share
from .rules.registry import get_adoption_rule
from .streams import generator
from .state import CollectiveArrays, ResidentState, Rogers, Stage, VillageState
from .themes import ThemeTable
from .world import build_world


class VillageModel(mesa.Model):
    """The vliegwiel model. `VillageModel(load_config([...]))`, then `step()` or `run_months(n)`."""

    def __init__(self, cfg: Config | None = None) -> None:
        cfg = validate(cfg if cfg is not None else Config())
        # one stream per (seed, replicate), see sim/streams.py; Mesa derives model.random
        # from it, so every draw follows from cfg.seed and cfg.replicate
        super().__init__(rng=generator(cfg.seed, cfg.replicate))
        self.cfg = cfg
        self.month = 0  # months simulated so far
        self.theme_table = ThemeTable.from_config(cfg.collectives.themes)
        self.themes = self.theme_table.names
        self.adoption_rule = get_adoption_rule(cfg.adoption.rule)
        self.world, self.people = build_world(cfg, self.rng)
        self.cell_pairs = self.world.cell_pairs(len(self.themes))
        self.can_be_core = self.people.hours >= cfg.collectives.core_hours
        self.potential_pioneers = np.flatnonzero(self.can_be_core & (self.people.category <= Rogers.EARLY_ADOPTER))
        # how readily each resident hears of collectives (rules.adoption.alertness; None: all alike)
        b = cfg.adoption.aware_innovativeness if cfg.mechanisms.alertness else 0.0
        self.alertness = alertness(self.people.innovativeness, b) if b else None
        # 1 / alertness per resident, for the awareness bounds (dynamics.residents.awareness_bounds)
        self.inv_alertness = None if self.alertness is None else (1.0 / self.alertness).astype(np.float32)
        self.inv_alertness_max = 1.0 if self.alertness is None else float(self.inv_alertness.max())
        # how fast each resident acts once convinced (rules.adoption.decision_speed; None: all alike)
        c = cfg.adoption.decide_innovativeness if cfg.mechanisms.alertness else 0.0
        self.decision_speed = decision_speed(self.people.innovativeness, c) if c else None
        self.decision_speed_max = 1.0 if self.decision_speed is None else float(self.decision_speed.max())
        self.taking_part = Participation(self.world.adjacency, self.people, self.world.villages.n)
        self._resident_agents: list[Resident] | None = None  # created on first use (resident_agents)
        self.collectives = CollectiveArrays()
        self.collective_agents: list[Collective] = []
        self.villages = VillageState.initial(self.world.villages.liveability0, len(self.themes),
                                             self.world.villages.population)
        self.effects = InstrumentEffects.zeros(self.world.villages.n)
        self._make_governments()
        self._initial_collectives()
        self._seed_adopters()
        self.taking_part.refresh()
        villages.update(self)
        self.recorder = Recorder(self)
        self.recorder.collect(self)

    def step(self) -> None:
        """One month: residents age and leave, governments act, residents decide,
        collectives act, villages update."""
        self.begin_month()
        demography.update(self)
        self.governments.do("step")
        residents.decide(self)
        collectives.act(self)
        villages.update(self)
        self.month += 1
        self.recorder.collect(self)

    def run_months(self, months: int) -> None:
        for _ in range(months):
            self.step()

    def begin_month(self) -> None:
        """Clear last month's instrument effects and public spend."""
        self.effects.reset()
        self.villages.spend[:] = 0.0

    # --- building -----------------------------------------------------------------------
    def _make_governments(self) -> None:
        g, vil = self.cfg.governments, self.world.villages
        attitude = np.clip(self.rng.normal(g.attitude_mean, g.attitude_sd, vil.n_municipalities), 0.0, 1.0)
        self.attitude_of_village = attitude[vil.municipality]
        self.municipalities = [
            Municipality(self, f"municipality-{m:02d}", np.flatnonzero(vil.municipality == m), attitude[m])
            for m in range(vil.n_municipalities)
        ]
        self.province = Province(self, "province", np.arange(vil.n), g.province_attitude)
        self.governments = AgentSet([self.province, *self.municipalities], random=self.random)
        self._make_portfolio()

    def _make_portfolio(self) -> None:
        """Instruments of the mix share policy.budget by weight; a municipal instrument is run
        by every municipality with villages it serves, with a share of its allocation by the
        population of those villages. With the province as co-funder (governments.cofunding)
        a municipal instrument's allocation is multiplied by 1 + cofunding, the extra paid by
        the province."""
        pol, vil = self.cfg.policy, self.world.villages
        names = list(dict.fromkeys(pol.instruments))
        weights = {n: getattr(pol, n).weight if hasattr(pol, n) else 0.0 for n in names}
        total = sum(weights.values())
        match = governance.cofunding(self)
        for m in self.municipalities:
            m.cofunded_share = province_share(match)
        for name in names:
            cls, icfg = get_instrument(name), getattr(pol, name, None)
            allocation = pol.budget * weights[name] / total if total > 0 else 0.0
            stop = stop_month_of(pol, name)
            if icfg is None or icfg.government == "province":
                self.province.portfolio.append(cls(self.province, icfg, allocation, self.cfg.months, stop))
                continue
            allocation = matched_allocation(allocation, match)  # the province as co-funder (0: none)
            served = np.zeros(vil.n, bool)
            served[list(icfg.villages) if icfg.villages else slice(None)] = True
            population = vil.population[served].sum()
            for m in self.municipalities:
                share = vil.population[m.villages][served[m.villages]].sum() / population
                if share > 0:
                    m.portfolio.append(cls(m, icfg, allocation * share, self.cfg.months, stop))

    def add_collectives(self, villages: np.ndarray, themes: np.ndarray, founders: np.ndarray) -> np.ndarray:
        """Found collectives: row k of `founders` becomes the core of a new collective of
        theme themes[k] in villages[k]. Returns their ids."""
        c, people = self.collectives, self.people
        ids = c.add_many(villages, themes, self.month, trust=self.cfg.collectives.trust_start)
        flat = founders.ravel()
        newly = flat[~self.taking_part.mask[flat]]
        people.state[flat] = ResidentState.CORE
        people.collective[founders] = ids[:, None]
        self.taking_part.apply(newly, np.empty(0, np.int64))
        c.members[ids] = c.core[ids] = founders.shape[1]
        c.core_hours[ids] = people.hours[founders].sum(axis=1)
        self.collective_agents.extend(Collective(self, int(i)) for i in ids)
        return ids

    def _initial_collectives(self) -> None:
        """Some villages start with an organised energy collective (collectives.initial_share)."""
        cfg = self.cfg.collectives
        if not self.cfg.mechanisms.collectives or cfg.initial_share <= 0:
            return
        theme = self.themes.index("energy") if "energy" in self.themes else 0
        p = self.people
        for v in np.flatnonzero(self.rng.random(self.world.villages.n) < cfg.initial_share):
            lo, hi = self.world.offsets[v], self.world.offsets[v + 1]
            ranked = lo + np.lexsort((self.rng.random(hi - lo), ~self.can_be_core[lo:hi], p.category[lo:hi]))
            founders, members = ranked[: cfg.founders], ranked[cfg.founders : cfg.founders + cfg.min_members_organised]
            cid = int(self.add_collectives(np.array([v]), np.array([theme]), founders[None, :])[0])
            p.state[members] = ResidentState.MEMBER
            p.collective[members] = cid
            self.collectives.stage[cid] = Stage.ORGANISED
            self.collectives.founded[cid] = -max(cfg.months_to_organise, cfg.idea_months)
        self.taking_part.refresh()
        collectives.refresh_counts(self)

    def _seed_adopters(self) -> None:
        """adoption.seeds_per_village residents per village take part from month 0."""
        k = self.cfg.adoption.seeds_per_village
        if k <= 0:
            return
        p = self.people
        for v in range(self.world.villages.n):
            lo, hi = self.world.offsets[v], self.world.offsets[v + 1]
            chosen = lo + self.rng.choice(hi - lo, size=min(k, hi - lo), replace=False)
            if self.cfg.mechanisms.collectives:
                cid = residents.pick_open_collective(self, p.village[chosen])
                p.state[chosen] = np.where(cid >= 0, ResidentState.MEMBER, ResidentState.AWARE)
                p.collective[chosen] = cid
            else:
                p.state[chosen] = ResidentState.MEMBER

    # --- inspection ---------------------------------------------------------------------
    @property
    def resident_agents(self) -> list[Resident]:
        """One Mesa agent per resident (views onto model.people), created on first use:
        the dynamics work on the arrays, so a run that never looks at individual residents
        (a sweep) skips creating some 10^4-10^5 agent objects (~10 us each)."""
        if self._resident_agents is None:
            self._resident_agents = [Resident(self, i) for i in range(self.people.n)]
        return self._resident_agents

    @property
    def agents(self):
        """Mesa's set of every agent, the residents included (created here if not yet)."""
        self.resident_agents  # noqa: B018 - make sure the resident agents exist
        return super().agents

    @property
    def agents_by_type(self):
        self.resident_agents  # noqa: B018
        return super().agents_by_type

    @property
    def agent_types(self) -> list[type]:
        self.resident_agents  # noqa: B018
        return super().agent_types

    @property
    def participation_share(self) -> float:
        """Share of all residents taking part now."""
        return float(self.people.participating().mean()) if self.people.n else 0.0

    def residents_of(self, village: int) -> list[Resident]:
        lo, hi = self.world.offsets[village], self.world.offsets[village + 1]
        return self.resident_agents[lo:hi]

    def rogers_shares(self) -> dict[str, float]:
        """Share taking part within each Rogers category."""
        part = self.people.participating()
        return {r.name.lower(): float(part[self.people.category == r].mean()) if (self.people.category == r).any() else 0.0
                for r in Rogers}

    def results(self):
        """Tidy time series so far (see sim/recorder.py)."""
        return self.recorder.tables(self)

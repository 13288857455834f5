"""Resident: a Mesa agent whose state lives in the model's ResidentArrays.

Residents decide together in array operations (sim/dynamics/residents.py with the rules of
sim/rules/adoption.py); this class is the per-resident view for inspection, the browser and
extensions. Reading an attribute reads the array; the few setters write it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from ..state import AgeGroup, ResidentState, Rogers

if TYPE_CHECKING:
    from .collective import Collective


class Resident(mesa.Agent):
    """An adult resident of a village (index into model.people)."""

    def __init__(self, model, index: int) -> None:
        super().__init__(model)
        self.index = index

    @property
    def _a(self):
        return self.model.people

    @property
    def state(self) -> ResidentState:
        return ResidentState(int(self._a.state[self.index]))

    @property
    def village(self) -> int:
        return int(self._a.village[self.index])

    @property
    def category(self) -> Rogers:
        """Rogers adopter category, fixed by innovativeness at the start."""
        return Rogers(int(self._a.category[self.index]))

    @property
    def age_group(self) -> AgeGroup:
        return AgeGroup(int(self._a.age_group[self.index]))

    @property
    def vulnerable(self) -> bool:
        return bool(self._a.vulnerable[self.index])

    @property
    def hours(self) -> float:
        """Free time for community work, hours/month."""
        return float(self._a.hours[self.index])

    @property
    def trust(self) -> float:
        return float(self._a.trust[self.index])

    @property
    def income(self) -> float:
        """Relative disposable income (1 = median; 1 for everyone without mechanisms.vulnerability)."""
        return float(self._a.income[self.index])

    @property
    def threshold(self) -> float:
        return float(self._a.threshold[self.index])

    @property
    def health(self) -> float:
        """Starting wellbeing, 0-1."""
        return float(self._a.health[self.index])

    @property
    def wellbeing(self) -> float:
        """Wellbeing now (rules.villages.wellbeing): health plus taking part plus care in the village."""
        from ..rules.villages import wellbeing

        m, care = self.model, self.model.themes.index("care") if "care" in self.model.themes else None
        care_v = (m.villages.successes[:, care] > 0) if care is not None else np.zeros(m.world.villages.n, bool)
        i = np.array([self.index])
        return float(wellbeing(self._a.health[i], np.array([self.participating]), self._a.vulnerable[i], care_v,
                               self._a.village[i], m.cfg.residents.health_participation, m.cfg.residents.health_care)[0])

    @property
    def participating(self) -> bool:
        return self.state in (ResidentState.MEMBER, ResidentState.CORE)

    @property
    def collective(self) -> Collective | None:
        cid = int(self._a.collective[self.index])
        return self.model.collective_agents[cid] if cid >= 0 else None

    def neighbours(self) -> list[Resident]:
        """The residents this one has a tie with."""
        adj = self.model.world.adjacency
        cols = adj.indices[adj.indptr[self.index] : adj.indptr[self.index + 1]]
        return [self.model.resident_agents[j] for j in cols]

    def make_aware(self) -> None:
        """Public method for instruments (e.g. a village dialogue reaching this resident)."""
        if self._a.state[self.index] == ResidentState.UNAWARE:
            self._a.state[self.index] = ResidentState.AWARE

    def __repr__(self) -> str:
        return f"Resident({self.index}, village={self.village}, {self.category.name.lower()}, {self.state.name.lower()})"

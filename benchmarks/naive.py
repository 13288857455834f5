"""Naive reference for the benchmark: one Mesa agent per resident, the threshold rule in Python.

This is the model as a competent Mesa user would write it without array operations: each
resident is a `mesa.Agent` that holds its threshold, whether it takes part, and a Python list
of its neighbour agents. Its `step()` computes the threshold rule of
`sim.rules.adoption.threshold_rule` (Granovetter 1978; Watts 2002): a resident who does not
take part joins when the share of its ties taking part is at least its threshold (with the
same tolerance EPS). Everyone decides on last month's state (synchronous update), driven by
Mesa's AgentSet: `agents.do("step")` computes, then `agents.do("advance")` applies, which is
Mesa 3's replacement for the old SimultaneousActivation scheduler.

The network is not drawn here: it is taken from the adjacency of the full model
(`model.world.adjacency`), so both run on identical ties.
"""

from __future__ import annotations

import mesa
import numpy as np
import scipy.sparse as sp

from sim.config.people import AdoptionConfig
from sim.rules.adoption import EPS, AdoptionInputs, threshold_rule


class NaiveResident(mesa.Agent):
    """A resident with its own threshold, adoption state and list of neighbour agents."""

    def __init__(self, model: NaiveThresholdModel, threshold: float, adopted: bool) -> None:
        super().__init__(model)
        self.threshold = threshold
        self.adopted = adopted
        self.next_adopted = adopted
        self.neighbours: list[NaiveResident] = []

    def step(self) -> None:
        """Decide on the current state of the neighbours; the change is applied in advance()."""
        if self.adopted:  # taking part is kept (no dropout in the threshold model)
            self.next_adopted = True
            return
        neighbours = self.neighbours
        if neighbours:
            share = sum(1 for n in neighbours if n.adopted) / len(neighbours)
        else:
            share = 0.0  # residents without ties see a share of 0, as in the array model
        self.next_adopted = share >= self.threshold - EPS

    def advance(self) -> None:
        self.adopted = self.next_adopted


class NaiveThresholdModel(mesa.Model):
    """The threshold model with one Mesa agent per resident on a given network."""

    def __init__(self, adjacency: sp.csr_matrix, threshold: np.ndarray, adopted: np.ndarray, seed: int = 0) -> None:
        super().__init__(rng=seed)
        n = adjacency.shape[0]
        thresholds = np.asarray(threshold, dtype=np.float64).tolist()
        initial = np.asarray(adopted, dtype=bool).tolist()
        self.residents = [NaiveResident(self, thresholds[i], initial[i]) for i in range(n)]
        indptr, indices = adjacency.indptr.tolist(), adjacency.indices.tolist()
        residents = self.residents
        for i, agent in enumerate(residents):
            agent.neighbours = [residents[j] for j in indices[indptr[i] : indptr[i + 1]]]

    def step(self) -> None:
        self.agents.do("step")
        self.agents.do("advance")

    # --- helpers for the benchmark (not part of the timed step) ---------------------------
    def set_adopted(self, adopted: np.ndarray) -> None:
        for agent, a in zip(self.residents, np.asarray(adopted, dtype=bool).tolist(), strict=True):
            agent.adopted = agent.next_adopted = a

    def adopted(self) -> np.ndarray:
        return np.fromiter((a.adopted for a in self.residents), dtype=bool, count=len(self.residents))


def vectorised_reference(adjacency: sp.csr_matrix, inv_degree: np.ndarray, threshold: np.ndarray,
                         adopted: np.ndarray, steps: int, adoption: AdoptionConfig | None = None) -> np.ndarray:
    """The same steps with `sim.rules.adoption.threshold_rule` on arrays, as the full model computes it.

    Share of ties taking part = (A x) / degree in float32 (as in sim.world.build.World and
    sim.dynamics.residents.decide); residents who take part keep taking part.
    """
    adoption = adoption if adoption is not None else AdoptionConfig()
    n = adjacency.shape[0]
    a = np.asarray(adopted, dtype=bool).copy()
    zeros_i, zeros_v = np.zeros(n, dtype=np.float32), np.zeros(1, dtype=np.float32)
    village = np.zeros(n, dtype=np.int64)
    for _ in range(steps):
        count = adjacency @ a.astype(np.float32)
        share = count * inv_degree
        x = AdoptionInputs(neighbour_share=share, neighbour_count=count, threshold=threshold, trust=zeros_i,
                           hours=zeros_i, village=village, village_share=zeros_v, visibility=zeros_v,
                           mobilisation=zeros_v, crowding=zeros_v)
        a |= threshold_rule(x, adoption) >= 1.0
    return a

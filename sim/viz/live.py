"""One run of the question, month by month: the policy and, on the same seed, the baseline.

Pure code (no Solara): the live view (sim/viz/live_view.py) steps it, the map's village
stories (sim/viz/stories.py) run it to the end.

- `LiveRun(question, settings)` builds two VillageModels from the same configuration apart
  from the policy (the same seed and replicate: common random numbers), or one when the
  question is the baseline.
- Every read and every step holds `lock`: `step()` advances both models a month (never past
  the horizon), `snapshot()` copies what the figures draw, so a figure never sees a history
  that grows while it draws (a Play thread and a click can come at once).
- After each month it notes, per resident, the first month they took part and the tie that
  may have brought them in (`Tracker`): among their ties, the one who took part earliest
  before them. Per village it counts the months each instrument channel acted there.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from ..config.overrides import apply_overrides
from ..instruments.effects import CHANNELS
from ..model import VillageModel
from ..recorder import VILLAGE_COLUMNS
from .question import BASELINE, Question

POLICY, BASE = "policy", "baseline"
_SHARE = VILLAGE_COLUMNS.index("participation_share")
_SPEND = VILLAGE_COLUMNS.index("public_spend")


class Tracker:
    """Who took part when, and through whom; what the instruments did per village."""

    def __init__(self, model: VillageModel) -> None:
        n = model.people.n
        self.joined = np.full(n, -1, dtype=np.int32)       # first month taking part, -1 never
        self.recruiter = np.full(n, -1, dtype=np.int64)    # the tie who took part earliest before them, -1 none
        self.acted = np.zeros((model.world.villages.n, len(CHANNELS)), dtype=np.int32)   # months a channel acted
        adj = model.world.adjacency
        self._indptr, self._indices = adj.indptr, adj.indices
        self.note(model)

    def note(self, model: VillageModel) -> None:
        new = np.flatnonzero(model.taking_part.mask & (self.joined < 0))
        month = model.month
        if new.size:
            self.joined[new] = month
            self._link(new, month)
        if month > 0:
            eff = model.effects
            self.acted += np.column_stack([getattr(eff, c) != 0 for c in CHANNELS])

    def _link(self, new: np.ndarray, month: int) -> None:
        """For each new participant, the tie who took part first (before this month)."""
        starts, ends = self._indptr[new], self._indptr[new + 1]
        counts = (ends - starts).astype(np.int64)
        if counts.sum() == 0:
            return
        owner = np.repeat(np.arange(new.size), counts)
        offsets = np.repeat(starts - np.cumsum(np.r_[0, counts[:-1]]), counts)
        ties = self._indices[np.arange(counts.sum()) + offsets]
        when = self.joined[ties]
        ok = (when >= 0) & (when < month)
        if not ok.any():
            return
        owner, ties, when = owner[ok], ties[ok], when[ok]
        order = np.lexsort((ties, when, owner))       # per owner: earliest month, then lowest index
        owner, ties = owner[order], ties[order]
        first = np.r_[True, owner[1:] != owner[:-1]]
        self.recruiter[new[owner[first]]] = ties[first]


@dataclass(frozen=True)
class Snapshot:
    """Copies of what the live figures draw, taken under the run's lock."""

    month: int
    horizon: int
    share: dict[str, np.ndarray]          # label -> region share per month so far
    stages: np.ndarray                    # the policy's theme x stage counts now
    themes: tuple[str, ...]
    spent: np.ndarray                     # the policy's public spend per month so far
    budget: float
    village: int
    joined: np.ndarray                    # the village's residents: first month taking part
    recruiter: np.ndarray                 # local index of the tie who brought them, -1 none
    state: np.ndarray                     # the village's residents' states now
    village_share: dict[str, float]       # label -> the village's share now


class LiveRun:
    """`LiveRun(Question(...), {"seed": 7})`: step(), snapshot(), run_to_end()."""

    def __init__(self, question: Question, overrides: dict | None = None) -> None:
        self.question = question
        self.lock = threading.RLock()
        extra = dict(overrides or {})
        self.overrides = extra
        cfg_policy = apply_overrides(question.config(), extra) if extra else question.config()
        self.models: dict[str, VillageModel] = {}
        if not question.is_baseline:
            self.models[POLICY] = VillageModel(cfg_policy)
        cfg_base = apply_overrides(cfg_policy, {"policy.instruments": [BASELINE]})
        self.models[BASE] = VillageModel(cfg_base)
        self.trackers = {label: Tracker(m) for label, m in self.models.items()}
        self.horizon = question.months

    @property
    def main(self) -> VillageModel:
        return self.models.get(POLICY, self.models[BASE])

    @property
    def main_label(self) -> str:
        return POLICY if POLICY in self.models else BASE

    @property
    def month(self) -> int:
        with self.lock:
            return self.main.month

    @property
    def at_end(self) -> bool:
        return self.month >= self.horizon

    def step(self, months: int = 1) -> int:
        """Advance both models by up to `months` (never past the horizon); the months done."""
        with self.lock:
            n = max(0, min(int(months), self.horizon - self.main.month))
            for _ in range(n):
                for label, model in self.models.items():
                    model.step()
                    self.trackers[label].note(model)
            return n

    def run_to_end(self, progress=None, cancel=None) -> None:
        while not self.at_end:
            if cancel is not None and cancel.is_set():
                from .jobs import JobError

                raise JobError("jobs.withdrawn")
            self.step(1)
            if progress is not None:
                progress(self.month, self.horizon)

    def villages(self):
        return self.main.world.villages

    def snapshot(self, village: int = 0) -> Snapshot:
        with self.lock:
            m = self.main
            v = min(max(int(village), 0), m.world.villages.n - 1)
            lo, hi = int(m.world.offsets[v]), int(m.world.offsets[v + 1])
            t = self.trackers[self.main_label]
            rec = t.recruiter[lo:hi]
            local = np.where((rec >= lo) & (rec < hi), rec - lo, -1)
            share = {label: np.array([row[_SHARE_REGION] for row in mod.recorder.region]) for label, mod in
                     self.models.items()}
            return Snapshot(
                month=m.month, horizon=self.horizon, share=share, stages=m.recorder.stages[-1].copy(),
                themes=tuple(m.themes), spent=np.array([row[_SPEND_REGION] for row in m.recorder.region]),
                budget=float(m.cfg.policy.budget) if POLICY in self.models else 0.0, village=v,
                joined=t.joined[lo:hi].copy(), recruiter=local, state=m.people.state[lo:hi].copy(),
                village_share={label: float(mod.villages.participation[v]) for label, mod in self.models.items()})


def _region_index(name: str) -> int:
    from ..recorder import REGION_COLUMNS

    return REGION_COLUMNS.index(name)


_SHARE_REGION = _region_index("participation_share")
_SPEND_REGION = _region_index("public_spend")

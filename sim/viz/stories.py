"""The villages of one run, for the map: where each lies, how many took part, and its story.

`compute(question, job)` runs the question's first replicate (sim/viz/live.py: the policy and
the baseline on the same seed, the runs the answer's replicate 0 also is) to the horizon and
keeps, per village, what the map and a click on a village show: position, adults, the share
taking part per month with and without the policy, members and core volunteers, the
collectives by theme and stage, public money received, the months each instrument channel
acted there, and how many took part through a tie. The models themselves are not kept.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..instruments.effects import CHANNELS
from ..recorder import VILLAGE_COLUMNS
from ..state import ResidentState, Stage
from .live import BASE, POLICY, LiveRun
from .question import Question

_SHARE = VILLAGE_COLUMNS.index("participation_share")
_SPEND = VILLAGE_COLUMNS.index("public_spend")


@dataclass(frozen=True)
class Village:
    index: int
    name: str
    municipality: str
    adults: int
    x_km: float
    y_km: float
    share: dict[str, np.ndarray]              # label -> share taking part per month (0 ... horizon)
    members: int                              # the policy run, at the end (core included)
    core: int
    collectives: tuple[tuple[str, str], ...]  # (theme, stage) of every collective alive at the end
    founded: int
    dissolved: int
    money: float                              # public money received over the horizon, EUR
    acted: dict[str, int]                     # channel -> months it acted here
    joined: int                               # residents who ever took part
    through_tie: int                          # ... of whom had a tie taking part before them

    def end(self, label: str) -> float:
        s = self.share.get(label)
        return float(s[-1]) if s is not None and len(s) else float("nan")


@dataclass(frozen=True)
class Stories:
    question: Question
    world: str
    villages: tuple[Village, ...]
    labels: tuple[str, ...]                   # POLICY and BASE, or BASE alone

    def by_name(self, name: str) -> Village | None:
        return next((v for v in self.villages if v.name == name), None)


def compute(question: Question, job=None) -> Stories:
    run = LiveRun(question)
    if job is not None:
        job.progress(0, question.months)
    run.run_to_end(progress=job.progress if job is not None else None, cancel=job.cancel if job is not None else None)
    return extract(run)


def extract(run: LiveRun) -> Stories:
    m = run.main
    vil = m.world.villages
    histories = {label: np.vstack(mod.recorder.village) for label, mod in run.models.items()}   # month x village x col
    histories = {k: h.reshape(len(mod.recorder.village), vil.n, -1) for (k, h), mod in
                 zip(histories.items(), run.models.values(), strict=True)}
    c, n_c = m.collectives, m.collectives.n
    stage, theme, village = c.stage[:n_c], c.theme[:n_c], c.village[:n_c]
    state, where = m.people.state, m.people.village
    members = np.bincount(where[(state == ResidentState.MEMBER) | (state == ResidentState.CORE)], minlength=vil.n)
    core = np.bincount(where[state == ResidentState.CORE], minlength=vil.n)
    t = run.trackers[run.main_label]
    ever = t.joined >= 0
    joined = np.bincount(where[ever], minlength=vil.n)
    through = np.bincount(where[ever & (t.recruiter >= 0)], minlength=vil.n)
    out = []
    for v in range(vil.n):
        mine = village == v
        alive = mine & (stage != Stage.DISSOLVED)
        out.append(Village(
            v, vil.name[v], _municipality(m, v), int(vil.population[v]), float(vil.x_km[v]), float(vil.y_km[v]),
            {label: h[:, v, _SHARE].copy() for label, h in histories.items()},
            int(members[v]), int(core[v]),
            tuple((m.themes[int(th)], Stage(int(st)).name.lower()) for th, st in zip(theme[alive], stage[alive],
                                                                                      strict=True)),
            int(mine.sum()), int((mine & (stage == Stage.DISSOLVED)).sum()),
            float(histories[run.main_label][:, v, _SPEND].sum()),
            {ch: int(t.acted[v, k]) for k, ch in enumerate(CHANNELS)}, int(joined[v]), int(through[v])))
    return Stories(run.question, run.question.world, tuple(out), tuple(run.models))


def _municipality(model, v: int) -> str:
    """The municipality's name from a villages file, else '' (the page numbers them)."""
    names = _municipality_names(model)
    return names[v] if names else ""


def _municipality_names(model) -> tuple[str, ...]:
    path = model.cfg.world.villages_file
    if not path:
        return ()
    from ..world.villages import village_table

    return village_table(path)[1]


def job_key(question: Question) -> str:
    return f"story:{question.key()}"


LABELS = (POLICY, BASE)

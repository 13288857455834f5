"""Which loops did the work: the answer's gain with each feedback loop switched off in turn.

For each loop of the flywheel (DOMAIN.md s2) the policy and the baseline run again with that
loop switched off (the same replicates, the same seeds), and the gain over the baseline is
measured again. The part of the gain that disappears is the part the loop carried: a
knock-out comparison (what a modeller does by hand with `mechanisms.*=false`). For a
balancing loop (burnout) the gain usually *grows* when it is off: the part it held back.

    gain        = mean over replicates of (policy - baseline), share taking part at the end
    carried(k)  = gain - gain with loop k off   (paired per replicate, bootstrap interval)

Loops interact, so the parts need not add up to the gain; what is left is the instrument's
own channels (awareness, mobilisation, founding, money) working without the loop. WHY_REPLICATES
(3; `VLIEGWIEL_PAGE_WHY_REPLICATES`) replicates per loop: 2 x 5 x 3 = 30 runs.
"""

from __future__ import annotations

import math
import os
import time
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pandas as pd

from ..report.stats import SEED, bootstrap_means
from . import answers
from .question import BASELINE, Question

# (name, kind, overrides): kind "loop" reinforces, "brake" balances; the overrides switch it off
LOOPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("success", "loop", ("adoption.w_success=0.0",)),
    ("cross_theme", "loop", ("mechanisms.cross_theme=false",)),
    ("trust", "loop", ("mechanisms.trust=false",)),
    ("learning", "loop", ("mechanisms.learning=false",)),
    ("burnout", "brake", ("mechanisms.burnout=false",)),
)


def why_replicates() -> int:
    try:
        n = int(os.environ.get("VLIEGWIEL_PAGE_WHY_REPLICATES", "3"))
    except ValueError:
        n = 3
    return min(max(n, 1), answers.replicates())


@dataclass
class Part:
    loop: str
    kind: str
    gain_without: float            # the gain with this loop off
    carried: tuple[float, float, float]   # gain - gain_without: mean, 95 % interval


@dataclass
class Why:
    question: Question
    replicates: int
    gain: float                    # with every loop on (the answer's first replicates)
    parts: list[Part]
    runs: int
    seconds: float
    made: datetime

    def main(self) -> Part | None:
        """The reinforcing loop that carried most of the gain (if it carried any)."""
        loops = [p for p in self.parts if p.kind == "loop" and math.isfinite(p.carried[0])]
        best = max(loops, key=lambda p: p.carried[0], default=None)
        return best if best is not None and best.carried[0] > 0 else None


def _gains(metrics: pd.DataFrame, label: str) -> pd.Series:
    """Per replicate: policy minus baseline, share taking part at the end."""
    m = metrics.set_index(["scenario", "replicate"])[answers.HEADLINE]
    return (m.loc[label] - m.loc[BASELINE]).sort_index()


def compute(question: Question, answer: answers.Answer, job=None) -> Why:
    from .jobs import JobError

    if question.is_baseline:
        raise JobError("why.baseline")
    n = why_replicates()
    t0 = time.time()
    runs = []
    for name, _, overrides in LOOPS:
        runs += answers.runs_for(question, n, list(overrides), tag=name)
    folder = answers.page_dir() / "why" / f"{question.key()}-r{n}"
    result = answers.run(runs, folder, job)
    if result.failed or result.metrics is None or len(result.metrics) < len(runs):
        raise JobError("jobs.runs_failed")
    on = answer.metrics[answer.metrics["replicate"] < n]
    gains_on = _gains(on, question.label)
    rng = np.random.default_rng(SEED)
    parts = []
    for name, kind, _ in LOOPS:
        off = result.metrics[result.metrics["param:variant"] == name]
        gains_off = _gains(off, question.label)
        carried = (gains_on - gains_off.reindex(gains_on.index)).to_numpy(float)
        mean, lo, hi = bootstrap_means(carried[:, None], rng)
        parts.append(Part(name, kind, float(gains_off.mean()), (float(mean[0]), float(lo[0]), float(hi[0]))))
    return Why(question, n, float(gains_on.mean()), parts, len(runs), time.time() - t0, datetime.now())


def job_key(question: Question) -> str:
    return f"why:{question.key()}:r{why_replicates()}:a{answers.replicates()}"

"""The answer to a question: the policy and the baseline, paired over replicates, in-process.

`compute(question, job)` builds the runs (the question's policy and `none`, replicates
0 ... R-1 on the same seeds: common random numbers) and runs them as one ensemble
(sim/experiments: `run_ensemble`, worker processes) in `<results>/page/answers/<key>/`.
A question asked before finds its records there and is answered from them without running
anything (and from memory within a server's life: sim/viz/jobs.py). The numbers come from
sim/report/stats.py (`compare`: paired differences with bootstrap intervals, no p-values).

R is REPLICATES (5; `VLIEGWIEL_PAGE_REPLICATES` sets it, e.g. 2 for quick tests).
"""

from __future__ import annotations

import math
import os
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from ..report import stats
from . import comparisons
from .question import BASELINE, Question

POLICY, BASE = "policy", "baseline"
HEADLINE = "participation_end"
TABLE_METRICS = ("participation_end", "vulnerable_participation_end", "months_to_16", "collectives_surviving",
                 "self_sustaining_end", "public_spend_total", "dependence_end", "cost_per_extra_participant")


def replicates() -> int:
    try:
        n = int(os.environ.get("VLIEGWIEL_PAGE_REPLICATES", "5"))
    except ValueError:
        n = 5
    return min(max(n, 1), 20)


def page_dir() -> Path:
    return comparisons.RESULTS / "page"


@dataclass
class Answer:
    """What the start view shows: curves, end levels, the paired difference, a table."""

    question: Question
    replicates: int
    months: np.ndarray                          # 0 ... horizon
    curves: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]   # label -> mean, lowest, highest share per month
    end: dict[str, tuple[float, float, float]]  # label -> mean, lowest, highest share at the end
    diff: tuple[float, float, float] | None     # paired difference at the end: mean, 95 % interval
    table: pd.DataFrame                         # stats.compare rows of TABLE_METRICS
    metrics: pd.DataFrame                       # one row per run
    runs: int
    ran: int                                    # runs run now (0: all found in the folder)
    seconds: float
    folder: Path
    made: datetime = field(default_factory=datetime.now)

    @property
    def cached(self) -> bool:
        return self.ran == 0

    def value(self, metric: str, which: str = POLICY) -> tuple[float, float, float]:
        """(mean, lo, hi) of a metric for the policy or the baseline (NaN if absent)."""
        label = self.question.label if which == POLICY else BASELINE
        rows = self.table[(self.table["metric"] == metric) & (self.table["scenario"] == label)]
        if rows.empty:
            return (math.nan,) * 3
        r = rows.iloc[0]
        return float(r["mean"]), float(r["lo"]), float(r["hi"])

    def difference(self, metric: str) -> tuple[float, float, float]:
        rows = self.table[(self.table["metric"] == metric) & (self.table["scenario"] == self.question.label)]
        if rows.empty or "diff" not in rows.columns:
            return (math.nan,) * 3
        r = rows.iloc[0]
        return float(r["diff"]), float(r["diff_lo"]), float(r["diff_hi"])


def runs_for(question: Question, n: int, extra: list[str] = (), tag: str = "") -> list:
    """The policy's and the baseline's runs, replicates 0 ... n-1, labelled for stats.compare
    (`param:policy` is 'none' for the baseline)."""
    from ..config import load_config
    from ..experiments import Run

    out = []
    pairs = [(BASELINE, question.baseline_overrides())]
    if not question.is_baseline:
        pairs.append((question.label, question.overrides()))
    for label, overrides in pairs:
        base = load_config([*overrides, *extra])
        from ..config.overrides import apply_overrides

        for r in range(n):
            params = {"policy": label, "replicate": str(r)}
            if tag:
                params["variant"] = tag
            out.append(Run(apply_overrides(base, {"replicate": r}), scenario=label, params=params))
    return out


def executor():
    from ..experiments.executors import Processes
    from ..experiments.executors.local import cores

    return Processes(workers=max(1, min(2, cores())))


def run(runs: list, folder: Path, job=None):
    """run_ensemble with the job's progress and cancel; quiet (the page shows progress)."""
    from ..experiments import run_ensemble

    todo = len(runs)
    cb = (lambda s: job.progress(int(s["done"]) + int(s["failed"]), int(s["total"]))) if job is not None else None
    if job is not None:
        job.progress(0, todo)
    return run_ensemble(runs, folder, executor(), quiet=True, progress=cb,
                        cancel=job.cancel if job is not None else None, manifest={"started_by": "browser page"})


def compute(question: Question, job=None, n: int | None = None) -> Answer:
    from .jobs import JobError

    n = n or replicates()
    t0 = time.time()
    folder = page_dir() / "answers" / f"{question.key()}-r{n}"
    runs = runs_for(question, n)
    result = run(runs, folder, job)
    if result.failed or result.metrics is None or len(result.metrics) < len(runs):
        raise JobError("jobs.runs_failed")
    return summarise(question, n, result.metrics, result.curves, result.ran, time.time() - t0, folder)


def summarise(question: Question, n: int, metrics: pd.DataFrame, curves: pd.DataFrame, ran: int, seconds: float,
              folder: Path) -> Answer:
    table = stats.compare(metrics, "policy=none")
    table = table[table["metric"].isin(TABLE_METRICS)].reset_index(drop=True)
    region = curves[curves["level"] == "region"]
    out_curves, out_end = {}, {}
    months = np.arange(question.months + 1)
    for label in dict.fromkeys(metrics["scenario"]):
        own = region[region["scenario"] == label].pivot_table(index="month", columns="replicate",
                                                             values="participation_share")
        own = own.reindex(months)
        values = own.to_numpy(float)
        out_curves[label] = (np.nanmean(values, axis=1), np.nanmin(values, axis=1), np.nanmax(values, axis=1))
        end = metrics.loc[metrics["scenario"] == label, HEADLINE].to_numpy(float)
        out_end[label] = (float(np.mean(end)), float(np.min(end)), float(np.max(end)))
    diff = None
    if not question.is_baseline:
        rows = table[(table["metric"] == HEADLINE) & (table["scenario"] == question.label)]
        if len(rows) and "diff" in rows:
            r = rows.iloc[0]
            diff = (float(r["diff"]), float(r["diff_lo"]), float(r["diff_hi"]))
    made = datetime.now()
    if ran == 0:   # answered from records made earlier: say when they were made
        stamps = [p.stat().st_mtime for p in (folder / "runs").glob("*.parquet")]
        made = datetime.fromtimestamp(max(stamps)) if stamps else made
    return Answer(question, n, months, out_curves, out_end, diff, table, metrics, int(len(metrics)), ran, seconds,
                  folder, made)


def job_key(question: Question, n: int | None = None) -> str:
    return f"answer:{question.key()}:r{n or replicates()}"

"""`run_ensemble(runs, folder, executor)`: many runs in-process, one record each, then collect.

    from sim.experiments import Run, run_ensemble, make_executor
    runs = [Run(apply_overrides(base, {"replicate": r}), scenario="none") for r in range(20)]
    result = run_ensemble(runs, "results/comparisons/mine", make_executor("processes"))
    result.metrics            # a row per run: scenario, seeds, parameters, every metric

What it guarantees:
- **Resume.** A run whose record is already in `folder/runs/` and reads back whole is not
  run again; a record that does not (truncated, foreign, another model version) is moved
  to runs/corrupt/ and run again. Running the same ensemble twice gives the same files.
- **Failures contained.** A run that raises is written down (runs/<key>.failed.json, then
  failures.csv) and the others go on; `fail_fast` stops at the first failure instead. A run
  whose worker dies (killed, out of memory) is retried alone once, then recorded as failed.
- **Nothing half-written.** Every file is written under a temporary name and renamed. A full
  disk stops the ensemble with `DiskFull` naming the path; Ctrl-C or SIGTERM stop it with
  `Interrupted`; in both cases the workers are stopped and every finished record is kept.
- **One at a time.** A folder is locked while an ensemble runs in it; a second one is refused.
- **Progress.** At most one line a second: runs done, failed, left, time to go.
- **Same numbers everywhere.** Records depend only on each run's configuration; metrics and
  dataset rows follow the order of `runs`, whatever executor or worker count.
"""

from __future__ import annotations

import collections
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd

from ..errors import DiskFull, UserError
from . import collect, records
from .folder import LOCK, MANIFEST, Lock, finish_manifest, sweep_partials, write_manifest
from .stopping import Interrupted, signals
from .executors import Executor, Serial, WorkerLost
from .runs import MODEL, Run
from .worker import DISK_FULL, DONE, FAILED, Outcome, failure_of, write_failure

MAX_RUNS = 1_000_000   # runs in one ensemble (each needs its configuration in memory)
__all__ = ["LOCK", "MANIFEST", "EnsembleResult", "Interrupted", "run_ensemble"]


@dataclass
class EnsembleResult:
    """What an ensemble did and gave."""

    folder: Path
    runs: int                       # runs in the ensemble
    ran: int = 0                    # runs run now
    skipped: int = 0                # runs found done
    failed: list[dict] = field(default_factory=list)
    stopped: bool = False           # fail_fast stopped it
    metrics: pd.DataFrame | None = None
    curves: pd.DataFrame | None = None   # what a report draws (collect.compact)
    model_seconds: float = 0.0      # model time of the runs run now (their own clocks)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failed and not self.stopped


Progress = Callable[[dict], None]


def run_ensemble(runs: Sequence[Run], folder: Path | str, executor: Executor | None = None, *,
                 fail_fast: bool = False, progress: Progress | None = None, quiet: bool = False,
                 collect_outputs: bool = True, manifest: dict | None = None,
                 cancel: threading.Event | None = None) -> EnsembleResult:
    """Run every run of `runs` not already done in `folder` on `executor` (default: this
    process), then collect metrics, dataset and failures into `folder`.

    progress(state) is called at most once a second with {done, failed, left, total,
    seconds, eta}; unless `quiet`, the same is printed as one line on stderr. Setting
    `cancel` (from another thread, e.g. the browser page's) stops it like Ctrl-C.
    """
    t_enter = time.time()
    runs = list(runs)
    if not runs:
        raise UserError("an ensemble needs at least one run")
    if len(runs) > MAX_RUNS:
        raise UserError(f"{len(runs):,} runs: at most {MAX_RUNS:,} in one ensemble; split it")
    folder = Path(folder)
    executor = executor or Serial()
    with Lock(folder):
        sweep_partials(folder)
        info = write_manifest(folder, runs, executor, manifest)
        state = _State(folder, runs, executor, fail_fast, progress, quiet, collect_outputs)
        state.scan()
        state.timings["setup"] = time.time() - t_enter
        with signals(cancel) as caught:
            try:
                state.execute(caught)
            except BaseException:
                state.dataset.abort()
                raise
        state.finish(collect_outputs)
    state.timings["total"] = time.time() - t_enter
    result = state.result()
    finish_manifest(folder, info, result, t_enter)
    return result


class _State:
    """The bookkeeping of one ensemble (run_ensemble's body, in steps)."""

    def __init__(self, folder, runs, executor, fail_fast, progress, quiet, collect_outputs=True) -> None:
        self.folder, self.runs, self.executor = folder, runs, executor
        self.runs_dir = folder / "runs"
        self.fail_fast, self.progress_cb, self.quiet = fail_fast, progress, quiet
        self.collect_outputs = collect_outputs
        self.by_key: dict[str, list[int]] = collections.defaultdict(list)
        for i, run in enumerate(runs):
            self.by_key[run.key].append(i)
        self.param_keys = sorted({k for r in runs for k in r.params})
        self.meta: dict[str, dict] = {}            # key -> record metadata (done or found)
        self.failures: dict[str, dict] = {}
        self.todo: list[str] = []
        self.ran = self.skipped = 0
        self.model_seconds = 0.0
        self.stopped = False
        self.first_start = self.last_end = None
        self.timings: dict[str, float] = {}
        self.t0 = time.time()
        self.last_line = 0.0
        self.last_counts = (-1, -1)
        # metrics and dataset rows in a fixed order (collect.sort_key), whatever finishes first
        self.order = sorted(range(len(runs)), key=lambda i: collect.sort_key(
            runs[i].scenario, runs[i].config.seed, runs[i].config.replicate, runs[i].key))
        self.position = {i: k for k, i in enumerate(self.order)}
        order = [(runs[i].key, {"scenario": runs[i].scenario, "seed": runs[i].config.seed,
                                "replicate": runs[i].config.replicate, "params": runs[i].params})
                 for i in self.order]
        self.dataset = collect.DatasetWriter(folder / "dataset.parquet", self.runs_dir, order, self.param_keys)

    # --- before --------------------------------------------------------------------------
    def scan(self) -> None:
        """Find the runs already done (records that read back whole); move corrupt ones aside."""
        self.runs_dir.mkdir(parents=True, exist_ok=True)
        present = set(os.listdir(self.runs_dir))
        for key in self.by_key:
            name = f"{key}.parquet"
            if name in present:
                try:
                    self.meta[key] = records.check(self.runs_dir / name, key)
                    self.skipped += 1
                    continue
                except records.CorruptRecord as exc:
                    self._move_aside(name, str(exc))
            self.todo.append(key)
        if self.skipped and not self.quiet:
            _say(f"{self.skipped} of {len(self.by_key)} runs already done in {self.runs_dir}; running the other "
                 f"{len(self.todo)}")
        collect.clear(self.folder)   # an earlier collect's files are stale from now on

    def _move_aside(self, name: str, why: str) -> None:
        aside = self.runs_dir / "corrupt"
        aside.mkdir(exist_ok=True)
        os.replace(self.runs_dir / name, aside / f"{name}.{datetime.now():%Y%m%d-%H%M%S}")
        if not self.quiet:
            _say(f"not trusted, run again: {why} (moved to {aside})")

    # --- during --------------------------------------------------------------------------
    def execute(self, caught: dict) -> None:
        for key in self.by_key:
            if key in self.meta:
                self._offer(key, True)
        queue = collections.deque((k, 0) for k in self.todo)   # (key, times its worker died)
        total = len(self.todo)
        ex = self.executor
        in_flight: dict = {}
        isolated = False   # a suspect run is in flight alone
        if not queue:
            return
        ex.bind(self.folder)
        ex.start()
        try:
            while queue or in_flight:
                if caught.get("signum") is not None or (caught.get("cancel") and caught["cancel"].is_set()):
                    raise Interrupted(caught.get("signum") or signal.SIGTERM, len(self.meta), self.folder)
                batches = []
                while queue and not self.stopped and not isolated:
                    if queue[0][1]:   # a run whose worker died: alone, with nothing else in flight
                        if in_flight or batches:
                            break
                        batches.append([queue.popleft()])
                        isolated = True
                    elif len(in_flight) + len(batches) < ex.capacity:
                        batches.append(_take_batch(queue, ex.batch_size(len(queue), total)))
                    else:
                        break
                if batches:
                    handles = ex.submit_many([[self.runs[self.by_key[k][0]] for k, _ in b] for b in batches],
                                             self._worker_dir())
                    in_flight.update(zip(handles, batches))
                if not in_flight:
                    break
                for handle in ex.wait(list(in_flight), timeout=0.25):
                    batch = in_flight.pop(handle)
                    isolated = False
                    try:
                        outcomes = ex.result(handle)
                    except WorkerLost as lost:
                        self._lost(batch, queue, lost)
                        continue
                    self._take(outcomes, batch, queue)
                if self.stopped and in_flight:
                    ex.cancel(list(in_flight))
                self._tick()
        except BaseException:
            ex.close(kill=True)
            raise
        ex.close()

    def _worker_dir(self) -> str | None:
        return str(self.runs_dir.resolve()) if self.executor.shared_folder else None

    def _take(self, outcomes: list[Outcome], batch: list, queue) -> None:
        seen = set()
        for o in outcomes:
            seen.add(o.key)
            self._times(o)
            if o.status == DISK_FULL:
                raise DiskFull(o.where)
            if o.status == DONE:
                if o.data is not None:   # the worker could not write it: the parent does
                    records.write(self.runs_dir / f"{o.key}.parquet", o.data)
                self.meta[o.key] = o.meta
                self.failures.pop(o.key, None)
                self.ran += 1
                self.model_seconds += float(o.meta.get("seconds", 0.0))
                self._offer(o.key, True)
            elif o.status == FAILED:
                self.failures[o.key] = o.failure
                if not self.executor.shared_folder:
                    write_failure(self.runs_dir, o.failure)
                self._offer(o.key, False)
                if self.fail_fast:
                    self.stopped = True
        for key, tries in batch:   # runs a batch did not reach (a stop); put them back
            if key not in seen and not self.stopped:
                queue.appendleft((key, tries))

    def _lost(self, batch: list, queue, lost: WorkerLost) -> None:
        """A worker died (and with it every batch in flight): their runs go back, each to be
        run alone with nothing else in flight; a run whose worker dies then is the cause and
        is recorded as failed."""
        for key, tries in batch:
            if key in self.meta or key in self.failures:
                continue
            if (self.runs_dir / f"{key}.parquet").exists():
                try:
                    self.meta[key] = records.check(self.runs_dir / f"{key}.parquet", key)
                    self.ran += 1
                    self._offer(key, True)
                    continue
                except records.CorruptRecord:
                    pass
            if tries >= 1:
                run = self.runs[self.by_key[key][0]]
                failure = failure_of(run, lost)
                failure["traceback"] = ""
                self.failures[key] = failure
                write_failure(self.runs_dir, failure)
                self._offer(key, False)
                if self.fail_fast:
                    self.stopped = True
            else:
                queue.append((key, tries + 1))

    def _offer(self, key: str, has_record: bool) -> None:
        if not self.collect_outputs:
            return
        rows = not has_record or self.meta[key].get("function", MODEL) == MODEL   # a test function's has none
        for i in self.by_key[key]:
            self.dataset.offer(self.position[i], has_record, rows)

    def _times(self, o: Outcome) -> None:
        if o.started:
            self.first_start = o.started if self.first_start is None else min(self.first_start, o.started)
        if o.ended:
            self.last_end = o.ended if self.last_end is None else max(self.last_end, o.ended)

    def _tick(self, force: bool = False) -> None:
        """A progress line when something changed (at most one a second), and at the end."""
        now = time.time()
        done, failed = len(self.meta), len(self.failures)
        if not force and (now - self.last_line < 1.0 or (done, failed) == self.last_counts):
            return
        self.last_line, self.last_counts = now, (done, failed)
        total = len(self.by_key)
        left = max(total - done - failed, 0)
        elapsed = now - self.t0
        eta = elapsed / (self.ran + failed) * left if (self.ran + failed) and left else None
        state = {"done": done, "failed": failed, "left": left, "total": total, "seconds": elapsed, "eta": eta}
        if self.progress_cb is not None:
            self.progress_cb(state)
        if not self.quiet:
            line = f"{done} of {total} runs done, {failed} failed, {left} left"
            if eta is not None:
                line += f", about {eta:.0f} s to go"
            _say(line)

    # --- after ---------------------------------------------------------------------------
    def finish(self, collect_outputs: bool) -> None:
        self._tick(force=True)
        t = time.time()
        if collect_outputs:
            self.dataset.close()
            rows = []
            for run in (self.runs[i] for i in self.order):
                if run.key in self.meta:
                    rows.append(collect.metrics_row(self.meta[run.key], self.param_keys, run.scenario, run.params))
            self.metrics = collect.write_metrics(self.folder, rows) if rows else pd.DataFrame()
            self.curves = collect.compact(self.dataset)
            collect.write_failures(self.folder, list(self.failures.values()))
        else:
            self.dataset.abort()
            self.metrics = self.curves = None
        self.timings["collect"] = time.time() - t

    def result(self) -> EnsembleResult:
        t = self.timings
        if self.first_start is not None:
            t["first_start"], t["last_end"] = self.first_start, self.last_end
        return EnsembleResult(self.folder, len(self.runs), self.ran, self.skipped, list(self.failures.values()),
                              self.stopped, self.metrics, self.curves, self.model_seconds, t)


# --- helpers ------------------------------------------------------------------------------
def _take_batch(queue, size: int) -> list:
    """The next batch: up to `size` fresh runs (not ones whose worker died)."""
    batch = []
    while queue and len(batch) < size and not queue[0][1]:
        batch.append(queue.popleft())
    return batch


def _say(text: str) -> None:
    print(f"vliegwiel: {text}", file=sys.stderr, flush=True)

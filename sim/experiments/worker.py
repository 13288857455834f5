"""What a worker does: run a batch of runs in-process, one record each.

A worker is a long-lived process (or the calling process, for the serial executor) that has
imported the model once; `run_batch` runs each of its runs with the one runner
(`sim.runner.run`), computes its metrics and writes its record atomically. A run that
raises is contained: its failure is written as runs/<key>.failed.json and the batch goes on.
A full disk stops the batch (nothing more can be stored) and is reported to the parent.

Where workers cannot see the ensemble's folder (a Ray cluster without a shared file
system), `runs_dir` is None and each finished record travels back as bytes for the parent
to write.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from ..atomic import is_disk_full, write_text_atomic
from ..errors import DiskFull
from . import records
from .runs import MODEL, Run

DONE, FAILED, DISK_FULL = "done", "failed", "disk_full"


@dataclass
class Outcome:
    """What became of one run."""

    key: str
    status: str                 # DONE, FAILED or DISK_FULL
    meta: dict | None = None    # the record's metadata (DONE)
    failure: dict | None = None  # parameters, seed and error (FAILED)
    data: bytes | None = None   # the record, when the worker does not write it itself
    started: float = 0.0        # time.time() when the run started and ended
    ended: float = 0.0
    where: str = ""             # DISK_FULL: the path that could not be written


def run_batch(runs: list[Run], runs_dir: str | None) -> list[Outcome]:
    """Run each run of the batch; stop early only when the disk is full."""
    out = []
    for run in runs:
        out.append(run_one(run, Path(runs_dir) if runs_dir else None))
        if out[-1].status == DISK_FULL:
            break
    return out


def evaluate(run: Run):
    """(curves, metrics, seconds of model time) of one run."""
    if run.function == MODEL:
        from ..metrics import run_metrics
        from ..runner import run as run_model

        results = run_model(run.config)
        return records.curves(results), run_metrics(results, stop_month=run.stop_month), \
            results.seconds_build + results.seconds_run
    from .testfunctions import evaluate as test_function

    t0 = time.perf_counter()
    metrics = test_function(run.function, run.inputs)
    return records.empty_curves(), metrics, time.perf_counter() - t0


def run_one(run: Run, runs_dir: Path | None) -> Outcome:
    started = time.time()
    try:
        curves_df, metrics, seconds = evaluate(run)
        meta = records.meta_of(run, metrics, seconds)
        data = records.to_bytes(curves_df, meta)
    except Exception as exc:  # contained: recorded, the ensemble goes on
        return _failed(run, runs_dir, exc, started)
    if runs_dir is None:
        return Outcome(run.key, DONE, meta=meta, data=data, started=started, ended=time.time())
    path = runs_dir / f"{run.key}.parquet"
    try:
        records.write(path, data)
        (runs_dir / f"{run.key}.failed.json").unlink(missing_ok=True)
    except OSError as exc:
        if is_disk_full(exc):
            return Outcome(run.key, DISK_FULL, started=started, ended=time.time(), where=str(path))
        return _failed(run, runs_dir, exc, started)
    return Outcome(run.key, DONE, meta=meta, started=started, ended=time.time())


def failure_of(run: Run, exc: BaseException) -> dict:
    cfg = run.config
    return {"key": run.key, "scenario": run.scenario, "params": run.params, "seed": cfg.seed,
            "replicate": cfg.replicate, "error": f"{type(exc).__name__}: {exc}".strip(),
            "traceback": traceback.format_exc()}


def write_failure(runs_dir: Path, failure: dict) -> None:
    write_text_atomic(runs_dir / f"{failure['key']}.failed.json", json.dumps(failure, indent=2, default=str) + "\n")


def _failed(run: Run, runs_dir: Path | None, exc: BaseException, started: float) -> Outcome:
    failure = failure_of(run, exc)
    if runs_dir is not None:
        try:
            write_failure(runs_dir, failure)
        except DiskFull as full:
            return Outcome(run.key, DISK_FULL, started=started, ended=time.time(), where=str(full.path))
        except OSError:
            pass  # the parent still learns of the failure from the outcome
    return Outcome(run.key, FAILED, failure=failure, started=started, ended=time.time())


# --- worker processes ---------------------------------------------------------------------
def init_worker(parent_pid: int) -> None:
    """In each worker process: leave Ctrl-C to the parent (which stops the workers itself)
    and end when the parent ends, however it ends (kill -9 included): the kernel's
    parent-death signal where there is one, and a watchdog on the parent's pid."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    threading.Thread(target=_watch, args=(parent_pid,), daemon=True, name="vliegwiel-watchdog").start()


def _watch(parent_pid: int, every: float = 0.5) -> None:
    while True:
        time.sleep(every)
        try:
            os.kill(parent_pid, 0)
        except ProcessLookupError:
            os._exit(1)
        except PermissionError:
            pass

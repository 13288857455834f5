"""Executors on this machine: `Serial` (this process) and `Processes` (one worker per core).

`Processes` keeps its worker processes for the whole ensemble: each imports the model once
(they fork from a server process that has imported it already) and then runs batch after
batch, so a run costs its model time plus a millisecond or two of passing its configuration
and outcome. Workers ignore Ctrl-C (the parent stops them) and end when the parent ends,
even by kill -9 (sim/experiments/worker.py: init_worker).
"""

from __future__ import annotations

import concurrent.futures as cf
import importlib.machinery
import multiprocessing as mp
import os
import sys
from concurrent.futures.process import BrokenProcessPool

import threading

from ..preload import PRELOAD, prestart
from ..worker import init_worker, run_batch
from .base import Executor, WorkerLost

__all__ = ["PRELOAD", "Processes", "Serial", "cores", "prestart"]


def _workers_skip_main() -> None:
    """Workers run sim.experiments.worker's functions only, never one of `__main__`'s. A
    script run by path (a console script such as vliegwiel-calibrate, or `python script.py`)
    has a `__main__` without a module spec, and multiprocessing then runs the script again in
    every worker it starts (runpy.run_path, to find functions defined there): the script's
    imports (pyabc, scipy.stats, ... for vliegwiel-calibrate) cost each new worker seconds,
    and a calibration starts new workers for every batch of particles. Naming `__main__` as
    the module `__main__` tells multiprocessing there is nothing to import."""
    main = sys.modules.get("__main__")
    if main is not None and getattr(main, "__spec__", None) is None and getattr(main, "__file__", None):
        main.__spec__ = importlib.machinery.ModuleSpec("__main__", None)


def cores() -> int:
    """Cores this process may use (the affinity mask, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


class Serial(Executor):
    """Every batch in this process, when it is submitted."""

    name = "serial"

    def __init__(self, batch: int = 0) -> None:
        self.batch = int(batch)

    @property
    def workers(self) -> int:
        return 1

    @property
    def capacity(self) -> int:
        return 1

    def batch_size(self, remaining: int, total: int) -> int:
        return self.batch if self.batch > 0 else 1

    def submit(self, batch: list, runs_dir: str | None) -> cf.Future:
        future: cf.Future = cf.Future()
        future.set_result(run_batch(batch, runs_dir))
        return future

    def wait(self, handles: list, timeout: float) -> list:
        return [h for h in handles if h.done()]

    def result(self, handle) -> list:
        return handle.result()


class Processes(Executor):
    """Worker processes on this machine.

    workers: how many (0 or negative: one per core this process may use);
    batch:   runs per batch (0: guided, larger batches first, then smaller);
    n_jobs:  the same as workers (the name joblib used; -1 = every core).
    """

    name = "process"

    def __init__(self, workers: int = 0, batch: int = 0, n_jobs: int | None = None) -> None:
        n = int(workers) if workers else int(n_jobs or 0)
        self.n = n if n > 0 else cores()
        self.batch = int(batch)
        self.pool: cf.ProcessPoolExecutor | None = None
        self.broken = False
        self.warming: threading.Thread | None = None

    @property
    def workers(self) -> int:
        return self.n

    def batch_size(self, remaining: int, total: int) -> int:
        return self.batch if self.batch > 0 else super().batch_size(remaining, total)

    def start(self) -> None:
        if self.pool is None:
            _workers_skip_main()
            ctx = mp.get_context("forkserver")
            ctx.set_forkserver_preload(PRELOAD)
            self.pool = cf.ProcessPoolExecutor(max_workers=self.n, mp_context=ctx, initializer=init_worker,
                                               initargs=(os.getpid(),))
            self.broken = False

    def warm(self) -> None:
        """Start the server process and the workers now, so that they are ready when the
        first batch comes: call it before building the runs, which then happen meanwhile.
        Starting a worker waits until the server has imported the model (about a second),
        so the workers are started from a thread and this returns at once."""
        self.start()
        pool = self.pool

        def spawn() -> None:
            try:
                for _ in range(self.n):
                    pool.submit(os.getpid)
            except Exception:  # noqa: BLE001 - a broken pool shows itself at the first submit
                pass

        self.warming = threading.Thread(target=spawn, name="vliegwiel-warm-workers", daemon=True)
        self.warming.start()

    def _warmed(self) -> None:
        """Wait for warm()'s thread (the pool is then used from one thread only)."""
        warming, self.warming = self.warming, None
        if warming is not None:
            warming.join()

    def submit(self, batch: list, runs_dir: str | None) -> cf.Future:
        self._warmed()
        if self.broken:
            self.close(kill=True)
        self.start()
        try:
            return self.pool.submit(run_batch, batch, runs_dir)
        except BrokenProcessPool:
            self.close(kill=True)
            self.start()
            return self.pool.submit(run_batch, batch, runs_dir)

    def wait(self, handles: list, timeout: float) -> list:
        done, _ = cf.wait(handles, timeout=timeout, return_when=cf.FIRST_COMPLETED)
        return list(done)

    def result(self, handle) -> list:
        try:
            return handle.result()
        except BrokenProcessPool as exc:
            self.broken = True
            raise WorkerLost("a worker process ended before finishing its batch (killed, or out of memory)") from exc

    def cancel(self, handles: list) -> None:
        for h in handles:
            h.cancel()

    def close(self, kill: bool = False) -> None:
        self._warmed()
        pool, self.pool = self.pool, None
        if pool is None:
            return
        if kill:
            for p in list(getattr(pool, "_processes", {}).values()):  # no public way to stop them in 3.12
                try:
                    p.terminate()
                except (OSError, ValueError):
                    pass
            pool.shutdown(wait=True, cancel_futures=True)
        else:
            pool.shutdown(wait=True)

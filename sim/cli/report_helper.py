"""The report of a sweep, prepared while its runs go on (sim/cli/sweep.py).

A thread imports the report (matplotlib among it, about a second) and loads its fonts in
this process; when the runs have gone on for HELPER_AFTER seconds it also starts one helper
process (forked from the workers' server, with matplotlib imported and its fonts loaded)
that draws some of the figures of the curves after the last run (sim/report: HELPER), while
this process computes the comparison and draws the others (write_report's `helper`). Neither waits
on anything of the ensemble, so this work is done while the workers run instead of after
the last run. A sweep that is over sooner has no helper: starting a process then costs
more than it saves. The report's files are the same with or without one.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing as mp
import os
import threading

HELPER_AFTER = 3.0   # seconds of running before the helper process is started


class ReportHelper:
    """Start with the runs (`ReportHelper()`), call `done()` after the last run, pass
    `executor()` to write_report, then `close()`."""

    def __init__(self) -> None:
        self.pool: cf.ProcessPoolExecutor | None = None
        self.over = threading.Event()
        self.thread = threading.Thread(target=self._prepare, name="vliegwiel-warm-report", daemon=True)
        self.thread.start()

    def _prepare(self) -> None:
        pool = None
        try:
            from ..experiments.executors.local import cores
            from ..report import figures

            figures.warm()
            if cores() < 2 or self.over.wait(HELPER_AFTER):
                return
            pool = cf.ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("forkserver"),
                                          initializer=start_helper, initargs=(os.getpid(),))
            pool.submit(int).result()   # the helper is up, with matplotlib and the fonts loaded
            self.pool = pool
        except Exception:  # noqa: BLE001 - no helper: the report draws everything itself, and says any error
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)

    def done(self) -> None:
        """The runs are over: no helper is started from now on."""
        self.over.set()

    def executor(self) -> cf.Executor | None:
        """The helper, once ready (None if there is none)."""
        self.over.set()
        self.thread.join()
        return self.pool

    def close(self) -> None:
        self.over.set()
        self.thread.join()
        pool, self.pool = self.pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def start_helper(parent_pid: int) -> None:
    """In the helper process: a worker's signal handling (Ctrl-C is the parent's; end with
    the parent), then what the first figure would load."""
    from ..experiments.worker import init_worker
    from ..report import figures

    init_worker(parent_pid)
    figures.warm()

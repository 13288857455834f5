"""The executor interface: batches in, outcomes out, as they finish.

The ensemble (sim/experiments/ensemble.py) keeps at most `capacity` batches in flight,
asks `batch_size` how many runs the next batch takes, and polls `wait`. A batch whose
worker died (killed, out of memory, a lost node) raises `WorkerLost` from `result`; the
ensemble then runs its runs again, alone, and records a run that keeps killing its worker
as failed.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from typing import Any


class WorkerLost(Exception):
    """The process running a batch ended before returning it."""


class Executor(ABC):
    """Where batches of runs are evaluated (`sim.experiments.worker.run_batch`)."""

    name: str = "executor"
    shared_folder: bool = True   # workers write records into the ensemble's folder themselves

    @property
    @abstractmethod
    def workers(self) -> int:
        """Runs that can go on at once (for batch sizes and messages)."""

    @property
    def capacity(self) -> int:
        """Batches in flight at once (two per worker: one running, one waiting)."""
        return 2 * self.workers

    def batch_size(self, remaining: int, total: int) -> int:
        """Runs in the next batch: guided scheduling, large first, then smaller, so that
        the last runs end together (at most 8 runs, at least 1)."""
        return max(1, min(8, math.ceil(remaining / (4 * self.workers))))

    def bind(self, ensemble_folder) -> None:
        """Learn the ensemble's folder (where a cluster executor keeps its files)."""

    def start(self) -> None:
        """Set up (start processes, connect to a cluster) before the first submit."""

    def warm(self) -> None:
        """Get ready in the background while the caller builds its runs (default: nothing)."""

    @abstractmethod
    def submit(self, batch: list, runs_dir: str | None) -> Any:
        """Start `batch` (a list of Run); return a handle."""

    def submit_many(self, batches: list[list], runs_dir: str | None) -> list[Any]:
        return [self.submit(b, runs_dir) for b in batches]

    @abstractmethod
    def wait(self, handles: list[Any], timeout: float) -> list[Any]:
        """The handles among `handles` that have finished (waits at most `timeout` s)."""

    @abstractmethod
    def result(self, handle: Any) -> list:
        """The outcomes of a finished batch, or WorkerLost."""

    def cancel(self, handles: list[Any]) -> None:
        """Cancel batches not yet started (best effort)."""

    def close(self, kill: bool = False) -> None:
        """Release workers; `kill` stops running batches at once (Ctrl-C, a full disk)."""

    def describe(self) -> str:
        return f"{self.workers} {self.name} worker{'s' if self.workers != 1 else ''}"

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close(kill=exc[0] is not None)

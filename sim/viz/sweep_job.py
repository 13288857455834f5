"""Start a small comparison from the page: every instrument on the small world, a few
replicates, as one ensemble (sim/experiments/) in a thread of the server, on worker
processes (a core is left for the page), so the page stays responsive. Progress comes from
the ensemble itself.

The browser picks only the number of replicates and months, from fixed lists; the folder
name is made from them (`page_small_24m_3r`) under the server's comparisons folder. One
such run at a time per server: a second visitor's request while one runs is not started
and not joined silently: the page says whose it is (`Job.owner`, the session that started
it) and that theirs can start once it is done.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from ..instruments.registry import instrument_names

REPLICATES = (1, 2, 3, 5)
MONTHS = (12, 24, 60, 120)


@dataclass(frozen=True)
class Request:
    replicates: int = 3
    months: int = 24

    def __post_init__(self) -> None:
        if self.replicates not in REPLICATES or self.months not in MONTHS:
            raise ValueError("compare.bad_request")

    @property
    def name(self) -> str:
        return f"page_small_{self.months}m_{self.replicates}r"

    @property
    def total(self) -> int:
        return len(instrument_names()) * self.replicates

    def runs(self) -> list:
        """Every instrument alone on the small world, replicates 0 ... R-1."""
        from ..config import load_config
        from ..config.overrides import apply_overrides
        from ..experiments import Run

        base = load_config(["world=small", f"months={self.months}"])
        runs = []
        for name in instrument_names():
            cfg = apply_overrides(base, {"policy.instruments": [name]})
            for r in range(self.replicates):
                runs.append(Run(apply_overrides(cfg, {"replicate": r}), scenario=name,
                                params={"policy.instruments": f"[{name}]", "replicate": str(r), "world": "small",
                                        "months": str(self.months)}))
        return runs


class Job:
    """One small comparison writing into `folder`, run in a thread of this server."""

    def __init__(self, folder: Path, runs: list, total: int, owner: str = "") -> None:
        self.folder, self.total, self.owner = folder, total, owner
        self._done = 0
        self._error = ""
        self._finished = False
        self._cancel = threading.Event()
        self._thread = threading.Thread(target=self._work, args=(runs,), daemon=True, name=f"page-{folder.name}")
        self._thread.start()

    def _work(self, runs: list) -> None:
        from ..errors import DiskFull, UserError
        from ..experiments import Interrupted, run_ensemble
        from ..experiments.executors import Processes
        from ..experiments.executors.local import cores
        from ..report import write_report

        try:
            result = run_ensemble(runs, self.folder, Processes(workers=max(1, cores() - 1)), quiet=True,
                                  progress=self._progress, cancel=self._cancel,
                                  manifest={"started_by": "browser page"})
            self._done = result.ran + result.skipped + len(result.failed)
            if result.metrics is not None and len(result.metrics):
                write_report(self.folder, result.metrics, result.curves, n_failed=len(result.failed))
            self._finished = True
        except Interrupted:
            self._error = "stopped"
        except (UserError, DiskFull) as exc:
            self._error = str(exc)
        except Exception as exc:  # noqa: BLE001 - shown on the page as one line
            self._error = f"{type(exc).__name__}: {exc}"

    def _progress(self, state: dict) -> None:
        self._done = int(state["done"]) + int(state["failed"])

    @property
    def name(self) -> str:
        return self.folder.name

    def done(self) -> int:
        return self._done

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    @property
    def finished(self) -> bool:
        """Ended and its metrics written (runs that failed are listed in failures.csv)."""
        return not self.running and self._finished and (self.folder / "metrics.parquet").is_file()

    def error(self) -> str:
        """Why the run ended without metrics, else ''."""
        return "" if self.running or self.finished else (self._error or "ended without results")

    def stop(self) -> None:
        self._cancel.set()
        self._thread.join(timeout=30)


_CURRENT: dict[str, Job] = {}
_LOCK = threading.Lock()


def current() -> Job | None:
    with _LOCK:
        return _CURRENT.get("job")


def start(root: Path, request: Request, owner: str = "") -> Job:
    """Start `request` under `root` for session `owner`, unless a page run is still going:
    then return that one (whose `owner` says whether it is the caller's)."""
    with _LOCK:
        job = _CURRENT.get("job")
        if job is not None and job.running:
            return job
        folder = root / request.name
        job = Job(folder, request.runs(), request.total, owner)
        _CURRENT["job"] = job
        return job

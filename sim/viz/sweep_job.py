"""Start a small comparison from the page: every instrument on the small world, a few
replicates, in a `vliegwiel` subprocess (the same CLI as `make run`), so the page stays
responsive. Progress is the number of finished runs in the folder's runs/ against the total.

The browser picks only the number of replicates and months, from fixed lists; the folder
name is made from them (`page_small_24m_3r`) under the server's comparisons folder. One
such run at a time per server: a second request while one runs shows that one's progress.
"""

from __future__ import annotations

import os
import subprocess
import sys
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

    def args(self, folder: Path) -> list[str]:
        jobs = max(1, (os.cpu_count() or 2) - 1)   # a core left for the page's server
        # one job per instrument running replicates 0 ... R-1 (the scenario's own sweep.pack
        # would run 5 per job whatever the request, and refuse overlapping blocks)
        return ["scenario=compare_instruments", "world=small", f"months={self.months}",
                "replicate=0", f"sweep.pack={self.replicates}", f"hydra.sweep.dir={folder}",
                f"hydra.launcher.n_jobs={jobs}"]


def command() -> list[str]:
    """The `vliegwiel` console script next to this interpreter (python -m sim.cli otherwise)."""
    exe = Path(sys.executable).with_name("vliegwiel")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "sim.cli"]


class Job:
    """One `vliegwiel` multirun writing into `folder`."""

    def __init__(self, folder: Path, args: list[str], total: int) -> None:
        self.folder, self.total = folder, total
        folder.mkdir(parents=True, exist_ok=True)
        self.log = folder / "page_run.log"
        with open(self.log, "wb") as out:
            self.proc = subprocess.Popen([*command(), *args], stdout=out, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, env=_env())

    @property
    def name(self) -> str:
        return self.folder.name

    def done(self) -> int:
        runs = self.folder / "runs"
        if not runs.is_dir():
            return 0
        return sum(1 for p in runs.iterdir() if p.name.endswith((".parquet", ".failed.json")))

    @property
    def running(self) -> bool:
        return self.proc.poll() is None

    @property
    def finished(self) -> bool:
        """Ended and its metrics written (runs that failed are listed in failures.csv)."""
        return not self.running and (self.folder / "metrics.parquet").is_file()

    def error(self) -> str:
        """The end of the log when the run ended without metrics, else ''."""
        if self.running or self.finished:
            return ""
        try:
            lines = self.log.read_text(errors="replace").strip().splitlines()
        except OSError:
            return "exit status " + str(self.proc.returncode)
        return (lines[-1] if lines else "") or "exit status " + str(self.proc.returncode)

    def stop(self) -> None:
        if self.running:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("HYDRA_FULL_ERROR", None)  # one-line errors, not tracebacks
    return env


_CURRENT: dict[str, Job] = {}
_LOCK = threading.Lock()


def current() -> Job | None:
    with _LOCK:
        return _CURRENT.get("job")


def start(root: Path, request: Request) -> Job:
    """Start `request` under `root` unless a page run is still going (then return that one)."""
    with _LOCK:
        job = _CURRENT.get("job")
        if job is not None and job.running:
            return job
        folder = root / request.name
        job = Job(folder, request.args(folder), request.total)
        _CURRENT["job"] = job
        return job

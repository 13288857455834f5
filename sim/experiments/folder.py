"""An ensemble's folder: its lock, its manifest (ensemble.json), and what a killed process
left behind.

    <folder>/ensemble.json   what the ensemble is (runs, scenarios, baseline, model version,
                             executor, command) and, when it ends, what it did and when
    <folder>/runs/.lock      held (flock) while an ensemble runs in the folder
"""

from __future__ import annotations

import fcntl
import json
import os
from datetime import UTC, datetime
from pathlib import Path

from ..atomic import is_disk_full, write_text_atomic
from ..errors import DiskFull, UserError
from ..version import model_version

MANIFEST = "ensemble.json"
LOCK = ".lock"


def sweep_partials(folder: Path) -> None:
    """Temporary files left by a killed process, in the folder and its runs/ (the folder is
    locked: nobody writes them now)."""
    for where in (folder, folder / "runs", folder / "report"):
        if where.is_dir():
            for p in where.glob(".*.partial"):
                p.unlink(missing_ok=True)


def write_manifest(folder: Path, runs: list, executor, extra: dict | None) -> dict:
    scenarios = list(dict.fromkeys(r.scenario for r in runs))
    data = {"runs": len(runs), "scenarios": scenarios, "model_version": model_version(),
            "executor": executor.describe(), "started": datetime.now(UTC).isoformat(timespec="seconds"),
            **(extra or {})}
    write_text_atomic(folder / MANIFEST, json.dumps(data, indent=2, default=str) + "\n")
    return data


def finish_manifest(folder: Path, data: dict, result, t_enter: float) -> None:
    """What the ensemble did, and when (epoch seconds: the benchmarks read them)."""
    data = {**data, "ran": result.ran, "found_done": result.skipped, "failed": len(result.failed),
            "stopped": result.stopped, "model_seconds": round(result.model_seconds, 3),
            "timings": {"entered": t_enter, **{k: v for k, v in result.timings.items()}}}
    try:
        write_text_atomic(folder / MANIFEST, json.dumps(data, indent=2, default=str) + "\n")
    except OSError:
        pass   # the results are written; this is bookkeeping


class Lock:
    """An exclusive lock on folder/runs/.lock for the ensemble's duration."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.fd: int | None = None

    def __enter__(self):
        runs = self.folder / "runs"
        try:
            runs.mkdir(parents=True, exist_ok=True)
            self.fd = os.open(runs / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            if is_disk_full(exc):
                raise DiskFull(runs) from exc
            raise UserError(f"{self.folder}: cannot create or write this folder ({exc.strerror or exc})") from None
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self.fd)
            self.fd = None
            raise UserError(f"{self.folder}: another process is running an ensemble in this folder; "
                            "wait for it to end (or choose another folder)") from None
        return self

    def __exit__(self, *exc) -> None:
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None

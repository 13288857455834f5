"""Finished comparisons for the compare view: find them by name, refuse anything else, load them.

The folder the server reads is fixed when the server starts: `$VLIEGWIEL_RESULTS/comparisons/`
(default `results/comparisons/`). The browser only ever sends a folder *name*; `resolve`
turns it into a folder and refuses anything that is not a direct child of that folder
holding `metrics.parquet` ('../x', absolute paths, links that lead elsewhere, unknown names).
Statistics come from sim/report/stats.py (`stats.compare`: the paired table), never
recomputed here.
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..report import stats

RESULTS_ENV = "VLIEGWIEL_RESULTS"
RESULTS = Path(os.environ.get(RESULTS_ENV, "results"))   # read once, when the server starts
# used with fullmatch: `$` would also match before a final newline ("tiny\n")
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
CURVE_COLUMNS = ["run", "month", "level", "unit", "scenario", "replicate", "participation_share",
                 "vulnerable_participation_share"]


class ComparisonError(ValueError):
    """A name the server will not open, or a folder it cannot read; `reason` is an i18n key."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason, self.detail = reason, detail


def comparisons_dir(results: Path | None = None) -> Path:
    return Path(RESULTS if results is None else results) / "comparisons"


def list_names(root: Path) -> list[str]:
    """Names of the folders directly under `root` (finished or not), sorted; [] if none."""
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and NAME.fullmatch(p.name))


def resolve(root: Path, name: object) -> Path:
    """The folder of comparison `name` under `root`, or ComparisonError."""
    if not isinstance(name, str) or not NAME.fullmatch(name):
        raise ComparisonError("compare.bad_name", str(name)[:60])
    base = root.resolve()
    folder = (root / name).resolve()
    if folder.parent != base or not folder.is_dir():
        raise ComparisonError("compare.not_found", name)
    if not (folder / "metrics.parquet").is_file():
        if (folder / "runs").is_dir():
            raise ComparisonError("compare.unfinished", name)
        raise ComparisonError("compare.no_metrics", name)
    return folder


@dataclass
class Comparison:
    """One finished comparison: its runs' metrics, the region and Rogers curves, the paired table."""

    name: str
    metrics: pd.DataFrame
    curves: pd.DataFrame | None            # None when dataset.parquet is missing
    table: pd.DataFrame                    # stats.compare(metrics)
    baseline: str
    scenarios: list[str]
    runs: dict[str, int] = field(default_factory=dict)   # runs per scenario, in report order
    failed: int = 0

    @property
    def n_runs(self) -> int:
        return int(len(self.metrics))


def load(folder: Path) -> Comparison:
    """Read a comparison folder (one that `resolve` returned); ComparisonError if unreadable."""
    try:
        metrics = pd.read_parquet(folder / "metrics.parquet")
    except Exception as exc:  # noqa: BLE001  any unreadable file is a message on the page
        raise ComparisonError("compare.unreadable", f"metrics.parquet: {str(exc)[:120]}") from exc
    if metrics.empty or not {"scenario", "replicate"} <= set(metrics.columns):
        raise ComparisonError("compare.unreadable", "metrics.parquet has no runs")
    table = stats.compare(metrics, _named_baseline(folder))
    base = table.attrs["baseline"]
    scenarios = list(dict.fromkeys(table["scenario"])) if len(table) else sorted(set(metrics["scenario"]))
    curves = None
    if (folder / "dataset.parquet").is_file():
        try:
            curves = pd.read_parquet(folder / "dataset.parquet", columns=CURVE_COLUMNS,
                                     filters=[("level", "in", ["region", "rogers"])])
        except Exception:  # noqa: BLE001  the metrics still make a table
            curves = None
    failed = 0
    if (folder / "failures.csv").is_file():
        try:
            failed = len(pd.read_csv(folder / "failures.csv"))
        except Exception:  # noqa: BLE001
            failed = 0
    runs = metrics.groupby("scenario").size().reindex(scenarios).astype(int).to_dict()
    return Comparison(folder.name, metrics, curves, table, base, scenarios, runs, failed)


_CACHE: dict[tuple, Comparison] = {}
_LOCK = threading.Lock()


def open_comparison(root: Path, name: object) -> Comparison:
    """resolve + load, cached on the files' modification times (shared by every session:
    the data are read-only)."""
    folder = resolve(root, name)
    stamp = tuple((folder / f).stat().st_mtime_ns if (folder / f).exists() else 0
                  for f in ("metrics.parquet", "dataset.parquet"))
    key = (str(folder), stamp)
    with _LOCK:
        if key in _CACHE:
            return _CACHE[key]
    cmp = load(folder)
    with _LOCK:
        if len(_CACHE) > 8:
            _CACHE.clear()
        _CACHE[key] = cmp
    return cmp


def _named_baseline(folder: Path) -> str | None:
    """The baseline the sweep named (ensemble.json), if any: the report's."""
    import json

    try:
        return json.loads((folder / "ensemble.json").read_text(encoding="utf-8")).get("baseline")
    except (OSError, ValueError, AttributeError):
        return None

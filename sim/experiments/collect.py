"""An ensemble's records -> one table of metrics, one tidy dataset, and its failures.

    metrics.parquet, metrics.csv   a row per run: its scenario, seeds, parameters
                                   (`param:<key>`) and every metric of sim/metrics.py
    dataset.parquet                a row per run, month and level (region, Rogers category,
                                   village, theme) with the run's scenario and parameters
    failures.csv                   the failed runs: parameters, seed and error (if any)

Rows follow the order of the ensemble's runs, whatever order they finished in, so the same
ensemble gives the same files on every executor. Everything is written atomically; files of
an earlier collect are removed first, so what is there is always this collect's (or nothing,
if it failed).
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..atomic import FULL, write_atomic
from ..errors import DiskFull
from . import records

OUTPUTS = ("metrics.parquet", "metrics.csv", "dataset.parquet", "failures.csv")
INFO_COLUMNS = ("run", "scenario", "seed", "replicate", "run_seed", "model_version", "seconds")


def clear(folder: Path) -> None:
    """Remove the derived files of an earlier collect (the records stay)."""
    for name in OUTPUTS:
        (folder / name).unlink(missing_ok=True)


def metrics_row(meta: dict, param_keys: Iterable[str], scenario: str | None = None,
                params: dict[str, str] | None = None) -> dict:
    """One row of metrics.parquet from a record's metadata (labels may come from the run)."""
    params = params if params is not None else meta.get("params", {})
    row = {"run": meta["key"], "scenario": scenario if scenario is not None else meta.get("scenario", "all"),
           "seed": meta["seed"], "replicate": meta["replicate"], "run_seed": meta["run_seed"],
           "model_version": meta["model_version"], "seconds": meta.get("seconds", 0.0)}
    row.update({f"param:{k}": str(params.get(k, "")) for k in param_keys})
    row.update(meta.get("metrics", {}))
    return row


def write_metrics(folder: Path, rows: list[dict]) -> pd.DataFrame:
    metrics = pd.DataFrame(rows)
    _atomic(folder / "metrics.parquet", lambda p: metrics.to_parquet(p, index=False))
    _atomic(folder / "metrics.csv", lambda p: metrics.to_csv(p, index=False))
    return metrics


def write_failures(folder: Path, failures: list[dict]) -> None:
    path = folder / "failures.csv"
    if not failures:
        path.unlink(missing_ok=True)
        return
    table = pd.DataFrame([{k: (json.dumps(v) if isinstance(v, dict) else v) for k, v in f.items() if k != "traceback"}
                          for f in failures])
    _atomic(path, lambda p: table.to_csv(p, index=False))


class DatasetWriter:
    """Streams records into dataset.parquet in a fixed order, as they become available:
    `offer(i)` says run i (of `order`) is finished; rows are written for every run up to the
    first one not yet finished. `close()` renames the file into place."""

    def __init__(self, path: Path, runs_dir: Path, order: list[tuple[str, dict]], param_keys: list[str]) -> None:
        self.path, self.runs_dir, self.order, self.param_keys = path, runs_dir, order, param_keys
        self.ready: dict[int, bool] = {}   # index -> has a record
        self.next = 0
        self.tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.partial")
        self.writer: pq.ParquetWriter | None = None
        self.kept: list[pa.Table] = []     # what a report draws (compact(): region, Rogers, villages at the end)

    def offer(self, index: int, has_record: bool = True, rows: bool = True) -> None:
        """Run `index` is finished (with a record on disk, or failed without one). `rows`
        False: its record holds no rows (a test function's), so it is read only if no
        record has been read yet (the dataset's columns come from the first one)."""
        self.ready[index] = (has_record, rows)
        while self.next in self.ready:
            has, rows = self.ready.pop(self.next)
            if has and (rows or self.writer is None):
                self._write(*self.order[self.next])
            self.next += 1

    def _write(self, key: str, labels: dict) -> None:
        try:
            table = pq.read_table(self.runs_dir / f"{key}.parquet").replace_schema_metadata(None)
            n = table.num_rows
            table = table.add_column(0, "run", pa.array([key] * n, pa.string()))
            table = table.append_column("scenario", pa.array([labels["scenario"]] * n, pa.string()))
            table = table.append_column("seed", pa.array([int(labels["seed"])] * n, pa.int64()))
            table = table.append_column("replicate", pa.array([int(labels["replicate"])] * n, pa.int64()))
            for k in self.param_keys:
                table = table.append_column(f"param:{k}", pa.array([str(labels["params"].get(k, ""))] * n, pa.string()))
            if self.writer is None:
                self.writer = pq.ParquetWriter(self.tmp, table.schema)
            self.writer.write_table(table.cast(self.writer.schema))
            self.kept.append(_compact(table))
        except OSError as exc:
            if exc.errno in FULL:
                self.abort()
                raise DiskFull(self.path) from exc
            raise

    def close(self) -> None:
        """Write what is left in order and put the file in place."""
        if self.writer is not None:
            self.writer.close()
            self.writer = None
            try:
                os.replace(self.tmp, self.path)
            except OSError as exc:
                self.abort()
                if exc.errno in FULL:
                    raise DiskFull(self.path) from exc
                raise
        self.abort()

    def abort(self) -> None:
        if self.writer is not None:
            try:
                self.writer.close()
            except OSError:
                pass
            self.writer = None
        self.tmp.unlink(missing_ok=True)


REPORT_COLUMNS = ("run", "month", "level", "unit", "participation_share", "vulnerable_participation_share",
                  "scenario", "seed", "replicate")


def _compact(table: pa.Table) -> pa.Table:
    """The rows a comparison report draws: the region and the Rogers categories every month,
    the villages and themes at the last month."""
    import pyarrow.compute as pc

    if table.num_rows == 0:
        return table.select([c for c in REPORT_COLUMNS if c in table.column_names])
    level, month = table["level"], table["month"]
    last = pc.equal(month, pc.max(month))
    keep = pc.or_(pc.is_in(level, pa.array(["region", "rogers"])), last)
    return table.filter(keep).select([c for c in REPORT_COLUMNS if c in table.column_names])


def compact(writer: DatasetWriter) -> pd.DataFrame:
    """The report's rows of every record written (in the dataset's order)."""
    if not writer.kept:
        return pd.DataFrame()
    return pa.concat_tables(writer.kept, promote_options="default").to_pandas()


def read_failures(runs_dir: Path) -> tuple[list[dict], list[str]]:
    """The failure files of a folder: (readable ones, names of unreadable ones)."""
    good, bad = [], []
    for p in sorted(runs_dir.glob("*.failed.json")):
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or "key" not in data:
                raise ValueError
            good.append(data)
        except (OSError, ValueError, UnicodeDecodeError):
            bad.append(p.name)
    return good, bad


def _atomic(path: Path, write) -> None:
    write_atomic(path, write)


def sort_key(scenario: str, seed: int, replicate: int, key: str) -> tuple:
    """The order of rows in metrics and dataset: by scenario, seed, replicate, run key."""
    return (scenario, int(seed), int(replicate), key)


def collect_folder(folder: Path | str) -> tuple[pd.DataFrame, list[dict], list[str], pd.DataFrame]:
    """Collect whatever runs a folder holds (a finished, partial or interrupted ensemble):
    (metrics, failures, names of records and failure files that could not be read, the
    report's rows of the curves)."""
    from ..errors import UserError

    folder = Path(folder)
    runs_dir = folder / "runs"
    if not runs_dir.is_dir():
        raise UserError(f"{folder}: not an ensemble folder (no runs/ inside)")
    metas, bad = [], []
    for p in sorted(runs_dir.glob("*.parquet")):
        try:
            metas.append(records.check(p))
        except records.CorruptRecord as exc:
            bad.append(str(exc))
    failures, unreadable = read_failures(runs_dir)
    done = {m["key"] for m in metas}
    failures = [f for f in failures if f.get("key") not in done]
    bad += [f"{name}: unreadable failure record" for name in unreadable]
    if not metas and not failures:
        raise UserError(f"{folder}: no finished or failed runs in runs/" + (f" ({len(bad)} unreadable)" if bad else ""))
    metas.sort(key=lambda m: sort_key(m.get("scenario", "all"), m["seed"], m["replicate"], m["key"]))
    param_keys = sorted({k for m in metas for k in m.get("params", {})})
    clear(folder)
    order = [(m["key"], {"scenario": m.get("scenario", "all"), "seed": m["seed"], "replicate": m["replicate"],
                         "params": m.get("params", {})}) for m in metas]
    writer = DatasetWriter(folder / "dataset.parquet", runs_dir, order, param_keys)
    try:
        for i in range(len(order)):
            writer.offer(i)
        writer.close()
    except BaseException:
        writer.abort()
        raise
    metrics = write_metrics(folder, [metrics_row(m, param_keys) for m in metas]) if metas else pd.DataFrame()
    write_failures(folder, failures)
    return metrics, failures, bad, compact(writer)

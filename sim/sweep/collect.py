"""Collect a sweep folder (finished, partial or interrupted) into one dataset and a report.

    vliegwiel-collect results/comparisons/compare_instruments

writes into that folder:
    dataset.parquet   a row per run, month and level (region, Rogers category, village),
                      with the run's parameters as columns (streamed: never the whole sweep
                      in memory)
    metrics.parquet   a row per run: every metric of sim/metrics.py, parameters, seeds
    metrics.csv       the same as CSV
    failures.csv      the failed runs with their parameters, seed and error (if any)
    report/           the comparison report (sim/report/)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import uuid
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..atomic import write_atomic
from ..errors import UserError
from .record import read_meta

SEED_KEYS = ("seed", "replicate")


def scenario_label(params: dict[str, str], swept: list[str]) -> str:
    """A short name for a run's scenario: its swept parameters other than the seeds (just the
    value when one parameter is swept); the instruments of a mix joined by '+'."""
    parts = []
    for key in swept:
        value = params.get(key, "")
        if key == "policy.instruments":
            value = value.strip("[]").replace(",", "+").replace(" ", "") or "none"
        parts.append(value if len(swept) == 1 else f"{key.rsplit('.', 1)[-1]}={value}")
    return ", ".join(parts) or "all"


def collect(sweep_dir: Path | str, report: bool = True) -> Path:
    """Gather every finished run under sweep_dir/runs; returns the folder."""
    folder = Path(sweep_dir)
    runs = folder / "runs"
    if not runs.is_dir():
        raise UserError(f"{folder}: not a sweep folder (no runs/ inside)")
    records = sorted(runs.glob("*.parquet"))
    failures = sorted(runs.glob("*.failed.json"))
    if not records and not failures:
        raise UserError(f"{folder}: no finished or failed runs in runs/")
    metas = [read_meta(p) for p in records]
    keys = sorted({k for m in metas for k in m["params"]})
    swept = [k for k in keys if k not in SEED_KEYS and len({m["params"].get(k, "") for m in metas}) > 1]
    rows = []
    for m in metas:
        row = {"run": m["key"], "scenario": scenario_label(m["params"], swept), "seed": m["seed"],
               "replicate": m["replicate"], "run_seed": m["run_seed"], "model_version": m["model_version"],
               "seconds": m["seconds"]}
        row.update({f"param:{k}": m["params"].get(k, "") for k in keys})
        row.update(m["metrics"])
        rows.append(row)
    metrics = pd.DataFrame(rows)
    _write_dataset(folder / "dataset.parquet", records, metrics)
    _atomic(folder / "metrics.parquet", lambda p: metrics.to_parquet(p, index=False))
    _atomic(folder / "metrics.csv", lambda p: metrics.to_csv(p, index=False))
    if failures:
        failed = pd.DataFrame([json.loads(p.read_text()) for p in failures]).drop(columns=["traceback"], errors="ignore")
        _atomic(folder / "failures.csv", lambda p: failed.to_csv(p, index=False))
    # a designed experiment (one scenario per design row) is analysed by vliegwiel-sensitivity
    if report and len(metrics) and "design.row" not in swept:
        from ..report import write_report

        write_report(folder, metrics, pd.read_parquet(folder / "dataset.parquet"), n_failed=len(failures))
    return folder


def _write_dataset(path: Path, records: list[Path], metrics: pd.DataFrame) -> None:
    """Stream every record's curves, with its run's scenario and parameters, into one file."""
    by_run = metrics.set_index("run")
    extra = [c for c in metrics.columns if c in ("scenario", "seed", "replicate") or c.startswith("param:")]
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.partial")
    writer = None
    try:
        for p in records:
            table = pq.read_table(p).replace_schema_metadata(None)
            info = by_run.loc[p.stem]
            n = table.num_rows
            table = table.add_column(0, "run", pa.array([p.stem] * n, pa.string()))
            for c in extra:
                value = info[c]
                typ = pa.int64() if c in ("seed", "replicate") else pa.string()
                table = table.append_column(c, pa.array([int(value) if typ == pa.int64() else str(value)] * n, typ))
            if writer is None:
                writer = pq.ParquetWriter(tmp, table.schema)
            writer.write_table(table.cast(writer.schema))
        if writer is not None:
            writer.close()
            writer = None
            os.replace(tmp, path)
    finally:
        if writer is not None:
            writer.close()
        tmp.unlink(missing_ok=True)


def _atomic(path: Path, write) -> None:
    write_atomic(path, write)


def main(argv: list[str] | None = None) -> int:
    """`vliegwiel-collect DIR`: aggregate a (possibly partial) sweep and write its report."""
    parser = argparse.ArgumentParser(prog="vliegwiel-collect", description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", help="a sweep folder (it holds runs/)")
    parser.add_argument("--no-report", action="store_true", help="only the dataset and metrics")
    args = parser.parse_args(argv)
    try:
        folder = collect(args.folder, report=not args.no_report)
    except UserError as exc:
        print(f"vliegwiel-collect: error: {exc}", file=sys.stderr)
        return 2
    print(f"vliegwiel-collect: {folder}/dataset.parquet, metrics.csv"
          + ("" if args.no_report else f", report/report.md"))
    return 0

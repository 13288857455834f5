"""metrics.parquet of an exploration, without the ensemble's dataset.

An ensemble normally also writes dataset.parquet: a row per run, month and level (region,
Rogers category, village, theme) with the run's parameters as columns. An exploration's runs
carry every sampled input (~55) as parameters, so that file would repeat them on some
5,000 rows per run: about 60 MB per 1,000 runs, most of the time of collecting a large
ensemble, and nothing the analysis reads. So the exploration runs its ensemble without
collecting, and writes metrics.parquet / metrics.csv from the records' metadata itself,
with the experiment layer's own row format (`collect.metrics_row`), in the ensemble's order.
The curves of every run stay in runs/<key>.parquet.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..experiments import Run, collect, records


def write_metrics(folder: Path, runs: list[Run]) -> pd.DataFrame:
    """A row per run (scenario, seeds, every `param:` input, every metric), as collect writes."""
    keys = sorted({k for r in runs for k in r.params})
    order = sorted(runs, key=lambda r: collect.sort_key(r.scenario, r.config.seed, r.config.replicate, r.key))
    rows = []
    for run in order:
        meta = records.read_meta(folder / "runs" / f"{run.key}.parquet")
        rows.append(collect.metrics_row(meta, keys, run.scenario, run.params))
    return collect.write_metrics(folder, rows)

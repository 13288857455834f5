"""One run of a sweep -> one small Parquet file, written atomically.

The file holds the run's participation curves in tidy form (a row per month and level:
the region, each Rogers category, each village, each theme; region rows also carry the other
region-level outcomes, theme rows the share of villages with an organised collective of
the theme). Its Parquet metadata (key b"vliegwiel") holds the run's metrics
(sim/metrics.py), its swept parameters, seed, replicate, run seed and model version.

The file name is the run key: a hash of the whole resolved configuration (output and sweep
settings left out: where a run writes and how runs are packed into jobs change no number)
and the model version (sim/version.py: package version and a fingerprint of the model's
code), so a sweep run again finds what it already has, and never reuses results of other
code.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import uuid
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..config.schema import Config
from ..metrics import run_theme_reach
from ..version import model_version
from .seeds import run_seed

META_KEY = b"vliegwiel"
REGION_COLUMNS = ("participation_share", "vulnerable_participation_share", "aware_share", "members", "core",
                  "collectives_alive", "self_sustaining", "liveability_mean", "liveability_sd",
                  "public_spend", "public_spend_cumulative", "government_funding_share")


def run_key(cfg: Config) -> str:
    """16 hex characters identifying (configuration, seed, replicate, model version)."""
    data = dataclasses.asdict(cfg)
    data.pop("output", None)
    data.pop("sweep", None)
    text = json.dumps({"config": data, "model_version": model_version()}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


THEME_COLUMNS = ("villages_share",)  # sim.metrics.theme_reach


def curves(results) -> pd.DataFrame:
    """The tidy curves: month, level (region | rogers | village | theme), unit, outcomes."""
    region = results.region[["month", *REGION_COLUMNS]].assign(level="region", unit="all")
    rogers = results.rogers[["month", "category", "participation_share"]].rename(columns={"category": "unit"})
    rogers = rogers.assign(level="rogers", unit=rogers["unit"].astype(str))
    village = results.village[["month", "village", "participation_share", "liveability"]]
    village = village.rename(columns={"village": "unit"}).assign(level="village")
    village["unit"] = village["unit"].astype(str)
    reach = run_theme_reach(results).rename(columns={"theme": "unit"}).assign(level="theme")
    out = pd.concat([region, rogers, village, reach], ignore_index=True)
    first = ["month", "level", "unit"]
    return out[first + [c for c in out.columns if c not in first]]


def write_record(results, path: Path, params: dict[str, str], metrics: dict[str, float]) -> Path:
    """Write the run's record to `path` (under a temporary name, then renamed)."""
    seconds = results.seconds_build + results.seconds_run
    return _write(curves(results), results.config, path, params, metrics, seconds)


def write_metrics_record(cfg: Config, path: Path, params: dict[str, str], metrics: dict[str, float]) -> Path:
    """A record without curves (a test function's run)."""
    empty = pd.DataFrame({"month": pd.Series([], dtype="int64"), "level": pd.Series([], dtype="str"),
                          "unit": pd.Series([], dtype="str"),
                          **{c: pd.Series([], dtype="float64")
                             for c in ("participation_share", *REGION_COLUMNS[1:], *THEME_COLUMNS)}})
    return _write(empty, cfg, path, params, metrics, 0.0)


def _write(curves_df: pd.DataFrame, cfg: Config, path: Path, params: dict, metrics: dict, seconds: float) -> Path:
    meta = {
        "key": path.stem, "params": params, "metrics": metrics,
        "seed": cfg.seed, "replicate": cfg.replicate, "run_seed": str(run_seed(cfg.seed, cfg.replicate)),
        "months": cfg.months, "model_version": model_version(), "seconds": round(seconds, 3),
    }
    table = pa.Table.from_pandas(curves_df, preserve_index=False)
    table = table.replace_schema_metadata({**(table.schema.metadata or {}),
                                           META_KEY: json.dumps(meta, default=_plain).encode()})
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.partial")
    try:
        pq.write_table(table, tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def read_meta(path: Path) -> dict:
    """The metadata of a record (metrics, params, seeds) without reading its rows."""
    return json.loads(pq.read_schema(path).metadata[META_KEY])


def read_curves(path: Path) -> pd.DataFrame:
    return pq.read_table(path).to_pandas()


def _plain(x):
    return float(x) if hasattr(x, "__float__") else str(x)

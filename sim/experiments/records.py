"""One run -> one small Parquet file `runs/<key>.parquet`, written atomically.

The file holds the run's curves in tidy form (a row per month and level: the region, each
Rogers category, each village, each theme; region rows also carry the other region-level
outcomes, theme rows the share of villages with an organised collective of the theme, the
number of organised collectives, their members, and how many became organised or stopped that
month). Its
Parquet metadata (key b"vliegwiel") holds the run's metrics (sim/metrics.py), scenario,
parameters, seed, replicate, run seed and model version.

A record counts as done only if it reads back whole: Parquet's footer is intact and its
metadata names this key and this model version (`check`). Anything else (a truncated file,
a foreign Parquet file, another model version) is not trusted: resume moves it aside to
runs/corrupt/ and runs it again.
"""

from __future__ import annotations

import functools
import io
import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..atomic import write_bytes_atomic
from ..metrics import run_theme_reach
from ..outcomes import RECORD_SERIES
from ..streams import run_seed
from ..version import model_version

META_KEY = b"vliegwiel"
REGION_COLUMNS = RECORD_SERIES   # the series marked `record` in sim/outcomes.py
THEME_COLUMNS = ("villages_share", "organised", "members", "became_organised", "stopped")  # sim.metrics.run_theme_reach


class CorruptRecord(Exception):
    """A record that does not read back whole, or belongs to another run or model version."""


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


def empty_curves() -> pa.Table:
    """The curves of a run without any (a test function's), as the Arrow table to_bytes
    makes of them: built once (a DataFrame and its conversion cost ~10 ms, a test function
    microseconds), the same bytes in every record."""
    return _empty_table()


@functools.cache
def _empty_table() -> pa.Table:
    return _table(pd.DataFrame({"month": pd.Series([], dtype="int64"), "level": pd.Series([], dtype="str"),
                         "unit": pd.Series([], dtype="str"),
                         **{c: pd.Series([], dtype="float64")
                            for c in dict.fromkeys(("participation_share", *REGION_COLUMNS, "liveability",
                                                   *THEME_COLUMNS))}}))


def meta_of(run, metrics: dict[str, float], seconds: float) -> dict:
    """The record's metadata: what the run was and what it gave."""
    cfg = run.config
    return {"key": run.key, "scenario": run.scenario, "params": run.params, "metrics": metrics,
            "seed": cfg.seed, "replicate": cfg.replicate, "run_seed": str(run_seed(cfg.seed, cfg.replicate)),
            "months": cfg.months, "function": run.function, "model_version": model_version(),
            "seconds": round(seconds, 3)}


def _table(curves_df: pd.DataFrame) -> pa.Table:
    return pa.Table.from_pandas(curves_df, preserve_index=False)


def to_bytes(curves_df: pd.DataFrame | pa.Table, meta: dict) -> bytes:
    """The record as Parquet bytes (written by a worker, or sent back to the parent)."""
    table = curves_df if isinstance(curves_df, pa.Table) else _table(curves_df)
    table = table.replace_schema_metadata({**(table.schema.metadata or {}),
                                           META_KEY: json.dumps(meta, default=_plain).encode()})
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()


def write(path: Path, data: bytes) -> Path:
    """Write a record's bytes to `path` under a temporary name, then rename."""
    write_bytes_atomic(path, data)
    return path


def read_meta(path: Path) -> dict:
    """The metadata of a record (metrics, params, seeds) without reading its rows."""
    return json.loads(pq.read_schema(path).metadata[META_KEY])


def check(path: Path, key: str | None = None) -> dict:
    """The metadata of a whole, current record, or CorruptRecord saying why not."""
    try:
        schema = pq.read_schema(path)
        meta = json.loads((schema.metadata or {})[META_KEY])
    except KeyError:
        raise CorruptRecord(f"{path.name}: a Parquet file without vliegwiel's metadata") from None
    except (OSError, ValueError, pa.ArrowException) as exc:
        raise CorruptRecord(f"{path.name}: unreadable ({str(exc).splitlines()[0] if str(exc) else type(exc).__name__})") from None
    if not isinstance(meta, dict) or meta.get("key") != (key or path.stem):
        raise CorruptRecord(f"{path.name}: its metadata names another run")
    if meta.get("model_version") != model_version():
        raise CorruptRecord(f"{path.name}: made by another model version ({meta.get('model_version')})")
    return meta


def read_curves(path: Path) -> pd.DataFrame:
    return pq.read_table(path).to_pandas()


def _plain(x):
    return float(x) if hasattr(x, "__float__") else str(x)

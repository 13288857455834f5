"""What one job of a multirun does: skip a run if its record exists, otherwise run it and
write its record; a failure is written down (parameters, seed, error) and the sweep goes
on; under `--fail-fast` the first failure writes runs/STOP and every later run of the sweep
returns at once. Prints one progress line per finished run.

A job holds one run, or with `sweep.pack=P` the P runs of replicates r ... r+P-1 (r the
job's replicate): each of them is done exactly as if it were a job of its own (same
configuration, run key, record and parameters), so packing changes how many jobs a
launcher starts (one SLURM array task per job), never a result.

Files under <sweep dir>/runs/: <key>.parquet (a finished run; see record.py) and
<key>.failed.json (a failed one, redone on the next attempt).
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
import time
import traceback
from pathlib import Path

from ..config.schema import Config
from .record import run_key, write_metrics_record, write_record

TOTAL_ENV = "VLIEGWIEL_SWEEP_TOTAL"        # runs in the sweep (set by the CLI)
START_ENV = "VLIEGWIEL_SWEEP_START"        # when the sweep started (time.time())
FAIL_FAST_ENV = "VLIEGWIEL_FAIL_FAST"


STOP = "STOP"  # under runs/: written by the first failure under --fail-fast; later jobs do nothing
INFO = ".sweep.json"  # under runs/: total, start and fail-fast of this attempt (callbacks.py writes it)


def sweep_info(runs: Path) -> dict:
    """This attempt's total, start time and fail-fast flag. Read from runs/.sweep.json, which
    the process that starts the multirun writes: a launcher's workers may be reused across
    multiruns of one process (joblib's loky) or run elsewhere (Ray), so their environment can
    be stale or empty. Falls back to the environment when there is no file."""
    try:
        return json.loads((runs / INFO).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"total": int(os.environ.get(TOTAL_ENV, "0") or 0),
                "start": float(os.environ.get(START_ENV, "0") or 0),
                "fail_fast": os.environ.get(FAIL_FAST_ENV) == "1"}


def params_of(overrides: list[str]) -> dict[str, str]:
    """The job's overrides as {key: value} (what was set or swept for it)."""
    out = {}
    for o in overrides:
        key, _, value = o.partition("=")
        out[key.lstrip("+~")] = value
    return out


def sweep_job(cfg: Config, overrides: list[str], sweep_dir: Path) -> str:
    """Run one job of a sweep: its run, or its `sweep.pack` runs. Returns 'done', 'skipped',
    'failed' or 'cancelled' (after a failure under --fail-fast); for a pack, the first of
    cancelled, failed, done, skipped that one of its runs had."""
    runs = Path(sweep_dir) / "runs"
    runs.mkdir(parents=True, exist_ok=True)
    params = {k: v for k, v in params_of(overrides).items() if not k.startswith("sweep.")}
    pack = cfg.sweep.pack
    statuses = []
    designed = bool(cfg.design.file) and cfg.design.row >= 0
    for i in range(pack):
        if pack == 1:
            one, one_params = cfg, params
        elif designed:  # a design packs rows: the same run as `design.row=<k+i>` alone
            from ..config.compose import with_design_row

            if cfg.design.row + i >= design_rows(cfg.design.file):
                break
            one = with_design_row(cfg, cfg.design.row + i)
            one_params = {**params, "design.row": str(one.design.row)}
        else:  # the same run as `replicate=<r+i>` alone (sweep settings are not in the run key)
            one = dataclasses.replace(cfg, replicate=cfg.replicate + i)
            one_params = {**params, "replicate": str(one.replicate)}
        statuses.append(_run_one(one, one_params, runs))
        if statuses[-1] == "cancelled":
            break
    return next(s for s in ("cancelled", "failed", "done", "skipped") if s in statuses)


def design_rows(path: str) -> int:
    """Number of data rows of a design file."""
    from ..config.compose import design_table

    return len(design_table(path))


def _run_one(cfg: Config, params: dict[str, str], runs: Path) -> str:
    from ..metrics import run_metrics
    from ..runner import run

    key = run_key(cfg)
    record, failed = runs / f"{key}.parquet", runs / f"{key}.failed.json"
    if cfg.design.file and cfg.design.row >= 0:   # the design row's values are parameters too
        from ..config.compose import design_row

        params = {**params, **design_row(cfg.design.file, cfg.design.row)}
    fail_fast = bool(sweep_info(runs).get("fail_fast"))
    if fail_fast and (runs / STOP).exists():
        return "cancelled"
    if record.exists():
        status = "skipped"
    else:
        try:
            if cfg.design.function != "model":   # a test function with known answers
                from ..sensitivity.testfunctions import evaluate

                write_metrics_record(cfg, record, params, evaluate(cfg))
            else:
                results = run(cfg)
                write_record(results, record, params, run_metrics(results, stop_month=_stop_month(cfg)))
            failed.unlink(missing_ok=True)
            status = "done"
        except Exception as exc:  # contained: recorded, the sweep goes on
            _write_failure(failed, key, cfg, params, exc)
            status = "failed"
            if fail_fast:
                (runs / STOP).write_text(f"{failed.name}\n", encoding="utf-8")
    progress(runs)
    return status


def _stop_month(cfg: Config) -> int | None:
    """The month the last instrument stops, if every instrument of the mix stops before the
    horizon (a withdrawal scenario): persistence is measured from there."""
    pol = cfg.policy
    stops = [getattr(pol, n).stop_month for n in pol.instruments if hasattr(pol, n)]
    return max(stops) if stops and all(0 <= s < cfg.months for s in stops) else None


def _write_failure(path: Path, key: str, cfg: Config, params: dict, exc: BaseException) -> None:
    data = {"key": key, "params": params, "seed": cfg.seed, "replicate": cfg.replicate,
            "error": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc()}
    tmp = path.with_name(path.name + ".partial")
    tmp.write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")
    os.replace(tmp, path)


PROGRESS_EVERY = 1.0  # seconds between two progress lines of one worker
_last_line = 0.0


def progress(runs: Path, force: bool = False) -> None:
    """One line: runs done and failed, what is left, and the estimated time left; at most
    one line a second per worker (the sweep's last line comes from the callback, `force`)."""
    global _last_line
    now = time.time()
    if not force and now - _last_line < PROGRESS_EVERY:
        return
    _last_line = now
    names = [p.name for p in runs.iterdir()]
    done = sum(n.endswith(".parquet") for n in names)
    failed = sum(n.endswith(".failed.json") for n in names)
    info = sweep_info(runs)
    total = int(info.get("total") or 0)
    line = f"vliegwiel: {done} runs done, {failed} failed"
    if total:
        left = max(total - done - failed, 0)
        line += f", {left} left"
        start = float(info.get("start") or 0)
        if start and left and done + failed:
            eta = (now - start) / (done + failed) * left
            line += f", about {eta:.0f} s to go"
    print(line, file=sys.stderr, flush=True)

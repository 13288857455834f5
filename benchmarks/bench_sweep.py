"""Speed of sweeps (`make bench`, or `python benchmarks/bench_sweep.py`).

What it measures (JSON under results/benchmarks/sweep.json):

- `make run`: the default main job, `vliegwiel scenario=compare_instruments` (8 scenarios x
  20 replicates on the default world, 10 years), timed from the command's start to its end,
  aggregation and report included, in a fresh sweep folder (nothing to resume). Target:
  under 120 s on this 2-core machine.
- Parallel speed-up: the same 64 runs (the default world, `policy.instruments=[none],[dialogue]`
  x 32 replicates, 4 per job) with the joblib launcher and 1 worker, then 2 workers;
  speed-up = running time with 1 / with 2, the running time being from the start of the
  first run to the last record written (the command's start-up, about 5 s, and the
  collect and report, about 10 s, are serial and reported apart). Target: >= 1.7.

Each figure is the median of --repeats runs (default 1 for `make run`, 2 for the speed-up).
A missed target is reported as FAIL but the exit code stays 0: a measurement, not a test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "results" / "benchmarks"
EXE = Path(sys.executable).with_name("vliegwiel")


def timed(args: list[str], folder: Path) -> float:
    """Seconds of one `vliegwiel` command writing its sweep into `folder` (removed first)."""
    shutil.rmtree(folder, ignore_errors=True)
    t0 = time.perf_counter()
    r = subprocess.run([str(EXE), *args, f"hydra.sweep.dir={folder}"], cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if r.returncode != 0:
        sys.exit(f"bench_sweep: {' '.join(args)} failed:\n{r.stderr[-2000:]}")
    return seconds


def running_seconds(folder: Path) -> float:
    """The sweep's running phase: from the start of its first run to its last record (file
    times, plus the first run's own seconds), without the command's start-up and collect."""
    import pandas as pd

    records = sorted((folder / "runs").glob("*.parquet"), key=lambda p: p.stat().st_mtime)
    first = pd.read_parquet(folder / "metrics.parquet").set_index("run").loc[records[0].stem, "seconds"]
    return records[-1].stat().st_mtime - records[0].stat().st_mtime + float(first)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=1, help="repeats of the make-run timing")
    parser.add_argument("--skip-make-run", action="store_true", help="only the speed-up")
    args = parser.parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="vliegwiel-bench-"))
    result: dict = {"date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "cpus": os.cpu_count(),
                    "machine": platform.processor() or platform.machine(), "load_before": os.getloadavg()}
    try:
        if not args.skip_make_run:
            runs = [timed(["scenario=compare_instruments"], scratch / "compare") for _ in range(args.repeats)]
            result["make_run"] = {"runs": 160, "seconds": runs, "median": statistics.median(runs),
                                  "target_seconds": 120, "ok": statistics.median(runs) < 120}
            print(f"make run (160 runs, report included): {statistics.median(runs):.1f} s "
                  f"({'ok' if result['make_run']['ok'] else 'FAIL'}, target < 120 s)")
        sweep = ["-m", "policy.instruments=[none],[dialogue]", "replicate=range(0,32,4)", "sweep.pack=4"]
        one, two, run1, run2 = [], [], [], []
        for _ in range(2):
            one.append(timed([*sweep, "hydra.launcher.n_jobs=1"], scratch / "one"))
            run1.append(running_seconds(scratch / "one"))
            two.append(timed([*sweep, "hydra.launcher.n_jobs=2"], scratch / "two"))
            run2.append(running_seconds(scratch / "two"))
        speedup = statistics.median(run1) / statistics.median(run2)
        whole = statistics.median(one) / statistics.median(two)
        result["speedup"] = {"runs": 64, "jobs": 16, "command_seconds_1_worker": one, "command_seconds_2_workers": two,
                             "running_seconds_1_worker": run1, "running_seconds_2_workers": run2,
                             "speedup": speedup, "speedup_whole_command": whole, "target": 1.7, "ok": speedup >= 1.7}
        print(f"parallel speed-up, 64 runs in 16 jobs, 1 -> 2 workers: {speedup:.2f}x while running "
              f"({statistics.median(run1):.1f} s -> {statistics.median(run2):.1f} s; "
              f"{'ok' if speedup >= 1.7 else 'FAIL'}, target >= 1.7); whole command incl. start-up and "
              f"report {whole:.2f}x ({statistics.median(one):.1f} s -> {statistics.median(two):.1f} s)")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    result["load_after"] = os.getloadavg()
    OUT.mkdir(parents=True, exist_ok=True)
    tmp = OUT / "sweep.json.tmp"
    tmp.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, OUT / "sweep.json")
    print(f"bench_sweep: {OUT / 'sweep.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

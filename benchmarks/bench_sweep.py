"""How much of a sweep's wall time is the model's (`make bench`, or `python benchmarks/bench_sweep.py`).

What it measures (JSON under results/benchmarks/sweep.json):

- Model time: the runs of the main comparison (`vliegwiel scenario=compare_instruments`:
  every instrument alone and the baseline x 20 replicates, 180 runs with nine instruments,
  default world, 10 years), each run with the one runner in this process on one core, one
  after the other: the seconds the model itself needs, without any machinery.
- The command: `vliegwiel scenario=compare_instruments` in a fresh folder, wall time from
  starting the process to its end (report included). Its efficiency is model time / (wall
  time x cores). The serial part is everything before the first run starts (interpreter,
  imports, composing 160 configurations, starting the workers) and after the last run ends
  (collect and report), read from the ensemble's own clock (ensemble.json); by Amdahl's law
  it bounds the efficiency on more cores: projected wall on C cores = serial + model time / C.
- On a machine others use, the model runs slower in the command than it did here a minute
  before, and the efficiency above counts that against the command. `busy` is the share of
  the cores' time the command's workers spent in the model by their own clocks
  (ensemble.json's model_seconds / (wall x cores)): what the machinery leaves of the cores,
  whatever the load. Both are reported, with the load averages before and after.
- `--ensemble N` (make bench: 4000): N default-world runs (`vliegwiel -m replicate=range(0,N)`)
  timed the same way.

Targets (issue "One in-process experiment layer"): efficiency >= 0.7 on 2 cores; serial part
<= 4 % of the model time; the 4,000-run ensemble within 10 minutes on 2 cores. A missed
target is reported as FAIL but the exit code stays 0: a measurement, not a test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "results" / "benchmarks"
EXE = Path(sys.executable).with_name("vliegwiel")
MAIN = ["scenario=compare_instruments"]


def cores() -> int:
    return len(os.sched_getaffinity(0))


def model_seconds(overrides: list[str]) -> tuple[float, int]:
    """Seconds the model needs for every run of this sweep, in this process on one core."""
    from sim.cli.hydra_config import sweep_settings
    from sim.cli.hydra_sweep import for_hydra, parse, runs_of, sweep_lists
    from sim.runner import run

    overrides = [o for o in overrides if o not in ("-m", "--multirun")]   # the command's flag, not an override
    fixed = [o.input_line for o in parse(overrides) if not o.is_sweep_override()]
    runs = runs_of(sweep_lists(overrides, sweep_settings(for_hydra(fixed)).params))
    t0 = time.perf_counter()
    for r in runs:
        run(r.config)
    return time.perf_counter() - t0, len(runs)


def command(args: list[str], folder: Path) -> dict:
    """Wall time of one `vliegwiel` command into `folder`, and its serial parts."""
    shutil.rmtree(folder, ignore_errors=True)
    t0 = time.time()
    r = subprocess.run([str(EXE), *args, f"hydra.sweep.dir={folder}"], cwd=ROOT, capture_output=True, text=True)
    t1 = time.time()
    if r.returncode != 0:
        sys.exit(f"bench_sweep: {' '.join(args)} failed:\n{r.stderr[-2000:]}")
    info = json.loads((folder / "ensemble.json").read_text())
    t = info["timings"]
    return {"wall": t1 - t0, "before_first_run": t["first_start"] - t0, "after_last_run": t1 - t["last_end"],
            "ensemble_setup": t["setup"], "collect": t["collect"], "runs": info["runs"],
            "model_seconds_in_workers": info["model_seconds"]}


def judge(name: str, model: float, measured: dict, n: int) -> dict:
    serial = measured["before_first_run"] + measured["after_last_run"]
    eff = model / (measured["wall"] * n)
    busy = measured["model_seconds_in_workers"] / (measured["wall"] * n)
    out = {**measured, "model_seconds": model, "cores": n, "efficiency": eff, "busy": busy, "serial_seconds": serial,
           "serial_share_of_model_time": serial / model,
           "projected_16_cores": {"wall": serial + model / 16, "efficiency": model / (16 * (serial + model / 16))}}
    print(f"{name}: {measured['runs']} runs, wall {measured['wall']:.1f} s on {n} cores, model time "
          f"{model:.1f} s -> efficiency {eff:.2f} ({'ok' if eff >= 0.7 else 'FAIL'}, target >= 0.7; cores busy "
          f"with the model by the workers' clocks {busy:.2f}); serial "
          f"{serial:.1f} s = {100 * serial / model:.1f} % of model time "
          f"({'ok' if serial / model <= 0.04 else 'FAIL'}, target <= 4 %): {measured['before_first_run']:.1f} s "
          f"before the first run, {measured['after_last_run']:.1f} s after the last; projected on 16 cores "
          f"{out['projected_16_cores']['wall']:.1f} s, efficiency {out['projected_16_cores']['efficiency']:.2f}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ensemble", type=int, default=0, help="also time an ensemble of N default-world runs")
    parser.add_argument("--skip-main", action="store_true", help="only the --ensemble timing")
    args = parser.parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="vliegwiel-bench-"))
    n = cores()
    result: dict = {"date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "cores": n,
                    "machine": platform.processor() or platform.machine(), "load_before": os.getloadavg()}
    try:
        if not args.skip_main:
            model, runs = model_seconds(MAIN)
            print(f"model time of the main comparison's {runs} runs, one core: {model:.1f} s "
                  f"({model / runs:.3f} s a run)")
            result["main"] = judge("vliegwiel scenario=compare_instruments", model, command(MAIN, scratch / "main"), n)
        if args.ensemble:
            sweep = ["-m", f"replicate=range(0,{args.ensemble})"]
            sample = ["-m", "replicate=range(0,40)"]
            model40, _ = model_seconds(sample)
            model = model40 * args.ensemble / 40
            measured = command(sweep, scratch / "ensemble")
            out = judge(f"an ensemble of {args.ensemble} default-world runs (model time from 40 of them)", model,
                        measured, n)
            out["target_seconds"], out["ok"] = 600, measured["wall"] <= 600
            print(f"  {measured['wall'] / 60:.1f} min ({'ok' if out['ok'] else 'FAIL'}, target <= 10 min)")
            result["ensemble"] = out
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

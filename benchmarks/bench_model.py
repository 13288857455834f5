"""Speed and memory of the vliegwiel model (`make bench`, or `python benchmarks/bench_model.py`).

What it measures (figures as JSON and a Markdown table under results/benchmarks/):

- Full model: `sim.model.VillageModel` with the default configuration, at about 1,000, 10,000
  and 100,000 residents (villages of 1,000 residents, so the counts are exact). Building the
  model is timed apart from stepping. Resident-steps per second = residents x months /
  seconds of stepping; data collection runs inside `step()`, so it is included. Each size is
  built and run several times with the same seed; the median and the best are reported, and
  the targets are judged on the median.
- Naive reference (benchmarks/naive.py): one Mesa agent per resident whose Python `step()`
  computes the same threshold rule on the same network (the full model's adjacency at that
  size), with a synchronous update through Mesa's AgentSet. Its repetitions alternate with
  those of the full model, so both meet the same background load. Its result is checked against
  `sim.rules.adoption.threshold_rule` applied to arrays with the same initial adopters and
  thresholds; a disagreement makes the benchmark exit with an error.
- Memory: first of all, in a fresh subprocess, `sim.runner.run` of the full model with 200,000
  residents for 120 months (data collection and the tidy tables included); the peak resident
  set size (getrusage ru_maxrss of that process, cross-checked with its VmHWM) is reported.

Targets (issue): >= 10 million resident-steps/s at 100,000 residents; >= 50 x the naive
reference in the same run; 200,000 residents over 10 years within 1 GB peak RSS. A missed
target is reported as FAIL but the exit code stays 0: this is a measurement, not a test.

Options: --quick (1k and 10k only, no memory run; writes model-quick.json/.md), --sizes,
--repeats, --months, --no-memory, --profile (cProfile of 20 steps at 100k instead).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import io
import json
import os
import platform
import pstats
import resource
import statistics
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT)]

import numpy as np  # noqa: E402

from naive import NaiveThresholdModel, vectorised_reference  # noqa: E402
from sim.config import load_config  # noqa: E402
from sim.model import VillageModel  # noqa: E402
from sim.state import ResidentState  # noqa: E402

OUT_DIR = ROOT / "results" / "benchmarks"
DEFAULT_SIZES = (1_000, 10_000, 100_000)
QUICK_SIZES = (1_000, 10_000)
TARGET_SIZE = 100_000
TARGET_RATE = 10e6          # resident-steps per second at TARGET_SIZE
TARGET_RATIO = 50.0         # full / naive at TARGET_SIZE
MEMORY_RESIDENTS = 200_000
MEMORY_LIMIT_MB = 1000.0    # 1 GB = 10^9 bytes (the stricter reading of "1 GB")
VILLAGE_SIZE = 1_000        # residents per village in the benchmark worlds
SEED = 42
NAIVE_SEED_SHARE = 0.02     # initial adopters of the naive/threshold comparison
PACKAGES = ("vliegwiel", "mesa", "numpy", "scipy", "pandas")


# --- configurations ---------------------------------------------------------------------
def world_overrides(residents: int, months: int) -> list[str]:
    """Overrides for a world of `residents` residents in villages of (about) VILLAGE_SIZE, sizes exact."""
    n_villages = max(1, round(residents / VILLAGE_SIZE))
    per = max(2, round(residents / n_villages))
    return [
        f"seed={SEED}", f"months={months}",
        f"world.n_villages={n_villages}", f"world.median_population={per}", "world.population_sigma=0",
        f"world.min_population={per}", f"world.max_population={per}",
    ]


def label(n: int) -> str:
    return f"{n // 1000}k" if n >= 1000 and n % 1000 == 0 else str(n)


# --- full model -------------------------------------------------------------------------
def participation_share(model: VillageModel) -> float:
    """Share of residents taking part (member or core), read from the state array."""
    state = model.people.state
    return float(np.isin(state, (ResidentState.MEMBER, ResidentState.CORE)).mean()) if state.size else 0.0


def run_full_once(cfg, months: int) -> tuple[dict, VillageModel]:
    """Build the full model and step it `months` times; data collection runs inside step()."""
    gc.collect()
    t0 = time.perf_counter()
    model = VillageModel(cfg)
    t1, c1 = time.perf_counter(), time.process_time()
    for _ in range(months):
        model.step()
    t2, c2 = time.perf_counter(), time.process_time()
    model.results()  # the tidy tables built from what was collected (reported, not in the rate)
    t3 = time.perf_counter()
    n = model.people.n
    return {"build_s": t1 - t0, "step_s": t2 - t1, "step_cpu_s": c2 - c1, "tables_s": t3 - t2,
            "resident_steps_per_s": n * months / (t2 - t1), "resident_steps_per_cpu_s": n * months / max(c2 - c1, 1e-9),
            "final_participation": participation_share(model)}, model


def summarise_full(runs: list[dict], model: VillageModel, overrides: list[str], months: int) -> dict:
    rates = [r["resident_steps_per_s"] for r in runs]
    steps = [r["step_s"] for r in runs]
    return {
        "overrides": overrides, "residents": model.people.n, "villages": model.world.villages.n,
        "ties": int(model.world.adjacency.nnz // 2), "months": months, "repeats": len(runs), "runs": runs,
        "build_s_median": statistics.median(r["build_s"] for r in runs),
        "step_s_median": statistics.median(steps), "step_s_best": min(steps),
        "tables_s_median": statistics.median(r["tables_s"] for r in runs),
        "resident_steps_per_s_median": statistics.median(rates), "resident_steps_per_s_best": max(rates),
        **cpu_figures(runs),
    }


# --- naive reference --------------------------------------------------------------------
def naive_steps_for(residents: int) -> int:
    return 10 if residents < TARGET_SIZE else 5


def run_naive_once(adj, threshold, adopted0: np.ndarray, steps: int, expected: np.ndarray) -> dict:
    """Build the naive Mesa model on the given network, time `steps` steps, compare with `expected`."""
    n = adj.shape[0]
    gc.collect()
    t0 = time.perf_counter()
    naive = NaiveThresholdModel(adj, threshold, adopted0, seed=SEED)
    t1, c1 = time.perf_counter(), time.process_time()
    for _ in range(steps):
        naive.step()
    t2, c2 = time.perf_counter(), time.process_time()
    mismatches = int(np.count_nonzero(naive.adopted() != expected))
    del naive
    gc.collect()
    return {"build_s": t1 - t0, "step_s": t2 - t1, "step_cpu_s": c2 - c1, "resident_steps_per_s": n * steps / (t2 - t1),
            "resident_steps_per_cpu_s": n * steps / max(c2 - c1, 1e-9), "mismatches": mismatches}


def bench_size(residents: int, months: int, repeats: int) -> dict:
    """Full model and naive reference at one size, their repetitions interleaved.

    Interleaving (full, naive, full, naive, ...) exposes both to the same background load. The
    naive model is rebuilt for each repetition and deleted before the next full run, so its
    Mesa agents never sit in the heap (and in the garbage collector's way) while the full
    model is timed.
    """
    overrides = world_overrides(residents, months)
    cfg = load_config(overrides)
    full_runs, naive_runs, full_fig = [], [], None
    adj = threshold = adopted0 = expected = None
    steps = naive_steps_for(residents)
    for rep in range(repeats):
        run, model = run_full_once(cfg, months)
        full_runs.append(run)
        if rep == 0:  # the network and thresholds of this size (same seed, so the same every repetition)
            adj, inv = model.world.adjacency, model.world.inv_degree.copy()
            threshold = model.people.threshold.copy()
            adopted0 = np.random.default_rng(SEED).random(adj.shape[0]) < NAIVE_SEED_SHARE
            expected = vectorised_reference(adj, inv, threshold, adopted0, steps, model.cfg.adoption)
        if rep == repeats - 1:
            full_fig = summarise_full(full_runs, model, overrides, months)
        del model
        naive_runs.append(run_naive_once(adj, threshold, adopted0, steps, expected))
    rates = [r["resident_steps_per_s"] for r in naive_runs]
    naive_fig = {
        "residents": adj.shape[0], "steps": steps, "repeats": repeats, "runs": naive_runs,
        "build_s_median": statistics.median(r["build_s"] for r in naive_runs),
        "initial_adopters": int(adopted0.sum()), "adopters_after": int(expected.sum()),
        "verified": all(r["mismatches"] == 0 for r in naive_runs),
        "resident_steps_per_s_median": statistics.median(rates), "resident_steps_per_s_best": max(rates),
        **cpu_figures(naive_runs),
    }
    row = {"requested": residents, "full": full_fig, "naive": naive_fig,
           "ratio": full_fig["resident_steps_per_s_median"] / naive_fig["resident_steps_per_s_median"],
           "ratio_cpu": full_fig["resident_steps_per_cpu_s_median"] / naive_fig["resident_steps_per_cpu_s_median"]}
    if residents == TARGET_SIZE:
        row["like_for_like"] = like_for_like(overrides, months, repeats, naive_fig)
    return row


def like_for_like(overrides: list[str], months: int, repeats: int, naive_fig: dict) -> dict:
    """The full model running the naive reference's own rule: the threshold rule with every
    other mechanism off (textbook mode), same world and seed. The headline ratio compares the
    default flywheel model (more work per month, but its rule is evaluated only below its
    ceiling) with the naive threshold model; this ratio compares like with like."""
    cfg = load_config([*overrides, "adoption=threshold", "mechanisms=none"])
    rates = [run_full_once(cfg, months)[0]["resident_steps_per_s"] for _ in range(repeats)]
    rate = statistics.median(rates)
    return {"overrides": ["adoption=threshold", "mechanisms=none"], "resident_steps_per_s_median": rate,
            "ratio": rate / naive_fig["resident_steps_per_s_median"]}


def cpu_figures(runs: list[dict]) -> dict:
    """Rates per second of this process's CPU time, and wall time / CPU time (> 1: other load took CPU away)."""
    return {
        "resident_steps_per_cpu_s_median": statistics.median(r["resident_steps_per_cpu_s"] for r in runs),
        "wall_over_cpu_median": statistics.median(r["step_s"] / max(r["step_cpu_s"], 1e-9) for r in runs),
    }


# --- memory (in a child process) --------------------------------------------------------
def memory_child(residents: int, months: int) -> None:
    """Run in a fresh interpreter: sim.runner.run at this size; print figures as one JSON line."""
    from sim.runner import run

    rss_imports = proc_status_kib("VmRSS")  # not ru_maxrss: that still holds the parent's peak here
    cfg = load_config(world_overrides(residents, months))
    t0 = time.perf_counter()
    res = run(cfg)
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    hwm = proc_status_kib("VmHWM")
    print(json.dumps({
        "residents": int(res.region["residents"].iloc[0]), "months": months,
        "peak_rss_kib": peak, "peak_rss_mb": peak * 1024 / 1e6, "peak_rss_mib": peak / 1024,
        "rss_after_imports_mb": rss_imports * 1024 / 1e6 if rss_imports is not None else None,
        "vm_hwm_kib": hwm, "vm_hwm_mb": hwm * 1024 / 1e6 if hwm is not None else None,
        "seconds_total": seconds, "seconds_build": res.seconds_build, "seconds_run": res.seconds_run,
    }))


def proc_status_kib(field: str) -> int | None:
    """A memory figure of this process from /proc/self/status in KiB (VmRSS now, VmHWM its own peak)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return None


def measure_memory(residents: int, months: int) -> dict:
    """Peak RSS of a fresh process running the model.

    On Linux a child's ru_maxrss starts at the parent's peak RSS at fork/exec time, so this is
    called before the parent builds any model (the parent has only imported what the child
    imports too); the parent's peak at that moment is recorded, and the child's VmHWM (its own
    address space only) is reported as a cross-check.
    """
    parent_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    cmd = [sys.executable, str(Path(__file__).resolve()), "--memory-child", str(residents), "--months", str(months)]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        return {"error": (proc.stderr.strip().splitlines() or ["exit code %d" % proc.returncode])[-1]}
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    out["parent_peak_rss_at_spawn_mb"] = parent_kib * 1024 / 1e6
    return out


# --- profile ----------------------------------------------------------------------------
def profile(residents: int, steps: int) -> None:
    """cProfile `steps` months of the full model (built beforehand); writes results/benchmarks/profile.txt."""
    model = VillageModel(load_config(world_overrides(residents, 120)))
    prof = cProfile.Profile()
    t0 = time.perf_counter()
    prof.enable()
    for _ in range(steps):
        model.step()
    prof.disable()
    seconds = time.perf_counter() - t0
    buf = io.StringIO()
    buf.write(f"cProfile of {steps} steps of the full model at {model.people.n:,} residents "
              f"({seconds:.3f} s under the profiler; {model.people.n * steps / seconds:,.0f} resident-steps/s)\n\n")
    buf.write("== functions in sim/, by cumulative time ==\n")
    st = pstats.Stats(prof, stream=buf)
    st.sort_stats("cumulative").print_stats(r"/sim/", 30)
    buf.write("\n== all functions, by own (total) time ==\n")
    st.sort_stats("tottime").print_stats(20)
    text = buf.getvalue().replace(str(ROOT) + "/", "")
    print(text)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    write_atomic(OUT_DIR / "profile.txt", text)


# --- output -----------------------------------------------------------------------------
def machine_info() -> dict:
    cpu_model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for p in PACKAGES:
        try:
            versions[p] = metadata.version(p)
        except metadata.PackageNotFoundError:
            versions[p] = None
    return {
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "cpu_count": os.cpu_count(), "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "cpu_model": cpu_model, "platform": platform.platform(), "python": platform.python_version(),
        "packages": versions, "git": git_state(),
    }


def git_state() -> dict:
    def git(*args):
        try:
            p = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10)
            return p.stdout.strip() if p.returncode == 0 else None
        except (OSError, subprocess.SubprocessError):
            return None

    status = git("status", "--porcelain", "--untracked-files=no")
    return {"commit": git("rev-parse", "HEAD"), "dirty": bool(status) if status is not None else None}


def evaluate(rows: list[dict], memory: dict | None) -> list[dict]:
    """The three targets as PASS / FAIL / SKIP with the measured figure."""
    at = next((r for r in rows if r["requested"] == TARGET_SIZE), None)
    out = []
    if at is None:
        missing = f"{TARGET_SIZE:,} residents not measured"
        out.append({"target": "rate", "status": "SKIP",
                    "text": f">= {TARGET_RATE / 1e6:.0f} M resident-steps/s at {TARGET_SIZE:,} residents: {missing}"})
        out.append({"target": "ratio", "status": "SKIP",
                    "text": f">= {TARGET_RATIO:.0f}x the naive reference at {TARGET_SIZE:,} residents: {missing}"})
    else:
        rate, best, ratio = at["full"]["resident_steps_per_s_median"], at["full"]["resident_steps_per_s_best"], at["ratio"]
        out.append({"target": "rate", "status": "PASS" if rate >= TARGET_RATE else "FAIL", "value": rate,
                    "text": f"full model at {at['full']['residents']:,} residents: {rate / 1e6:.2f} M resident-steps/s "
                            f"(median; best {best / 1e6:.2f} M), target >= {TARGET_RATE / 1e6:.0f} M"})
        out.append({"target": "ratio", "status": "PASS" if ratio >= TARGET_RATIO else "FAIL", "value": ratio,
                    "text": f"full / naive at {at['full']['residents']:,} residents: {ratio:.1f}x "
                            f"(medians), target >= {TARGET_RATIO:.0f}x"})
    if memory is None:
        out.append({"target": "memory", "status": "SKIP",
                    "text": f"<= {MEMORY_LIMIT_MB:,.0f} MB peak RSS for {MEMORY_RESIDENTS:,} residents: memory run not made"})
    elif "error" in memory:
        out.append({"target": "memory", "status": "FAIL", "text": f"memory run failed: {memory['error']}"})
    else:
        mb = memory["peak_rss_mb"]
        out.append({"target": "memory", "status": "PASS" if mb <= MEMORY_LIMIT_MB else "FAIL", "value": mb,
                    "text": f"peak RSS of {memory['residents']:,} residents over {memory['months']} months: "
                            f"{mb:,.0f} MB ({memory['peak_rss_mib']:,.0f} MiB; run {memory['seconds_total']:.1f} s), "
                            f"target <= {MEMORY_LIMIT_MB:,.0f} MB"})
    return out


def render(rows: list[dict], memory: dict | None, targets: list[dict], machine: dict, months: int) -> str:
    lines = [
        "# vliegwiel model benchmark", "",
        f"{machine['date']}, git {(machine['git']['commit'] or '?')[:10]}{' (dirty)' if machine['git']['dirty'] else ''}, "
        f"Python {machine['python']}, numpy {machine['packages']['numpy']}, mesa {machine['packages']['mesa']}, "
        f"{machine['cpu_count']} CPUs ({machine['cpu_model'] or 'unknown CPU'}), load average "
        f"{machine['load_average']['before'][0]:.2f} before / {machine['load_average']['after'][0]:.2f} after "
        "(other processes on the machine make the timings noisy)", "",
        f"Full model: default configuration, villages of {VILLAGE_SIZE:,} residents, {months} months, data collection "
        "included; medians over repeated builds and runs (best in brackets). Naive: one Mesa agent per resident, "
        "threshold rule in Python, same network.", "",
        f"| size | residents | build s | step s ({months} months) | resident-steps/s full | naive resident-steps/s | ratio |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        f, nv = r["full"], r["naive"]
        lines.append(
            f"| {label(r['requested'])} | {f['residents']:,} | {f['build_s_median']:.3f} | {f['step_s_median']:.3f} "
            f"| {f['resident_steps_per_s_median']:,.0f} ({f['resident_steps_per_s_best']:,.0f}) "
            f"| {nv['resident_steps_per_s_median']:,.0f} | {r['ratio']:.1f}x |")
    lines += [
        "",
        "Per second of this process's CPU time (less sensitive to other processes; wall / CPU > 1 means they took CPU away):",
        "",
        "| size | full resident-steps/CPU-s | naive resident-steps/CPU-s | ratio | wall / CPU full, naive |",
        "|---|---:|---:|---:|---:|",
    ]
    for r in rows:
        f, nv = r["full"], r["naive"]
        lines.append(f"| {label(r['requested'])} | {f['resident_steps_per_cpu_s_median']:,.0f} "
                     f"| {nv['resident_steps_per_cpu_s_median']:,.0f} | {r['ratio_cpu']:.1f}x "
                     f"| {f['wall_over_cpu_median']:.2f}, {nv['wall_over_cpu_median']:.2f} |")
    for r in rows:
        if "like_for_like" in r:
            lf = r["like_for_like"]
            lines.append("")
            lines.append(f"Like for like at {label(r['requested'])}: the full model with the naive reference's own rule "
                         f"(adoption=threshold mechanisms=none) runs {lf['resident_steps_per_s_median']:,.0f} "
                         f"resident-steps/s, {lf['ratio']:.1f}x the naive reference (medians).")
    lines.append("")
    lines.append("Repetitions, full and naive interleaved: " + ", ".join(
        f"{label(r['requested'])} {r['full']['repeats']} (naive {r['naive']['steps']} steps each)" for r in rows))
    lines.append("Naive reference agrees with sim.rules.adoption.threshold_rule: " + ", ".join(
        f"{label(r['requested'])} {'yes' if r['naive']['verified'] else 'NO'} "
        f"({r['naive']['initial_adopters']:,} -> {r['naive']['adopters_after']:,} adopters)" for r in rows))
    if memory is not None and "error" not in memory:
        lines.append(f"Memory: {memory['residents']:,} residents x {memory['months']} months in a fresh process "
                     f"(sim.runner.run, tables included): peak RSS {memory['peak_rss_mb']:,.0f} MB "
                     f"(ru_maxrss; own address space VmHWM {memory['vm_hwm_mb'] or float('nan'):,.0f} MB; "
                     f"{memory['rss_after_imports_mb'] or float('nan'):,.0f} MB RSS after imports), {memory['seconds_total']:.1f} s "
                     f"(build {memory['seconds_build']:.1f} s, run {memory['seconds_run']:.1f} s)")
    lines.append("")
    lines += [f"{t['status']}: {t['text']}" for t in targets]
    busy = [label(r["requested"]) for r in rows
            if max(r["full"]["wall_over_cpu_median"], r["naive"]["wall_over_cpu_median"]) > 1.15]
    if busy:
        lines.append(f"NOTE: at {', '.join(busy)} the timed code ran more than 15% longer than its CPU time: other "
                     "processes competed for the CPUs, so the wall-clock figures (and the targets judged on them) "
                     "understate the model; compare the CPU-time table.")
    return "\n".join(lines) + "\n"


def write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


# --- main -------------------------------------------------------------------------------
def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="1k and 10k residents only, no memory run")
    ap.add_argument("--sizes", type=lambda s: [int(float(x)) for x in s.split(",") if x.strip()],
                    help="comma-separated resident counts (default 1000,10000,100000)")
    ap.add_argument("--months", type=int, default=120, help="months per full-model run (default 120)")
    ap.add_argument("--repeats", type=int, help="repetitions per size of the full model and of the naive reference (default 3)")
    ap.add_argument("--no-memory", action="store_true", help="skip the 200k-resident memory run")
    ap.add_argument("--memory-residents", type=int, default=MEMORY_RESIDENTS)
    ap.add_argument("--profile", action="store_true", help="only profile 20 steps at 100k residents (profile.txt)")
    ap.add_argument("--profile-residents", type=int, default=TARGET_SIZE)
    ap.add_argument("--profile-steps", type=int, default=20)
    ap.add_argument("--memory-child", type=int, help=argparse.SUPPRESS)
    return ap.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.memory_child:
        memory_child(args.memory_child, args.months)
        return 0
    if args.profile:
        profile(args.profile_residents, args.profile_steps)
        return 0

    sizes = args.sizes or (QUICK_SIZES if args.quick else DEFAULT_SIZES)
    machine = machine_info()
    load_before = os.getloadavg()
    memory = None
    if not (args.quick or args.no_memory):  # first, while this process is still small (see measure_memory)
        print(f"[memory] {args.memory_residents:,} residents x {args.months} months in a subprocess ...", flush=True)
        memory = measure_memory(args.memory_residents, args.months)
        if "error" not in memory:
            print(f"[memory]   peak RSS {memory['peak_rss_mb']:,.0f} MB", flush=True)
    rows = []
    for n in sizes:
        repeats = args.repeats or 3
        print(f"[{label(n)}] {repeats} x (full model {args.months} months, naive reference {naive_steps_for(n)} steps) ...",
              flush=True)
        row = bench_size(n, args.months, repeats)
        rows.append(row)
        print(f"[{label(n)}]   full {row['full']['resident_steps_per_s_median']:,.0f}, naive "
              f"{row['naive']['resident_steps_per_s_median']:,.0f} resident-steps/s (medians); naive agrees with "
              f"threshold_rule: {row['naive']['verified']}", flush=True)

    machine["load_average"] = {"before": list(load_before), "after": list(os.getloadavg())}
    targets = evaluate(rows, memory)
    table = render(rows, memory, targets, machine, args.months)
    print()
    print(table)

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    name = "model-quick" if args.quick else "model"
    data = {"machine": machine, "months": args.months, "sizes": rows, "memory": memory, "targets": targets,
            "settings": {"village_size": VILLAGE_SIZE, "seed": SEED, "naive_seed_share": NAIVE_SEED_SHARE,
                         "target_size": TARGET_SIZE, "target_rate": TARGET_RATE, "target_ratio": TARGET_RATIO,
                         "memory_limit_mb": MEMORY_LIMIT_MB, "headline": "median"}}
    write_atomic(OUT_DIR / f"{name}.json", json.dumps(data, indent=2) + "\n")
    write_atomic(OUT_DIR / f"{name}.md", table)
    print(f"written: {(OUT_DIR / f'{name}.json').relative_to(ROOT)}, {(OUT_DIR / f'{name}.md').relative_to(ROOT)}")

    bad = [r for r in rows if not r["naive"]["verified"]]
    if bad:
        print("ERROR: the naive reference disagrees with sim.rules.adoption.threshold_rule at "
              + ", ".join(label(r["requested"]) for r in bad), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

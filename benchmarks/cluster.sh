#!/usr/bin/env bash
# make test-cluster: the executors beyond one machine, for real, on this machine.
#   1. a Ray cluster of two nodes started with `ray start` (a head and a second node joining
#      it, each with 1 CPU and a resource naming it), then tests/test_cluster.py against it
#      (ensembles with and without a shared folder, both nodes used, a lost worker, the CLI);
#   2. the SLURM path through submitit's local executor (tests/test_executors.py);
#   3. unless CLUSTER_BENCH=0: a 40-run default-world ensemble on the Ray cluster, on 2 worker
#      processes, serially and through submitit, BENCH_ROUNDS (3) times round robin
#      -> results/benchmarks/cluster.json (with the load average: the machine may be shared).
# The cluster is always torn down (success, failure, Ctrl-C): each node is a `ray start
# --block` of ours, stopped by its process id (not `ray stop`, which stops every Ray
# process on the machine, other people's included).
# Usage: bash benchmarks/cluster.sh [BIN]    (BIN: the virtual environment's bin, default .venv/bin)
# Settings: RAY_PORT (6399; it and the next three ports must be free), CLUSTER_TESTS=0 (no
#           tests), CLUSTER_BENCH=0 (no figures), PYTEST_ARGS (more pytest arguments).
set -euo pipefail
BIN=$(cd "${1:-.venv/bin}" && pwd)
cd "$(dirname "$0")/.."
PORT=${RAY_PORT:-6399}
WORK=$(mktemp -d /tmp/vwr-XXXXXX)           # short: Ray's Unix socket paths must stay < 108 bytes
export RAY_TMPDIR=$WORK/t
export RAY_USAGE_STATS_ENABLED=0
# the cluster listens on every interface while the tests run: only holders of this token get in
export RAY_AUTH_MODE=token
RAY_AUTH_TOKEN=$("$BIN/python" -c 'import secrets; print(secrets.token_hex(32))')
export RAY_AUTH_TOKEN
# each node's object store: 100 MB (Ray's default is 30% of the memory, per node)
STORE=${RAY_OBJECT_STORE_BYTES:-100000000}
PIDS=()

stop_node() {   # $1: the pid of a `ray start --block` (its own process group): TERM, then KILL
    local pid=$1 i
    kill -TERM "$pid" 2>/dev/null || return 0
    for i in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$pid" 2>/dev/null || true   # what is left of that process group
    wait "$pid" 2>/dev/null || true
}
cleanup() {
    local status=$? i
    trap - EXIT INT TERM
    for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do stop_node "${PIDS[i]}"; done
    [ -s "$WORK/pytest.pid" ] && rm -rf "/tmp/vw-ray-$(cat "$WORK/pytest.pid")"
    rm -rf "$WORK"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start_node() {  # $1: its log name; the rest: ray start's arguments. Waits until it runs.
    local name=$1 i; shift
    : >"$WORK/$name.log"
    setsid "$BIN/ray" start --block --num-cpus=1 --object-store-memory="$STORE" --disable-usage-stats "$@" \
        >"$WORK/$name.log" 2>&1 &
    PIDS+=($!)
    for i in $(seq 240); do
        grep -q "Ray runtime started" "$WORK/$name.log" && return 0
        kill -0 "${PIDS[-1]}" 2>/dev/null || break
        sleep 0.5
    done
    echo "cluster.sh: the Ray $name node did not start; its output:" >&2
    cat "$WORK/$name.log" >&2
    return 1
}

echo "cluster.sh: starting a Ray head (port $PORT) and a second node, 1 CPU each ($RAY_TMPDIR)"
start_node head --head --port="$PORT" --include-dashboard=false --dashboard-port=$((PORT + 1)) \
    --dashboard-agent-listen-port=$((PORT + 2)) --resources='{"head_node": 1}'
ADDRESS=$(cat "$RAY_TMPDIR/ray/ray_current_cluster")   # <this host's address>:PORT
start_node second --address="$ADDRESS" --dashboard-agent-listen-port=$((PORT + 3)) \
    --resources='{"second_node": 1}'
export VLIEGWIEL_RAY_ADDRESS=$ADDRESS VLIEGWIEL_RAY_SECOND_NODE_PID=${PIDS[1]}
echo "cluster.sh: Ray cluster at $ADDRESS"

# pytest in the foreground (Ctrl-C reaches it), its pid noted: tests/test_executors.py's local
# Ray keeps its files in /tmp/vw-ray-<that pid>, removed with the cluster
if [ "${CLUSTER_TESTS:-1}" != 0 ]; then
    bash -c 'echo $$ >"$0"; exec "$@"' "$WORK/pytest.pid" \
        "$BIN/python" -m pytest -q -p no:cacheprovider tests/test_cluster.py tests/test_executors.py ${PYTEST_ARGS:-}
fi

[ "${CLUSTER_BENCH:-1}" = 0 ] && exit 0
# The figures: a 40-run default-world ensemble (120 months, replicates 0..39) on each executor,
# each in a fresh folder (nothing found done), with the load average around each.
# (a file, not stdin: the processes executor's workers import the main module by its path)
mkdir -p results/benchmarks
cat >"$WORK/bench.py" <<'PY'
import json, os, platform, statistics, sys, tempfile, time
from datetime import UTC, datetime

import ray

from sim.config import apply_overrides, load_config
from sim.experiments import Run, make_executor, run_ensemble


def main(out: str, address: str, rounds: int) -> None:
    base = load_config([])
    runs = [Run(apply_overrides(base, {"replicate": r}), scenario="default", params={"replicate": str(r)})
            for r in range(40)]
    cases = [("serial", "serial", {}, "this process"),
             ("processes_2", "processes", {"workers": 2}, "2 worker processes on this machine"),
             ("ray_cluster", "ray", {"address": address},
              "the 2-node Ray cluster, shared folder (connecting and the workers' imports included)"),
             ("ray_cluster_records_back", "ray", {"address": address, "shared_folder": False},
              "the 2-node Ray cluster, records sent back to the driver (shared_folder=False)"),
             ("ray_cluster_warm", "ray", {"address": address},
              "the 2-node Ray cluster, driver already connected and both workers warm"),
             ("slurm_local", "slurm_local", {}, "submitit's local executor (the SLURM path: 8 tasks of 5 runs)")]
    figures = {name: {"executor": what, "wall_seconds": [], "model_seconds": [], "load_average_1min": []}
               for name, _, _, what in cases}
    reference = None
    for k in range(rounds):   # round robin, each round starting elsewhere: the machine is shared
        for name, kind, settings, what in cases[k % len(cases):] + cases[:k % len(cases)]:
            warm = name.endswith("_warm")
            if warm:   # connect once and warm both workers (each imports the model), then measure
                ray.init(address=address, include_dashboard=False, log_to_driver=False)
                with tempfile.TemporaryDirectory(dir="/tmp") as folder:
                    run_ensemble(runs[:4], folder, make_executor(kind, **settings, batch=1), quiet=True)
            ex = make_executor(kind, **settings)
            with tempfile.TemporaryDirectory(dir="/tmp") as folder:
                load = os.getloadavg()[0]
                t0 = time.perf_counter()
                result = run_ensemble(runs, folder, ex, quiet=True)
                wall = time.perf_counter() - t0
            if warm:
                ray.shutdown()
            assert result.ok and result.ran == len(runs), name
            metrics = result.metrics.drop(columns=["seconds"])
            reference = metrics if reference is None else reference
            assert metrics.equals(reference), f"{name}: metrics differ from the first ensemble's"
            f = figures[name]
            f["wall_seconds"].append(round(wall, 2))
            f["model_seconds"].append(round(result.model_seconds, 2))
            f["load_average_1min"].append(round(load, 2))
            if kind == "ray":
                f["runs_per_node"] = sorted(ex.runs_per_node.values(), reverse=True)
            print(f"cluster.sh: round {k + 1}/{rounds} {name:25s} {wall:5.1f} s wall, {result.model_seconds:5.1f} s "
                  f"model time, load {load:.1f}", flush=True)
    for f in figures.values():
        f["wall_seconds_median"] = round(statistics.median(f["wall_seconds"]), 2)
    data = {"what": "40 default-world runs (sim.config.load_config([]), 120 months, replicates 0..39) as one "
                    "ensemble, in a fresh folder; wall time of run_ensemble, starting and stopping its workers "
                    "included; every executor gave the same metrics (seconds aside)",
            "when": datetime.now(UTC).isoformat(timespec="seconds"), "cores": os.cpu_count(),
            "ray": ray.__version__, "python": platform.python_version(), "rounds": rounds,
            "cluster": "2 Ray nodes on this machine (ray start --head / ray start --address), 1 CPU each",
            "load_average_at_end": [round(x, 2) for x in os.getloadavg()], "figures": figures}
    with open(out, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=2)
        f.write("\n")
    print(f"cluster.sh: figures -> {out}")

if __name__ == "__main__":
    main(sys.argv[1], os.environ["VLIEGWIEL_RAY_ADDRESS"], int(os.environ.get("BENCH_ROUNDS", "3")))
PY
"$BIN/python" "$WORK/bench.py" results/benchmarks/cluster.json

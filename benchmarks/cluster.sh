#!/usr/bin/env bash
# make test-cluster: the executors beyond one machine, for real, on this machine.
#   1. a Ray cluster of two nodes started with `ray start` (a head and a second node, each
#      with its own CPUs and a resource naming it), then the ensemble tests against it;
#   2. the SLURM path through submitit's local executor.
# Usage: bash benchmarks/cluster.sh .venv/bin
set -euo pipefail
BIN=${1:-.venv/bin}
cd "$(dirname "$0")/.."
export RAY_TMPDIR=/tmp/vw-ray-$$            # Unix socket paths must stay short
export RAY_USAGE_STATS_ENABLED=0
PORT=${RAY_PORT:-6399}
cleanup() { "$BIN/ray" stop --force >/dev/null 2>&1 || true; rm -rf "$RAY_TMPDIR"; }
trap cleanup EXIT
"$BIN/ray" start --head --port="$PORT" --num-cpus=1 --resources='{"head_node": 1}' \
    --include-dashboard=false --disable-usage-stats >/dev/null
"$BIN/ray" start --address="127.0.0.1:$PORT" --num-cpus=1 --resources='{"second_node": 1}' \
    --disable-usage-stats >/dev/null
VLIEGWIEL_RAY_ADDRESS="127.0.0.1:$PORT" "$BIN/python" -m pytest -q tests/test_executors.py tests/test_cluster.py

"""Processes that die or are told to stop (fault suite, part 2: real commands as subprocesses).

- kill -9 of a sweep, a sensitivity analysis and a calibration at random points (a fixed
  seed picks them), then the same command again: it ends with exactly the records an
  uninterrupted run writes, every one whole, nothing half-written left;
- Ctrl-C (SIGINT) and SIGTERM: one line, exit 130 / 143, no traceback, finished records kept;
- the parent killed with -9: its worker processes end too (none left running);
- a run that fails, and collect over a partial folder: exit 1 and the failures named.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from sim import load_config
from sim.config import apply_overrides
from sim.experiments import records, run_key

pytestmark = pytest.mark.subprocess
BIN = Path(sys.executable).parent
RNG = random.Random(20261128)


def _start(exe: str, args: list[str], cwd: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "HYDRA_FULL_ERROR"}
    return subprocess.Popen([str(BIN / exe), *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, text=True, start_new_session=True, env=env)


def _run(exe: str, args: list[str], cwd: Path, timeout: float = 240) -> subprocess.CompletedProcess:
    p = _start(exe, args, cwd)
    out, err = p.communicate(timeout=timeout)
    return subprocess.CompletedProcess(p.args, p.returncode, out, err)


def _records(folder: Path) -> set[str]:
    return {p.name for p in (folder / "runs").glob("*.parquet")} if (folder / "runs").is_dir() else set()


def _partials(folder: Path) -> list[str]:
    return [str(p) for p in folder.rglob("*") if ".partial" in p.name]


def _wait_for(folder: Path, n: int, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline and len(_records(folder)) < n and proc.poll() is None:
        time.sleep(0.02)


def _children(pid: int) -> set[int]:
    """Every living descendant of `pid` (from /proc)."""
    kids: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            kids.setdefault(ppid, []).append(int(entry.name))
    out, todo = set(), [pid]
    while todo:
        for c in kids.get(todo.pop(), []):
            out.add(c)
            todo.append(c)
    return out


def _alive(pids: set[int]) -> set[int]:
    out = set()
    for pid in pids:
        try:
            state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            out.add(pid)
    return out


SWEEP = ["-m", "world=small", "months=48", "policy.instruments=[none],[dialogue]", "replicate=range(0,6)"]


def _expected_sweep_records() -> set[str]:
    base = load_config(["world=small", "months=48"])
    return {f"{run_key(apply_overrides(base, {'policy.instruments': [i], 'replicate': r}))}.parquet"
            for i in ("none", "dialogue") for r in range(6)}


@pytest.mark.parametrize("after", [RNG.randint(1, 4), RNG.randint(5, 9)])
def test_a_sweep_killed_at_random_resumes_to_exactly_the_uninterrupted_records(tmp_path, after):
    folder = tmp_path / "sweep"
    proc = _start("vliegwiel", [*SWEEP, f"hydra.sweep.dir={folder}"], tmp_path)
    _wait_for(folder, after, proc)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    kept = _records(folder)
    assert len(kept) < 12, "kill the sweep while it runs"
    for name in kept:
        records.check(folder / "runs" / name)             # every record left is whole
    r = _run("vliegwiel", [*SWEEP, f"hydra.sweep.dir={folder}"], tmp_path)
    assert r.returncode == 0, r.stderr
    assert f"{len(kept)} of 12 runs already done" in r.stderr or not kept
    assert _records(folder) == _expected_sweep_records()
    assert not _partials(folder)
    metrics = pd.read_parquet(folder / "metrics.parquet")
    assert len(metrics) == 12 and metrics["run"].is_unique


def test_a_killed_sensitivity_analysis_resumes(tmp_path):
    args = ["--method", "morris", "--n", "3", "--metric", "participation_end", "--dir", str(tmp_path / "m"),
            "--param", "adoption.w_social=0.5:1.5", "--param", "collectives.founding_rate=0.005:0.02",
            "world=small", "months=36"]
    proc = _start("vliegwiel-sensitivity", args, tmp_path)
    _wait_for(tmp_path / "m", RNG.randint(1, 3), proc)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    r = _run("vliegwiel-sensitivity", args, tmp_path)
    assert r.returncode == 0, r.stderr
    clean = _run("vliegwiel-sensitivity", [str(tmp_path / "clean") if a == str(tmp_path / "m") else a for a in args],
                 tmp_path)
    assert clean.returncode == 0, clean.stderr
    assert _records(tmp_path / "m") == _records(tmp_path / "clean")
    a = pd.read_csv(tmp_path / "m" / "sensitivity" / "indices.csv")
    b = pd.read_csv(tmp_path / "clean" / "sensitivity" / "indices.csv")
    pd.testing.assert_frame_equal(a, b)
    assert not _partials(tmp_path)


def test_a_killed_calibration_resumes_to_the_same_fit(tmp_path):
    """kill -9 during ABC-SMC (after generation 0, while generation 1 runs): the same command
    continues from pyabc's history and the records, and ends with the posterior, forecast and
    runs of an uninterrupted calibration."""
    args = ["--population", "6", "--generations", "3", "--replicates", "1", "--villages", "10",
            "--forecast-draws", "2", "--forecast-years", "1", "--no-care"]
    proc = _start("vliegwiel-calibrate", [*args, "--dir", str(tmp_path / "a")], tmp_path)
    _wait_for(tmp_path / "a", 6 + RNG.randint(1, 6), proc)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    r = _run("vliegwiel-calibrate", [*args, "--dir", str(tmp_path / "a")], tmp_path)
    assert r.returncode == 0, r.stderr
    clean = _run("vliegwiel-calibrate", [*args, "--dir", str(tmp_path / "b")], tmp_path)
    assert clean.returncode == 0, clean.stderr
    assert _records(tmp_path / "b") <= _records(tmp_path / "a")
    for name in ("posterior.csv", "forecast.csv", "generations.csv"):
        assert (tmp_path / "a" / name).read_text() == (tmp_path / "b" / name).read_text(), name
    assert not _partials(tmp_path)


@pytest.mark.parametrize(("sig", "code", "words"), [(signal.SIGINT, 130, "Ctrl-C"), (signal.SIGTERM, 143, "SIGTERM")])
def test_a_signal_stops_a_sweep_with_one_line_and_keeps_what_is_done(tmp_path, sig, code, words):
    folder = tmp_path / "sweep"
    proc = _start("vliegwiel", [*SWEEP, f"hydra.sweep.dir={folder}"], tmp_path)
    _wait_for(folder, 2, proc)
    pids = _children(proc.pid)
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == code, err
    assert "Traceback" not in err
    last = err.strip().splitlines()[-1]
    assert words in last and "finished run(s) are kept" in last and str(folder) in last
    kept = _records(folder)
    assert len(kept) >= 2 and not _partials(folder)
    for name in kept:
        records.check(folder / "runs" / name)
    time.sleep(1.0)
    assert not _alive(pids), "worker processes outlived the sweep"


def test_workers_end_when_the_parent_is_killed(tmp_path):
    folder = tmp_path / "sweep"
    proc = _start("vliegwiel", [*SWEEP, f"hydra.sweep.dir={folder}"], tmp_path)
    _wait_for(folder, 1, proc)
    workers = _children(proc.pid)
    assert workers, "the sweep should have worker processes"
    os.kill(proc.pid, signal.SIGKILL)      # the parent alone, not its process group
    proc.wait()
    deadline = time.time() + 10
    while time.time() < deadline and _alive(workers):
        time.sleep(0.1)
    assert not _alive(workers), f"left running: {sorted(_alive(workers))}"


def test_failed_runs_exit_1_and_collect_names_unreadable_records(tmp_path):
    edges = tmp_path / "edges.txt"          # a tie to a resident the small world does not have
    edges.write_text("0 1\n1 2\n3 10000000\n", encoding="utf-8")
    folder = tmp_path / "sweep"
    r = _run("vliegwiel", ["-m", "months=3", "world=small", "network=edge_list,watts_strogatz",
                           f"network.edge_list_file={edges}", f"hydra.sweep.dir={folder}"], tmp_path)
    assert r.returncode == 1, r.stderr
    assert "1 run(s) failed" in r.stderr and "failures.csv" in r.stderr and "Traceback" not in r.stderr
    failures = pd.read_csv(folder / "failures.csv")
    assert len(failures) == 1 and "resident indices must lie in" in failures["error"].iloc[0]
    (folder / "runs" / "0000000000000000.parquet").write_bytes(b"PAR1 truncated")
    c = _run("vliegwiel-collect", [str(folder)], tmp_path)
    assert c.returncode == 1 and "not collected: 0000000000000000.parquet: unreadable" in c.stderr
    assert "Traceback" not in c.stderr and len(pd.read_parquet(folder / "metrics.parquet")) == 1

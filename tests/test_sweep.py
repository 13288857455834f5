"""Sweeps: replicate seeds, one record per run, resume, contained failures, collect, and the
real `vliegwiel -m` with the parallel (joblib) and basic launchers."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim import load_config, run
from sim.sweep import task as task_mod
from sim.sweep.collect import collect, scenario_label
from sim.sweep.record import read_meta, run_key
from sim.sweep.seeds import generator, run_seed
from sim.sweep.task import FAIL_FAST_ENV, STOP, params_of, sweep_job

SMALL = ["world=small", "months=12"]
SWEEP = [*SMALL, "policy.instruments=[none],[dialogue]", "replicate=range(0,2)"]


# --- seeds -----------------------------------------------------------------------------------

def test_replicate_streams_follow_from_seed_and_replicate_alone():
    a, b = generator(42, 3).random(5), generator(42, 3).random(5)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, generator(42, 4).random(5))
    assert not np.array_equal(a, generator(43, 3).random(5))
    assert run_seed(42, 3) == run_seed(42, 3) != run_seed(42, 4)


def test_same_replicate_same_world_under_every_instrument():
    """Common random numbers: replicate k builds the same world (month 0) whatever the policy."""
    base = run(load_config([*SMALL, "months=0", "replicate=1", "policy.instruments=[none]"]))
    for inst in ("subsidy", "dialogue"):
        other = run(load_config([*SMALL, "months=0", "replicate=1", f"policy.instruments=[{inst}]"]))
        pd.testing.assert_frame_equal(base.residents, other.residents)
        pd.testing.assert_frame_equal(base.village, other.village)
    different = run(load_config([*SMALL, "months=0", "replicate=2"]))
    assert not base.residents["threshold"].equals(different.residents["threshold"])


# --- records, resume, failures -------------------------------------------------------------------

def test_run_key_depends_on_config_and_replicate_not_on_output():
    k = run_key(load_config(SMALL))
    assert k == run_key(load_config([*SMALL, "output.dir=elsewhere", "output.name=x"]))
    assert k != run_key(load_config([*SMALL, "replicate=1"]))
    assert k != run_key(load_config([*SMALL, "policy.instruments=[dialogue]"]))
    assert len(k) == 16


def test_params_of_overrides():
    assert params_of(["policy.instruments=[a,b]", "replicate=3", "+x=1"]) == {
        "policy.instruments": "[a,b]", "replicate": "3", "x": "1"}


def job(tmp_path, *overrides):
    cfg = load_config([*SMALL, *overrides])
    return sweep_job(cfg, [*SMALL, *overrides], tmp_path)


def test_sweep_job_writes_one_record_and_skips_it_next_time(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(task_mod, "PROGRESS_EVERY", 0.0)     # a line after every run
    assert job(tmp_path, "replicate=0") == "done"
    (record,) = (tmp_path / "runs").glob("*.parquet")
    meta = read_meta(record)
    assert meta["params"]["replicate"] == "0" and meta["replicate"] == 0 and meta["seed"] == 42
    assert meta["run_seed"] == str(run_seed(42, 0))
    assert 0.0 <= meta["metrics"]["participation_end"] <= 1.0
    mtime = record.stat().st_mtime_ns
    assert job(tmp_path, "replicate=0") == "skipped"
    assert record.stat().st_mtime_ns == mtime
    assert sorted(p.name for p in (tmp_path / "runs").iterdir()) == [record.name]   # no temporary files
    assert "1 runs done, 0 failed" in capsys.readouterr().err


def test_a_failing_run_is_recorded_and_redone_next_time(tmp_path, monkeypatch):
    import sim.runner

    def boom(cfg, progress=None):
        raise ValueError("no luck")

    monkeypatch.setattr(sim.runner, "run", boom)
    assert job(tmp_path, "replicate=5") == "failed"
    (failed,) = (tmp_path / "runs").glob("*.failed.json")
    data = json.loads(failed.read_text())
    assert data["params"]["replicate"] == "5" and data["replicate"] == 5 and data["seed"] == 42
    assert data["error"] == "ValueError: no luck" and "Traceback" in data["traceback"]
    monkeypatch.setenv(FAIL_FAST_ENV, "1")
    assert job(tmp_path, "replicate=6") == "failed"
    assert (tmp_path / "runs" / STOP).exists()
    assert job(tmp_path, "replicate=7") == "cancelled"      # every later job returns at once
    monkeypatch.undo()
    (tmp_path / "runs" / STOP).unlink()
    assert job(tmp_path, "replicate=5") == "done"          # redone; its failure note removed
    assert not failed.exists()


# --- collect -------------------------------------------------------------------------------------

def test_scenario_label():
    assert scenario_label({"policy.instruments": "[dialogue,shareholding]", "replicate": "1"},
                          ["policy.instruments"]) == "dialogue+shareholding"
    assert scenario_label({"programme": "pilots_2019"}, ["programme"]) == "pilots_2019"
    assert scenario_label({"policy.budget": "1e6", "programme": "x"}, ["policy.budget", "programme"]) == \
        "budget=1e6, programme=x"


def test_collect_a_partial_sweep(tmp_path, monkeypatch):
    for inst in ("none", "dialogue"):
        for r in (0, 1):
            job(tmp_path, f"policy.instruments=[{inst}]", f"replicate={r}")
    import sim.runner

    monkeypatch.setattr(sim.runner, "run", lambda cfg, progress=None: 1 / 0)
    job(tmp_path, "policy.instruments=[dialogue]", "replicate=2")
    (tmp_path / "runs" / ".abc.parquet.1234.partial").write_bytes(b"half")   # a killed write
    monkeypatch.undo()
    collect(tmp_path)
    metrics = pd.read_parquet(tmp_path / "metrics.parquet")
    assert len(metrics) == 4 and set(metrics["scenario"]) == {"none", "dialogue"}
    data = pd.read_parquet(tmp_path / "dataset.parquet")
    cfg = load_config(SMALL)
    villages, themes = cfg.world.n_villages, len(cfg.collectives.themes)
    assert len(data) == 4 * 13 * (1 + 5 + villages + themes)  # runs x months x (region, 5 Rogers, villages, themes)
    assert {"run", "month", "level", "unit", "scenario", "replicate", "param:policy.instruments"} <= set(data.columns)
    region = data[(data["level"] == "region") & (data["month"] == 12)].set_index("run")["participation_share"]
    np.testing.assert_allclose(region.loc[metrics["run"]].to_numpy(), metrics["participation_end"].to_numpy())
    failures = pd.read_csv(tmp_path / "failures.csv")
    assert len(failures) == 1 and "ZeroDivisionError" in failures["error"].iloc[0]
    report = (tmp_path / "report" / "report.md").read_text()
    assert "4 runs: none (2), dialogue (2)." in report and "1 run failed" in report
    for name in ("adoption_bands.png", "rogers.png", "vulnerable.png", "villages.png", "difference.png",
                 "metrics_table.csv"):
        assert (tmp_path / "report" / name).stat().st_size > 0
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".partial") and p.parent == tmp_path]


# --- the real command --------------------------------------------------------------------------

def metrics_of(folder: Path) -> pd.DataFrame:
    m = pd.read_parquet(folder / "metrics.parquet").drop(columns=["seconds"])
    return m.sort_values("run").reset_index(drop=True)


def test_multirun_end_to_end_same_results_for_every_launcher(cli, tmp_path):
    """joblib with 2 workers (the default), joblib with 1, and Hydra's basic launcher give the
    same aggregated results; a second identical sweep skips every run."""
    dirs = {k: tmp_path / k for k in ("joblib2", "joblib1", "basic")}
    extra = {"joblib2": ["hydra.launcher.n_jobs=2"], "joblib1": ["hydra.launcher.n_jobs=1"],
             "basic": ["hydra/launcher=basic"]}
    started = {k: cli.start(["-m", *SWEEP, f"hydra.sweep.dir={d}", *extra[k]], tmp_path) for k, d in dirs.items()}
    res = {k: cli.wait(v) for k, v in started.items()}
    for k, r in res.items():
        assert r.returncode == 0, (k, r.stderr)
        assert "4 runs done, 0 failed, 0 left" in r.stderr
        assert sorted(p.name for p in dirs[k].iterdir()) == [
            "dataset.parquet", "metrics.csv", "metrics.parquet", "multirun.yaml", "report", "runs"]
        assert len(list((dirs[k] / "runs").glob("*.parquet"))) == 4
        # what the workers read of this attempt (not their environment, which reused workers keep)
        info = json.loads((dirs[k] / "runs" / ".sweep.json").read_text())
        assert info["total"] == 4 and info["fail_fast"] is False
    ref = metrics_of(dirs["basic"])
    assert len(ref) == 4 and set(ref["scenario"]) == {"none", "dialogue"}
    for k in ("joblib2", "joblib1"):
        pd.testing.assert_frame_equal(metrics_of(dirs[k]), ref)
    before = {p.name: p.stat().st_mtime_ns for p in (dirs["joblib2"] / "runs").glob("*.parquet")}
    again = cli.wait(cli.start(["-m", *SWEEP, f"hydra.sweep.dir={dirs['joblib2']}"], tmp_path))
    assert again.returncode == 0
    assert {p.name: p.stat().st_mtime_ns for p in (dirs["joblib2"] / "runs").glob("*.parquet")} == before


def test_collect_command(cli, tmp_path):
    job(tmp_path, "replicate=0")
    r = cli.wait(cli.start([str(tmp_path)], tmp_path, exe="vliegwiel-collect"))
    assert r.returncode == 0 and (tmp_path / "report" / "report.md").exists()
    bad = cli.wait(cli.start([str(tmp_path / "nothing")], tmp_path, exe="vliegwiel-collect"))
    assert bad.returncode == 2 and "not a sweep folder" in bad.stderr


def test_failing_run_contained_and_fail_fast_stops(cli, tmp_path):
    """A run that fails while running (a malformed villages file) is recorded and the others
    finish; exit status 1 names failures.csv. With --fail-fast the sweep stops there."""
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text("name,municipality,population,x_km,y_km\nA,0,100,0,0\nB,0,120,1,1\n", encoding="utf-8")
    bad.write_text("name,municipality,population,x_km,y_km\nA,0,abc,0,0\n", encoding="utf-8")
    common = ["-m", "months=3", "hydra/launcher=basic"]   # one job after the other, in order
    r = cli.run([*common, f"world.villages_file={bad},{good}", f"hydra.sweep.dir={tmp_path / 'a'}"], tmp_path)
    assert r.returncode == 1 and "1 run(s) failed" in r.stderr and "failures.csv" in r.stderr
    failures = pd.read_csv(tmp_path / "a" / "failures.csv")
    assert len(failures) == 1 and "integer population" in failures["error"].iloc[0]
    assert failures["params"].str.contains("bad.csv").all() and failures["seed"].tolist() == [42]
    assert len(pd.read_parquet(tmp_path / "a" / "metrics.parquet")) == 1
    r = cli.run([*common, f"world.villages_file={bad},{good}", f"hydra.sweep.dir={tmp_path / 'b'}", "--fail-fast"],
                tmp_path)
    assert r.returncode == 1 and "stopped at the first failing run" in r.stderr
    assert not list((tmp_path / "b" / "runs").glob("*.parquet"))            # the good run never started
    assert len(list((tmp_path / "b" / "runs").glob("*.failed.json"))) == 1


def test_a_killed_sweep_resumes_with_every_run_exactly_once(cli, tmp_path):
    import signal
    import subprocess
    import sys
    import time

    folder = tmp_path / "sweep"
    args = ["-m", "world=small", "months=60", "replicate=range(0,8)", f"hydra.sweep.dir={folder}"]
    exe = Path(sys.executable).with_name("vliegwiel")
    proc = subprocess.Popen([str(exe), *args], cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.time() + 120
    while time.time() < deadline and len(list((folder / "runs").glob("*.parquet"))) < 2:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    finished = {p.name for p in (folder / "runs").glob("*.parquet")}
    assert 2 <= len(finished) < 8, "kill the sweep while it runs"
    for p in (folder / "runs").glob("*.parquet"):
        read_meta(p)                                   # every file counted as done is whole
    r = cli.run(args, tmp_path)
    assert r.returncode == 0
    expected = {f"{run_key(load_config(['world=small', 'months=60', f'replicate={k}']))}.parquet" for k in range(8)}
    assert {p.name for p in (folder / "runs").glob("*.parquet")} == expected
    metrics = pd.read_parquet(folder / "metrics.parquet")
    assert sorted(metrics["replicate"]) == list(range(8)) and metrics["run"].is_unique

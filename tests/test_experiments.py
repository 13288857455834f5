"""The experiment layer in-process: streams, run keys, records, resume, failures, corrupt
records, lost workers, locks, cancelling, and the same numbers on every executor."""

from __future__ import annotations

import fcntl
import os
import threading

import numpy as np
import pandas as pd
import pytest

from sim import load_config, run
from sim.config import apply_overrides
from sim.errors import DiskFull, UserError
from sim.experiments import Interrupted, Run, make_executor, run_ensemble, run_key, scenario_label
from sim.experiments import records
from sim.experiments.collect import collect_folder
from sim.streams import generator, run_seed

SMALL = ["world=small", "months=12"]


def small_runs(instruments=("none", "dialogue"), replicates=2, months=12) -> list[Run]:
    base = load_config(["world=small", f"months={months}"])
    out = []
    for name in instruments:
        cfg = apply_overrides(base, {"policy.instruments": [name]})
        for r in range(replicates):
            out.append(Run(apply_overrides(cfg, {"replicate": r}), scenario=name,
                           params={"policy.instruments": f"[{name}]", "replicate": str(r)}))
    return out


def fn_runs(function: str, values: list[float], key: str) -> list[Run]:
    cfg = load_config(["months=0"])
    return [Run(cfg, scenario=f"{key}={v}", params={key: str(v)}, function=function, inputs={key: v})
            for v in values]


def metrics_of(result) -> pd.DataFrame:
    return result.metrics.drop(columns=["seconds"]).reset_index(drop=True)


# --- streams and keys ------------------------------------------------------------------------

def test_replicate_streams_follow_from_seed_and_replicate_alone():
    a, b = generator(42, 3).random(5), generator(42, 3).random(5)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, generator(42, 4).random(5))
    assert not np.array_equal(a, generator(43, 3).random(5))
    assert run_seed(42, 3) == run_seed(42, 3) != run_seed(42, 4)


def test_same_replicate_same_world_under_every_instrument():
    """Common random numbers: replicate k builds the same world (month 0) whatever the policy."""
    base = run(load_config(["world=small", "months=0", "replicate=1", "policy.instruments=[none]"]))
    for inst in ("subsidy", "dialogue"):
        other = run(load_config(["world=small", "months=0", "replicate=1", f"policy.instruments=[{inst}]"]))
        pd.testing.assert_frame_equal(base.residents, other.residents)
        pd.testing.assert_frame_equal(base.village, other.village)
    different = run(load_config(["world=small", "months=0", "replicate=2"]))
    assert not base.residents["threshold"].equals(different.residents["threshold"])


def test_run_key_depends_on_the_configuration_only():
    k = run_key(load_config(SMALL))
    assert k == run_key(load_config(SMALL)) and len(k) == 16
    assert k != run_key(load_config([*SMALL, "replicate=1"]))
    assert k != run_key(load_config([*SMALL, "policy.instruments=[dialogue]"]))
    assert Run(load_config(SMALL), scenario="a", params={"x": "1"}).key == Run(load_config(SMALL), scenario="b").key


def test_scenario_label():
    assert scenario_label({"policy.instruments": "[a,b]", "replicate": "1"}, ["policy.instruments"]) == "a+b"
    assert scenario_label({"policy.instruments": "[]"}, ["policy.instruments"]) == "none"
    assert scenario_label({"x.y": "1", "z": "2"}, ["x.y", "z"]) == "y=1, z=2"
    assert scenario_label({}, []) == "all"


# --- an ensemble ----------------------------------------------------------------------------

def test_records_hold_what_the_runner_gives(tmp_path):
    runs = small_runs(("dialogue",), 1)
    result = run_ensemble(runs, tmp_path, quiet=True)
    path = tmp_path / "runs" / f"{runs[0].key}.parquet"
    direct = run(runs[0].config)
    from sim.metrics import run_metrics

    meta = records.check(path)
    assert meta["metrics"] == pytest.approx(run_metrics(direct), nan_ok=True)
    pd.testing.assert_frame_equal(records.read_curves(path), records.curves(direct))
    assert meta["scenario"] == "dialogue" and meta["params"] == {"policy.instruments": "[dialogue]", "replicate": "0"}
    assert result.ran == 1 and result.ok


@pytest.mark.subprocess
def test_same_numbers_on_every_executor_and_worker_count(tmp_path):
    runs = small_runs(replicates=3)
    results = {
        "serial": run_ensemble(runs, tmp_path / "serial", make_executor("serial"), quiet=True),
        "one": run_ensemble(runs, tmp_path / "one", make_executor("processes", workers=1), quiet=True),
        "two": run_ensemble(runs, tmp_path / "two", make_executor("processes", workers=2, batch=1), quiet=True),
    }
    ref = metrics_of(results["serial"])
    assert len(ref) == 6 and list(ref["scenario"]) == ["dialogue"] * 3 + ["none"] * 3
    for name in ("one", "two"):
        pd.testing.assert_frame_equal(metrics_of(results[name]), ref)
        assert (tmp_path / name / "dataset.parquet").read_bytes() == (tmp_path / "serial" / "dataset.parquet").read_bytes()
        for run_ in runs:
            a = (tmp_path / "serial" / "runs" / f"{run_.key}.parquet")
            b = (tmp_path / name / "runs" / f"{run_.key}.parquet")
            pd.testing.assert_frame_equal(records.read_curves(a), records.read_curves(b))


def test_a_second_ensemble_finds_everything_done(tmp_path, capsys):
    runs = small_runs()
    first = run_ensemble(runs, tmp_path, quiet=True)
    stamps = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "runs").glob("*.parquet")}
    again = run_ensemble(runs, tmp_path)
    assert (again.ran, again.skipped) == (0, 4) and "4 of 4 runs already done" in capsys.readouterr().err
    assert {p.name: p.stat().st_mtime_ns for p in (tmp_path / "runs").glob("*.parquet")} == stamps
    pd.testing.assert_frame_equal(metrics_of(again), metrics_of(first))


def test_identical_runs_are_run_once_and_listed_under_each_label(tmp_path):
    base = load_config(SMALL)
    runs = [Run(base, scenario="a"), Run(base, scenario="b")]
    result = run_ensemble(runs, tmp_path, quiet=True)
    assert result.ran == 1 and list(result.metrics["scenario"]) == ["a", "b"]
    assert result.metrics["run"].nunique() == 1
    row_a, row_b = (result.metrics.drop(columns=["scenario"]).iloc[i] for i in (0, 1))
    pd.testing.assert_series_equal(row_a, row_b, check_names=False)


# --- failures ------------------------------------------------------------------------------

def test_a_failing_run_is_contained_recorded_and_redone_next_time(tmp_path):
    runs = fn_runs("fail", [0, 1], "fail")
    result = run_ensemble(runs, tmp_path, quiet=True)
    assert result.ran == 1 and len(result.failed) == 1 and not result.ok
    failure = result.failed[0]
    assert "RuntimeError: this run fails on purpose" in failure["error"] and failure["params"] == {"fail": "1"}
    assert (tmp_path / "runs" / f"{runs[1].key}.failed.json").exists()
    table = pd.read_csv(tmp_path / "failures.csv")
    assert table["key"].tolist() == [runs[1].key] and "traceback" not in table.columns
    assert len(pd.read_parquet(tmp_path / "metrics.parquet")) == 1
    again = run_ensemble(runs, tmp_path, quiet=True)       # the failed one is tried again, the other kept
    assert (again.ran, again.skipped, len(again.failed)) == (0, 1, 1)


def test_fail_fast_stops_at_the_first_failure(tmp_path):
    runs = fn_runs("fail", [1, 0, 0.5, 0.25], "fail")
    result = run_ensemble(runs, tmp_path, make_executor("serial"), fail_fast=True, quiet=True)
    assert result.stopped and len(result.failed) == 1 and result.ran == 0


def test_a_model_run_that_fails_while_building_is_contained(tmp_path):
    edges = tmp_path / "edges.txt"        # found only when the world is built: a resident it lacks
    edges.write_text("0 1\n3 10000000\n", encoding="utf-8")
    base = load_config(SMALL)
    bad = apply_overrides(base, {"network.kind": "edge_list", "network.edge_list_file": str(edges)})
    runs = [Run(base, scenario="good"), Run(bad, scenario="bad")]
    result = run_ensemble(runs, tmp_path / "out", quiet=True)
    assert result.ran == 1 and len(result.failed) == 1
    assert "resident indices must lie in" in result.failed[0]["error"]


@pytest.mark.subprocess
def test_a_lost_worker_is_retried_alone_then_recorded(tmp_path):
    """A run that ends its worker process (killed, out of memory) does not take the others with
    it: the pool is restarted, its batch-mates run again, and it is recorded as failed."""
    runs = fn_runs("end_worker", [-1, -2, 1, -3, -4, -5], "end")
    result = run_ensemble(runs, tmp_path, make_executor("processes", workers=2, batch=3), quiet=True)
    assert result.ran == 5 and len(result.failed) == 1
    assert result.failed[0]["params"] == {"end": "1"} and "worker process ended" in result.failed[0]["error"]


# --- records that cannot be trusted ---------------------------------------------------------

def test_a_truncated_record_is_moved_aside_and_run_again(tmp_path, capsys):
    runs = small_runs(("none",), 2)
    run_ensemble(runs, tmp_path, quiet=True)
    path = tmp_path / "runs" / f"{runs[0].key}.parquet"
    curves, meta = records.read_curves(path), records.check(path)
    path.write_bytes(path.read_bytes()[:1000])
    again = run_ensemble(runs, tmp_path)
    assert (again.ran, again.skipped) == (1, 1)
    assert "not trusted, run again" in capsys.readouterr().err
    pd.testing.assert_frame_equal(records.read_curves(path), curves)  # the same record, made again
    assert records.check(path)["metrics"] == pytest.approx(meta["metrics"], nan_ok=True)
    assert len(list((tmp_path / "runs" / "corrupt").iterdir())) == 1  # nothing thrown away


@pytest.mark.parametrize("content", [b"", b"PAR1garbage", "foreign"])
def test_records_that_are_not_ours_are_not_trusted(tmp_path, content):
    runs = small_runs(("none",), 1)
    (tmp_path / "runs").mkdir()
    path = tmp_path / "runs" / f"{runs[0].key}.parquet"
    if content == "foreign":
        pd.DataFrame({"a": [1]}).to_parquet(path)
    else:
        path.write_bytes(content)
    with pytest.raises(records.CorruptRecord):
        records.check(path)
    result = run_ensemble(runs, tmp_path, quiet=True)
    assert result.ran == 1 and records.check(path)["key"] == runs[0].key


def test_collect_a_partial_folder_with_garbage_in_it(tmp_path):
    runs = fn_runs("fail", [0, 1], "fail")
    run_ensemble(runs, tmp_path, quiet=True)
    (tmp_path / "runs" / "0123456789abcdef.failed.json").write_text("{not json", encoding="utf-8")
    pd.DataFrame({"a": [1]}).to_parquet(tmp_path / "runs" / "fedcba9876543210.parquet")
    metrics, failures, bad, _ = collect_folder(tmp_path)
    assert len(metrics) == 1 and len(failures) == 1
    assert len(bad) == 2 and any("without vliegwiel's metadata" in b for b in bad)
    assert any("unreadable failure record" in b for b in bad)
    with pytest.raises(UserError, match="not an ensemble folder"):
        collect_folder(tmp_path / "nothing")


def test_an_ensemble_where_every_run_failed_still_writes_failures(tmp_path):
    result = run_ensemble(fn_runs("fail", [1, 2], "fail"), tmp_path, quiet=True)
    assert len(result.failed) == 2 and len(pd.read_csv(tmp_path / "failures.csv")) == 2
    assert not (tmp_path / "metrics.parquet").exists()


# --- stopping --------------------------------------------------------------------------------

def test_a_folder_in_use_is_refused(tmp_path):
    (tmp_path / "runs").mkdir()
    fd = os.open(tmp_path / "runs" / ".lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        with pytest.raises(UserError, match="another process is running an ensemble in this folder"):
            run_ensemble(small_runs(), tmp_path, quiet=True)
    finally:
        os.close(fd)


def test_cancel_stops_and_keeps_what_is_done(tmp_path):
    cancel = threading.Event()
    seen = []

    def progress(state):
        seen.append(state["done"])
        if state["done"] >= 1:
            cancel.set()

    runs = small_runs(replicates=4, months=24)
    with pytest.raises(Interrupted) as info:
        run_ensemble(runs, tmp_path, make_executor("serial"), progress=progress, cancel=cancel, quiet=True)
    kept = list((tmp_path / "runs").glob("*.parquet"))
    assert 1 <= len(kept) < 8 and info.value.kept == len(kept)
    assert not list((tmp_path / "runs").glob(".*.partial")) and not (tmp_path / "metrics.parquet").exists()
    for p in kept:
        records.check(p)
    rest = run_ensemble(runs, tmp_path, quiet=True)
    assert rest.skipped == len(kept) and rest.ran == 8 - len(kept)


def test_a_full_disk_stops_the_ensemble_naming_the_path(tmp_path, monkeypatch):
    import errno

    real = records.write
    calls = []

    def write(path, data):
        calls.append(path)
        if len(calls) == 2:
            def full(tmp):
                raise OSError(errno.ENOSPC, "No space left on device")
            from sim.atomic import write_atomic
            write_atomic(path, full)
        return real(path, data)

    monkeypatch.setattr(records, "write", write)
    runs = small_runs(replicates=2)
    with pytest.raises(DiskFull, match=f"while writing {tmp_path}/runs/"):
        run_ensemble(runs, tmp_path, make_executor("serial"), quiet=True)
    assert len(list((tmp_path / "runs").glob("*.parquet"))) == 1
    assert not [p for p in (tmp_path / "runs").iterdir() if ".partial" in p.name]

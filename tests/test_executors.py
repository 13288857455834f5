"""Beyond one machine: the SLURM path (submitit, with its local executor standing in for a
cluster) and Ray give the same records and metrics as the serial executor. Ray runs only where
its extra is installed (make test-cluster runs it against a real two-node Ray cluster)."""

from __future__ import annotations

import importlib.util
import os

import pandas as pd
import pytest

from sim import load_config
from sim.config import apply_overrides
from sim.errors import UserError
from sim.experiments import Run, make_executor, run_ensemble
from sim.experiments.executors import KINDS

pytestmark = pytest.mark.subprocess   # their workers are new processes that import the model


def runs() -> list[Run]:
    base = load_config(["world=small", "months=6"])
    out = []
    for name in ("none", "dialogue"):
        for r in range(3):
            cfg = apply_overrides(base, {"policy.instruments": [name], "replicate": r})
            out.append(Run(cfg, scenario=name, params={"policy.instruments": f"[{name}]", "replicate": str(r)}))
    return out


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> pd.DataFrame:
    result = run_ensemble(runs(), tmp_path_factory.mktemp("serial"), make_executor("serial"), quiet=True)
    return result.metrics.drop(columns=["seconds"])


def test_every_kind_is_known():
    assert KINDS == ("serial", "processes", "slurm", "slurm_local", "ray")
    with pytest.raises(UserError, match="one of serial, processes"):
        make_executor("mpi")
    with pytest.raises(TypeError):
        make_executor("processes", partition="x")


def test_the_slurm_path_with_local_processes_gives_the_same_results(reference, tmp_path):
    ex = make_executor("slurm_local", batch=2)
    result = run_ensemble(runs(), tmp_path, ex, quiet=True)
    assert result.ok and result.ran == 6
    pd.testing.assert_frame_equal(result.metrics.drop(columns=["seconds"]), reference)
    logs = list((tmp_path / ".submitit").rglob("*_log.out"))
    assert len(logs) == 3                                 # 6 runs in tasks of 2: one job array of 3
    again = run_ensemble(runs(), tmp_path, make_executor("slurm_local", batch=2), quiet=True)
    assert (again.ran, again.skipped) == (0, 6)           # nothing submitted the second time


def test_the_slurm_preset_maps_to_submitit_parameters():
    ex = make_executor("slurm", partition="short", account="proj", timeout_min=30, batch=10,
                       additional_parameters={"mail-type": "END"}, setup=["module load python/3.12"])
    assert ex.params["slurm_partition"] == "short" and ex.params["slurm_account"] == "proj"
    assert ex.params["timeout_min"] == 30 and ex.params["slurm_additional_parameters"] == {"mail-type": "END"}
    assert ex.params["slurm_setup"] == ["module load python/3.12"] and ex.batch_size(100, 100) == 10
    assert make_executor("slurm").batch_size(640, 640) == 10    # at most 64 array tasks


@pytest.mark.skipif(importlib.util.find_spec("ray") is None, reason="Ray is an optional extra (make test-cluster)")
@pytest.mark.parametrize("shared", [True, False])
def test_a_local_ray_gives_the_same_results(reference, tmp_path, shared, monkeypatch):
    import shutil

    short = f"/tmp/vw-ray-{os.getpid()}"                                  # a Unix socket path must stay short
    monkeypatch.setenv("RAY_TMPDIR", short)
    monkeypatch.setenv("RAY_AUTH_MODE", "disabled")                      # no token left in ~/.ray
    try:
        result = run_ensemble(runs(), tmp_path, make_executor("ray", num_cpus=2, shared_folder=shared), quiet=True)
    finally:
        shutil.rmtree(short, ignore_errors=True)
    assert result.ok and result.ran == 6
    pd.testing.assert_frame_equal(result.metrics.drop(columns=["seconds"]), reference)

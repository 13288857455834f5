"""Beyond one machine: several runs packed per job (sweep.pack), the SLURM path through
submitit's local executor, and Ray (an optional extra) on a local Ray. Each gives the same
records and aggregated results as one run per job."""

from __future__ import annotations

import importlib.util
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pytest

from sim import load_config
from sim.config.compose import hydra_settings
from sim.sweep.collect import collect
from sim.sweep.record import read_curves, read_meta
from sim.sweep.task import FAIL_FAST_ENV, sweep_job

SMALL = ["world=small", "months=6"]
INSTRUMENTS = "policy.instruments=[none],[dialogue]"


def metrics_of(folder: Path) -> pd.DataFrame:
    m = pd.read_parquet(folder / "metrics.parquet").drop(columns=["seconds"])
    return m.sort_values("run").reset_index(drop=True)


def job(folder: Path, *overrides: str) -> str:
    return sweep_job(load_config([*SMALL, *overrides]), [*SMALL, *overrides], folder)


def reference(folder: Path) -> pd.DataFrame:
    """The metrics of `-m world=small months=6 policy.instruments=[none],[dialogue]
    replicate=range(0,4)`, one run per job, computed in this process."""
    for inst in ("none", "dialogue"):
        for r in range(4):
            job(folder, f"policy.instruments=[{inst}]", f"replicate={r}")
    collect(folder, report=False)
    return metrics_of(folder)


def records(folder: Path) -> list[str]:
    return sorted(p.name for p in (folder / "runs").iterdir() if p.name != ".sweep.json")


# --- packing ---------------------------------------------------------------------------------

def test_a_packed_job_writes_the_same_records_as_one_job_per_run(tmp_path):
    one, packed = tmp_path / "one", tmp_path / "packed"
    for r in range(3):
        assert job(one, f"replicate={r}") == "done"
    assert job(packed, "replicate=0", "sweep.pack=3") == "done"
    assert records(packed) == records(one) and len(records(one)) == 3
    for name in records(one):
        a, b = read_meta(one / "runs" / name), read_meta(packed / "runs" / name)
        a.pop("seconds"), b.pop("seconds")
        assert a == b                              # same parameters (replicate=r), seeds, metrics
        pd.testing.assert_frame_equal(read_curves(one / "runs" / name), read_curves(packed / "runs" / name))
    # resume: a packed job skips what it has and redoes only a lost run
    assert job(packed, "replicate=0", "sweep.pack=3") == "skipped"
    lost, *kept = sorted((packed / "runs").iterdir())
    mtimes = {p: p.stat().st_mtime_ns for p in kept}
    lost.unlink()
    assert job(packed, "replicate=0", "sweep.pack=3") == "done"
    assert lost.exists() and {p: p.stat().st_mtime_ns for p in kept} == mtimes


def test_a_failure_inside_a_pack_is_contained_and_fail_fast_stops_the_pack(tmp_path, monkeypatch):
    import sim.runner

    real = sim.runner.run

    def second_fails(cfg, progress=None):
        if cfg.replicate == 1:
            raise ValueError("no luck")
        return real(cfg)

    monkeypatch.setattr(sim.runner, "run", second_fails)
    assert job(tmp_path / "a", "replicate=0", "sweep.pack=3") == "failed"
    names = records(tmp_path / "a")
    assert sum(n.endswith(".parquet") for n in names) == 2 and sum(n.endswith(".failed.json") for n in names) == 1
    monkeypatch.setenv(FAIL_FAST_ENV, "1")
    assert job(tmp_path / "b", "replicate=0", "sweep.pack=3") == "cancelled"   # replicate 2 never started
    names = records(tmp_path / "b")
    assert sum(n.endswith(".parquet") for n in names) == 1 and "STOP" in names


# --- SLURM (hydra-submitit-launcher) -------------------------------------------------------------

def test_slurm_preset_composes_with_defaults_and_overrides():
    h = hydra_settings(["hydra/launcher=slurm", "hydra.launcher.partition=short", "hydra.launcher.account=proj",
                        "hydra.launcher.timeout_min=30", "hydra.sweep.dir=x"])
    launcher = h.launcher
    assert launcher._target_.endswith("SlurmLauncher")
    assert (launcher.partition, launcher.account, launcher.timeout_min) == ("short", "proj", 30)
    assert (launcher.cpus_per_task, launcher.mem_gb, launcher.array_parallelism) == (1, 4, 64)
    assert launcher.submitit_folder == "x/.submitit"     # one folder for every task's files
    assert hydra_settings(["hydra/launcher=slurm"]).launcher.partition is None


def test_submitit_local_packed_sweep_gives_the_same_results(cli, tmp_path):
    """The SLURM path (hydra-submitit-launcher) with submitit's local executor: 4 jobs of 2
    runs each (replicates 0-1 and 2-3 per instrument), the same metrics as one run per job."""
    folder = tmp_path / "submitit"
    started = cli.start(["-m", *SMALL, INSTRUMENTS, "replicate=range(0,4,2)", "sweep.pack=2",
                         "hydra/launcher=submitit_local", f"hydra.sweep.dir={folder}"], tmp_path)
    expected = reference(tmp_path / "ref")        # computed while the sweep runs
    r = cli.wait(started)
    assert r.returncode == 0, r.stderr
    assert records(folder) == records(tmp_path / "ref") and len(records(folder)) == 8
    pd.testing.assert_frame_equal(metrics_of(folder), expected)
    logs = list((folder / ".submitit").rglob("*_log.err"))
    assert len(logs) == 4                           # 4 jobs (array tasks), 2 runs in each
    assert all(log.read_text().count("runs done") >= 1 for log in logs)   # progress: at most a line a second


# --- Ray (hydra-ray-launcher, optional extra) ----------------------------------------------------

def missing(modules: tuple[str, ...]) -> str | None:
    """Why a test cannot run here (the first module that is not installed), or None."""
    for name in modules:
        if importlib.util.find_spec(name.split(".")[0]) is None or importlib.util.find_spec(name) is None:
            return f"{name} is not installed (Ray is an optional extra: pip install -e '.[ray]')"
    return None


RAY_MISSING = missing(("ray", "hydra_plugins.hydra_ray_launcher"))


@pytest.mark.skipif(RAY_MISSING is not None, reason=RAY_MISSING or "")
def test_ray_local_packed_sweep_gives_the_same_results(cli, tmp_path):
    """hydra/launcher=ray starting a local Ray (no address): the same metrics as one run per
    job. Ray's files go to a fresh RAY_TMPDIR: a short path under /tmp, since Ray's sockets
    must fit the 107-byte limit of a Unix socket path, which a pytest tmp_path can exceed."""
    ray_tmp = Path(tempfile.mkdtemp(prefix="vw-ray-"))
    try:
        folder = tmp_path / "ray"
        started = cli.start(["-m", *SMALL, INSTRUMENTS, "replicate=range(0,4,2)", "sweep.pack=2",
                             "hydra/launcher=ray", "+hydra.launcher.ray.init.num_cpus=2",
                             "+hydra.launcher.ray.init.include_dashboard=false", f"hydra.sweep.dir={folder}"],
                            tmp_path, env={"RAY_TMPDIR": str(ray_tmp), "RAY_AUTH_MODE": "disabled"})
        expected = reference(tmp_path / "ref")
        r = cli.wait(started)
        assert r.returncode == 0, r.stderr
        assert records(folder) == records(tmp_path / "ref") and len(records(folder)) == 8
        pd.testing.assert_frame_equal(metrics_of(folder), expected)
    finally:
        shutil.rmtree(ray_tmp, ignore_errors=True)

"""Beyond one machine, for real: the Ray executor against a running Ray cluster of two nodes.

`make test-cluster` (benchmarks/cluster.sh) starts one on this machine with `ray start`: a
head and a second node joining it, 1 CPU and a resource naming it each (`head_node`,
`second_node`), and sets VLIEGWIEL_RAY_ADDRESS (and VLIEGWIEL_RAY_SECOND_NODE_PID, the
process of the second node, whose workers one test kills). Without that address every test
here is skipped, so `make test` does not run them.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from sim import load_config
from sim.config import apply_overrides
from sim.errors import UserError
from sim.experiments import Run, make_executor, run_ensemble

ADDRESS = os.environ.get("VLIEGWIEL_RAY_ADDRESS")
SECOND_NODE_PID = os.environ.get("VLIEGWIEL_RAY_SECOND_NODE_PID")
NAMES = ("head_node", "second_node")    # the resource that names each node (benchmarks/cluster.sh)

pytestmark = [
    pytest.mark.subprocess,
    pytest.mark.skipif(not ADDRESS, reason="needs a running Ray cluster: set VLIEGWIEL_RAY_ADDRESS "
                                           "(make test-cluster starts one on this machine)"),
]


def model_runs() -> list[Run]:
    """Ten default-world runs (60 months), two scenarios: long enough that both nodes get work."""
    base = load_config(["months=60"])
    out = []
    for name in ("none", "dialogue"):
        cfg = apply_overrides(base, {"policy.instruments": [name]})
        for r in range(5):
            out.append(Run(apply_overrides(cfg, {"replicate": r}), scenario=name,
                           params={"policy.instruments": f"[{name}]", "replicate": str(r)}))
    return out


def fn_runs(function: str, values: list[float], key: str) -> list[Run]:
    cfg = load_config(["months=0"])
    return [Run(cfg, scenario=f"{key}={v}", params={key: str(v)}, function=function, inputs={key: v})
            for v in values]


def without_seconds(metrics: pd.DataFrame) -> pd.DataFrame:
    return metrics.drop(columns=["seconds"]).reset_index(drop=True)


@pytest.fixture(scope="module")
def cluster() -> list[dict]:
    """The cluster's live nodes (ray.nodes()); this process then leaves the cluster again:
    each executor connects by itself."""
    import ray

    ray.init(address=ADDRESS, include_dashboard=False, log_to_driver=False)
    try:
        return [n for n in ray.nodes() if n["Alive"]]
    finally:
        ray.shutdown()


@pytest.fixture(scope="module")
def nodes(cluster) -> dict[str, str]:
    """{Ray node id: its name (the resource naming it)}."""
    return {n["NodeID"]: next((k for k in NAMES if k in n["Resources"]), "?") for n in cluster}


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The serial executor's metrics and dataset for model_runs()."""
    folder = tmp_path_factory.mktemp("serial")
    result = run_ensemble(model_runs(), folder, make_executor("serial"), quiet=True)
    assert result.ok
    return without_seconds(result.metrics), pd.read_parquet(folder / "dataset.parquet")


def test_the_cluster_is_two_nodes_of_one_cpu(cluster, nodes):
    assert sorted(nodes.values()) == sorted(NAMES), f"expected a head and a second node, found {nodes}"
    assert [n["Resources"]["CPU"] for n in cluster] == [1.0, 1.0]


@pytest.mark.parametrize("shared", [True, False], ids=["shared-folder", "records-come-back"])
def test_an_ensemble_on_both_nodes_gives_the_serial_metrics(nodes, reference, tmp_path, shared):
    runs = model_runs()
    ex = make_executor("ray", address=ADDRESS, shared_folder=shared)
    result = run_ensemble(runs, tmp_path, ex, quiet=True)
    assert result.ok and result.ran == len(runs)
    metrics, dataset = reference
    pd.testing.assert_frame_equal(without_seconds(result.metrics), metrics)
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "dataset.parquet"), dataset)
    assert ex.workers == 2 and ex.lost == 0
    # where each batch ran, as the Ray runtime of its task says: both nodes, every run once
    where = {nodes.get(node, node): count for node, count in ex.runs_per_node.items()}
    assert set(where) == set(NAMES), f"runs per node: {where}"
    assert sum(where.values()) == len(runs)
    assert sorted(p.name for p in (tmp_path / "runs").glob("*.parquet")) == sorted(f"{r.key}.parquet" for r in runs)


def test_a_run_that_ends_its_worker_is_retried_alone_then_recorded(tmp_path):
    """end=1 ends the Ray worker running it (os._exit, as a crash or the out-of-memory killer
    would); its batch-mates are run again and finish, and it is recorded as failed."""
    runs = fn_runs("end_worker", [-1, -2, 1, -3, -4, -5], "end")
    ex = make_executor("ray", address=ADDRESS, batch=3)
    result = run_ensemble(runs, tmp_path, ex, quiet=True)
    assert result.ran == 5 and len(result.failed) == 1
    assert result.failed[0]["params"] == {"end": "1"} and "Ray worker ended" in result.failed[0]["error"]
    assert ex.lost == 2            # its first batch, then itself alone
    assert (tmp_path / "failures.csv").exists()
    assert len(list((tmp_path / "runs").glob("*.parquet"))) == 5


# --- a worker killed from outside, on the second node ------------------------------------------

def _descendants(root: int) -> list[int]:
    """The processes below `root` (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def _title(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


@pytest.mark.skipif(not SECOND_NODE_PID or not Path("/proc").is_dir(),
                    reason="needs the second node's process (VLIEGWIEL_RAY_SECOND_NODE_PID) and /proc")
def test_a_worker_killed_on_the_second_node_mid_ensemble_is_recovered(nodes, reference, tmp_path):
    """SIGKILL to the Ray worker running a batch on the second node (as the kernel's
    out-of-memory killer would): the ensemble runs that batch's runs again and every run ends
    with the serial executor's metrics."""
    killed: dict[str, object] = {}
    stop = threading.Event()

    def kill_one() -> None:
        while not stop.is_set():
            for pid in _descendants(int(SECOND_NODE_PID)):
                title = _title(pid)
                if title.startswith("ray::run_batch"):   # a Ray worker while it runs a batch
                    os.kill(pid, signal.SIGKILL)
                    killed.update(pid=pid, title=title)
                    return
            time.sleep(0.02)

    killer = threading.Thread(target=kill_one, daemon=True)
    killer.start()
    ex = make_executor("ray", address=ADDRESS)
    try:
        result = run_ensemble(model_runs(), tmp_path, ex, quiet=True)
    finally:
        stop.set()
        killer.join()
    assert killed, "no Ray worker ran a batch on the second node"
    assert ex.lost >= 1
    assert result.ok and result.ran == len(model_runs())
    pd.testing.assert_frame_equal(without_seconds(result.metrics), reference[0])


# --- the command line --------------------------------------------------------------------------

def test_the_command_line_on_the_cluster_gives_the_serial_metrics(cli, tmp_path):
    sweep = ["-m", "months=60", "policy.instruments=[none],[dialogue]", "replicate=range(0,3)"]
    on_ray = cli.start([*sweep, "hydra/launcher=ray", f"hydra.launcher.address={ADDRESS}",
                        f"hydra.sweep.dir={tmp_path}/ray"], cwd=tmp_path)
    serial = cli.start([*sweep, "hydra/launcher=serial", f"hydra.sweep.dir={tmp_path}/serial"], cwd=tmp_path)
    r, s = cli.wait(on_ray), cli.wait(serial)
    assert s.returncode == 0, s.stderr
    assert r.returncode == 0, r.stderr
    assert f"6 runs on the Ray cluster at {ADDRESS}" in r.stderr
    metrics = {name: without_seconds(pd.read_parquet(tmp_path / name / "metrics.parquet"))
               for name in ("ray", "serial")}
    assert len(metrics["ray"]) == 6
    pd.testing.assert_frame_equal(metrics["ray"], metrics["serial"])



def test_without_an_address_a_ray_of_its_own_starts_even_beside_the_cluster(nodes, tmp_path):
    """address None means a local Ray of this process's own, not the cluster that `ray start`
    runs on this machine (which a bare ray.init() joins, and which refuses num_cpus)."""
    ex = make_executor("ray", num_cpus=1)
    result = run_ensemble(fn_runs("end_worker", [-1, -2], "end"), tmp_path, ex, quiet=True)
    assert result.ok and result.ran == 2
    assert ex.workers == 1 and set(ex.runs_per_node).isdisjoint(nodes)


def test_an_address_where_nothing_listens_is_said_at_once(tmp_path):
    t0 = time.monotonic()
    with pytest.raises(UserError, match="nothing answers there"):
        run_ensemble(fn_runs("end_worker", [-1], "end"), tmp_path, make_executor("ray", address="127.0.0.1:1"),
                     quiet=True)
    assert time.monotonic() - t0 < 10

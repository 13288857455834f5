"""Ray: an ensemble's batches as Ray tasks, on a local Ray or a running Ray cluster.

    make_executor("ray")                              # a local Ray on this machine's cores
    make_executor("ray", address="auto")              # the cluster this node belongs to
    make_executor("ray", address="auto", shared_folder=False)   # nodes without a shared disk

On a cluster (`ray start --head` on one node, `ray start --address=<head>:6379` on the
others, the package installed on every node, the ensemble started on one of its nodes):
each task imports the model once per Ray worker and runs its batch. With `shared_folder`
(the default) every node sees the ensemble's folder at the same path and writes its records
there; without, each record travels back to this process (a few tens of kB a run), which
writes it, so only this machine needs the folder. After an ensemble, `runs_per_node` says
how many runs each Ray node ran (by node id) and `lost` how many batches lost their worker
(killed, out of memory, a node gone; the ensemble runs their runs again). Needs the optional
extra: pip install -e '.[ray]'.
"""

from __future__ import annotations

import collections

from .base import Executor, WorkerLost


def run_batch_on_node(runs: list, runs_dir: str | None) -> tuple[str, list]:
    """A batch in a Ray task: (the id of the Ray node that ran it, its outcomes)."""
    import ray

    from ..worker import run_batch

    return ray.get_runtime_context().get_node_id(), run_batch(runs, runs_dir)


class Ray(Executor):
    """address: None (start a local Ray), 'auto' or 'host:port' (join a running cluster);
    num_cpus: cores of a local Ray (None: every core); batch: runs per task (0: guided);
    shared_folder: whether the workers see the ensemble's folder (at the same path)."""

    name = "Ray"

    def __init__(self, address: str | None = None, num_cpus: int | None = None, batch: int = 0,
                 shared_folder: bool = True) -> None:
        self.address, self.num_cpus, self.batch = address, num_cpus, int(batch)
        self.shared_folder = bool(shared_folder)
        self.remote = None
        self.started_here = False
        self.cpus = 1
        self.runs_per_node: dict[str, int] = collections.Counter()
        self.lost = 0

    @property
    def workers(self) -> int:
        return max(1, int(self.cpus))

    def batch_size(self, remaining: int, total: int) -> int:
        return self.batch if self.batch > 0 else super().batch_size(remaining, total)

    def start(self) -> None:
        if self.remote is not None:
            return
        try:
            import ray
        except ImportError:
            from ...errors import UserError

            raise UserError("the Ray executor needs the optional extra: pip install -e '.[ray]'") from None
        if not ray.is_initialized():
            # "local": a new Ray on this machine even where a `ray start` cluster runs (address
            # None would join that cluster, which refuses num_cpus)
            kwargs = {"address": self.address} if self.address else {"address": "local", "num_cpus": self.num_cpus}
            _check_reachable(self.address)
            try:
                ray.init(include_dashboard=False, log_to_driver=False, **kwargs)
            except ConnectionError as exc:
                if not self.address:
                    raise
                from ...errors import UserError

                raise UserError(f"the Ray cluster at {self.address}: cannot connect ({exc}); is it running "
                                "(ray status on its head), and is this machine one of its nodes?") from None
            self.started_here = True
        self.cpus = int(ray.cluster_resources().get("CPU", 1))
        self.runs_per_node = collections.Counter()
        self.lost = 0
        self.remote = ray.remote(num_cpus=1, max_retries=0)(run_batch_on_node)

    def submit(self, batch: list, runs_dir: str | None):
        self.start()
        return self.remote.remote(batch, runs_dir)

    def wait(self, handles: list, timeout: float) -> list:
        import ray

        ready, _ = ray.wait(handles, num_returns=len(handles), timeout=timeout)
        if not ready:
            ready, _ = ray.wait(handles, num_returns=1, timeout=0)
        return ready

    def result(self, handle) -> list:
        import ray
        from ray.exceptions import RayError, RayTaskError

        try:
            node, outcomes = ray.get(handle)
        except RayTaskError as exc:   # the task raised outside a run (e.g. the package missing on a node)
            self.lost += 1
            cause = exc.cause if exc.cause is not None else exc
            raise WorkerLost(f"a Ray task raised before returning its batch ({type(cause).__name__}: "
                             f"{str(cause).strip().splitlines()[-1] if str(cause).strip() else ''}; is the "
                             "same package installed on every node?)") from exc
        except RayError as exc:       # its worker or node died
            self.lost += 1
            raise WorkerLost(f"a Ray worker ended before returning its batch ({type(exc).__name__})") from exc
        self.runs_per_node[node] += len(outcomes)
        return outcomes

    def cancel(self, handles: list) -> None:
        import ray

        for h in handles:
            try:
                ray.cancel(h, force=True)
            except Exception:  # noqa: BLE001 - best effort
                pass

    def close(self, kill: bool = False) -> None:
        if self.started_here:
            import ray

            ray.shutdown()   # on a cluster: this driver leaves; the cluster stays
            self.started_here = False
        self.remote = None

    def describe(self) -> str:
        where = f"the Ray cluster at {self.address}" if self.address else "a local Ray"
        return f"{where} ({self.workers} CPUs)" if self.remote is not None else where


def _check_reachable(address: str | None, timeout: float = 5.0) -> None:
    """A cluster address host:port where nothing listens, said at once (ray.init would retry
    for minutes)."""
    import socket

    from ...errors import UserError

    host, _, port = address.rpartition(":") if address else ("", "", "")
    if not host or not port.isdigit() or "://" in address:   # auto, local, ray://...: Ray's to read
        return
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=timeout).close()
    except OSError as exc:
        raise UserError(f"the Ray cluster at {address}: nothing answers there ({exc.strerror or exc}); is it "
                        "running (ray status on its head)?") from None

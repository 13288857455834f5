"""Ray: an ensemble's batches as Ray tasks, on a local Ray or a running Ray cluster.

    make_executor("ray")                              # a local Ray on this machine's cores
    make_executor("ray", address="auto")              # the cluster this node belongs to
    make_executor("ray", address="auto", shared_folder=False)   # nodes without a shared disk

On a cluster (`ray start --head` on one node, `ray start --address=<head>:6379` on the
others, the package installed on every node): each task imports the model once per Ray
worker and runs its batch. With `shared_folder` (the default) every node sees the ensemble's
folder and writes its records there; without, each record travels back to this process
(a few tens of kB a run), which writes it, so only this machine needs the folder. Needs the
optional extra: pip install -e '.[ray]'.
"""

from __future__ import annotations

from .base import Executor, WorkerLost


class Ray(Executor):
    """address: None (start a local Ray), 'auto' or 'host:port' (join a running cluster);
    num_cpus: cores of a local Ray (None: every core); batch: runs per task (0: guided);
    shared_folder: whether the workers see the ensemble's folder."""

    name = "Ray"

    def __init__(self, address: str | None = None, num_cpus: int | None = None, batch: int = 0,
                 shared_folder: bool = True) -> None:
        self.address, self.num_cpus, self.batch = address, num_cpus, int(batch)
        self.shared_folder = bool(shared_folder)
        self.remote = None
        self.started_here = False
        self.cpus = 1

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
            ray.init(include_dashboard=False, log_to_driver=False, **kwargs)
            self.started_here = True
        from ..worker import run_batch

        self.cpus = int(ray.cluster_resources().get("CPU", 1))
        self.remote = ray.remote(num_cpus=1, max_retries=0)(run_batch)

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
        from ray.exceptions import RayError

        try:
            return ray.get(handle)
        except RayError as exc:
            raise WorkerLost(f"a Ray worker ended before returning its batch ({type(exc).__name__})") from exc

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

            ray.shutdown()
            self.started_here = False
        self.remote = None

    def describe(self) -> str:
        where = f"the Ray cluster at {self.address}" if self.address else "a local Ray"
        return f"{where} ({self.workers} CPUs)" if self.remote is not None else where

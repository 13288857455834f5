"""SLURM through submitit: an ensemble's batches as one job array, a task per batch.

    make_executor("slurm", partition="short", timeout_min=30, batch=10)
    make_executor("slurm_local")        # the same path with local processes (no cluster)

How it works on a cluster: the submitting process (keep it alive, e.g. in tmux on the login
node) pickles each batch into `<ensemble folder>/.submitit/`, submits one `sbatch --array`
job, and polls. Each array task imports the installed package on its node, runs its batch
and writes one record per run into `<ensemble folder>/runs/`, so that folder must be on a
file system the nodes share. Results come back through those records (and submitit's
pickled return values). If the submitting process dies the tasks go on; running the same
command again submits only the runs without a record.
"""

from __future__ import annotations

import math
from pathlib import Path

from ..worker import run_batch
from .base import Executor, WorkerLost

GENERIC = {"timeout_min", "cpus_per_task", "mem_gb", "name"}


class Submitit(Executor):
    """A job array per ensemble (cluster 'slurm'), or local processes (cluster 'local').

    batch: runs per array task (0: the ensemble spread over at most `max_tasks` tasks);
    folder: where submitit keeps job scripts, pickles and logs (default <ensemble>/.submitit);
    the SLURM settings partition, account, qos, timeout_min, cpus_per_task, mem_gb,
    array_parallelism, name, additional_parameters (a mapping of any other sbatch option) and
    setup (shell lines run before each task) pass to submitit.
    """

    name = "slurm"

    def __init__(self, cluster: str = "slurm", batch: int = 0, folder: str | None = None, max_tasks: int = 0,
                 partition: str | None = None, account: str | None = None, qos: str | None = None,
                 timeout_min: int = 60, cpus_per_task: int = 1, mem_gb: float | None = 4,
                 array_parallelism: int = 64, name: str = "vliegwiel", additional_parameters: dict | None = None,
                 setup: list[str] | None = None) -> None:
        self.cluster, self.batch, self.folder = cluster, int(batch), folder
        self.max_tasks = int(max_tasks) or (64 if cluster == "slurm" else 8)
        self.parallelism = max(1, int(array_parallelism))
        self.params = {"timeout_min": int(timeout_min), "cpus_per_task": int(cpus_per_task), "name": name}
        if cluster == "slurm":
            self.params.update({k: v for k, v in {
                "mem_gb": mem_gb, "slurm_partition": partition, "slurm_account": account, "slurm_qos": qos,
                "slurm_array_parallelism": self.parallelism,
                "slurm_additional_parameters": dict(additional_parameters or {}) or None,
                "slurm_setup": list(setup or []) or None}.items() if v is not None})
        self.name = "SLURM array" if cluster == "slurm" else "local submitit"
        self.executor = None

    @property
    def workers(self) -> int:
        return self.parallelism if self.cluster == "slurm" else min(self.parallelism, 2)

    @property
    def capacity(self) -> int:
        return 10**9    # every batch at once: one job array

    def batch_size(self, remaining: int, total: int) -> int:
        return self.batch if self.batch > 0 else max(1, math.ceil(total / self.max_tasks))

    def bind(self, ensemble_folder: Path) -> None:
        if self.folder is None:
            self.folder = str(Path(ensemble_folder) / ".submitit")

    def start(self) -> None:
        if self.executor is not None:
            return
        import submitit

        if self.folder is None:
            raise RuntimeError("Submitit executor: no folder (run_ensemble binds it to the ensemble's folder)")
        self.executor = submitit.AutoExecutor(folder=self.folder, cluster=self.cluster)
        params = dict(self.params)
        if self.cluster != "slurm":
            params = {k: v for k, v in params.items() if k in GENERIC}
        self.executor.update_parameters(**params)

    def submit(self, batch: list, runs_dir: str | None):
        return self.submit_many([batch], runs_dir)[0]

    def submit_many(self, batches: list[list], runs_dir: str | None) -> list:
        self.start()
        with self.executor.batch():
            jobs = [self.executor.submit(run_batch, b, runs_dir) for b in batches]
        return jobs

    def wait(self, handles: list, timeout: float) -> list:
        import time

        deadline = time.monotonic() + timeout
        while True:
            done = [j for j in handles if j.done()]
            if done or time.monotonic() >= deadline:
                return done
            time.sleep(min(0.5, timeout))

    def result(self, handle) -> list:
        from submitit.core.utils import FailedJobError, UncompletedJobError

        try:
            return handle.result()
        except (FailedJobError, UncompletedJobError) as exc:
            raise WorkerLost(f"array task {handle.job_id} ended without returning its batch "
                             f"({str(exc).splitlines()[0] if str(exc) else type(exc).__name__}); "
                             f"its log is in {self.folder}") from exc

    def cancel(self, handles: list) -> None:
        for j in handles:
            try:
                j.cancel(check=False)
            except Exception:  # noqa: BLE001 - best effort
                pass

    def close(self, kill: bool = False) -> None:
        self.executor = None

    def describe(self) -> str:
        if self.cluster == "slurm":
            return f"a SLURM job array ({self.parallelism} tasks at once)"
        return "local submitit processes"

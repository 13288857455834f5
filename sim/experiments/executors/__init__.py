"""Executors: where the batches of an ensemble run. Each is a small adapter behind one
interface (base.py): submit a batch, wait for some to finish, take their outcomes.

    serial          this process, one run after the other (tests, debugging)
    processes       worker processes on this machine (default; one per core)
    slurm           a SLURM cluster through submitit: one job array, a task per batch
    slurm_local  the same path as slurm, on this machine (to test it)
    ray             a Ray cluster (`ray start` on each node), or a local Ray

`make_executor(kind, **settings)` builds one from a fixed table of names: a setting never
names a Python class.
"""

from __future__ import annotations

from .base import Executor, WorkerLost
from .local import Processes, Serial

KINDS = ("serial", "processes", "slurm", "slurm_local", "ray")


def make_executor(kind: str = "processes", **settings) -> Executor:
    """An executor by name, with its settings (see each class for what it takes)."""
    from ...errors import UserError

    if kind == "serial":
        return Serial(**settings)
    if kind == "processes":
        return Processes(**settings)
    if kind in ("slurm", "slurm_local"):
        from .cluster import Submitit

        return Submitit(cluster="slurm" if kind == "slurm" else "local", **settings)
    if kind == "ray":
        from .ray import Ray

        return Ray(**settings)
    raise UserError(f"executor {kind!r}: one of {', '.join(KINDS)}")


__all__ = ["KINDS", "Executor", "Processes", "Serial", "WorkerLost", "make_executor"]

"""The server process that local worker processes fork from, started early.

`prestart()` costs a few milliseconds here (this module imports nothing of the model): the
server imports the model (PRELOAD, about a second) in its own process while the caller goes
on, e.g. a sweep's command line reading its settings and composing its runs.
"""

from __future__ import annotations

import multiprocessing as mp

PRELOAD = ["sim.experiments.worker", "sim.runner", "sim.metrics", "sim.experiments.records"]


def prestart() -> None:
    """Start the server process that worker processes fork from, with the model imported in
    it, now. It ends with this process."""
    from multiprocessing import forkserver

    mp.get_context("forkserver").set_forkserver_preload(PRELOAD)
    forkserver.ensure_running()

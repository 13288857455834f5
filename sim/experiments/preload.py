"""The server process that local worker processes fork from, started early.

`prestart()` costs a few milliseconds here (this module imports nothing of the model): the
server imports the model (PRELOAD, about a second) in its own process while the caller goes
on, e.g. a sweep's command line reading its settings and composing its runs.

The server is preloaded with this module too, so that it ends without the interpreter's
teardown of the model's modules (pandas, Mesa, scipy; about 0.2 s): it shares the command's
stdout and stderr, and whoever reads those (a shell pipe, a benchmark, a test) waits for it
to end as well as for the command.
"""

from __future__ import annotations

import multiprocessing as mp
import sys

PRELOAD = ["sim.experiments.preload", "sim.experiments.worker", "sim.runner", "sim.metrics",
           "sim.experiments.records"]


def prestart() -> None:
    """Start the server process that worker processes fork from, with the model imported in
    it, now. It ends with this process."""
    from multiprocessing import forkserver

    mp.get_context("forkserver").set_forkserver_preload(PRELOAD)
    forkserver.ensure_running()


def _preloaded_by_server() -> bool:
    """This module is being imported by multiprocessing's server itself (its preload), not by
    a command or a worker."""
    from multiprocessing import forkserver

    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code is forkserver.main.__code__:
            return True
        frame = frame.f_back
    return False


def _end_now() -> None:
    """The server's last act: it holds nothing to write or close (its workers have ended, each
    by os._exit), so it skips the teardown of every module it imported."""
    import os

    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):
            pass
    os._exit(0)


if _preloaded_by_server():
    import atexit

    atexit.register(_end_now)   # the server ends by SystemExit when the command has ended

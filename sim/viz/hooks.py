"""Solara hooks shared by the views: follow a computation of the server's job queue."""

from __future__ import annotations

import threading
from collections.abc import Callable

import solara

from . import state
from . import jobs
from .jobs import Job


def use_job(key: str | None, kind: str, work: Callable[[Job], object]) -> Job | None:
    """The job computing `key` (None: nothing to compute), asked for by this session, and a
    re-render whenever its progress or state changes. When the key changes or the view goes,
    the session's previous request is withdrawn (dropped from the queue, or stopped, unless
    another session asked for it too)."""
    session = state.session_id()
    job = solara.use_memo(lambda: jobs.QUEUE.submit(key, kind, work, session) if key else None, [key])
    _, set_seen = solara.use_state((None, 0, 0, 0, 0))

    def follow(cancel: threading.Event) -> None:
        if job is None:
            return
        while not cancel.is_set():
            set_seen((job.state, job.done, job.total, jobs.QUEUE.ahead(job), jobs.QUEUE.others_ahead(job, session)))
            if job.ended:
                return
            job.wait(0.5)

    solara.use_thread(follow, dependencies=[job], intrusive_cancel=False)

    def release():
        return lambda: jobs.QUEUE.release(job, session) if job is not None else None

    solara.use_effect(release, [job])
    return job

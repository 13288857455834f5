"""The page's computations, one at a time per server, in the order they were asked.

An answer to a question, the loops behind it, a village's story: each is a `Job` with a key
(what is computed: equal keys give equal results, so a second visitor asking the same thing
waits for the same job and is told so), run by one worker thread of the server. A job that
waits says how many are ahead of it, so no visitor's request silently joins or delays
another's. Answers go before the longer computations behind them (the loops, the villages),
so a visitor's first answer never waits for another visitor's loops. Finished results stay
in a small cache (LRU), read-only and shared.

Jobs run the model through the experiment layer (sim/experiments: `run_ensemble` on worker
processes) or in-process; they never start the command line.
"""

from __future__ import annotations

import collections
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

logger = logging.getLogger("sim.viz.page")
CACHE_SIZE = 48

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"


@dataclass
class Job:
    key: str
    kind: str                                    # "answer", "why", "story" (for messages)
    work: Callable[["Job"], Any]
    state: str = QUEUED
    done: int = 0
    total: int = 0
    result: Any = None
    error: str = ""                               # a text key of i18n.py, or a short English line for the log
    started: float = 0.0
    finished: float = 0.0
    sessions: set[str] = field(default_factory=set)   # who asked (kernel ids)
    keep: bool = False                           # asked by the server itself (warming up): never withdrawn
    changed: threading.Condition = field(default_factory=threading.Condition)
    cancel: threading.Event = field(default_factory=threading.Event)

    def progress(self, done: int, total: int) -> None:
        with self.changed:
            self.done, self.total = int(done), int(total)
            self.changed.notify_all()

    def _set(self, **values) -> None:
        with self.changed:
            for k, v in values.items():
                setattr(self, k, v)
            self.changed.notify_all()

    def wait(self, timeout: float) -> None:
        """Until something changes (progress, state) or `timeout` seconds pass."""
        with self.changed:
            self.changed.wait(timeout)

    @property
    def ended(self) -> bool:
        return self.state in (DONE, FAILED)


class Queue:
    """One worker thread; jobs in order of asking; identical requests share one job."""

    def __init__(self, name: str = "page-jobs") -> None:
        self._lock = threading.Lock()
        self._waiting: collections.deque[Job] = collections.deque()
        self._jobs: dict[str, Job] = {}                     # queued or running, by key
        self._cache: collections.OrderedDict[str, Job] = collections.OrderedDict()
        self._wake = threading.Event()
        self._name = name
        self._thread: threading.Thread | None = None

    def submit(self, key: str, kind: str, work: Callable[[Job], Any], session: str = "") -> Job:
        """The job for `key`: a finished one from the cache, the one already queued or running,
        or a new one at the end of the queue."""
        with self._lock:
            job = self._cache.get(key)
            if job is not None:
                self._cache.move_to_end(key)
                return job
            job = self._jobs.get(key)
            if job is None:
                job = Job(key, kind, work)
                self._jobs[key] = job
                self._waiting.append(job)
                self._start()
            if session:
                job.sessions.add(session)
            else:
                job.keep = True
            self._wake.set()
            return job

    def cached(self, key: str) -> Job | None:
        with self._lock:
            return self._cache.get(key)

    def ahead(self, job: Job) -> int:
        """How many jobs run or wait before `job` (0 when it runs or has ended)."""
        with self._lock:
            if job.state != QUEUED:
                return 0
            running = sum(1 for j in self._jobs.values() if j.state == RUNNING)
            return running + next((i for i, j in enumerate(self._order()) if j is job), 0)

    def others_ahead(self, job: Job, session: str) -> int:
        """Jobs before `job` that were asked by other sessions only."""
        with self._lock:
            if job.state != QUEUED:
                return 0
            before = [j for j in self._jobs.values() if j.state == RUNNING]
            for j in self._order():
                if j is job:
                    break
                before.append(j)
            return sum(1 for j in before if session not in j.sessions)

    def release(self, job: Job, session: str) -> None:
        """`session` no longer wants `job` (its question changed, its view or tab closed): if
        nobody else asked for it, a queued job is dropped and a running one stopped (the
        runs it finished stay on disk and are found again if the question comes back)."""
        with self._lock:
            job.sessions.discard(session)
            if job.sessions or job.keep or job.ended or self._jobs.get(job.key) is not job:
                return
            if job.state == QUEUED:
                self._waiting.remove(job)
                del self._jobs[job.key]
                job._set(state=FAILED, error="jobs.withdrawn")
            elif job.state == RUNNING:
                job.cancel.set()

    def _order(self) -> list[Job]:
        """The waiting jobs in the order they will run: answers first, then in order of asking."""
        return sorted(self._waiting, key=lambda j: j.kind != "answer")   # stable: arrival order kept

    def _start(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._loop, name=self._name, daemon=True)
            self._thread.start()

    def _loop(self) -> None:
        while True:
            with self._lock:
                job = self._order()[0] if self._waiting else None
                if job is None:
                    self._wake.clear()
                else:
                    self._waiting.remove(job)
            if job is None:
                if not self._wake.wait(60):
                    with self._lock:
                        if not self._waiting:
                            self._thread = None
                            return
                continue
            self._run(job)

    def busy(self) -> bool:
        with self._lock:
            return bool(self._jobs)

    def _run(self, job: Job) -> None:
        job._set(state=RUNNING, started=time.time())
        try:
            result = job.work(job)
            job._set(result=result, state=DONE, finished=time.time())
        except BaseException as exc:  # noqa: BLE001  a failed job is a message on the page
            from .boundary import describe

            reason = "jobs.withdrawn" if job.cancel.is_set() else getattr(exc, "reason", None)
            if not isinstance(reason, str) or not reason.startswith(("jobs.", "question.", "why.")):
                logger.error("page job %s failed: %s", job.kind, describe(exc))
                reason = "jobs.failed"
            job._set(state=FAILED, error=reason, finished=time.time())
        with self._lock:
            self._jobs.pop(job.key, None)
            if job.state == DONE:
                self._cache[job.key] = job
                while len(self._cache) > CACHE_SIZE:
                    self._cache.popitem(last=False)


class JobError(Exception):
    """A job that ends with a message for the page; `reason` is a text key of i18n.py."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


QUEUE = Queue()

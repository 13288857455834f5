"""Warm the page's answer for the default question when the server starts, so that the first
screen shows an answer at once (its runs are stored, so this is quick after the first start).

`start()` queues, in the server's job queue (sim/viz/jobs.py), the default question's answer,
then its loops (why) and its villages (the map). A visitor who comes in meanwhile waits for
the same jobs and sees their progress. `VLIEGWIEL_PAGE_WARM=0` switches it off.
"""

from __future__ import annotations

import os
import threading

from . import answers, stories, why
from . import jobs
from .jobs import DONE
from .question import Question


def enabled() -> bool:
    return os.environ.get("VLIEGWIEL_PAGE_WARM", "1").strip().lower() not in ("0", "false", "no", "off")


def start(question: Question | None = None) -> threading.Thread | None:
    if not enabled():
        return None
    q = question or Question()

    def chain() -> None:
        job = jobs.QUEUE.submit(answers.job_key(q), "answer", lambda j: answers.compute(q, j))
        while not job.ended:
            job.wait(1.0)
        if job.state != DONE:
            return
        answer = job.result
        if not q.is_baseline:
            jobs.QUEUE.submit(why.job_key(q), "why", lambda j: why.compute(q, answer, j))
        jobs.QUEUE.submit(stories.job_key(q), "story", lambda j: stories.compute(q, j))

    thread = threading.Thread(target=chain, name="page-warm", daemon=True)
    thread.start()
    return thread

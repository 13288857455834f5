"""What the page computes, in-process: the answer (paired over replicates through the
experiment layer), the loops behind it, a village's story, the live run and the job queue."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from sim.config.compose import load_config
from sim.experiments.executors import Serial
from sim.model import VillageModel
from sim.viz import answers, comparisons, jobs, sentences, stories, why
from sim.viz.live import BASE, POLICY, LiveRun
from sim.viz.question import Question

SMALL = Question(("dialogue",), world="small", years=2)


@pytest.fixture
def quick(tmp_path, monkeypatch):
    """Answers in a temporary results folder, on this process, 2 replicates, 1 per loop."""
    monkeypatch.setattr(comparisons, "RESULTS", tmp_path)
    monkeypatch.setattr(answers, "executor", lambda: Serial())
    monkeypatch.setenv("VLIEGWIEL_PAGE_REPLICATES", "2")
    monkeypatch.setenv("VLIEGWIEL_PAGE_WHY_REPLICATES", "1")
    return tmp_path


def test_an_answer_pairs_the_policy_with_the_baseline_and_is_found_again(quick):
    first = answers.compute(SMALL)
    assert first.ran == 4 and not first.cached and first.runs == 4
    assert set(first.curves) == {"dialogue", "none"} and len(first.months) == 25
    mean, lo, hi = first.end["dialogue"]
    assert lo <= mean <= hi and 0 <= lo and hi <= 1
    d, d_lo, d_hi = first.diff
    ends = first.metrics.set_index(["scenario", "replicate"])["participation_end"]
    assert d == pytest.approx((ends.loc["dialogue"] - ends.loc["none"]).mean())
    assert -1 <= d_lo <= d <= d_hi <= 1
    again = answers.compute(SMALL)
    assert again.cached and again.ran == 0 and again.end == first.end
    assert (quick / "page" / "answers").is_dir()
    nl = sentences.answer_sentence(first, "nl")
    assert nl.startswith("Met € 1,5 mln over 2 jaar") and "(spreiding over 2 runs met ander toeval:" in nl
    assert "p =" not in nl and "p-" not in " ".join(sentences.detail_sentences(first, "en"))


def test_the_baseline_alone_is_answered_without_a_difference(quick):
    a = answers.compute(Question(("none",), world="small", years=2))
    assert a.diff is None and set(a.curves) == {"none"} and a.runs == 2
    assert sentences.answer_sentence(a, "en").startswith("Without any instrument, about")


def test_the_loops_are_knocked_out_one_by_one_on_the_same_replicates(quick):
    a = answers.compute(SMALL)
    w = why.compute(SMALL, a)
    assert [p.loop for p in w.parts] == [name for name, _, _ in why.LOOPS] and w.runs == 10
    on = a.metrics[a.metrics["replicate"] < 1].set_index("scenario")["participation_end"]
    assert w.gain == pytest.approx(on["dialogue"] - on["none"])
    for p in w.parts:
        assert p.carried[0] == pytest.approx(w.gain - p.gain_without)
    assert sentences.why_sentences(w, "nl") and sentences.why_sentences(w, "en")


def test_a_village_story_is_the_answers_first_run(quick):
    a = answers.compute(SMALL)
    st = stories.compute(SMALL)
    assert st.labels == (POLICY, BASE) and len(st.villages) == 6
    first = a.metrics[a.metrics["replicate"] == 0].set_index("scenario")["participation_end"]
    model = VillageModel(load_config(SMALL.overrides()))
    model.run_months(SMALL.months)
    people = model.villages.residents
    shares = np.array([v.end(POLICY) for v in st.villages])
    assert float((shares * people).sum() / people.sum()) == pytest.approx(first["dialogue"], abs=1e-9)
    v = st.villages[0]
    assert v.joined >= v.through_tie >= 0 and v.members >= v.core >= 0 and len(v.share[POLICY]) == 25


def test_the_live_run_never_passes_the_horizon_and_reads_consistently_while_it_steps():
    run = LiveRun(SMALL)
    assert run.step(5) == 5 and run.month == 5
    assert run.step(1000) == 19 and run.at_end and run.step(1) == 0 and run.month == 24
    run = LiveRun(SMALL)
    seen, stop = [], threading.Event()

    def play():
        while not run.at_end:
            run.step(1)
        stop.set()

    threading.Thread(target=play).start()
    while not stop.is_set():
        snap = run.snapshot(2)
        seen.append(snap)
        assert len(snap.share[POLICY]) == len(snap.share[BASE]) == len(snap.spent) == snap.month + 1
    assert run.month == 24 and seen


def test_who_brought_whom_is_a_tie_who_took_part_earlier():
    # the default region: on the calibrated default nobody in the small one is brought in within two years
    run = LiveRun(Question(("dialogue",), world="province", years=2))
    run.step(24)
    t = run.trackers[POLICY]
    linked = np.flatnonzero(t.recruiter >= 0)
    assert linked.size and np.all(t.joined[t.recruiter[linked]] < t.joined[linked])
    adj = run.main.world.adjacency
    assert all(adj[i, t.recruiter[i]] != 0 for i in linked[:300])
    assert np.all(t.joined[run.main.taking_part.mask] >= 0)


def test_the_queue_runs_one_job_at_a_time_shares_equal_requests_and_says_who_is_ahead():
    q = jobs.Queue("test-jobs")
    gate = threading.Event()
    order = []

    def slow(job):
        order.append(job.key)
        gate.wait(10)
        return job.key

    a = q.submit("a", "answer", slow, session="s1")
    time.sleep(0.2)
    b = q.submit("b", "answer", slow, session="s2")
    c = q.submit("c", "answer", slow, session="s1")
    assert q.submit("b", "answer", slow, session="s3") is b and b.sessions == {"s2", "s3"}
    assert (a.state, b.state) == (jobs.RUNNING, jobs.QUEUED)
    assert q.ahead(b) == 1 and q.others_ahead(b, "s2") == 1 and q.others_ahead(c, "s1") == 1
    q.release(c, "s1")                      # nobody else wanted it: dropped
    assert c.state == jobs.FAILED and c.error == "jobs.withdrawn"
    q.release(b, "s2")                      # s3 still wants it
    assert b.state == jobs.QUEUED
    gate.set()
    while not b.ended:
        b.wait(1)
    assert order == ["a", "b"] and b.result == "b" and q.cached("b") is b


def test_answers_go_before_the_longer_computations_behind_them():
    q = jobs.Queue("test-order")
    gate = threading.Event()
    order = []

    def work(job):
        order.append(job.key)
        gate.wait(10)

    q.submit("first", "answer", work, session="s1")
    time.sleep(0.2)
    why = q.submit("why-a", "why", work, session="s1")
    answer = q.submit("answer-b", "answer", work, session="s2")
    assert q.ahead(answer) == 1 and q.ahead(why) == 2 and q.others_ahead(answer, "s2") == 1
    gate.set()
    while not why.ended:
        why.wait(1)
    assert order == ["first", "answer-b", "why-a"]


def test_a_running_job_nobody_wants_any_more_is_stopped(quick):
    q = jobs.Queue("test-stop")
    started = threading.Event()

    def work(job):
        started.set()
        while not job.cancel.wait(0.05):
            pass
        raise jobs.JobError("jobs.withdrawn")

    job = q.submit("x", "answer", work, session="s1")
    started.wait(5)
    q.release(job, "s1")
    while not job.ended:
        job.wait(1)
    assert job.state == jobs.FAILED and job.error == "jobs.withdrawn"

"""The province as broker (verbinder, sim/instruments/broker.py): who is linked, what a link
costs and does, when it ends, and the premise in whole runs. The generic instrument tests
(budget paced and spent, start and stop, public methods only) run for it in
tests/test_instruments.py."""

from __future__ import annotations

import numpy as np
import pytest

from sim import load_config, run
from sim.instruments.base import Commitment
from sim.metrics import run_metrics
from sim.state import Stage

from test_instruments import burden, found, make_model

BROKER = ["policy.broker.link_cost=500", "policy.broker.link_months=24", "policy.broker.max_links=2",
          "policy.broker.learning_rate=0.1", "policy.broker.inspiration=0.1", "policy.broker.hours=2"]


def broker_model(*overrides: str, budget: float = 1e7, months: int = 60):
    return make_model(*BROKER, *overrides, instruments=["broker"], budget=budget, months=months, pin=False)


def test_the_least_knowledgeable_is_linked_to_the_most_knowledgeable_elsewhere():
    model = broker_model()
    low = found(model, 0, "care", Stage.STARTING, knowledge=0.1)
    mid = found(model, 1, "food", Stage.ORGANISED, knowledge=0.4)
    high = found(model, 2, "energy", Stage.REALISING, knowledge=0.8)
    same_village = found(model, 0, "energy", Stage.REALISING, knowledge=0.9)    # never its own village's
    idea = found(model, 3, "care", Stage.IDEA, knowledge=0.0)                    # not yet eligible
    inst = model.province.portfolio[0]
    inst.match(0)
    # low (0.1) -> same_village is in its village: the best elsewhere is high (0.8); then mid (0.4)
    # -> same_village (0.9, village 0); then high (0.8, one link left) -> same_village; same_village
    # has two links now; nobody is left who knows at least as much as it
    assert inst.links == {(low.cid, high.cid): Commitment(24, 500.0), (mid.cid, same_village.cid): Commitment(24, 500.0),
                          (high.cid, same_village.cid): Commitment(24, 500.0)}
    assert inst.made == 3 and all(idea.cid not in pair for pair in inst.links)


def test_a_link_month_pays_learns_burdens_and_inspires():
    model = broker_model()
    learner = found(model, 0, "care", Stage.STARTING, knowledge=0.2)
    partner = found(model, 3, "energy", Stage.REALISING, knowledge=0.6)
    model.collectives.successes[partner.cid] = 1
    inst = model.province.portfolio[0]
    model.begin_month()
    inst.apply(0)
    assert inst.links == {(learner.cid, partner.cid): Commitment(23, 500.0)}
    assert inst.spent == pytest.approx(500.0)
    np.testing.assert_allclose(model.villages.spend, [250, 0, 0, 250, 0, 0])        # a service to both villages
    assert learner.knowledge == pytest.approx(0.2 + 0.1 * (0.6 - 0.2))             # 0.24
    assert partner.knowledge == pytest.approx(0.6)                                  # nothing to learn from it
    assert burden(learner) == 2.0 and burden(partner) == 2.0
    np.testing.assert_allclose(model.effects.founding, [0.1, 0, 0, 0, 0, 0])        # its partner has a success
    assert model.collectives.gov_funding[[learner.cid, partner.cid]].sum() == 0.0   # no grant to collectives


def test_no_inspiration_from_a_partner_without_success():
    model = broker_model()
    found(model, 0, "care", Stage.STARTING, knowledge=0.2)
    found(model, 3, "energy", Stage.REALISING, knowledge=0.6)
    model.begin_month()
    model.province.portfolio[0].apply(0)
    assert np.all(model.effects.founding == 0.0)


def test_links_end_after_their_term_or_with_a_partner():
    model = broker_model("policy.broker.link_months=3")
    a = found(model, 0, "care", Stage.STARTING, knowledge=0.2)
    b = found(model, 3, "energy", Stage.REALISING, knowledge=0.6)
    c = found(model, 4, "food", Stage.REALISING, knowledge=0.5)
    inst = model.province.portfolio[0]
    inst.apply(0)
    assert set(inst.links) == {(a.cid, b.cid), (c.cid, b.cid)}
    model.collectives.stage[c.cid] = Stage.DISSOLVED
    inst.apply(1)
    assert set(inst.links) == {(a.cid, b.cid)}              # c's link ended with c
    inst.apply(2)
    assert inst.links[(a.cid, b.cid)].months_left == 0
    spent = inst.spent
    inst.drop_ended()
    assert inst.links == {}                                 # three months over
    inst.match(3)                                           # a and b may be linked again
    assert set(inst.links) == {(a.cid, b.cid)} and inst.spent == spent


def test_the_budget_caps_the_links():
    """30000 over 60 months is 500 a month: one link at a time."""
    model = broker_model(budget=30_000)
    for v, k in enumerate([0.1, 0.2, 0.3, 0.9]):
        found(model, v, "care", Stage.ORGANISED, knowledge=k)
    inst = model.province.portfolio[0]
    inst.apply(0)
    assert len(inst.links) == 1 and inst.spent == pytest.approx(500.0)


def test_broker_in_a_run_links_collectives_of_different_villages():
    # measured before a collective's room for members existed (issue 13), which moves this seed
    model = make_model(*BROKER, "mechanisms.member_room=false", instruments=["broker"], budget=200_000, months=36,
                       bare=False, pin=False)
    model.run_months(36)
    inst = model.province.portfolio[0]
    c = model.collectives
    assert inst.made > 0 and 0 < inst.spent <= 200_000 + 1e-6
    assert all(c.village[a] != c.village[b] and c.knowledge[b] >= 0 for a, b in inst.links)
    assert all(sum(cid in pair for pair in inst.links) <= 2 for cid in range(c.n))     # max_links


def test_the_broker_spreads_know_how():
    """Same seeds, default world, ten years (projects, and so know-how, come late: in the first
    five years hardly any collective finishes one): with the province as broker collectives
    know more at the end than with the budget unspent. Measured (replicates 0-3): mean
    knowledge at the end 0.52 against 0.26, higher in every run; 90.3 collectives founded
    against 81.3; taking part at the end +3.6 pp (sd 2.1 pp, higher in all 4).
    """
    for r in range(2):
        base = run_metrics(run(load_config(["calibration=none", f"replicate={r}"])))
        brok = run_metrics(run(load_config(["calibration=none", f"replicate={r}", "policy.instruments=[broker]"])))
        assert brok["knowledge_mean_end"] > base["knowledge_mean_end"] + 0.1
        assert brok["public_spend_total"] >= 0.95 * 1_500_000

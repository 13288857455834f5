"""Collectives' rules (sim/rules/collectives.py) against values computed by hand.

Each test writes the docstring equation out with small numbers. All rules must run without
floating-point warnings (division by zero, invalid values), so they run under
np.errstate(all="raise").
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.rules.collectives import (
    burnout_update,
    failure_risk,
    founding_probability,
    knowledge_gain,
    member_room,
    next_stage,
    overload,
    own_share,
    regional_learning,
    self_sustaining,
    share_fund,
    trust_update,
    weak_months,
    workload_hours,
)
from sim.state import Stage

A = np.array


@pytest.fixture(autouse=True)
def no_float_warnings():
    with np.errstate(all="raise"):
        yield


# --- founding ---------------------------------------------------------------------------

def test_founding_probability_hand_values():
    # 3 villages x 2 themes; founders 5; rate 0.02; knowledge factor 2
    p = founding_probability(
        candidates=A([5, 4, 10]), founders=5, appeal=A([1.0, 0.5]),
        knowledge=A([[0.0, 1.0], [0.0, 0.0], [0.5, 0.0]]), boost=A([0.0, 0.0, 1.0]),
        rate=0.02, knowledge_factor=2.0,
    )
    expected = A([
        # v0: 0.02*1*(1+0)*(1+0) = 0.02 | 0.02*0.5*(1+2*1)*(1+0) = 0.03
        [1 - np.exp(-0.02), 1 - np.exp(-0.03)],
        # v1: 4 candidates < 5 founders: nobody can found (leaders are the bottleneck)
        [0.0, 0.0],
        # v2: 0.02*1*(1+2*0.5)*(1+1) = 0.08 | 0.02*0.5*(1+0)*(1+1) = 0.02
        [1 - np.exp(-0.08), 1 - np.exp(-0.02)],
    ])
    np.testing.assert_allclose(p, expected, rtol=1e-12)
    np.testing.assert_allclose(p[0], [0.0198013267, 0.0295544665], rtol=1e-8)


@pytest.mark.parametrize(("candidates", "able"), [(0, False), (2, False), (3, True), (50, True)])
def test_founding_needs_at_least_as_many_pioneers_as_founders(candidates, able):
    p = founding_probability(A([candidates]), 3, A([1.0]), A([[0.0]]), A([0.0]), rate=1.0, knowledge_factor=0.0)
    assert p.shape == (1, 1)
    assert p[0, 0] == pytest.approx(1 - np.exp(-1.0) if able else 0.0, rel=1e-12)


# --- workload and burnout (balancing loop) ----------------------------------------------

def test_workload_hours_hand_values():
    # W = base + admin*(1 - T*A) + [project]*H + burden, base 10, admin 20
    w = workload_hours(10.0, 20.0, trust=A([0.0, 0.5, 1.0]), attitude=A([1.0, 0.5, 1.0]),
                       project_hours=A([30.0, 30.0, 5.0]), project_running=A([False, True, True]),
                       burden=A([0.0, 2.0, 0.0]))
    # 10+20*1+0+0 = 30 | 10+20*(1-0.25)+30+2 = 57 | 10+20*0+5+0 = 15
    np.testing.assert_allclose(w, [30.0, 57.0, 15.0], rtol=1e-12)


def test_overload_hand_values_and_no_core():
    # max(0, W/cap - 1): 10/20 -> 0, 30/20 -> 0.5, 7/7 -> 0; capacity 0 -> 1 whatever the workload
    o = overload(A([10.0, 30.0, 7.0, 5.0, 0.0]), A([20.0, 20.0, 7.0, 0.0, 0.0]))
    np.testing.assert_allclose(o, [0.0, 0.5, 0.0, 1.0, 1.0], rtol=1e-12)


def test_burnout_update_hand_values():
    # rate 0.1, recovery 0.5; recovery only in months without overload
    b = burnout_update(A([0.2, 0.2, 0.95, 0.0, 0.4]), A([0.0, 0.5, 1.0, 0.0, 0.0]), rate=0.1, recovery=0.5)
    # 0.2-0.5*0.2 = 0.1 | 0.2+0.05 = 0.25 | min(1, 0.95+0.1) = 1 | 0 | 0.4-0.2 = 0.2
    np.testing.assert_allclose(b, [0.1, 0.25, 1.0, 0.0, 0.2], rtol=1e-12)


def test_burnout_stays_in_unit_interval():
    b = burnout_update(A([0.0, 1.0]), A([0.0, 50.0]), rate=0.3, recovery=2.0)
    np.testing.assert_array_equal(b, [0.0, 1.0])
    b = burnout_update(A([0.5]), A([0.0]), rate=0.3, recovery=2.0)  # 0.5 - 2*0.5 = -0.5 -> 0
    np.testing.assert_array_equal(b, [0.0])


# --- projects, learning and trust -------------------------------------------------------

def test_failure_risk_hand_values():
    # r_t * (1 - 0.6 K): 0.2*1 | 0.2*0.7 | 0.1*0.4
    np.testing.assert_allclose(failure_risk(A([0.2, 0.2, 0.1]), A([0.0, 0.5, 1.0]), 0.6), [0.2, 0.14, 0.04], rtol=1e-12)


def test_own_share_hand_values():
    # max(0, C(1-l) - members*i)
    s = own_share(A([100_000.0, 100_000.0, 1_000.0]), A([0.5, 0.0, 0.0]), A([10, 200, 10]), A([100.0, 250.0, 500.0]))
    # 50,000-1,000 = 49,000 | 100,000-50,000 = 50,000 | max(0, 1,000-5,000) = 0
    np.testing.assert_allclose(s, [49_000.0, 50_000.0, 0.0], rtol=1e-12)


def test_knowledge_gain_hand_values():
    # K + g(1-K): 0+0.2 | 0.5+0.2*0.5 | 1 stays 1 | 0.9 + 0.5*0.1
    np.testing.assert_allclose(knowledge_gain(A([0.0, 0.5, 1.0, 0.9]), A([0.2, 0.2, 0.5, 0.5])),
                               [0.2, 0.6, 1.0, 0.95], rtol=1e-12)


def test_regional_learning_hand_values():
    k = A([0.2, 0.6, 1.0, 0.5])
    links = A([[0, 1, 1, 0],
               [1, 0, 1, 0],
               [1, 1, 0, 0],
               [0, 0, 0, 0]], dtype=float)
    out = regional_learning(k, *np.nonzero(links), rate=0.5)
    # c0: gaps 0.4, 0.8 -> mean 0.6 -> 0.2 + 0.3 = 0.5
    # c1: gaps 0 (c0 knows less), 0.4 -> mean 0.2 -> 0.6 + 0.1 = 0.7
    # c2: knows most: no gain | c3: no links: no gain
    np.testing.assert_allclose(out, [0.5, 0.7, 1.0, 0.5], rtol=1e-12)


def test_regional_learning_never_lowers_knowledge_and_needs_links():
    rng = np.random.default_rng(3)
    k = rng.random(20)
    links = (rng.random((20, 20)) < 0.3).astype(float)
    links = np.maximum(links, links.T)
    np.fill_diagonal(links, 0)
    out = regional_learning(k, *np.nonzero(links), rate=0.4)
    assert (out >= k).all() and (out <= k.max()).all()
    np.testing.assert_array_equal(regional_learning(k, *np.nonzero(np.zeros((20, 20))), rate=0.4), k)


def test_trust_update_hand_values():
    # gain 0.1 per success, loss 0.15 per failure, drift 0.05 toward the attitude
    t = trust_update(A([0.5, 0.5, 0.9, 0.1]), A([1, 0, 2, 0]), A([0, 1, 0, 3]), A([0.5, 1.0, 0.5, 0.0]),
                     gain=0.1, loss=0.15, drift=0.05)
    # 0.5+0.1 = 0.6 | 0.5-0.15+0.05*0.5 = 0.375 | clip(0.9+0.2-0.02) = 1 | clip(0.1-0.45-0.005) = 0
    np.testing.assert_allclose(t, [0.6, 0.375, 1.0, 0.0], rtol=1e-12)


def test_self_sustaining_hand_values():
    # running cost 80, government must pay < 50 % of all funding
    s = self_sustaining(
        successes=A([1, 1, 0, 1, 1, 2, 1]),
        revenue=A([100.0, 100.0, 100.0, 50.0, 100.0, 80.0, 100.0]),
        running_cost=80.0,
        gov_funding=A([0.0, 50.0, 0.0, 0.0, 60.0, 0.0, 49.0]),
        own_funding=A([100.0, 50.0, 100.0, 100.0, 40.0, 0.0, 51.0]),
        max_gov_share=0.5,
    )
    # ok | gov share 0.5 is not < 0.5 | no success | revenue 50 < 80 | gov 0.6 | no funding at all
    # counts as gov share 0, revenue 80 = cost | gov 0.49
    np.testing.assert_array_equal(s, [True, False, False, False, False, True, True])


# --- lifecycle --------------------------------------------------------------------------

def test_next_stage_transitions():
    I, S, O, R, SS, D = (Stage.IDEA, Stage.STARTING, Stage.ORGANISED, Stage.REALISING,
                         Stage.SELF_SUSTAINING, Stage.DISSOLVED)
    rows = [  # stage, age, members, has_projects, sustaining -> expected
        (I, 2, 0, False, False, I),     # idea too young
        (I, 3, 0, False, False, S),     # idea_months reached
        (S, 12, 10, False, False, O),   # enough members and old enough
        (S, 12, 9, False, False, S),    # one member short
        (S, 11, 10, False, False, S),   # one month too young
        (O, 20, 10, True, False, R),    # first project
        (O, 20, 10, False, True, O),    # no project yet
        (R, 30, 10, True, True, SS),    # sustaining
        (R, 30, 10, True, False, R),
        (SS, 40, 10, True, False, R),   # falls back
        (SS, 40, 10, True, True, SS),
        (D, 99, 99, True, True, D),     # dissolved stays dissolved
        (I, 99, 99, True, True, S),     # one stage per month, however ready
    ]
    stage = A([r[0] for r in rows], dtype=np.int8)
    before = stage.copy()
    out = next_stage(stage, age=A([r[1] for r in rows]), members=A([r[2] for r in rows]), idea_months=3,
                     months_to_organise=12, min_members=10, has_projects=A([r[3] for r in rows]),
                     sustaining=A([r[4] for r in rows]))
    np.testing.assert_array_equal(out, [r[5] for r in rows])
    np.testing.assert_array_equal(stage, before)  # the input is not changed


def test_weak_months_counts_consecutive_weak_months():
    # min core 2: weak when core < 2 or capital < 0; otherwise the count resets
    out = weak_months(A([0, 3, 5, 2, 7]), A([2, 1, 3, 3, 0]), A([10.0, 10.0, -1.0, 0.0, -5.0]), 2)
    np.testing.assert_array_equal(out, [0, 4, 6, 0, 8])


# --- community fund (R2) ----------------------------------------------------------------

def test_share_fund_covers_in_full_or_in_proportion():
    shortfall = A([100.0, 300.0, 50.0, 0.0, 20.0])
    village = A([0, 0, 1, 1, 2])
    fund = A([200.0, 100.0, 0.0, 500.0])  # village 3 has a fund but no collective
    g = share_fund(shortfall, village, fund)
    # v0: need 400 > fund 200: half of each shortfall | v1: need 50 <= 100: in full | v2: empty fund
    np.testing.assert_allclose(g, [50.0, 150.0, 50.0, 0.0, 0.0], rtol=1e-12)
    paid = np.bincount(village, weights=g, minlength=fund.size)
    assert (paid <= fund + 1e-9).all()


def test_share_fund_without_shortfalls_pays_nothing():
    np.testing.assert_array_equal(share_fund(A([0.0, 0.0]), A([0, 1]), A([10.0, 0.0])), [0.0, 0.0])


# --- room for members ---------------------------------------------------------------------


def test_member_room_hand_values():
    # cap = s N = 0.1 x 1000 = 100 members: room = 1 - M / 100, clipped at 0
    room = member_room(A([0, 50, 100, 150]), A([1000, 1000, 1000, 1000]), A([0.1, 0.1, 0.1, 0.1]))
    np.testing.assert_allclose(room, [1.0, 0.5, 0.0, 0.0])


def test_member_room_per_village_and_theme():
    # cap 0.5 x 40 = 20 (room 1 - 5/20), cap 0.05 x 2000 = 100 (room 1 - 5/100)
    np.testing.assert_allclose(member_room(A([5, 5]), A([40, 2000]), A([0.5, 0.05])), [0.75, 0.95])


def test_member_room_of_an_empty_village_is_zero():
    np.testing.assert_array_equal(member_room(A([0, 3]), A([0, 0]), A([0.2, 1.0])), [0.0, 0.0])

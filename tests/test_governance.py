"""The governments' own role (sim/rules/governance.py, sim/dynamics/governance.py,
sim/agents/government.py): attitudes that act, the province as co-funder and giver of room to
deviate. Rules against hand values; the switches; the premise in whole runs.

The broker, the province's third role, has its own file (tests/test_broker.py); village
agreements and co-operatives too (tests/test_agreements.py).
"""

from __future__ import annotations

import numpy as np
import pytest

from since_issue12 import NEW_MECHANISMS_OFF
from sim import load_config, run
from sim.dynamics import collectives as dyn
from sim.metrics import run_metrics
from sim.rules import governance as G
from sim.state import Stage

from test_instruments import burden, found, make_model

OFF = ["mechanisms.attitude=false", "mechanisms.agreements=false", "mechanisms.village_coops=false",
       "mechanisms.province_roles=false"]
EVERY = "policy.instruments=[subsidy,prize,tender,shareholding,right_to_challenge,dialogue,learning_network]"


@pytest.fixture(autouse=True)
def no_float_warnings():
    with np.errstate(all="raise"):
        yield


# --- the rules by hand -------------------------------------------------------------------

def test_effective_attitude_mixes_the_province_in():
    # (1 - 0.3) x [0.2, 0.8] + 0.3 x 0.5 = [0.29, 0.71]
    np.testing.assert_allclose(G.effective_attitude(np.array([0.2, 0.8]), 0.5, 0.3), [0.29, 0.71])
    np.testing.assert_allclose(G.effective_attitude(np.array([0.2, 0.8]), 0.9, 0.0), [0.2, 0.8])   # w = 0
    np.testing.assert_allclose(G.effective_attitude(np.array([0.2, 0.8]), 0.9, 1.0), [0.9, 0.9])   # w = 1


def test_procedure_factor_by_attitude():
    # F = max(0, 1 + b (1 - 2A)), b = 0.5: A = 0 -> 1.5, 0.5 -> 1, 1 -> 0.5; b = 2, A = 1 -> 0 (not -1)
    np.testing.assert_allclose(G.procedure_factor(np.array([0.0, 0.5, 1.0, 0.25]), 0.5), [1.5, 1.0, 0.5, 1.25])
    np.testing.assert_allclose(G.procedure_factor(np.array([1.0]), 2.0), [0.0])


def test_admin_hours_with_factor_and_cut():
    # 15 x [1.5, 1, 0.5] x (1 - [0, 0.3, 1]) = [22.5, 10.5, 0]; cuts are clipped to 0-1
    np.testing.assert_allclose(G.admin_hours(15.0, np.array([1.5, 1.0, 0.5]), np.array([0.0, 0.3, 1.0])),
                               [22.5, 10.5, 0.0])
    np.testing.assert_allclose(G.admin_hours(15.0, np.array([1.0]), np.array([1.7])), [0.0])


def test_trust_target_lifted_for_agreed_priorities():
    # A + 0.3 [covered] (1 - A): 0.4 -> 0.58 where covered, 0.4 where not
    np.testing.assert_allclose(G.trust_target(np.array([0.4, 0.4]), np.array([True, False]), 0.3), [0.58, 0.4])


def test_cocreation_risk_centred_on_a_neutral_government():
    # r (1 - s (T A - 1/4)), s = 0.5: T = A = 0.5 keeps r; T = A = 1: r (1 - 0.375); T = 0: r (1 + 0.125)
    risk = np.array([0.2, 0.2, 0.2, 0.9])
    out = G.cocreation_risk(risk, np.array([0.5, 1.0, 0.0, 0.0]), np.array([0.5, 1.0, 0.7, 0.2]), 0.5)
    np.testing.assert_allclose(out, [0.2, 0.125, 0.225, 1.0 * min(1.0, 0.9 * 1.125)])
    assert out[3] == 1.0                                                  # clipped at 1


def test_cofunding_multiplies_and_splits():
    assert G.matched_allocation(100_000.0, 0.0) == 100_000.0
    assert G.matched_allocation(100_000.0, 1.5) == pytest.approx(250_000.0)
    assert G.province_share(0.0) == 0.0 and G.province_share(1.0) == pytest.approx(0.5)
    assert G.province_share(3.0) == pytest.approx(0.75)


def test_eased_hours():
    np.testing.assert_allclose(G.eased_hours(np.array([60.0, 0.0, 40.0]), 0.25), [45.0, 0.0, 30.0])
    np.testing.assert_allclose(G.eased_hours(np.array([60.0]), 1.5), [0.0])


# --- switches: off gives the numbers of before -------------------------------------------

# tests/baseline.json's small_every_instrument case at commit 3a87928, before these
# mechanisms existed. A mechanism added later that is on by default moves these numbers: switch
# it off here too.
BEFORE = {"participation_end": 0.24586776859504134, "participation_y5": 0.05165289256198347,
          "participation_auc": 0.6580578512396693, "collectives_founded": 14.0, "collectives_surviving": 7.0,
          "public_spend_total": 1396491.1908206749, "dependence_end": 0.528295243721167,
          "liveability_mean_end": 0.6124915962805478, "months_to_2_5": 44.0, "months_to_16": 107.0,
          "participants_end": 476.0}


def test_all_four_switches_off_give_the_numbers_of_before():
    cfg = load_config(["world=small", EVERY, *NEW_MECHANISMS_OFF, "governments.cofunding=2",
                       "governments.room_to_deviate=0.5"])
    m = run_metrics(run(cfg))
    for key, value in BEFORE.items():
        assert m[key] == pytest.approx(value, rel=1e-12, abs=1e-12), key
    assert m["agreements_made_total"] == 0 and m["village_coops_end"] == 0
    assert m["province_spend_total"] < m["public_spend_total"]   # no co-funding with province_roles off


def test_attitude_off_uses_the_municipality_alone():
    model = make_model("mechanisms.attitude=false", pin=False)
    from sim.dynamics import governance
    v = np.arange(model.world.villages.n)
    np.testing.assert_array_equal(governance.attitude_of(model, v), model.attitude_of_village)
    assert governance.procedure_factor(model, model.attitude_of_village) is None


# --- attitude in the collectives' phase ------------------------------------------------------

def test_workload_with_attitude_by_hand():
    """W = base + admin F (1 - T A) + burden F, A = 0.7 A_m + 0.3 A_p, F = 1 + b (1 - 2A)."""
    model = make_model("governments.attitude_mean=0.2", "governments.attitude_sd=0", "governments.province_attitude=0.8",
                       "governments.province_weight=0.3", "governments.attitude_burden=0.5", pin=False)
    c = found(model, 0, "care", Stage.ORGANISED, core_hours=20.0)
    model.collectives.trust[c.cid] = 0.5
    c.add_burden(10.0)
    dyn.work(model)
    a = 0.7 * 0.2 + 0.3 * 0.8                        # 0.38
    f = 1 + 0.5 * (1 - 2 * a)                        # 1.12
    w = 20.0 + 15.0 * f * (1 - 0.5 * a) + 10.0 * f   # base + admin + burden
    assert model.collectives.overload[c.cid] == pytest.approx(w / 20.0 - 1.0)


def test_trust_drifts_to_the_effective_attitude():
    model = make_model("governments.attitude_mean=0.2", "governments.attitude_sd=0", "governments.province_attitude=1.0",
                       "governments.province_weight=0.5", pin=False)
    c = found(model, 0, "care", Stage.ORGANISED)
    model.collectives.trust[c.cid] = 0.5
    n = model.collectives.n
    dyn.build_trust(model, (np.zeros(n), np.zeros(n)))
    # T' = T + drift (A - T), A = 0.5 x 0.2 + 0.5 x 1.0 = 0.6
    assert c.trust == pytest.approx(0.5 + 0.02 * (0.6 - 0.5))


def test_cocreation_risk_of_finishing_projects_by_hand():
    """A care project (risk 0.15, knowledge 0) at a neutral government keeps its risk; with full
    trust and co-creation it is 0.15 x (1 - 0.5 x 0.75) = 0.09375."""
    from sim.dynamics import governance
    for attitude, trust, expected in ((0.5, 0.5, 0.15), (1.0, 1.0, 0.09375), (0.0, 0.0, 0.15 * 1.125)):
        model = make_model(f"governments.attitude_mean={attitude}", "governments.attitude_sd=0",
                           f"governments.province_attitude={attitude}", pin=False)
        c = found(model, 0, "care", Stage.REALISING)
        model.collectives.trust[c.cid] = trust
        out = governance.failure_risk(model, np.array([0.15]), np.array([c.cid]))
        assert out == pytest.approx([expected])


@pytest.mark.parametrize(("risk", "won"), [(0.0, 1.0), (1.0, 0.0)])
def test_run_projects_settles_with_the_co_created_risk(monkeypatch, risk, won):
    from sim.dynamics import governance
    model = make_model(pin=False)
    c = found(model, 0, "care", Stage.REALISING)
    model.collectives.project_left[c.cid] = 1
    monkeypatch.setattr(governance, "failure_risk", lambda m, r, done: np.full(done.size, risk))
    result = dyn.run_projects(model)
    assert (result[0][c.cid], result[1][c.cid]) == (won, 1.0 - won)


# --- the province as co-funder -------------------------------------------------------------

def test_cofunding_multiplies_municipal_allocations_at_the_province_expense():
    budget = 200_000.0
    model = make_model("governments.cofunding=1.5", "policy.dialogue.government=municipality",
                       instruments=["dialogue", "learning_network"], budget=budget, pin=False)
    municipal = [i for m in model.municipalities for i in m.portfolio]
    (province_own,) = model.province.portfolio
    # half the budget each; the municipal half x (1 + 1.5); the province's own instrument as it was
    assert sum(i.allocation for i in municipal) == pytest.approx(budget / 2 * 2.5)
    assert province_own.allocation == pytest.approx(budget / 2)
    assert all(m.cofunded_share == pytest.approx(0.6) for m in model.municipalities)
    model.run_months(24)
    spent_m = sum(m.spent_total for m in model.municipalities)
    assert spent_m > 0
    assert model.province.spent_with_cofunding == pytest.approx(model.province.spent_total + 0.6 * spent_m)
    region = model.results().region
    assert region["province_spend_cumulative"].iloc[-1] == pytest.approx(model.province.spent_with_cofunding)
    assert region["public_spend_cumulative"].iloc[-1] == pytest.approx(model.province.spent_total + spent_m)


def test_cofunding_ignored_with_province_roles_off():
    model = make_model("governments.cofunding=1.5", "mechanisms.province_roles=false", instruments=["dialogue"],
                       budget=200_000.0, pin=False)
    assert sum(i.allocation for m in model.municipalities for i in m.portfolio) == pytest.approx(200_000.0)
    assert all(m.cofunded_share == 0.0 for m in model.municipalities)


# --- room to deviate -------------------------------------------------------------------------

RTC = ["policy.right_to_challenge.government=province", "policy.right_to_challenge.challenge_rate=1",
       "policy.right_to_challenge.challenge_hours=60", "policy.right_to_challenge.task_hours=40"]


def test_room_to_deviate_eases_right_to_challenge_hours_and_admin():
    model = make_model(*RTC, "governments.room_to_deviate=0.25", "mechanisms.attitude=false",
                       instruments=["right_to_challenge"], pin=False)
    a = found(model, 0, "care", Stage.ORGANISED, members=30, core_hours=40.0)
    other = found(model, 1, "care", Stage.ORGANISED, members=5, core_hours=40.0)   # too small to challenge
    model.province.step()                          # the challenge (60 h); its task starts next month
    assert burden(a) == pytest.approx(60.0 * 0.75) and burden(other) == 0.0
    c = model.collectives
    assert c.eased[a.cid] == 0.25 and c.eased[other.cid] == 0.0
    trust = c.trust[a.cid]
    dyn.work(model)
    cc = model.cfg.collectives
    att = model.attitude_of_village[0]
    w = cc.base_hours + cc.admin_hours * 0.75 * (1 - trust * att) + 45.0
    assert c.overload[a.cid] == pytest.approx(w / 40.0 - 1.0)
    assert c.eased[a.cid] == 0.0                   # cleared with the month's burden


def test_room_to_deviate_leaves_other_instruments_alone():
    model = make_model("governments.room_to_deviate=0.5", "policy.subsidy.approval=0", "mechanisms.attitude=false",
                       instruments=["subsidy"], pin=False)
    c = found(model, 0, "care", Stage.ORGANISED)
    model.province.step()
    assert burden(c) == model.cfg.policy.subsidy.application_hours and model.collectives.eased[c.cid] == 0.0


def test_room_to_deviate_eases_tender_bids():
    ov = ["policy.tender.business_strength=0.001", "policy.tender.bid_hours=80", "mechanisms.attitude=false"]
    hours = {}
    for room in (0.0, 0.5):
        model = make_model(*ov, f"governments.room_to_deviate={room}", instruments=["tender"], pin=False)
        c = found(model, 0, "care", Stage.ORGANISED, core_hours=40.0)
        model.province.step()
        hours[room] = burden(c)
    assert hours[0.0] > 0 and hours[0.5] == pytest.approx(hours[0.0] / 2)


# --- the premise, in whole runs --------------------------------------------------------------

def _runs(attitude: float, extra: list[str], replicates: range) -> list[dict]:
    return [run_metrics(run(load_config(["calibration=none", "world=small", f"replicate={r}", f"governments.attitude_mean={attitude}",
                                         f"governments.province_attitude={attitude}", "governments.attitude_sd=0",
                                         *extra])))
            for r in replicates]


def test_a_co_creating_government_raises_participation_more_than_a_controlling_one():
    """Same seeds, village dialogues in the small world, every government at 0.9 against every
    government at 0.1: co-creation concludes more agreements, builds trust and lightens
    procedures, and more residents take part. Measured (replicates 0-9, 120 months): taking
    part at the end 47.0 % against 37.8 % (+9.2 pp, sd of the paired difference 10.2 pp, higher
    in 7 of 10); area under the curve +0.33 share-years (sd 0.43); mean trust 0.83 against 0.26;
    agreements 66.6 against 6.6. The test asks for the direction over 8 replicates."""
    reps = range(8)
    co, ctrl = _runs(0.9, ["policy.instruments=[dialogue]"], reps), _runs(0.1, ["policy.instruments=[dialogue]"], reps)
    diff = np.array([a["participation_auc"] - b["participation_auc"] for a, b in zip(co, ctrl, strict=True)])
    assert diff.mean() > 0.1
    assert (diff > 0).sum() >= 5
    assert all(a["trust_mean_end"] > b["trust_mean_end"] + 0.3 for a, b in zip(co, ctrl, strict=True))
    assert sum(a["agreements_made_total"] for a in co) > 3 * sum(b["agreements_made_total"] for b in ctrl)


def test_without_the_attitude_mechanism_a_co_creating_government_builds_less_trust_difference():
    """The switch matters: with mechanisms.attitude off the province's attitude changes nothing
    (the municipalities' still sets where trust drifts)."""
    on = [_runs(a, ["governments.attitude_mean=0.5", "months=60"], range(2)) for a in (0.1, 0.9)]
    off = [_runs(a, ["governments.attitude_mean=0.5", "months=60", "mechanisms.attitude=false"], range(2))
           for a in (0.1, 0.9)]
    # attitude_mean is set by _runs and then back to 0.5: only the province's attitude differs
    assert all(x["trust_mean_end"] == y["trust_mean_end"] for x, y in zip(*off, strict=True))
    assert all(y["trust_mean_end"] > x["trust_mean_end"] for x, y in zip(*on, strict=True))

"""Social shareholding as revolving equity (mechanisms.equity; sim/rules/equity.py,
sim/instruments/shareholding.py): the rule by hand, the booking apart from grants, the
revolving fund's accounting summed month by month, the premise in the model, and the numbers
of before with the switch off.

Situations are arranged with the helpers of tests/test_instruments.py (a small world without
initial collectives, collectives founded at a known stage) and the instrument is driven
directly, so that every number can be written out by hand.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from sim import load_config
from sim.config.people import MechanismsConfig
from sim.metrics import run_metrics
from sim.rules.collectives import self_sustaining
from sim.rules.equity import funding_shares, shareholder_payments
from sim.runner import run
from sim.state import Stage
from test_instruments import burden, found, gov, instruments_of, make_model, paced_limit

# --- the rule by hand -----------------------------------------------------------------------

R, S_D, S_B = 0.048, 0.5, 0.5   # annual return, dividend share, buy-back share


@pytest.mark.parametrize(("equity", "revenue", "capital", "sustaining", "expected"), [
    # S = 1200 - 20 = 1180, D = 0.004 x 50000 = 200: paid in full, no buy-back before self-sustaining
    (50_000.0, 1_200.0, 10_000.0, False, (200.0, 0.0, 0.0)),
    # self-sustaining: b = min(50000, 0.5 x (1180 - 200), 10000 - 200) = 490
    (50_000.0, 1_200.0, 10_000.0, True, (200.0, 490.0, 0.0)),
    # care: S = 380, D = 600, d = min(600, 0.5 x 380) = 190, behind 1 - 190/600
    (150_000.0, 400.0, 10_000.0, False, (190.0, 0.0, 1.0 - 190.0 / 600.0)),
    # little cash: d = min(200, 590, 100) = 100; b = min(E, 0.5 x 1080, 100 - 100) = 0; behind 0.5
    (50_000.0, 1_200.0, 100.0, True, (100.0, 0.0, 0.5)),
    # in debt: nothing paid, wholly behind
    (50_000.0, 1_200.0, -50.0, True, (0.0, 0.0, 1.0)),
    # no shares: nothing due, nothing behind
    (0.0, 1_200.0, 10_000.0, True, (0.0, 0.0, 0.0)),
    # the last shares: b = min(300, 0.5 x (1180 - 1.2), 10000 - 1.2) = 300
    (300.0, 1_200.0, 10_000.0, True, (1.2, 300.0, 0.0)),
    # no surplus (revenue below running cost): nothing paid, wholly behind
    (50_000.0, 10.0, 10_000.0, True, (0.0, 0.0, 1.0)),
])
def test_shareholder_payments_by_hand(equity, revenue, capital, sustaining, expected):
    got = shareholder_payments(equity, revenue, 20.0, capital, sustaining, R, S_D, S_B)
    assert tuple(float(x) for x in got) == pytest.approx(expected)


def test_shareholder_payments_on_arrays_match_one_by_one():
    e, rev, k = np.array([50_000.0, 150_000.0, 300.0]), np.array([1_200.0, 400.0, 1_200.0]), np.array([1e4, 1e4, 1e4])
    sus = np.array([True, False, True])
    d, b, behind = shareholder_payments(e, rev, 20.0, k, sus, R, S_D, S_B)
    for i in range(3):
        one = shareholder_payments(e[i], rev[i], 20.0, k[i], sus[i], R, S_D, S_B)
        assert (d[i], b[i], behind[i]) == pytest.approx(tuple(float(x) for x in one))


def test_funding_shares_by_hand():
    g, e = funding_shares(np.array([30.0, 0.0, 10.0]), np.array([50.0, 0.0, 90.0]), np.array([20.0, 0.0, 0.0]))
    np.testing.assert_allclose(g, [0.3, 0.0, 0.1])
    np.testing.assert_allclose(e, [0.2, 0.0, 0.0])


def test_self_sustaining_counts_equity_as_funding_not_as_grant():
    one, rev = np.array([1]), np.array([100.0])
    # a stake of 1000 against 10 of own money: as equity 0 % grants, as a grant 99 %
    assert self_sustaining(one, rev, 20.0, np.array([0.0]), np.array([10.0]), 0.5, np.array([1_000.0]))[0]
    assert not self_sustaining(one, rev, 20.0, np.array([1_000.0]), np.array([10.0]), 0.5)[0]
    # grants are measured against all funding, equity included: 600 / (600 + 10 + 1000) < 0.5
    assert self_sustaining(one, rev, 20.0, np.array([600.0]), np.array([10.0]), 0.5, np.array([1_000.0]))[0]


# --- booking: equity is not a grant ---------------------------------------------------------

def equity_of(c) -> float:
    return float(c.model.collectives.equity[c.cid])


def test_stake_buys_shares_booked_apart_from_grants():
    model = make_model(instruments=["shareholding"], budget=1e7)
    c = found(model, 0, "care", Stage.REALISING, members=30, knowledge=0.2, own_funding=10_000.0, capital=10_000.0)
    inst = model.province.portfolio[0]
    model.begin_month()
    inst.apply(0)
    a = model.collectives
    assert (equity_of(c), a.equity_funding[c.cid], gov(c)) == (50_000.0, 50_000.0, 0.0)
    assert c.capital == 60_000.0 and c.equity == 50_000.0
    assert c.government_share == 0.0 and c.equity_share == pytest.approx(50_000.0 / 60_000.0)
    assert burden(c) == 40.0
    # public money all the same: spent from the budget, public spend in the village
    assert inst.spent == 50_000.0 and model.province.spent_total == 50_000.0
    assert model.villages.spend[0] == 50_000.0


def test_government_invests_within_what_is_left_and_gets_money_back():
    model = make_model(instruments=["shareholding"], budget=10_000)
    c = found(model, 0, "care", Stage.REALISING)
    prov = model.province
    assert prov.invest(c, 6_000.0) == 6_000.0 and prov.invest(c, 6_000.0) == pytest.approx(4_000.0)
    assert prov.budget_left == 0.0 and prov.invest(c, 1.0) == 0.0
    prov.receive_return(2_500.0)
    assert prov.budget_left == 2_500.0 and prov.invest(c, 5_000.0) == 2_500.0
    assert equity_of(c) == pytest.approx(12_500.0) and gov(c) == 0.0
    with pytest.raises(ValueError):
        prov.receive_return(-1.0)


def held(model, stage=Stage.REALISING, revenue=1_200.0, capital=0.0):
    """One energy collective with `revenue` a month, selected by the shareholding in month 0."""
    c = found(model, 0, "energy", stage, members=30, knowledge=0.5, capital=capital)
    model.collectives.revenue[c.cid] = revenue
    inst = model.province.portfolio[0]
    inst.apply(0)
    return c, inst


def test_dividend_after_the_grace_period_buy_back_once_self_sustaining():
    model = make_model("policy.shareholding.grace_months=2", instruments=["shareholding"], budget=1e7)
    c, inst = held(model)
    a = model.collectives
    assert c.capital == 50_000.0
    inst.apply(1)                                 # within the grace period: nothing due
    assert (inst.returned, c.capital, burden(c)) == (0.0, 50_000.0, 40.0)
    allowance = inst.allowance(2)
    inst.apply(2)                                 # D = 0.048 / 12 x 50000 = 200 from S = 1180
    assert inst.returned == pytest.approx(200.0) and c.capital == pytest.approx(49_800.0)
    assert a.returned[c.cid] == pytest.approx(200.0) and model.province.returned_total == pytest.approx(200.0)
    assert inst.allowance(2) == pytest.approx(allowance + 200.0), "what came back may be invested again"
    a.stage[c.cid] = Stage.SELF_SUSTAINING
    inst.apply(3)                                 # and b = min(50000, 0.5 x (1180 - 200), 49800 - 200) = 490
    assert equity_of(c) == pytest.approx(49_510.0) and c.capital == pytest.approx(49_110.0)
    assert inst.returned == pytest.approx(890.0)
    inst.apply(4)                                 # D = 0.004 x 49510 = 198.04; b = 0.5 x (1180 - 198.04)
    assert inst.returned == pytest.approx(890.0 + 198.04 + 490.98)
    assert burden(c) == 40.0, "never behind: no pressure"


def test_shareholder_leaves_when_its_shares_are_bought_back():
    model = make_model("policy.shareholding.stake=1000", "policy.shareholding.grace_months=0",
                       instruments=["shareholding"], budget=1e7)
    c, inst = held(model, stage=Stage.SELF_SUSTAINING, capital=10_000.0)
    inst.apply(1)                                 # d = 4, b = min(1000, 0.5 x 1176, ...) = 588
    assert equity_of(c) == pytest.approx(412.0) and c.cid in inst.holdings
    inst.apply(2)                                 # d = 1.648, b = 412: no shares left
    assert equity_of(c) == 0.0 and inst.exits == [c.cid] and c.cid not in inst.holdings
    assert inst.returned == pytest.approx(4.0 + 588.0 + 1.648 + 412.0)
    trust = c.trust
    inst.apply(3)
    assert c.trust == trust and inst.returned == pytest.approx(1_005.648), "no seat, no return after the exit"


@pytest.mark.parametrize(("revenue", "pressure", "expected"), [
    (0.0, 4.0, 4.0),          # no surplus: wholly behind, the full pressure
    (120.0, 4.0, 3.0),        # S = 100, d = min(200, 50) = 50: three quarters behind, 3 hours
    (120.0, 0.0, 0.0),        # a shareholder that never presses
    (1_200.0, 4.0, 0.0),      # paid in full
])
def test_pressure_for_return_when_behind(revenue, pressure, expected):
    model = make_model("policy.shareholding.grace_months=0", f"policy.shareholding.pressure_hours={pressure}",
                       instruments=["shareholding"], budget=1e7)
    c, inst = held(model, revenue=revenue)
    model.collectives.burden[:] = 0.0
    inst.apply(1)
    assert burden(c) == pytest.approx(expected)


def test_failed_project_written_off_the_shares():
    model = make_model("collectives.themes.energy.failure_risk=1.0", "policy.shareholding.min_knowledge=0",
                       instruments=["shareholding"], budget=1e7, months=24)
    c = found(model, 0, "energy", Stage.REALISING, members=30, knowledge=0.0)
    model.collectives.project_left[c.cid] = 1     # its project ends this month and fails
    inst = model.province.portfolio[0]
    model.step()                                   # month 0: shares bought, then the project fails
    assert c.failures == 1 and equity_of(c) == 50_000.0
    model.step()                                   # month 1: 0.5 x 100000 x (1 - 0.7) written off
    assert inst.losses_absorbed == pytest.approx(15_000.0) and equity_of(c) == pytest.approx(35_000.0)
    assert gov(c) == 0.0 and model.collectives.equity_funding[c.cid] == 50_000.0
    model.step()
    assert inst.losses_absorbed == pytest.approx(15_000.0), "each failure is shared once"


# --- the revolving fund, summed month by month ----------------------------------------------

def test_revolving_fund_pays_out_more_than_its_budget_never_more_than_budget_plus_returns():
    """Six self-sustaining collectives with a large surplus buy their shares back fast; the
    fund invests what comes back in the next one. By the end it has paid out more than its
    allocation, and at every month no more than the paced allocation plus what came back."""
    budget, months = 60_000.0, 60
    model = make_model("policy.shareholding.stake=10000", "policy.shareholding.min_members=0",
                       "policy.shareholding.min_knowledge=0", "policy.shareholding.grace_months=0",
                       "policy.shareholding.buyback_share=1", instruments=["shareholding"], budget=budget,
                       months=months)
    a = model.collectives
    for v in range(6):
        c = found(model, v, "biodiversity", Stage.SELF_SUSTAINING, knowledge=0.5, capital=1_000.0,
                  own_funding=1_000.0)
        a.revenue[c.cid], a.successes[c.cid] = 3_000.0, 1
    (inst,) = instruments_of(model)
    spent, returned = [], []
    for _ in range(months):
        model.step()
        spent.append(inst.spent)
        returned.append(inst.returned)
    for m in range(months):
        assert spent[m] <= paced_limit(budget, months, m, 0) + returned[m] + 1e-6, f"month {m}"
    assert spent[-1] > budget, "the fund revolved: more paid out than allocated"
    region = model.results().region
    # the sums agree: public spend, the instrument, the government, the collectives
    assert region["public_spend"].sum() == pytest.approx(inst.spent)
    assert model.province.spent_total == pytest.approx(inst.spent)
    assert region["capital_returned"].iloc[-1] == pytest.approx(inst.returned)
    assert model.province.returned_total == pytest.approx(inst.returned)
    assert a.returned[: a.n].sum() == pytest.approx(inst.returned)
    # what came back is dividends and buy-backs; what is outstanding is what was bought minus
    # what was bought back or written off
    assert inst.dividends + inst.bought_back == pytest.approx(inst.returned)
    assert a.equity[: a.n].sum() == pytest.approx(inst.spent - inst.bought_back - inst.losses_absorbed)
    assert len(inst.exits) >= 6


# --- the premise in the model ---------------------------------------------------------------

REPLICATES = range(3)


def shareholding_runs(equity: bool) -> list[dict]:
    # measured before a collective's room for members existed (issue 13); with it, replicate 0
    # funds a collective that does not live to the end (dependence 0 at year 10)
    return [run_metrics(run(load_config(["calibration=none", "mechanisms.member_room=false", "world=small",
                                         "policy.instruments=[shareholding]", f"replicate={r}",
                                         f"mechanisms.equity={str(equity).lower()}"])))
            for r in REPLICATES]


def test_premise_equity_lets_collectives_become_self_sustaining_and_money_come_back():
    """As a grant the stake counts as dependence and the 50 % rule keeps the collectives it
    funds from becoming self-sustaining; as equity it does not. Same seeds."""
    shares, grants = shareholding_runs(True), shareholding_runs(False)
    assert sum(m["self_sustaining_end"] for m in shares) > sum(m["self_sustaining_end"] for m in grants)
    assert all(m["dependence_end"] == 0.0 for m in shares)
    assert all(m["dependence_end"] > 0.3 for m in grants)
    assert all(m["equity_share_end"] > 0.3 and m["equity_outstanding_end"] > 0 for m in shares)
    assert sum(m["capital_returned"] for m in shares) > 0
    assert all(m["capital_returned"] == 0.0 and m["equity_share_end"] == 0.0 for m in grants)


# --- off: exactly the numbers of before ------------------------------------------------------

# Metrics of runs at commit 3a87928, before equity and voluntary applications existed. Every
# switch added since is turned off (later mechanisms keep "off = before" too), so these stay
# the numbers of before for as long as the model's defaults of that commit hold.
SWITCHES_THEN = {"awareness", "collectives", "dropout", "burnout", "learning", "cross_theme", "trust", "demography"}
BEFORE = {
    ("policy.instruments=[shareholding]", "replicate=0"): {
        "participation_end": 0.2128099173553719, "participation_auc": 0.7420798898071624, "collectives_founded": 11.0,
        "self_sustaining_end": 1.0, "dependence_end": 0.635301009966712, "public_spend_total": 878327.4179236912,
        "liveability_mean_end": 0.6193877945331386, "wellbeing_gap_end": 0.20356427983045744},
    ("policy.instruments=[shareholding]", "replicate=1"): {
        "participation_end": 0.1741166453810132, "participation_auc": 0.6101887327940968, "collectives_founded": 10.0,
        "self_sustaining_end": 1.0, "dependence_end": 0.8086471333459123, "public_spend_total": 1500000.0,
        "liveability_mean_end": 0.5267767730766667, "wellbeing_gap_end": 0.16411673183390674},
    ("policy.instruments=[subsidy,prize,tender,shareholding]", "replicate=0"): {
        "participation_end": 0.1637396694214876, "participation_auc": 0.4272555096418733, "collectives_founded": 11.0,
        "self_sustaining_end": 0.0, "dependence_end": 0.7361788762356382, "public_spend_total": 1118508.8428592528,
        "liveability_mean_end": 0.5957706318916071, "wellbeing_gap_end": 0.2006907166120666},
}


def switched_off_since_then() -> list[str]:
    """Every switch added since, off, on the assumption defaults the numbers were measured on."""
    return [f"mechanisms.{f.name}=false" for f in dataclasses.fields(MechanismsConfig) if f.name not in SWITCHES_THEN] \
        + ["calibration=none"]


@pytest.mark.parametrize("overrides", list(BEFORE), ids=lambda ov: ov[0].split("=")[1] + "-" + ov[1])
def test_switched_off_gives_exactly_the_numbers_of_before(overrides):
    off = switched_off_since_then()
    assert "mechanisms.equity=false" in off
    m = run_metrics(run(load_config(["world=small", *overrides, *off])))
    for key, value in BEFORE[overrides].items():
        assert m[key] == value, key

"""Policy instruments (sim/instruments/): each one's channels and the shared, paced budget.

Most tests arrange a hand-made situation in a small world without initial collectives
(`collectives.initial_share=0`), found collectives of known stage, size and knowledge with
`found()`, and then drive one instrument directly (`inst.apply(month)` / `inst.step(month)`)
so that every expected value can be written out by hand with the `PINNED` parameters.
Budget tests and a few channel tests run the whole model.
Setting model arrays here is only to arrange situations; instruments themselves may act
only through public methods, which the static test at the end checks.
"""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

import sim.instruments
from sim.instruments.registry import instrument_names
from sim import VillageModel, load_config
from sim.agents.collective import Collective
from sim.dynamics import collectives as dyn
from sim.errors import ConfigError
from sim.instruments.base import Commitment
from sim.instruments.dialogue import AFTERGLOW_MONTHS
from sim.instruments.prize import VISIBLE_MONTHS
from sim.instruments.right_to_challenge import TRUST_GAIN
from sim.runner import run
from sim.state import APPLICATION_KINDS, Stage

# every registered instrument but the baseline: a new one is covered by the generic tests
INSTRUMENTS = tuple(n for n in instrument_names() if n != "none")
APPLIED_FOR = APPLICATION_KINDS   # instruments collectives apply for (enter, bid), sim/rules/applications.py
CHANNELS = ("awareness", "mobilisation", "crowding", "founding")


# --- helpers ----------------------------------------------------------------------------

# The parameter values the hand-computed expectations below are written with (defaults are
# assumptions and may be re-tuned; the tests pin what they compute with). An explicit
# override of the same key in a test wins. Every eligible collective applies, enters and bids
# here (mechanisms.voluntary_applications off): these tests are about what the instruments do
# with the applications; whether collectives apply is tests/test_applications.py.
PINNED = {
    "policy.subsidy": dict(cost_share=0.5, max_grant=25_000.0, approval=0.35, application_hours=40.0,
                           report_hours=4.0, reapply_months=12, crowding=0.05, cliff=0.5),
    "policy.prize": dict(round_months=12, winners=3, proposal_hours=30.0, mobilisation=0.5, visibility=0.05,
                         loser_discouragement=0.3),
    "policy.tender": dict(themes=["care", "mobility"], contract_months=36, contract_value=3_000.0, bid_hours=80.0,
                          service_hours=40.0, business_strength=100.0),
    "policy.shareholding": dict(stake=50_000.0, min_members=30, min_knowledge=0.2, loss_share=0.5, entry_hours=40.0,
                                trust_gain=0.02, knowledge_gain=0.02, exit_months=24),
    "policy.right_to_challenge": dict(task_budget=2_000.0, task_months=60, min_members=20, challenge_rate=0.05,
                                      challenge_hours=60.0, task_hours=40.0, ownership=0.05),
    "policy.dialogue": dict(cost=5_000.0, period_months=24, awareness=0.3, founding=1.0, cohesion=0.03),
    "policy.learning_network": dict(learning_rate=0.05, cost_per_member=100.0, hours=2.0),
    "collectives.themes.care": dict(project_cost=10_000.0, loan_share=0.0, member_investment=0.0, project_hours=150.0),
    "collectives.themes.food": dict(project_cost=5_000.0, loan_share=0.0, member_investment=50.0),
    "collectives.themes.energy": dict(project_cost=100_000.0, loan_share=0.7, member_investment=500.0),
    "collectives.themes.housing": dict(project_cost=300_000.0, loan_share=0.8, member_investment=1_000.0),
    "collectives.themes.mobility": dict(project_cost=15_000.0, loan_share=0.3, member_investment=100.0),
    # the hand values use W = base + admin (1 - T A_m) + burden and dialogues without agreements
    # (both mechanisms have their own tests: tests/test_governance.py, tests/test_agreements.py),
    # and every eligible collective applies (tests/test_applications.py is about choosing to)
    "mechanisms": dict(attitude=False, agreements=False, voluntary_applications=False),
}


def _node(cfg, dotted: str):
    for part in dotted.split("."):
        cfg = cfg[part] if isinstance(cfg, dict) else getattr(cfg, part)
    return cfg


def make_model(*overrides: str, instruments=("none",), budget: float = 1e7, months: int = 60,
               bare: bool = True, pin: bool = True) -> VillageModel:
    """A small world (6 villages in 2 municipalities) with `PINNED` parameters (`pin`) and
    the overrides; `bare`: no initial collectives."""
    ov = ["world=small", "calibration=none", f"months={months}", f"policy.budget={budget}",
          f"policy.instruments=[{','.join(instruments)}]"]
    if bare:
        ov.append("collectives.initial_share=0")
    cfg = load_config([*ov, *overrides])
    if pin:
        given = {o.split("=", 1)[0] for o in overrides}
        for section, values in PINNED.items():
            node = _node(cfg, section)
            for key, value in values.items():
                if f"{section}.{key}" not in given:
                    setattr(node, key, value)
    return VillageModel(cfg)


def found(model: VillageModel, village: int, theme: str, stage: Stage, *, members: int | None = None,
          knowledge: float = 0.0, capital: float = 0.0, core_hours: float | None = None,
          own_funding: float = 0.0, gov_funding: float = 0.0) -> Collective:
    """Found a collective in `village` whose core are the `collectives.founders` residents with the
    most free time not yet in a collective, then set its state."""
    lo, hi = model.world.offsets[village], model.world.offsets[village + 1]
    free = lo + np.flatnonzero(model.people.collective[lo:hi] < 0)
    free = free[np.argsort(-model.people.hours[free], kind="stable")]     # those with the most time
    founders = np.sort(free[: model.cfg.collectives.founders])
    cid = int(model.add_collectives(np.array([village]), np.array([model.themes.index(theme)]), founders[None, :])[0])
    a = model.collectives
    a.stage[cid], a.knowledge[cid], a.capital[cid] = stage, knowledge, capital
    a.own_funding[cid], a.gov_funding[cid] = own_funding, gov_funding
    if members is not None:
        a.members[cid] = members
    if core_hours is not None:
        a.core_hours[cid] = core_hours
    return model.collective_agents[cid]


def instruments_of(model: VillageModel) -> list:
    return [i for g in [model.province, *model.municipalities] for i in g.portfolio]


def effects(model: VillageModel) -> dict[str, np.ndarray]:
    return {ch: getattr(model.effects, ch).copy() for ch in CHANNELS}


def gov(c: Collective) -> float:
    return float(c.model.collectives.gov_funding[c.cid])


def burden(c: Collective) -> float:
    return float(c.model.collectives.burden[c.cid])


def fsignal(c: Collective) -> float:
    return float(c.model.collectives.failure_signal[c.cid])


def record_calls(obj, method: str) -> list[int]:
    """Wrap obj.method(month, ...) to record the months it is called in."""
    months, original = [], getattr(obj, method)

    def wrapper(month, *args, **kwargs):
        months.append(month)
        return original(month, *args, **kwargs)

    setattr(obj, method, wrapper)
    return months


def run_recording(model: VillageModel, months: int) -> tuple[np.ndarray, list[dict[str, np.ndarray]], list]:
    """Step the model; return public spend per month, the effects of each month, and each
    instrument's `spent` after each month net of what came back to its fund (`returned`, 0
    but for a revolving fund: what came back may be paid out again, so the pace binds
    spent - returned)."""
    spend, fx, spent = [], [], []
    for _ in range(months):
        model.step()
        spend.append(model.villages.spend.sum())
        fx.append(effects(model))
        spent.append([i.spent - i.returned for i in instruments_of(model)])
    return np.array(spend), fx, spent


# Parameters under which each instrument certainly acts in the small world (with `arrange`).
EAGER = {
    "subsidy": ["policy.subsidy.approval=1", "policy.subsidy.reapply_months=1"],
    "prize": [],
    "tender": ["policy.tender.business_strength=0.001", "policy.tender.contract_months=12"],
    "shareholding": ["policy.shareholding.min_members=0", "policy.shareholding.min_knowledge=0",
                     "policy.shareholding.stake=10000"],
    "right_to_challenge": ["policy.right_to_challenge.government=province", "policy.right_to_challenge.min_members=0",
                           "policy.right_to_challenge.challenge_rate=1", "policy.right_to_challenge.task_budget=500",
                           "policy.right_to_challenge.task_months=12"],
    "dialogue": ["policy.dialogue.period_months=6", "policy.dialogue.cost=2000"],
    "learning_network": ["policy.learning_network.cost_per_member=500"],
}


def arrange(model: VillageModel) -> list[Collective]:
    """One realising mobility collective (a tender theme, short of money) in every village."""
    return [found(model, v, "mobility", Stage.REALISING, members=30, knowledge=0.5, capital=0.0, core_hours=60.0)
            for v in range(model.world.villages.n)]


# --- budget -----------------------------------------------------------------------------

def paid_ahead(inst) -> int:
    """Months an instrument may pay ahead of the pace: a prize round's pot is the budget of
    the whole round (round_months - 1 months ahead); nothing else pays ahead."""
    return inst.cfg.round_months - 1 if inst.name == "prize" else 0


def paced_limit(allocation: float, months: int, m: int, ahead: int) -> float:
    """At most allocation x (m + 1 + ahead) / months spent by the end of month m."""
    return allocation * min(m + 1 + ahead, months) / months


def check_budget(model: VillageModel, budget: float, months: int, spend: np.ndarray) -> None:
    region = model.results().region
    public = region["public_spend"].to_numpy()
    # row 0 is the state before the first month; row k holds the spend of month k-1
    assert public[0] == 0.0
    np.testing.assert_allclose(public[1:], spend, rtol=1e-12, atol=1e-9)
    total = public.sum()
    # a revolving fund (shareholding) may pay out again what came back to it, never more
    returned = sum(i.returned for i in instruments_of(model))
    assert region["capital_returned"].iloc[-1] == pytest.approx(returned, rel=1e-12, abs=1e-6)
    assert total <= budget + returned + 1e-6
    govs = [model.province, *model.municipalities]
    assert sum(g.spent_total for g in govs) == pytest.approx(total, rel=1e-12, abs=1e-6)
    assert sum(g.spent_total for g in govs) <= budget + returned + 1e-6
    assert sum(i.spent for i in instruments_of(model)) == pytest.approx(total, rel=1e-12, abs=1e-6)
    for g in govs:
        assert g.spent_total <= g.budget + g.returned_total + 1e-6
    # pacing: by the end of month m at most budget x (m + 1) / period (a prize: its round's end),
    # plus what came back (month by month in tests/test_equity.py; here its total bounds it)
    ahead = max((paid_ahead(i) for i in instruments_of(model)), default=0)
    cum = np.cumsum(public)
    assert all(cum[k] <= paced_limit(budget, months, k - 1, ahead) + returned + 1e-6 for k in range(1, len(public)))
    assert region["public_spend_cumulative"].iloc[-1] == pytest.approx(total)


@pytest.mark.parametrize("name", INSTRUMENTS)
def test_budget_alone_default_parameters(name):
    budget, months = 200_000.0, 60
    model = make_model(instruments=[name], budget=budget, months=months, bare=False, pin=False)
    assert sum(i.allocation for i in instruments_of(model)) == pytest.approx(budget)
    spend, _, _ = run_recording(model, months)
    check_budget(model, budget, months, spend)


# minimum share of the budget each eager instrument spends (so the budget checks bind)
EAGER_SPEND = {"subsidy": 0.2, "prize": 0.5, "tender": 0.5, "shareholding": 0.2, "right_to_challenge": 0.2,
               "dialogue": 0.2, "learning_network": 0.2}


@pytest.mark.parametrize("name", INSTRUMENTS)
def test_budget_alone_eager_parameters_spends_and_stays_paced(name):
    budget, months = 200_000.0, 60
    model = make_model(*EAGER.get(name, ()), instruments=[name], budget=budget, months=months)
    arrange(model)
    spend, _, spent = run_recording(model, months)
    check_budget(model, budget, months, spend)
    assert spend.sum() >= EAGER_SPEND.get(name, 0.2) * budget, "the instrument should spend a good part of its budget"
    # each instrument paced against its own allocation
    for j, inst in enumerate(instruments_of(model)):
        for m in range(months):
            assert spent[m][j] <= paced_limit(inst.allocation, months, m, paid_ahead(inst)) + 1e-6


@pytest.mark.parametrize(("pair", "weights"), [
    (("subsidy", "dialogue"), (3.0, 1.0)),
    (("prize", "learning_network"), (1.0, 4.0)),
    (("tender", "right_to_challenge"), (2.0, 2.0)),
    (("shareholding", "none"), (1.0, 1.0)),
])
def test_budget_mix_shared_by_weight(pair, weights):
    budget, months = 200_000.0, 60
    ov = [o for n in pair if n != "none" for o in EAGER[n]]
    ov += [f"policy.{n}.weight={w}" for n, w in zip(pair, weights, strict=True) if n != "none"]
    model = make_model(*ov, instruments=pair, budget=budget, months=months)
    arrange(model)
    real = [(n, w) for n, w in zip(pair, weights, strict=True) if n != "none"]  # none has no weight
    total_w = sum(w for _, w in real)
    by_name: dict[str, list] = {}
    for inst in instruments_of(model):
        by_name.setdefault(inst.name, []).append(inst)
    for n, w in real:
        assert sum(i.allocation for i in by_name[n]) == pytest.approx(budget * w / total_w)
    assert sum(i.allocation for i in instruments_of(model)) == pytest.approx(budget)
    for g in [model.province, *model.municipalities]:
        assert g.budget == pytest.approx(sum(i.allocation for i in g.portfolio))
    spend, _, spent = run_recording(model, months)
    check_budget(model, budget, months, spend)
    for j, inst in enumerate(instruments_of(model)):
        assert inst.spent <= inst.allocation + 1e-6
        for m in range(months):
            assert spent[m][j] <= paced_limit(inst.allocation, months, m, paid_ahead(inst)) + 1e-6
    assert spend.sum() > 0


def test_municipal_instrument_split_by_population():
    budget = 200_000.0
    model = make_model("policy.subsidy.government=municipality", instruments=["subsidy"], budget=budget)
    vil = model.world.villages
    assert model.province.portfolio == [] and model.province.budget == 0.0
    assert len(model.municipalities) == 2
    pop = vil.population.astype(float)
    for m in model.municipalities:
        (inst,) = m.portfolio
        assert inst.name == "subsidy" and inst.government is m
        assert inst.allocation == pytest.approx(budget * pop[m.villages].sum() / pop.sum())
        assert m.budget == pytest.approx(inst.allocation)
    assert sum(m.portfolio[0].allocation for m in model.municipalities) == pytest.approx(budget)
    # the small world: villages 0-2 in municipality 0, 3-5 in municipality 1
    assert model.municipalities[0].villages.tolist() == [0, 1, 2]
    assert model.municipalities[1].villages.tolist() == [3, 4, 5]


def test_municipal_instrument_acts_only_in_its_villages():
    model = make_model("policy.subsidy.government=municipality", "policy.subsidy.approval=1",
                       instruments=["subsidy"])
    mine = found(model, 1, "care", Stage.ORGANISED)
    other = found(model, 4, "care", Stage.ORGANISED)
    first = model.municipalities[0].portfolio[0]
    assert first.collectives() == [mine]
    first.apply(0)
    assert gov(mine) == pytest.approx(5_000.0) and burden(mine) == 40.0
    assert gov(other) == 0.0 and burden(other) == 0.0
    assert model.municipalities[0].spent_total == pytest.approx(5_000.0)
    assert model.municipalities[1].spent_total == 0.0


def test_allowance_is_paced_over_the_active_period():
    model = make_model("policy.prize.start_month=10", "policy.prize.stop_month=30", instruments=["prize"],
                       budget=40_000, months=60)
    inst = model.province.portfolio[0]
    assert (inst.start_month, inst.stop_month, inst.allocation) == (10, 30, 40_000.0)
    assert inst.allowance(10) == pytest.approx(2_000.0)    # 40000 x 1/20
    assert inst.allowance(19) == pytest.approx(20_000.0)   # 40000 x 10/20
    assert inst.allowance(29) == pytest.approx(40_000.0)
    assert inst.allowance(45) == pytest.approx(40_000.0)   # never more than the allocation
    inst.spent = 15_000.0
    assert inst.allowance(19) == pytest.approx(5_000.0)
    assert inst.allowance(12) == 0.0                       # ahead of pace: nothing now


def test_government_never_pays_beyond_its_budget():
    model = make_model(instruments=["subsidy"], budget=10_000)
    c = found(model, 0, "care", Stage.ORGANISED)
    prov = model.province
    assert prov.budget == 10_000.0
    assert prov.grant(c, 6_000.0) == 6_000.0 and gov(c) == 6_000.0
    assert prov.grant(c, 6_000.0) == pytest.approx(4_000.0)       # only what is left
    assert prov.grant(c, 1.0) == 0.0 and prov.spend([1, 2], 1.0) == 0.0
    assert prov.spent_total == pytest.approx(10_000.0) and gov(c) == pytest.approx(10_000.0)
    assert prov.grant(c, -5.0) == 0.0


# --- start_month / stop_month -------------------------------------------------------------

START, STOP = 5, 10
ALL_PROVINCE = [f"policy.{n}.government=province" for n in INSTRUMENTS]


@pytest.mark.parametrize("name", INSTRUMENTS)
def test_no_spend_no_effect_outside_active_period(name):
    model = make_model(*EAGER.get(name, ()), *ALL_PROVINCE, f"policy.{name}.start_month={START}",
                       f"policy.{name}.stop_month={STOP}", instruments=[name], months=20)
    cs = arrange(model)
    (inst,) = model.province.portfolio
    calls = record_calls(inst, "finish")
    acted = 0.0
    for month in range(20):
        model.begin_month()
        before, spent, gov_spent = model.collectives.snapshot(), inst.spent, model.province.spent_total
        inst.step(month)
        after = model.collectives.snapshot()
        changed = [k for k in before if not np.array_equal(before[k], after[k])]
        signalled = sum(float(np.abs(v).sum()) for v in effects(model).values())
        paid = inst.spent - spent
        assert paid == pytest.approx(model.province.spent_total - gov_spent)
        if START <= month < STOP:
            acted += paid + signalled + len(changed)
            continue
        assert paid == 0.0 and model.villages.spend.sum() == 0.0, f"spend in month {month}"
        assert signalled == 0.0, f"channel signalled in month {month}"
        if name == "subsidy" and month == STOP:
            # the cliff, once: grant-dependent collectives are discouraged, nothing else
            assert changed == ["failure_signal"]
            assert all(fsignal(c) == pytest.approx(model.cfg.policy.subsidy.cliff) for c in cs)
        else:
            assert changed == [], f"collectives changed in month {month}: {changed}"
    assert acted > 0, "the instrument did nothing while active"
    assert calls == [STOP] and inst.finished


@pytest.mark.parametrize(("start", "stop"), [(10, 5), (10, 10), (0, 0)])
def test_stop_not_after_start_is_rejected(start, stop):
    """Otherwise the instrument never runs, finish() fires before it started, and allowance()
    treats the empty or negative period as fully elapsed."""
    with pytest.raises(ConfigError, match="stop_month"):
        load_config(["world=small", "policy.instruments=[subsidy]", f"policy.subsidy.start_month={start}",
                     f"policy.subsidy.stop_month={stop}"])


@pytest.mark.parametrize("name", ["subsidy", "prize", "dialogue", "learning_network", "tender"])
def test_start_stop_in_a_full_run(name):
    start, stop, months = 12, 30, 48
    model = make_model(*EAGER.get(name, ()), *ALL_PROVINCE, f"policy.{name}.start_month={start}",
                       f"policy.{name}.stop_month={stop}", instruments=[name], months=months)
    arrange(model)
    (inst,) = model.province.portfolio
    calls = record_calls(inst, "finish")
    spend, fx, spent = run_recording(model, months)
    outside = np.r_[0:start, stop:months]
    assert np.all(spend[outside] == 0.0)
    assert spend[start:stop].sum() > 0
    for m in outside:
        assert all(np.all(fx[m][ch] == 0.0) for ch in CHANNELS), f"effects in month {m}"
    assert calls == [stop]
    period = stop - start
    for m in range(start, stop):
        assert spent[m][0] <= paced_limit(inst.allocation, period, m - start, paid_ahead(inst)) + 1e-6
    region = model.results().region
    assert region["public_spend"].iloc[: start + 1].sum() == 0.0
    assert region["public_spend"].iloc[stop + 1 :].sum() == 0.0


# --- subsidy ------------------------------------------------------------------------------

def test_subsidy_application_adds_hours_to_burden_and_overload():
    cfg_ov = ("policy.subsidy.approval=0", "policy.subsidy.application_hours=400")
    model = make_model(*cfg_ov, instruments=["subsidy"])
    short = found(model, 0, "care", Stage.ORGANISED, capital=0.0)        # care's own share 10000: short
    rich = found(model, 3, "care", Stage.ORGANISED, capital=10_000.0)    # can pay: does not apply
    model.step()
    a, cc = model.collectives, model.cfg.collectives
    assert a.project_left[short.cid] == 0
    assert a.project_left[rich.cid] > 0                  # rich started its project with its own money
    assert burden(short) == 0.0                          # `work` used it and cleared it
    for c, extra in ((short, 400.0), (rich, 0.0)):
        attitude = model.attitude_of_village[c.village]
        project = model.theme_table.project_hours[model.themes.index("care")] if a.project_left[c.cid] else 0.0
        # W = base + admin (1 - T A) + [project] H + burden, at the trust the collective had during `work`
        work = cc.base_hours + cc.admin_hours * (1.0 - cc.trust_start * attitude) + project + extra
        assert a.overload[c.cid] == pytest.approx(max(0.0, work / a.core_hours[c.cid] - 1.0))
    # the same month without the application's hours
    plain = make_model(*cfg_ov, "policy.subsidy.application_hours=0", instruments=["subsidy"])
    p_short = found(plain, 0, "care", Stage.ORGANISED, capital=0.0)
    p_rich = found(plain, 3, "care", Stage.ORGANISED, capital=10_000.0)
    plain.step()
    assert plain.collectives.core_hours[p_short.cid] == a.core_hours[short.cid]
    assert a.overload[short.cid] > plain.collectives.overload[p_short.cid]
    assert a.overload[short.cid] > 0 and a.overload[rich.cid] == plain.collectives.overload[p_rich.cid]


def test_subsidy_application_burden_directly():
    model = make_model("policy.subsidy.approval=0", instruments=["subsidy"])
    cc = model.cfg.collectives
    short = found(model, 0, "care", Stage.ORGANISED, capital=0.0)
    young = found(model, 1, "care", Stage.STARTING, capital=0.0)          # not organised yet
    attitude = model.attitude_of_village[0]
    need = cc.base_hours + cc.admin_hours * (1.0 - short.trust * attitude)
    model.collectives.core_hours[short.cid] = need + 20.0                 # no overload without burden
    inst = model.province.portfolio[0]
    inst.apply(0)
    assert burden(short) == 40.0 and burden(young) == 0.0
    assert inst.spent == 0.0
    dyn.work(model)
    assert model.collectives.overload[short.cid] == pytest.approx((need + 40.0) / (need + 20.0) - 1.0)
    # no second application within reapply_months
    inst.apply(5)
    assert model.collectives.burden[short.cid] == 0.0
    inst.apply(12)
    assert burden(short) == 40.0


def test_subsidy_grant_is_capped():
    model = make_model("policy.subsidy.approval=1", instruments=["subsidy"], budget=1e8)
    care = found(model, 0, "care", Stage.ORGANISED)                    # 0.5 x 10000 = 5000
    housing = found(model, 1, "housing", Stage.ORGANISED)              # 0.5 x 300000 -> max_grant 25000
    food = found(model, 2, "food", Stage.REALISING, capital=4_000.0)   # short 750; 0.5 x 5000 = 2500
    energy = found(model, 3, "energy", Stage.ORGANISED)                # 0.5 x 100000 -> 25000
    inst = model.province.portfolio[0]
    inst.apply(0)
    assert [gov(c) for c in (care, housing, food, energy)] == pytest.approx([5_000, 25_000, 2_500, 25_000])
    assert inst.spent == pytest.approx(57_500)
    assert all(burden(c) == 40.0 for c in (care, housing, food, energy))
    # a granted project's accountability hours while it runs
    model.collectives.burden[:] = 0.0
    model.collectives.project_left[care.cid] = 3
    inst.apply(1)
    assert burden(care) == 4.0 and burden(housing) == 0.0


def test_subsidy_grant_limited_by_paced_allowance():
    model = make_model("policy.subsidy.approval=1", instruments=["subsidy"], budget=120_000, months=60)
    first = found(model, 0, "care", Stage.ORGANISED)
    second = found(model, 1, "care", Stage.ORGANISED)
    inst = model.province.portfolio[0]
    inst.apply(0)                                                      # allowance 120000/60 = 2000
    assert gov(first) == pytest.approx(2_000.0) and gov(second) == 0.0
    assert burden(second) == 40.0                                      # applied all the same


def test_subsidy_grants_never_exceed_cap_in_a_run():
    model = make_model("policy.subsidy.approval=1", "policy.subsidy.reapply_months=1", "policy.subsidy.max_grant=4000",
                       instruments=["subsidy"], budget=1e6, months=60)
    for v, theme in enumerate(["care", "food", "biodiversity", "mobility", "energy", "housing"]):
        found(model, v, theme, Stage.ORGANISED)
    inst = model.province.portfolio[0]
    grants, pay = [], inst.pay

    def recording_pay(c, amount, month):
        g = inst.take_up_gap(month)
        paid = pay(c, amount, month)
        grants.append((c, paid, g))
        return paid

    inst.pay = recording_pay
    model.run_months(60)
    cs = model.cfg.policy.subsidy
    assert len(grants) > 10 and sum(p for _, p, _ in grants) > 0
    for c, paid, g in grants:
        assert g >= 1.0
        assert 0.0 <= paid <= min(min(1.0, cs.cost_share * g) * c.project_cost, cs.max_grant * g) + 1e-9


def test_subsidy_undersubscribed_scheme_grows_generous_by_take_up_gap():
    """grant = min(cost x min(1, share x g), max_grant x g) with g = monthly rate / pace:
    on pace g = 1; with 120000 of 240000 left over 40 of 120 months g = 3000 / 2000 = 1.5."""
    model = make_model("policy.subsidy.max_grant=4000", instruments=["subsidy"], budget=240_000, months=120)
    inst = model.province.portfolio[0]
    assert inst.take_up_gap(0) == 1.0 and inst.grant_for(10_000.0, 0) == pytest.approx(4_000.0)   # min(5000, 4000)
    inst.spent = 120_000.0
    assert inst.monthly_rate(80) == pytest.approx(3_000.0) and inst.take_up_gap(80) == pytest.approx(1.5)
    assert inst.grant_for(10_000.0, 80) == pytest.approx(6_000.0)     # min(10000 x 0.75, 4000 x 1.5)
    assert inst.grant_for(2_000.0, 80) == pytest.approx(1_500.0)      # min(2000 x 0.75, 6000)
    inst.spent = 239_000.0                                             # 1000 over 40 months: behind nothing
    assert inst.take_up_gap(80) == 1.0


def test_subsidy_crowding_channel():
    model = make_model("policy.subsidy.approval=1", instruments=["subsidy"], budget=1e8)
    granted = found(model, 0, "care", Stage.ORGANISED)                                   # gets 5000: share 1
    own = found(model, 0, "food", Stage.ORGANISED, capital=10_000, own_funding=10_000)   # no grant: share 0
    alone = found(model, 3, "care", Stage.ORGANISED, capital=10_000, own_funding=10_000)
    model.begin_month()
    model.province.portfolio[0].apply(0)
    assert gov(granted) == 5_000 and gov(own) == 0.0 and gov(alone) == 0.0
    # village 0: 0.05 x mean(1, 0) = 0.025; village 3 has no grant-funded collective
    np.testing.assert_allclose(model.effects.crowding, [0.025, 0, 0, 0, 0, 0])
    for ch in ("awareness", "mobilisation", "founding"):
        assert np.all(getattr(model.effects, ch) == 0.0)


def test_subsidy_crowding_in_a_run_where_grants_flow():
    model = make_model("policy.subsidy.approval=1", instruments=["subsidy"], budget=1e6, months=12)
    c = found(model, 2, "care", Stage.ORGANISED)
    _, fx, _ = run_recording(model, 12)
    assert gov(c) > 0
    assert all(f["crowding"][2] > 0 for f in fx)           # once granted, every month
    assert all(np.all(np.delete(f["crowding"], 2) == 0) for f in fx)


def test_subsidy_cliff_discourages_grant_dependent_collectives():
    model = make_model("policy.subsidy.approval=1", "policy.subsidy.stop_month=12", instruments=["subsidy"],
                       budget=1e8)
    dependent = found(model, 0, "care", Stage.ORGANISED)                                # granted: share 1
    mixed = found(model, 3, "care", Stage.ORGANISED, capital=10_000, own_funding=6_000, gov_funding=4_000)  # 0.4
    inst = model.province.portfolio[0]
    for month in range(12):
        inst.step(month)
    assert dependent.government_share == 1.0 and mixed.government_share == pytest.approx(0.4)
    assert fsignal(dependent) == 0.0 and fsignal(mixed) == 0.0
    inst.step(12)
    assert fsignal(dependent) == pytest.approx(0.5) and fsignal(mixed) == 0.0
    for month in range(13, 20):
        inst.step(month)
    assert fsignal(dependent) == pytest.approx(0.5), "the cliff happens once"
    assert inst.finished


def test_subsidy_cliff_spares_collectives_it_never_funded():
    """The cliff hits collectives this subsidy funded, not a prize winner that never applied."""
    model = make_model("policy.subsidy.stop_month=1", "policy.subsidy.approval=1", instruments=["subsidy", "prize"],
                       budget=1e6)
    winner = found(model, 0, "care", Stage.ORGANISED, capital=20_000.0)    # no shortfall: never applies
    subsidy, prize = model.province.portfolio
    prize.step(0)
    subsidy.step(0)
    assert gov(winner) > 0 and winner.government_share == 1.0 and subsidy.last_applied == {}
    subsidy.step(1)                                                       # the subsidy stops
    assert fsignal(winner) == 0.0


def test_subsidy_cliff_raises_failure_signal_in_a_run():
    """Through the model: the month the subsidy stops, dependent collectives' failure
    signal jumps by the cliff (then decays by failure_memory)."""
    def signal_at_stop(cliff):
        model = make_model("policy.subsidy.approval=1", "policy.subsidy.stop_month=6", f"policy.subsidy.cliff={cliff}",
                           instruments=["subsidy"], budget=1e7, months=12)
        c = found(model, 0, "care", Stage.ORGANISED)
        model.run_months(7)
        return fsignal(c), c.government_share
    with_cliff, share = signal_at_stop(2.0)
    without, _ = signal_at_stop(0.0)
    assert share > 0.5
    # the cliff is added during the governments' phase and decays once in `work` that month
    assert with_cliff - without == pytest.approx(2.0 * load_config(["world=small"]).collectives.failure_memory)


# --- prize --------------------------------------------------------------------------------

def prize_setup(*ov, budget=600_000):
    model = make_model(*ov, instruments=["prize"], budget=budget, months=60)
    entrants = [found(model, v, "care", Stage.STARTING + (v % 3), core_hours=20.0 + 10 * v) for v in range(6)]
    idea = found(model, 0, "food", Stage.IDEA, core_hours=1000.0)
    return model, model.province.portfolio[0], entrants, idea


def test_prize_round_funds_at_most_winners_and_pays_at_most_allowance():
    assert VISIBLE_MONTHS == 12
    model, inst, entrants, idea = prize_setup()
    model.begin_month()
    assert inst.round_end(0, 12) == 11
    allowance = inst.allowance(11)                          # the pot: the budget of the whole round
    assert allowance == pytest.approx(120_000.0)            # 600000 x 12 / 60
    inst.apply(0)
    funded = [c for c in entrants if gov(c) > 0]
    assert len(funded) == 3 and gov(idea) == 0.0
    assert [gov(c) for c in funded] == pytest.approx([allowance / 3] * 3)
    assert inst.spent == pytest.approx(allowance)
    assert inst.rounds == [{"month": 0, "entrants": 6, "winners": 3, "paid": pytest.approx(allowance)}]
    # proposal hours for every entrant, none for the idea-stage group
    assert [burden(c) for c in entrants] == [30.0] * 6 and burden(idea) == 0.0
    # losers discouraged, winners not
    for c in entrants:
        assert fsignal(c) == (0.0 if c in funded else pytest.approx(0.3))
    # founding boost in every village in the round's month
    np.testing.assert_allclose(model.effects.founding, [0.5] * 6)
    # next month: no round (no money, no hours, no founding boost), winners' villages visible
    model.begin_month()
    before = [gov(c) for c in entrants]
    inst.apply(1)
    assert [gov(c) for c in entrants] == before and [burden(c) for c in entrants] == [30.0] * 6
    assert np.all(model.effects.founding == 0.0)
    winner_villages = {c.village for c in funded}
    np.testing.assert_allclose(model.effects.mobilisation, [0.05 if v in winner_villages else 0.0 for v in range(6)])


def test_prize_round_with_fewer_entrants_than_winners():
    model = make_model("policy.prize.winners=5", instruments=["prize"], budget=600_000)
    a = found(model, 0, "care", Stage.ORGANISED, core_hours=30.0)
    b = found(model, 1, "care", Stage.STARTING, core_hours=30.0)
    inst = model.province.portfolio[0]
    inst.apply(0)
    assert gov(a) == pytest.approx(60_000.0) and gov(b) == pytest.approx(60_000.0)   # the round's 120000 in two
    assert fsignal(a) == 0.0 and fsignal(b) == 0.0


def test_prize_best_capacity_wins():
    model = make_model("policy.prize.winners=1", "policy.prize.round_months=1", instruments=["prize"], budget=600_000)
    weak = [found(model, v, "care", Stage.ORGANISED, core_hours=10.0) for v in (0, 1, 2, 4, 5)]
    strong = found(model, 3, "care", Stage.ORGANISED, core_hours=10.0, knowledge=0.0)
    model.collectives.core_hours[strong.cid] = 1e7           # judging noise cannot undo a factor 1e6
    inst = model.province.portfolio[0]
    for month in range(10):                                  # ten rounds: a random pick would miss
        inst.apply(month)
    assert gov(strong) == pytest.approx(100_000.0) and all(gov(c) == 0.0 for c in weak)
    assert all(fsignal(c) == pytest.approx(10 * 0.3) for c in weak)   # no decay: `work` does not run


def test_prize_rounds_every_round_months_in_a_run():
    model = make_model("policy.prize.round_months=12", instruments=["prize"], budget=200_000, months=60, bare=False)
    spend, fx, _ = run_recording(model, 60)
    inst = model.province.portfolio[0]
    round_months = [m for m in range(60) if np.any(fx[m]["founding"] != 0)]
    assert round_months == [0, 12, 24, 36, 48]
    for m in round_months:
        np.testing.assert_allclose(fx[m]["founding"], [0.5] * 6)
    assert [r["month"] for r in inst.rounds] == round_months
    for r in inst.rounds:
        assert r["winners"] <= 3 and r["winners"] == min(3, r["entrants"])
    # money only in round months, each round at most the budget up to its last month
    assert set(np.flatnonzero(spend).tolist()) <= set(round_months)
    spent_before = 0.0
    for r in inst.rounds:
        assert r["paid"] <= 200_000 * (r["month"] + 12) / 60 - spent_before + 1e-6
        spent_before += r["paid"]
    assert spent_before == pytest.approx(200_000.0)                   # every round had entrants


# --- tender -------------------------------------------------------------------------------

def test_tender_won_contract_pays_each_month_for_contract_months():
    model = make_model("policy.tender.business_strength=0", "policy.tender.contract_months=5",
                       instruments=["tender"], budget=1e7)
    care = found(model, 0, "care", Stage.ORGANISED, core_hours=50.0)
    energy = found(model, 1, "energy", Stage.ORGANISED, core_hours=500.0)   # not a tender theme
    inst = model.province.portfolio[0]
    inst.apply(0)                                   # capacity / (capacity + 0) = 1: the collective wins
    assert inst.contracts == {care.cid: Commitment(5, 3_000.0)}
    assert burden(care) == 80.0 and gov(care) == 0.0
    paid, hours = [], []
    for month in range(1, 8):
        g, b = gov(care), burden(care)
        inst.apply(month)
        paid.append(gov(care) - g)
        hours.append(burden(care) - b)
    # contract_value for contract_months; meanwhile businesses win the next tenders (no
    # bidders); once its contract ended (month 6) care bids again and wins from month 7
    assert paid == [3_000.0] * 5 + [0.0, 3_000.0]
    assert [t["won_by_collective"] for t in inst.tenders] == [True] + [False] * 5 + [True, False]
    assert hours[:5] == [40.0] * 5                  # service hours while delivering
    assert gov(care) == 6 * 3_000.0
    assert gov(energy) == 0.0 and burden(energy) == 0.0


def test_tender_business_win_pays_service_but_no_collective():
    """A business wins (P = 10 / (10 + 1e6)); its contract is paid as a service to the
    villages; with 240000 over 60 months (4000 a month) a second 3000 contract does not fit
    the monthly rate, so no new tender opens while the business delivers."""
    model = make_model("policy.tender.business_strength=1e6", "policy.tender.contract_months=6",
                       instruments=["tender"], budget=240_000)
    bidder = found(model, 0, "care", Stage.ORGANISED, core_hours=10.0)
    inst = model.province.portfolio[0]
    model.begin_month()
    inst.apply(0)
    assert inst.tenders == [{"month": 0, "bidders": 1, "won_by_collective": False}]
    assert inst.contracts == {} and inst.business == {0: Commitment(6, 3_000.0)} and burden(bidder) == 80.0
    for month in range(1, 7):
        model.begin_month()
        spent = inst.spent
        inst.apply(month)
        assert inst.spent - spent == pytest.approx(3_000.0)
        # the service money goes to the villages' services, none to a collective
        assert model.villages.spend.sum() == pytest.approx(3_000.0)
        assert model.collectives.gov_funding[: model.collectives.n].sum() == 0.0
        if month < 6:
            assert burden(bidder) == 80.0 and len(inst.tenders) == 1
    # the contract's last month was month 6; a new tender opened then (won by a business again)
    assert inst.business == {1: Commitment(6, 3_000.0)}
    assert len(inst.tenders) == 2 and burden(bidder) == 160.0


def test_tender_runs_contracts_side_by_side_within_the_monthly_rate():
    """Rate 10000 a month (600000 / 60): three 3000 contracts fit, a fourth does not."""
    model = make_model("policy.tender.business_strength=1e6", instruments=["tender"], budget=600_000)
    inst = model.province.portfolio[0]
    for month in range(5):
        inst.apply(month)
    assert len(inst.business) == 3 and [t["month"] for t in inst.tenders] == [0, 1, 2]


def test_tender_bidders_bear_bid_hours():
    model = make_model("policy.tender.business_strength=1e6", instruments=["tender"], budget=1e7)
    care = found(model, 0, "care", Stage.ORGANISED, core_hours=10.0)
    mobility = found(model, 3, "mobility", Stage.SELF_SUSTAINING, core_hours=10.0)
    young = found(model, 1, "care", Stage.STARTING, core_hours=10.0)
    food = found(model, 2, "food", Stage.REALISING, core_hours=10.0)
    model.province.portfolio[0].apply(0)
    assert [burden(c) for c in (care, mobility, young, food)] == [80.0, 80.0, 0.0, 0.0]
    assert model.province.portfolio[0].tenders[0]["bidders"] == 2


def test_tender_accepted_contracts_are_paid_in_full():
    """Every contract a collective holds is paid contract_value in each month of its term, also
    when the pace is tight: 300000 over 60 months is 5000 a month, less than two contracts of
    3000 (a second contract may only be accepted if the pace can carry it)."""
    model = make_model("policy.tender.business_strength=0", instruments=["tender"], budget=300_000, months=60)
    a = found(model, 0, "care", Stage.ORGANISED, core_hours=50.0)
    b = found(model, 3, "care", Stage.ORGANISED, core_hours=40.0)
    inst = model.province.portfolio[0]
    paid_months = 0
    for month in range(60):
        before = {c.cid: gov(c) for c in (a, b)}
        held = {cid for cid, t in inst.contracts.items() if t.months_left > 0}
        inst.step(month)
        for c in (a, b):
            expect = 3_000.0 if c.cid in held else 0.0
            assert gov(c) - before[c.cid] == pytest.approx(expect), f"month {month}, collective {c.cid}"
            paid_months += c.cid in held
    assert paid_months >= 36
    assert inst.spent <= 300_000


def test_tender_zero_business_strength_and_zero_capacity_bidder():
    """business_strength=0 is allowed; a best bidder of capacity 0 (a core without free hours)
    must not divide 0 / (0 + 0)."""
    model = make_model("policy.tender.business_strength=0", instruments=["tender"])
    c = found(model, 0, "care", Stage.ORGANISED, core_hours=0.0)
    inst = model.province.portfolio[0]
    inst.apply(0)
    assert burden(c) == 80.0 and len(inst.tenders) == 1


# --- shareholding -------------------------------------------------------------------------

def test_shareholding_selects_only_mature_collectives():
    model = make_model(instruments=["shareholding"], budget=1e7)        # allowance 166667: 3 stakes
    ok = found(model, 0, "care", Stage.REALISING, members=30, knowledge=0.2)
    sustaining = found(model, 1, "energy", Stage.SELF_SUSTAINING, members=40, knowledge=0.5)
    few = found(model, 2, "care", Stage.REALISING, members=29, knowledge=0.9)
    unknowing = found(model, 3, "care", Stage.REALISING, members=100, knowledge=0.19)
    organised = found(model, 4, "care", Stage.ORGANISED, members=100, knowledge=0.9)
    gone = found(model, 5, "care", Stage.DISSOLVED, members=100, knowledge=0.9)
    inst = model.province.portfolio[0]
    inst.apply(0)
    assert set(inst.holdings) == {ok.cid, sustaining.cid}
    # shares (mechanisms.equity), not grants: tests/test_equity.py
    assert ok.equity == 50_000 and sustaining.equity == 50_000 and gov(ok) == 0.0 and gov(sustaining) == 0.0
    assert burden(ok) == 40.0 and burden(sustaining) == 40.0
    for c in (few, unknowing, organised, gone):
        assert c.equity == 0.0 and gov(c) == 0.0 and burden(c) == 0.0
    assert inst.spent == 100_000


def test_shareholding_best_potential_first_within_pace():
    model = make_model(instruments=["shareholding"], budget=3_300_000)  # allowance(0) = 55000: one stake
    lesser = found(model, 0, "care", Stage.REALISING, members=50, knowledge=0.2)   # 50 x 1.2 = 60
    better = found(model, 1, "care", Stage.REALISING, members=40, knowledge=0.6)   # 40 x 1.6 = 64
    inst = model.province.portfolio[0]
    inst.apply(0)
    assert list(inst.holdings) == [better.cid] and gov(lesser) == 0.0
    inst.apply(1)                                  # allowance 110000 - 50000: the next one
    assert set(inst.holdings) == {better.cid, lesser.cid}


def test_shareholding_raises_trust_and_knowledge_monthly():
    model = make_model(instruments=["shareholding"], budget=1e7)
    held = found(model, 0, "care", Stage.REALISING, members=30, knowledge=0.4)
    other = found(model, 1, "care", Stage.ORGANISED, members=30, knowledge=0.4)
    inst = model.province.portfolio[0]
    inst.apply(0)
    t, k = held.trust, held.knowledge
    assert (t, k) == (pytest.approx(0.5), pytest.approx(0.4))          # selection month: no gain yet
    for month in range(1, 4):
        inst.apply(month)
        t, k = t + 0.02 * (1 - t), k + 0.02 * (1 - k)
        assert held.trust == pytest.approx(t) and held.knowledge == pytest.approx(k)
    assert held.trust == pytest.approx(1 - 0.5 * 0.98 ** 3) and held.knowledge == pytest.approx(1 - 0.6 * 0.98 ** 3)
    assert other.trust == 0.5 and other.knowledge == 0.4
    assert held.equity == 50_000.0 and held.capital == 50_000.0   # the stake once, nothing monthly


def test_shareholding_absorbs_loss_share_of_failed_project():
    """The stake as a grant (mechanisms.equity off): the loss share is paid in cash. With
    equity it is written off the shares (tests/test_equity.py)."""
    model = make_model("collectives.themes.energy.failure_risk=1.0", "policy.shareholding.min_knowledge=0",
                       "mechanisms.equity=false", instruments=["shareholding"], budget=1e7, months=24)
    c = found(model, 0, "energy", Stage.REALISING, members=30, knowledge=0.0)
    model.collectives.project_left[c.cid] = 1     # its project ends this month; risk 1 x (1 - 0.6 x 0) = 1
    inst = model.province.portfolio[0]
    model.step()                                   # month 0: selected (stake 50000), then the project fails
    assert c.cid in inst.holdings and c.failures == 1 and inst.losses_absorbed == 0.0
    assert gov(c) == 50_000.0
    model.step()                                   # month 1: the shareholder absorbs its share
    # 0.5 x project cost 100000 x (1 - loan share 0.7) = 15000
    assert inst.losses_absorbed == pytest.approx(15_000.0)
    assert gov(c) == pytest.approx(65_000.0)
    model.step()
    assert inst.losses_absorbed == pytest.approx(15_000.0), "each failure is absorbed once"


def test_shareholding_exits_after_exit_months_self_sustaining():
    """The stake as a grant (mechanisms.equity off); with equity the shareholder leaves when
    its shares are bought back (tests/test_equity.py)."""
    model = make_model("policy.shareholding.exit_months=3", "mechanisms.equity=false", instruments=["shareholding"],
                       budget=1e7)
    c = found(model, 0, "care", Stage.SELF_SUSTAINING, members=30, knowledge=0.5)
    r = found(model, 1, "care", Stage.SELF_SUSTAINING, members=30, knowledge=0.5)
    inst = model.province.portfolio[0]
    inst.apply(0)
    inst.apply(1)
    model.collectives.stage[r.cid] = Stage.REALISING   # r falls back for a month: its count restarts
    inst.apply(2)
    model.collectives.stage[r.cid] = Stage.SELF_SUSTAINING
    assert inst.holdings[c.cid]["sustaining"] == 2 and inst.holdings[r.cid]["sustaining"] == 0
    inst.apply(3)
    assert c.cid not in inst.holdings and inst.exits == [c.cid]
    assert r.cid in inst.holdings
    trust, knowledge, funding = c.trust, c.knowledge, gov(c)
    inst.apply(4)
    inst.apply(5)
    assert (c.trust, c.knowledge, gov(c)) == (trust, knowledge, funding), "no support and no new stake after exit"
    assert inst.exits == [c.cid, r.cid]


# --- right to challenge -------------------------------------------------------------------

def test_right_to_challenge_accepted_task_pays_adds_hours_and_mobilises():
    model = make_model("policy.right_to_challenge.government=province", "policy.right_to_challenge.challenge_rate=1",
                       "policy.right_to_challenge.task_months=4", instruments=["right_to_challenge"], budget=1e7)
    a = found(model, 2, "care", Stage.ORGANISED, members=20)
    small = found(model, 3, "care", Stage.ORGANISED, members=19)
    young = found(model, 4, "care", Stage.STARTING, members=50)
    inst = model.province.portfolio[0]
    model.begin_month()
    inst.apply(0)
    assert inst.tasks == {a.cid: Commitment(4, 2_000.0)} and inst.challenges == 1
    assert burden(a) == 60.0 and gov(a) == 0.0
    assert burden(small) == 0.0 and burden(young) == 0.0
    t = a.trust
    for month in range(1, 5):
        model.begin_month()
        g, b = gov(a), burden(a)
        inst.apply(month)
        assert gov(a) - g == 2_000.0 and burden(a) - b == 40.0
        # the rest of the month's rate (1e7 / 60 - 2000) delivers the unchallenged tasks
        assert model.villages.spend.sum() == pytest.approx(1e7 / 60)
        np.testing.assert_allclose(model.effects.mobilisation, [0, 0, 0.05, 0, 0, 0])
        t = t + TRUST_GAIN * (1 - t)
        assert a.trust == pytest.approx(t)
    assert gov(a) == 8_000.0
    model.begin_month()
    g = gov(a)
    inst.apply(5)                                  # the task ended: no money, no ownership signal
    assert gov(a) == g and np.all(model.effects.mobilisation == 0.0)
    assert gov(small) == 0.0 and gov(young) == 0.0


def test_right_to_challenge_rejected_when_budget_cannot_carry_task():
    # allocation 100000 < 2000 x 60: the challenge costs its hours but is not accepted
    model = make_model("policy.right_to_challenge.government=province", "policy.right_to_challenge.challenge_rate=1",
                       instruments=["right_to_challenge"], budget=100_000)
    a = found(model, 0, "care", Stage.ORGANISED, members=25)
    inst = model.province.portfolio[0]
    inst.apply(0)
    assert inst.challenges == 1 and inst.tasks == {} and burden(a) == 60.0
    inst.apply(1)
    # no collective money; the municipality delivers the unchallenged tasks itself (a service)
    assert gov(a) == 0.0
    assert inst.spent == pytest.approx(model.villages.spend.sum()) and inst.spent > 0.0


def test_right_to_challenge_accepted_tasks_are_paid_in_full():
    """Every task a collective holds is paid task_budget each month: 240000 over 120 months is
    2000 a month, the budget of one task; two challengers in month 0."""
    model = make_model("policy.right_to_challenge.government=province", "policy.right_to_challenge.challenge_rate=1",
                       instruments=["right_to_challenge"], budget=240_000, months=120)
    a = found(model, 0, "care", Stage.ORGANISED, members=20)
    b = found(model, 1, "care", Stage.ORGANISED, members=20)
    inst = model.province.portfolio[0]
    paid_months = 0
    for month in range(40):
        before = {c.cid: gov(c) for c in (a, b)}
        held = {cid for cid, t in inst.tasks.items() if t.months_left > 0}
        inst.step(month)
        for c in (a, b):
            expect = 2_000.0 if c.cid in held else 0.0
            assert gov(c) - before[c.cid] == pytest.approx(expect), f"month {month}, collective {c.cid}"
            paid_months += c.cid in held
    assert paid_months >= 39


# --- dialogue -----------------------------------------------------------------------------

def test_dialogue_least_participating_first_costs_and_repeats():
    # 330000 over 60 months: 5500 a month, one 5000-dialogue a month until all have had one
    assert AFTERGLOW_MONTHS == 12
    model = make_model("policy.dialogue.government=province", instruments=["dialogue"], budget=330_000)
    inst = model.province.portfolio[0]
    model.villages.participation[:] = [0.5, 0.1, 0.3, 0.2, 0.4, 0.6]
    order = [1, 3, 2, 4, 0, 5]
    for month in range(30):
        model.begin_month()
        spent = inst.spent
        inst.step(month)
        held = [v for m, v in inst.held if m == month]
        expect = [order[month]] if month < 6 else [order[month - 24]] if month >= 24 else []
        assert held == expect, f"month {month}"
        aw = np.zeros(6)
        aw[expect] = 0.3
        np.testing.assert_allclose(model.effects.awareness, aw)   # only in the month of the dialogue
        sp = np.zeros(6)
        sp[expect] = 5_000.0
        np.testing.assert_allclose(model.villages.spend, sp)
        assert inst.spent - spent == 5_000.0 * len(expect)
        if month == 12:
            # the afterglow: founding boost and cohesion for 12 months (village 1, held in month 0, no longer)
            np.testing.assert_allclose(model.effects.founding, [1.0, 0.0, 1.0, 1.0, 1.0, 1.0])
            np.testing.assert_allclose(model.effects.mobilisation, [0.03, 0.0, 0.03, 0.03, 0.03, 0.03])
        if month == 3:
            np.testing.assert_allclose(model.effects.founding, [0.0, 1.0, 1.0, 1.0, 1.0, 0.0])
    assert len(inst.held) == 12 and inst.spent == 60_000.0


def test_dialogue_each_municipality_its_own_villages():
    model = make_model(instruments=["dialogue"], budget=1e7)           # municipality by default
    model.villages.participation[:] = [0.5, 0.1, 0.3, 0.2, 0.4, 0.6]
    for m in model.municipalities:
        m.portfolio[0].step(0)
    assert model.province.portfolio == []
    first, second = (m.portfolio[0] for m in model.municipalities)
    assert [v for _, v in first.held] == [1, 2, 0] and [v for _, v in second.held] == [3, 4, 5]
    assert first.spent == 15_000.0 and second.spent == 15_000.0


def test_dialogue_awareness_reaches_residents():
    """Same seed, same random numbers: the dialogue's village gets aware residents that the
    baseline does not, and the other villages are unchanged."""
    def after_one_month(instr):
        model = make_model("policy.dialogue.government=province", "policy.dialogue.awareness=2.0",
                           instruments=[instr], budget=330_000)
        model.villages.participation[:] = [0.5, 0.1, 0.3, 0.2, 0.4, 0.6]
        model.step()
        return model.people.state.copy(), model.people.village
    with_dialogue, village = after_one_month("dialogue")
    baseline, _ = after_one_month("none")
    aware_d = (with_dialogue >= 1)
    aware_b = (baseline >= 1)
    here = village == 1
    assert np.all(aware_d[here] >= aware_b[here]) and aware_d[here].sum() > aware_b[here].sum() + 10
    np.testing.assert_array_equal(with_dialogue[~here], baseline[~here])


# --- learning network ---------------------------------------------------------------------

def test_learning_network_moves_members_toward_best_of_theme():
    model = make_model("policy.learning_network.coaching_cost=0", instruments=["learning_network"], budget=1e7)
    e1 = found(model, 0, "energy", Stage.ORGANISED, knowledge=0.1)
    e2 = found(model, 1, "energy", Stage.STARTING, knowledge=0.3)
    e3 = found(model, 3, "energy", Stage.SELF_SUSTAINING, knowledge=0.5)
    care = found(model, 4, "care", Stage.REALISING, knowledge=0.9)
    idea = found(model, 5, "energy", Stage.IDEA, knowledge=0.0)
    dead = found(model, 2, "energy", Stage.DISSOLVED, knowledge=0.95)
    inst = model.province.portfolio[0]
    model.begin_month()
    inst.apply(0)
    # learning_rate 0.05 of the gap to the best energy member (0.5); care is best of its own theme
    assert [e1.knowledge, e2.knowledge, e3.knowledge, care.knowledge] == pytest.approx([0.12, 0.31, 0.5, 0.9])
    assert idea.knowledge == 0.0 and dead.knowledge == 0.95
    assert inst.spent == pytest.approx(4 * 100.0)
    assert model.villages.spend.sum() == pytest.approx(400.0)
    assert [burden(c) for c in (e1, e2, e3, care, idea, dead)] == [2.0, 2.0, 2.0, 2.0, 0.0, 0.0]


def test_learning_network_budget_caps_members():
    # 12000 over 60 months: 200 a month buys 2 members at 100; the earliest founded take part
    model = make_model(instruments=["learning_network"], budget=12_000, months=60)
    a = found(model, 0, "food", Stage.ORGANISED, knowledge=0.1)
    b = found(model, 1, "food", Stage.ORGANISED, knowledge=0.3)
    c = found(model, 2, "food", Stage.ORGANISED, knowledge=0.9)
    inst = model.province.portfolio[0]
    inst.apply(0)
    assert a.knowledge == pytest.approx(0.1 + 0.05 * 0.2)   # best among members is b's 0.3, not c's 0.9
    assert b.knowledge == pytest.approx(0.3) and c.knowledge == 0.9
    assert inst.spent == pytest.approx(200.0)
    assert burden(c) == 0.0


def test_learning_network_coaches_the_least_knowledgeable_with_money_left_over():
    """Rate 6000 a month (360000 / 60): 3 members pay 300; the allowance then buys one 5000
    coaching, for the member with least knowledge (closes 0.1 of its gap), once a year."""
    model = make_model("policy.learning_network.learning_rate=0", instruments=["learning_network"], budget=360_000)
    low = found(model, 0, "energy", Stage.ORGANISED, knowledge=0.1)
    mid = found(model, 1, "care", Stage.ORGANISED, knowledge=0.3)
    high = found(model, 2, "food", Stage.ORGANISED, knowledge=0.6)
    inst = model.province.portfolio[0]
    inst.apply(0)
    assert inst.spent == pytest.approx(300.0 + 5_000.0) and inst.coachings == 1
    assert [low.knowledge, mid.knowledge, high.knowledge] == pytest.approx([0.19, 0.3, 0.6])
    assert burden(low) == 2.0 + 16.0 and burden(mid) == 2.0
    inst.apply(1)                                        # allowance 12000 - 5300: mid's turn
    assert inst.coachings == 2 and mid.knowledge == pytest.approx(0.37)
    for month in range(2, 12):
        inst.apply(month)
    assert inst.coached == {low.cid: 0, mid.cid: 1, high.cid: 2}    # each at most once in 12 months
    inst.apply(12)
    assert inst.coached[low.cid] == 12


def test_learning_network_spends_cost_per_member_each_month_in_a_run():
    model = make_model("policy.learning_network.coaching_cost=0", instruments=["learning_network"], budget=1e6, months=12)
    cs = arrange(model)
    spend, _, _ = run_recording(model, 12)
    alive = model.collectives.alive()
    assert alive.sum() == len(cs)
    np.testing.assert_allclose(spend, 100.0 * len(cs))


# --- instruments act only through public methods (static) ---------------------------------

INSTRUMENT_DIR = Path(sim.instruments.__file__).parent
MODEL_STATE = {"people", "collectives", "effects"}     # model arrays instruments must not touch
IN_PLACE = {"at", "put", "copyto", "place", "putmask", "fill", "sort", "resize"}


def _is_self(node: ast.AST) -> bool:
    return (isinstance(node, ast.Name) and node.id == "self") or (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "super")


def _is_model(node: ast.AST) -> bool:
    return (isinstance(node, ast.Name) and node.id == "model") or (
        isinstance(node, ast.Attribute) and node.attr == "model")


def _owned_by_self(node: ast.AST) -> bool:
    """True for `self.x` (an instrument's own attribute), or names / calls (locals)."""
    while isinstance(node, ast.Subscript):
        node = node.value
    return not isinstance(node, ast.Attribute) or _is_self(node.value)


def _targets(node: ast.AST):
    if isinstance(node, ast.Assign | ast.Delete):
        todo = list(node.targets)
    elif isinstance(node, ast.AugAssign | ast.AnnAssign):
        todo = [node.target]
    else:
        return
    while todo:
        t = todo.pop()
        if isinstance(t, ast.Tuple | ast.List):
            todo.extend(t.elts)
        elif isinstance(t, ast.Starred):
            todo.append(t.value)
        else:
            yield t


def public_method_violations(source: str, filename: str = "<src>") -> list[str]:
    """Where an instrument reaches around the public methods of other objects."""
    out = []
    for node in ast.walk(ast.parse(source, filename)):
        where = f"{filename}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Attribute):
            if node.attr.startswith("_") and not _is_self(node.value):
                out.append(f"{where}: private attribute {node.attr!r} of another object")
            if node.attr in MODEL_STATE and _is_model(node.value):
                out.append(f"{where}: touches model.{node.attr} directly")
        for t in _targets(node):
            if isinstance(t, ast.Attribute) and not _is_self(t.value):
                out.append(f"{where}: assigns attribute {t.attr!r} of another object")
            elif isinstance(t, ast.Subscript) and not _owned_by_self(t.value):
                out.append(f"{where}: assigns into another object's array")
        if isinstance(node, ast.Call):
            f = node.func
            if isinstance(f, ast.Name) and f.id in ("setattr", "delattr") and node.args and not _is_self(node.args[0]):
                out.append(f"{where}: {f.id} on another object")
            if isinstance(f, ast.Attribute) and f.attr in IN_PLACE:
                # np.add.at(obj.arr, ...), np.put(obj.arr, ...), ... or obj.arr.fill(...)
                victims = [f.value] if f.attr in ("fill", "sort", "resize") else node.args[:1]
                for v in victims:
                    if isinstance(v, ast.Attribute | ast.Subscript) and not _owned_by_self(v):
                        out.append(f"{where}: changes another object's array in place ({f.attr})")
    return out


# registry.py finds and registers instruments; it acts on no model
@pytest.mark.parametrize("path", sorted(p for p in INSTRUMENT_DIR.glob("*.py") if p.name != "registry.py"),
                         ids=lambda p: p.name)
def test_instruments_use_only_public_methods(path):
    assert public_method_violations(path.read_text(), path.name) == []


def test_instrument_files_are_all_checked():
    names = {p.stem for p in INSTRUMENT_DIR.glob("*.py")}
    assert set(INSTRUMENTS) | {"base", "none", "effects", "registry"} <= names


@pytest.mark.parametrize("snippet", [
    "c._a.capital[c.cid] += 5",
    "x = self.model.collectives._grow",
    "c.stage = 3",
    "self.model.month = 7",
    "self.government.spent_total += 10",
    "self.model.collectives.stage[0] = 5",
    "self.model.villages.spend[v] += 1.0",
    "k = self.model.people.state",
    "model.collectives.knowledge[:] = 1",
    "self.model.effects.awareness[v] = 1",
    "np.add.at(self.model.villages.spend, [0], 1.0)",
    "self.model.villages.fund.fill(0.0)",
    "setattr(c, 'stage', 3)",
    "a, c.trust = 1, 0.9",
])
def test_public_method_checker_catches(snippet):
    assert public_method_violations(snippet) != []


@pytest.mark.parametrize("snippet", [
    "self.tasks[cid] = 3",
    "self.spent += 5",
    "super().__init__(*args)",
    "c.add_burden(4.0)",
    "best[c.theme] = max(best.get(c.theme, 0.0), c.knowledge)",
    "share = self.model.villages.participation",
    "self.government.signal([v], 'awareness', 0.3)",
    "x = self._affordable()",
    "np.add.at(self.counts, [0], 1)",
])
def test_public_method_checker_allows(snippet):
    assert public_method_violations(snippet) == []


@pytest.mark.parametrize("name", [n for n in INSTRUMENTS if n != "none"])
def test_budgets_really_equal_in_the_default_world(name):
    """Each instrument alone, on the default world and budget, spends its budget: the public
    spend summed over the ten years lies within 5 % below the budget, never above the budget
    plus what came back (a revolving fund, shareholding with mechanisms.equity, invests that again).
    Money collectives apply for is spent only as far as they choose to apply
    (mechanisms.voluntary_applications): a subsidy may then leave up to 10 % (seed 3: 92.6 %
    spent, 95.6 % when every eligible collective applies; seeds 1-6: 97.9 % on average).
    On the assumption defaults (calibration=none): on the calibrated default (few energy and care
    collectives) subsidy spends about 36 % and the learning network about 71 % of it (seed 3, before
    the merge of issue 12's mechanisms), a finding for the instruments' rules for money that demand
    leaves over."""
    cfg = load_config([f"policy.instruments=[{name}]", "seed=3", "calibration=none"])
    region = run(cfg).region
    spent, returned = region["public_spend"].sum(), region["capital_returned"].iloc[-1]
    least = 0.90 if name in APPLIED_FOR else 0.95
    assert least * cfg.policy.budget <= spent <= cfg.policy.budget + returned + 1e-6
    assert returned == 0.0 or name == "shareholding"

"""Demography: ageing, moving away, dying and newcomers (mechanisms.demography)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim import VillageModel, load_config
from sim.rules.demography import monthly_probability, transition_table
from sim.state import AgeGroup, ResidentState as S

SMALL = ["world=small", "months=12"]


def test_monthly_probability_by_hand():
    assert monthly_probability(12.0) == pytest.approx(1 - math.exp(-1))
    assert monthly_probability(0.0) == 0.0
    p_leave, p_age = transition_table((0.12, 0.0, 1.2), (0.24, 0.0))
    np.testing.assert_allclose(p_leave, [1 - math.exp(-0.01), 0.0, 1 - math.exp(-0.1)])
    np.testing.assert_allclose(p_age, [1 - math.exp(-0.02), 0.0, 0.0])   # seniors stay seniors


def model(*ov):
    return VillageModel(load_config([*SMALL, "mechanisms.demography=true", *ov]))


def check_counts(m: VillageModel) -> None:
    p, tracker = m.people, m.taking_part
    here = p.state != S.GONE
    np.testing.assert_array_equal(m.villages.residents, np.bincount(p.village[here], minlength=m.world.villages.n))
    mask = tracker.mask.copy()
    tracker.refresh()                                  # nothing left to catch up with
    np.testing.assert_array_equal(tracker.mask, mask)
    assert not (mask & ~here).any()                    # nobody who left takes part
    assert (p.collective[~here] == -1).all()


def test_off_nothing_changes_and_nothing_is_drawn():
    from sim.dynamics import demography

    on_off, twin = VillageModel(load_config(SMALL)), VillageModel(load_config(SMALL))
    demography.update(on_off)
    assert on_off.rng.random() == twin.rng.random()          # no number was drawn
    on_off.run_months(12)
    assert not (on_off.people.state == S.GONE).any()
    assert (on_off.results().region["residents"] == on_off.people.n).all()


def test_leaving_without_newcomers_shrinks_villages_and_keeps_counts_right():
    """leave_young = 12 a year: P = 1 - e^-1 = 0.632 a month; nobody else leaves or ages."""
    m = model("residents.leave_young=12", "residents.leave_middle=0", "residents.leave_senior=0",
              "residents.age_young=0", "residents.age_middle=0", "residents.newcomers=0")
    young = m.people.age_group == AgeGroup.YOUNG
    m.step()
    gone = m.people.state == S.GONE
    n, p = young.sum(), 1 - math.exp(-1)
    assert abs(gone[young].sum() - n * p) < 5 * math.sqrt(n * p * (1 - p))
    assert not gone[~young].any()
    check_counts(m)
    region = m.results().region
    assert region["residents"].iloc[1] == m.people.n - gone.sum()
    village = m.results().village
    np.testing.assert_array_equal(village[village["month"] == 1]["population"], m.villages.residents)
    for _ in range(5):
        m.step()
        check_counts(m)
    rogers = m.results().rogers
    last = rogers[rogers["month"] == 6]
    assert last["residents"].sum() == (m.people.state != S.GONE).sum()


def test_newcomers_replace_those_who_leave():
    m = model("residents.leave_middle=12", "residents.leave_young=0", "residents.leave_senior=0",
              "residents.age_young=0", "residents.age_middle=0", "residents.newcomers=1")
    middle = m.people.age_group == AgeGroup.MIDDLE
    m.step()
    assert not (m.people.state == S.GONE).any()
    moved_in = middle & (m.people.age_group == AgeGroup.YOUNG)
    assert moved_in.sum() > 0.5 * middle.sum()
    # newcomers start unaware (some may become aware in the same month's residents' phase)
    assert np.isin(m.people.state[moved_in], [S.UNAWARE, S.AWARE]).all()
    assert (m.people.collective[moved_in] == -1).all()
    check_counts(m)


def test_ageing_moves_residents_up_one_age_group():
    m = model("residents.leave_young=0", "residents.leave_middle=0", "residents.leave_senior=0",
              "residents.age_young=12", "residents.age_middle=0")
    before = m.people.age_group.copy()
    m.step()
    after = m.people.age_group
    assert set(np.unique(after[before == AgeGroup.YOUNG])) <= {AgeGroup.YOUNG, AgeGroup.MIDDLE}
    n, p = (before == AgeGroup.YOUNG).sum(), 1 - math.exp(-1)
    moved = ((before == AgeGroup.YOUNG) & (after == AgeGroup.MIDDLE)).sum()
    assert abs(moved - n * p) < 5 * math.sqrt(n * p * (1 - p))
    np.testing.assert_array_equal(after[before != AgeGroup.YOUNG], before[before != AgeGroup.YOUNG])


def test_ageing_villages_scenario_shrinks_and_ages():
    from sim.runner import run

    r = run(load_config(["scenario=ageing_villages", "world=small", "months=120"]))
    reg = r.region
    assert reg["residents"].iloc[-1] < 0.95 * reg["residents"].iloc[0]
    here = r.residents[r.residents["state"] != "gone"]
    assert (here["age_group"] == "senior").mean() > 0.35

"""The speed-ups change no number: each shortcut against the plain computation it replaces.

- rules (adoption, awareness, dropout) are evaluated only where the resident's random byte
  lies below their ceiling (sim/rules/registry.py, sim/dynamics/residents.py): compare with
  a run that evaluates everyone (ceiling 1);
- the rest of each uniform number is computed only where the byte cannot decide: check that
  the decisions have the stated probabilities and that a resident's number does not depend
  on who else needed one;
- participation counts are kept up to date from changes (sim/dynamics/participation.py):
  compare with a full recount after many months.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import sim.dynamics.residents as residents
from sim import VillageModel, load_config, run
from sim.config.people import AdoptionConfig
from sim.rules.adoption import AdoptionInputs, bass_rule, flywheel_rule
from sim.rules.registry import adoption_ceiling
from sim.state import ResidentState as S

SMALL = ["world=small", "months=60", "calibration=none"]   # the assumption defaults: something happens in 60 months


@pytest.mark.parametrize("overrides", [[], ["adoption=bass", "mechanisms=none"], ["seed=9", "adoption.rejoin_factor=0.5"]])
def test_shortcuts_give_the_same_tables_as_evaluating_everyone(overrides, monkeypatch):
    cfg = load_config(SMALL + overrides)
    fast = run(cfg).tables
    monkeypatch.setattr(residents, "adoption_ceiling", lambda *args: 1.0)
    monkeypatch.setattr(residents, "dropout_ceiling", lambda *args: 1.0)
    monkeypatch.setattr(residents, "awareness_ceiling", lambda *args: 1.0)
    plain = run(cfg).tables
    for (name, a), (_, b) in zip(fast.items(), plain.items(), strict=True):
        pd.testing.assert_frame_equal(a, b, obj=name)
    assert fast.region["participation_share"].iloc[-1] > 0  # something happened to compare


def test_uniform_decisions_have_the_stated_probabilities():
    """u_i < p holds with probability p, for p across the range (also exactly at byte edges)."""
    n = 400_000
    u = residents.Uniforms(np.random.Generator(np.random.SFC64(5)), n)
    idx = np.arange(n)
    for p in (0.0, 1e-4, 0.003, 1 / 256, 0.1, 0.25, 0.5, 0.77, 1.0):
        share = u.lt(idx, np.full(n, p, np.float32)).mean()
        p32 = float(np.float32(p))
        assert abs(share - p32) <= 5 * np.sqrt(max(p32 * (1 - p32), 1e-12) / n), (p, share)
    # the two parts together are uniform: deciles of u_i = (b_i + v_i) / 256
    whole = (u.byte + u.rest(idx)) / 256.0
    counts = np.bincount((whole * 10).astype(int), minlength=10)
    assert abs(counts - n / 10).max() <= 5 * np.sqrt(n / 10 * 0.9)


def test_a_residents_number_does_not_depend_on_who_else_needs_one():
    """Common random numbers: the rest of u_i is a function of the month's key and i only, so
    evaluating some residents, all of them, or in another order gives the same decisions."""
    n = 5000
    u = residents.Uniforms(np.random.Generator(np.random.SFC64(8)), n)
    p = np.random.default_rng(1).random(n).astype(np.float32) * 0.3
    everyone = u.lt(np.arange(n), p)
    some = np.flatnonzero(np.random.default_rng(2).random(n) < 0.3)
    np.testing.assert_array_equal(u.lt(some, p[some]), everyone[some])
    backwards = some[::-1]
    np.testing.assert_array_equal(u.lt(backwards, p[backwards]), everyone[backwards])
    assert u.bound(0.3) == 77  # the ceiling 0.3 rounded up to whole bytes
    below = np.flatnonzero(u.byte < u.bound(0.3))
    k = 77 / 256
    assert abs(below.size - k * n) <= 5 * np.sqrt(n * k * (1 - k))  # only about 30% evaluated
    np.testing.assert_array_equal(np.flatnonzero(everyone), below[u.lt(below, p[below])])


def test_participation_counts_match_a_full_recount():
    model = VillageModel(load_config(["calibration=none", "world=small", "seed=4"]))
    model.run_months(90)
    p, t = model.people, model.taking_part
    part = p.participating()
    assert part.any() and (p.state == S.DROPPED).any()  # joins and leaves both happened
    np.testing.assert_array_equal(t.mask, part)
    np.testing.assert_array_equal(t.ties, model.world.adjacency @ part.astype(np.float32))
    np.testing.assert_array_equal(t.by_village, np.bincount(p.village[part], minlength=model.world.villages.n))
    np.testing.assert_array_equal(t.by_category, np.bincount(p.category[part], minlength=5))
    assert t.vulnerable == np.count_nonzero(part & p.vulnerable)


def test_seeds_take_part_from_month_zero():
    model = VillageModel(load_config(["world=small", "mechanisms=none", "adoption=threshold",
                                      "adoption.seeds_per_village=5", "months=0"]))
    n_villages = model.world.villages.n
    region = model.results().region
    assert region["participation_share"].iloc[0] == pytest.approx(5 * n_villages / model.people.n)
    assert model.taking_part.total == 5 * n_villages


def test_a_stale_ceiling_does_not_survive_reregistration():
    from sim.rules.registry import ADOPTION_RULES, CEILINGS, register_adoption_rule

    try:
        register_adoption_rule("tmp_rule", ceiling=lambda p, dt: 0.01)(lambda x, p: None)
        ADOPTION_RULES.pop("tmp_rule")
        register_adoption_rule("tmp_rule")(lambda x, p: None)
        assert adoption_ceiling("tmp_rule", AdoptionConfig(), 1 / 12) == 1.0
    finally:
        ADOPTION_RULES.pop("tmp_rule", None)
        CEILINGS.pop("tmp_rule", None)


def test_a_state_set_by_hand_is_picked_up_next_month():
    model = VillageModel(load_config(["world=small", "mechanisms=none", "adoption=threshold", "months=3"]))
    model.people.state[:10] = S.MEMBER  # a researcher seeds adopters directly
    model.step()
    np.testing.assert_array_equal(model.taking_part.ties,
                                  model.world.adjacency @ model.people.participating().astype(np.float32))


def _random_inputs(rng, n=2000, n_v=7):
    return AdoptionInputs(
        neighbour_share=rng.random(n, dtype=np.float32), neighbour_count=rng.integers(0, 20, n).astype(np.float32),
        threshold=rng.random(n, dtype=np.float32), trust=rng.random(n, dtype=np.float32),
        hours=(rng.random(n) * 40).astype(np.float32), village=rng.integers(0, n_v, n),
        village_share=rng.random(n_v), visibility=rng.random(n_v), mobilisation=rng.random(n_v) * 2,
        crowding=np.zeros(n_v))


@pytest.mark.parametrize("rule, name", [(flywheel_rule, "flywheel"), (bass_rule, "bass")])
def test_rules_never_exceed_their_ceiling(rule, name):
    rng = np.random.default_rng(0)
    for params in (AdoptionConfig(), AdoptionConfig(max_join_rate=0.9, softness=0.0, bass_p=2.0, bass_q=5.0)):
        x = _random_inputs(rng)
        assert rule(x, params).max() <= adoption_ceiling(name, params, x.dt_years) * (1 + 1e-6) + 1e-7

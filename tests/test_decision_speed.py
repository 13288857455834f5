"""Innovators act sooner once convinced (mechanisms.alertness, adoption.decide_innovativeness c;
docs/ODD.md 7.1): the rule's hand values and its mean of 1, the joining probability it
multiplies and caps at 1, the switch off and c = 0 giving the numbers of before, the joining
bound still covering everyone, and in the textbook limit each category joining at its own
rate. (Whether innovators and early adopters then lead their village as Rogers says is the
rogers_timing check's question, sim/validate/rogers.py.)"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import sim.dynamics.residents as residents
from sim import VillageModel, load_config, run
from sim.rules.adoption import decision_speed

F32 = np.float32


def test_decision_speed_hand_values():
    # c = 1: exp(z - 0.5); z = 0 -> 0.6065307, z = 2.3 -> exp(1.8) = 6.0496475, z = -1.5 -> exp(-2) = 0.1353353
    s = decision_speed(np.array([0.0, 2.3, -1.5], F32), 1.0)
    np.testing.assert_allclose(s, [0.6065307, 6.0496475, 0.1353353], rtol=1e-6)
    assert s.dtype == np.float32
    np.testing.assert_array_equal(decision_speed(np.array([0.7, -2.0], F32), 0.0), np.ones(2, F32))


def test_decision_speed_has_mean_one_over_a_standard_normal_population():
    z = np.random.default_rng(5).standard_normal(400_000).astype(F32)
    for c in (0.3, 0.6, 1.0):
        # the sample mean of exp(c z - c^2/2) has sd sqrt(exp(c^2) - 1) / sqrt(n)
        assert abs(decision_speed(z, c).mean() - 1.0) < 4 * math.sqrt(math.expm1(c * c) / z.size), c


BASE = ["world=small", "months=60", "calibration=energy", "policy.instruments=[dialogue]"]


def _stepped(*extra: str, months: int = 30) -> VillageModel:
    model = VillageModel(load_config([*BASE, *extra]))
    model.run_months(months)
    return model


def test_the_joining_probability_is_multiplied_by_the_speed_and_capped_at_one():
    """Same state, same candidates: P with c equals min(1, s_i P without c)."""
    with_c = _stepped("adoption.decide_innovativeness=1.0")
    idx = np.flatnonzero(with_c.people.state == residents.S.AWARE)
    assert idx.size > 100
    p_c = residents._join_probability(with_c, idx, with_c.people.state).astype(np.float64)
    speed = with_c.decision_speed
    with_c.decision_speed = None  # the same state, no speed
    p_0 = residents._join_probability(with_c, idx, with_c.people.state).astype(np.float64)
    np.testing.assert_allclose(p_c, np.minimum(1.0, p_0 * speed[idx]), rtol=1e-6)
    assert (p_c > p_0).any() and (p_c < p_0).any()


@pytest.mark.parametrize("off", ["mechanisms.alertness=false", "adoption.decide_innovativeness=0"])
def test_off_or_zero_gives_the_same_tables_as_without_the_mechanism(off):
    base = ["world=small", "months=48", "calibration=energy", "policy.instruments=[dialogue]",
            "mechanisms.alertness=false"]
    a = run(load_config([*base, off])).tables
    b = run(load_config([*base, "adoption.decide_innovativeness=0.9"])).tables
    for (name, x), (_, y) in zip(a.items(), b.items(), strict=True):
        pd.testing.assert_frame_equal(x, y, obj=name)
    assert VillageModel(load_config([*base, off])).decision_speed is None


@pytest.mark.parametrize("c", [0.2, 1.0], ids=["bound below 256", "bound 256"])
def test_the_joining_bound_covers_every_resident(monkeypatch, c):
    """Joining is evaluated only below the byte bound of max_i s_i times the rule's ceiling:
    the same tables as evaluating everyone."""
    cfg = load_config([*BASE, "months=48", f"adoption.decide_innovativeness={c}"])
    model = VillageModel(cfg)
    bound = residents.Uniforms.bound(min(1.0, model.decision_speed_max * cfg.adoption.max_join_rate))
    assert (bound < 256) == (c == 0.2)
    fast = run(cfg).tables
    monkeypatch.setattr(residents, "adoption_ceiling", lambda *args: 1.0)
    plain = run(cfg).tables
    for (name, a), (_, b) in zip(fast.items(), plain.items(), strict=True):
        pd.testing.assert_frame_equal(a, b, obj=name)


def test_each_category_joins_at_its_own_rate_in_the_textbook_limit():
    """Bass rule with q = 0 (every resident's monthly probability P = 1 - exp(-p / 12)), every
    mechanism off but this one: resident i joins each month with probability min(1, s_i P).
    Per Rogers category, the joins over 12 months equal the sum of those probabilities over
    the resident-months at risk within 4 binomial standard deviations, and innovators join
    several times as often per month as laggards (c = 0.5: s = 2.8 at z = 2.3, 0.42 at z = -1.5)."""
    from sim.validate.setups import one_village

    cfg = one_village(20_000, "adoption=bass", "mechanisms=none", "mechanisms.alertness=true",
                      "adoption.bass_p=0.6", "adoption.bass_q=0", "adoption.decide_innovativeness=0.5", seed=3)
    model = VillageModel(cfg)
    big_p = 1 - math.exp(-0.6 / 12)
    p_i = np.minimum(1.0, model.decision_speed.astype(np.float64) * big_p)
    cat = model.people.category
    observed, expected, variance = np.zeros(5), np.zeros(5), np.zeros(5)
    for _ in range(12):
        at_risk = ~model.people.participating()
        model.step()
        joined = model.people.participating() & at_risk
        observed += np.bincount(cat[joined], minlength=5)
        expected += np.bincount(cat[at_risk], weights=p_i[at_risk], minlength=5)
        variance += np.bincount(cat[at_risk], weights=(p_i * (1 - p_i))[at_risk], minlength=5)
    assert (np.abs(observed - expected) <= 4 * np.sqrt(variance)).all(), (observed, expected)
    rate = expected / np.bincount(cat, minlength=5)
    assert rate[0] > 3 * rate[4]

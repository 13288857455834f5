"""Innovators hear sooner (mechanisms.alertness, adoption.aware_innovativeness b; docs/ODD.md
7.1): the rule's hand values and its mean of 1, the awareness it multiplies, the switch off
and b = 0 giving the numbers of before, the ceiling still covering everyone, and in the
model more innovative residents becoming aware sooner."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import sim.dynamics.residents as residents
from sim import VillageModel, load_config, run
from sim.config.people import AdoptionConfig
from sim.rules.adoption import alertness, awareness_probability
from sim.state import ResidentState as S

F32 = np.float32


def test_alertness_hand_values():
    # b = 0.5: exp(0.5 z - 0.125); z = 0 -> exp(-0.125) = 0.8824969; z = 2 -> exp(0.875) = 2.3988753;
    # z = -1 -> exp(-0.625) = 0.5352614
    m = alertness(np.array([0.0, 2.0, -1.0], F32), 0.5)
    np.testing.assert_allclose(m, [0.8824969, 2.3988753, 0.5352614], rtol=1e-6)
    assert m.dtype == np.float32


def test_alertness_has_mean_one_over_a_standard_normal_population():
    z = np.random.default_rng(3).standard_normal(400_000).astype(F32)
    for b in (0.25, 0.5, 0.75):
        m = alertness(z, b)
        # the sample mean of exp(b z - b^2/2) has sd sqrt(exp(b^2) - 1) / sqrt(n)
        assert abs(m.mean() - 1.0) < 4 * math.sqrt(math.expm1(b * b) / z.size), b
    np.testing.assert_array_equal(alertness(z[:10], 0.0), np.ones(10, F32))


def test_awareness_hazard_is_multiplied_by_alertness_but_not_outreach():
    cfg = AdoptionConfig()
    # hazard without alertness: 0.5*0.4 + 0.01 + 0.1*0.5 + 0 = 0.26; x 2 = 0.52; outreach 0.3 added after
    share, village, vis, push = np.array([0.4, 0.4], F32), np.array([0, 0]), np.array([0.5]), np.array([0.0])
    p = awareness_probability(share, village, vis, push, cfg, alert=np.array([1.0, 2.0], F32),
                              targeted=np.array([0.0, 0.3]))
    np.testing.assert_allclose(p, [1 - math.exp(-0.26), 1 - math.exp(-(0.52 + 0.3))], rtol=1e-5)


@pytest.mark.parametrize("off", ["mechanisms.alertness=false", "adoption.aware_innovativeness=0"])
def test_off_or_zero_gives_the_same_tables_as_without_the_mechanism(off):
    base = ["world=small", "months=48", "calibration=none", "policy.instruments=[dialogue]"]
    a = run(load_config([*base, off])).tables
    b = run(load_config([*base, "mechanisms.alertness=false", "adoption.aware_innovativeness=0.9"])).tables
    for (name, x), (_, y) in zip(a.items(), b.items(), strict=True):
        pd.testing.assert_frame_equal(x, y, obj=name)
    assert VillageModel(load_config([*base, off])).alertness is None


OUTREACH = ["policy.dialogue.outreach=1", "policy.dialogue.awareness=0.5", "policy.dialogue.government=province"]


@pytest.mark.parametrize("small_world", [True, False], ids=["per-group", "whole-array"])
@pytest.mark.parametrize("extra", [[], OUTREACH], ids=["push", "outreach"])
def test_the_awareness_bounds_cover_every_resident(monkeypatch, small_world, extra):
    """Awareness is evaluated only below a bound that scales with each resident's alertness
    (residents.awareness_bounds, docs/ODD.md section 3): the same tables as evaluating
    everyone, on both paths of who_may_change, with and without outreach."""
    cfg = load_config(["world=small", "months=48", "calibration=none", "adoption.aware_innovativeness=1.5",
                       "policy.instruments=[dialogue]", *extra])
    if not small_world:
        monkeypatch.setattr(residents, "SMALL_WORLD", 0)
    fast = run(cfg).tables
    monkeypatch.setattr(residents, "awareness_ceiling", lambda *args: 1.0)
    plain = run(cfg).tables
    for (name, a), (_, b) in zip(fast.items(), plain.items(), strict=True):
        pd.testing.assert_frame_equal(a, b, obj=name)


@pytest.mark.parametrize("extra", [[], OUTREACH, ["adoption.aware_innovativeness=3.0"],
                                   ["adoption.aware_innovativeness=3.0", *OUTREACH], ["adoption.aware_base=8.0"]],
                         ids=["push", "outreach", "b=3", "b=3 outreach", "ceiling near 1"])
def test_nobody_who_could_become_aware_lies_above_the_bound(extra):
    """For every unaware resident each month: if the byte alone leaves u_i < P_i possible
    (b_i < 256 P_i), the resident lies below the bound (a check on the whole population,
    not only on the residents the draws happened to pick). The bound is also not loose: it
    keeps out most unaware residents."""
    cfg = load_config(["world=small", "months=1", "calibration=none", "adoption.aware_innovativeness=1.5",
                       "policy.instruments=[dialogue]", *extra])
    model = VillageModel(cfg)
    rng = np.random.default_rng(1)
    loose = "adoption.aware_base=8.0" in extra or "adoption.aware_innovativeness=3.0" in extra
    checked = kept_out = unaware_total = 0
    for _ in range(36):
        model.step()
        unaware = np.flatnonzero(model.people.state == S.UNAWARE)
        p = residents._awareness_probability(model, unaware).astype(np.float64)
        byte = rng.integers(0, 256, model.people.n).astype(np.uint8)
        quiet, tied = residents.awareness_bounds(model)
        below = residents._may_notice(model, byte, model.people.state.view(np.uint8), quiet, tied)[unaware]
        possible = byte[unaware] < 256.0 * p
        assert not (possible & ~below).any()
        checked += int(possible.sum())
        kept_out += int((~below).sum())
        unaware_total += unaware.size
    print(f"possible {checked}, kept out {kept_out / unaware_total:.1%} of unaware resident-months")
    assert checked > 100
    if not loose:   # (a hazard near 1 a month, or b = 3, leaves little to keep out)
        assert kept_out / unaware_total > 0.5


def _aware_by_innovativeness(b: float, months: int = 24) -> tuple[float, float]:
    """Share aware after `months` among residents with z > 1 and with z < -1 (seeds 0-2)."""
    high, low = [], []
    for seed in range(3):
        cfg = load_config(["world=small", f"months={months}", "calibration=none", f"seed={seed}",
                           f"adoption.aware_innovativeness={b}"])
        model = VillageModel(cfg)
        model.run_months(months)
        aware = model.people.state != S.UNAWARE
        z = model.people.innovativeness
        high.append(aware[z > 1].mean())
        low.append(aware[z < -1].mean())
    return float(np.mean(high)), float(np.mean(low))


def test_more_innovative_residents_become_aware_sooner():
    """Measured (seeds 0-2, 24 months, small region): aware after two years, z > 1 against
    z < -1: 29 % against 27 % with b = 0, 45 % against 13 % with b = 0.5."""
    high0, low0 = _aware_by_innovativeness(0.0)
    high, low = _aware_by_innovativeness(0.5)
    assert high > low * 1.5
    assert high / max(low, 1e-9) > 1.3 * high0 / max(low0, 1e-9)

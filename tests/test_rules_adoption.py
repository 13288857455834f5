"""Residents' decision rules (sim/rules/adoption.py) against values computed by hand.

Every expected number below is written out as the arithmetic of the rule's docstring
equation with the parameters set explicitly in the `cfg` fixture (w_social 1, w_success 0.3,
w_trust 0.2, w_time 0.2, member_hours 2, softness 0.05, max_join_rate 0.1, bass_p 0.03,
bass_q 0.38, aware_base 0.01, aware_social 0.5, aware_visible 0.1), so that re-tuning the
defaults does not change them.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from sim.config.people import AdoptionConfig
from sim.errors import ConfigError
from sim.rules.adoption import (
    EPS,
    AdoptionInputs,
    awareness_probability,
    bass_rule,
    dropout_probability,
    flywheel_pull,
    flywheel_rule,
    threshold_rule,
)
from sim.rules.registry import ADOPTION_RULES, adoption_rule_names, get_adoption_rule, register_adoption_rule

F32 = np.float32


def make_inputs(
    share, threshold, *, trust=None, hours=None, village=None,
    village_share=(0.0,), visibility=(0.0,), mobilisation=(0.0,), crowding=(0.0,), dt_years=1.0 / 12.0,
) -> AdoptionInputs:
    """AdoptionInputs with float32 resident arrays (as the model builds them)."""
    share = np.asarray(share, dtype=F32)
    n = share.size
    return AdoptionInputs(
        neighbour_share=share,
        neighbour_count=share * 10,
        threshold=np.asarray(threshold, dtype=F32),
        trust=np.asarray(trust if trust is not None else [0.5] * n, dtype=F32),
        hours=np.asarray(hours if hours is not None else [5.0] * n, dtype=F32),
        village=np.asarray(village if village is not None else [0] * n, dtype=np.int64),
        village_share=np.asarray(village_share, dtype=float),
        visibility=np.asarray(visibility, dtype=float),
        mobilisation=np.asarray(mobilisation, dtype=float),
        crowding=np.asarray(crowding, dtype=float),
        dt_years=dt_years,
    )


@pytest.fixture
def cfg() -> AdoptionConfig:
    """AdoptionConfig with every parameter the hand computations use set explicitly."""
    return replace(
        AdoptionConfig(), w_social=1.0, w_success=0.3, w_trust=0.2, w_time=0.2, member_hours=2.0,
        softness=0.05, max_join_rate=0.1, bass_p=0.03, bass_q=0.38,
        aware_base=0.01, aware_social=0.5, aware_visible=0.1,
    )


def test_bass_defaults_are_the_meta_analysis_means():
    # Sultan, Farley & Lehmann (1990): p ~ 0.03, q ~ 0.38 (DOMAIN.md section 6)
    default = AdoptionConfig()
    assert (default.bass_p, default.bass_q) == (0.03, 0.38)


# --- threshold rule (Granovetter 1978) --------------------------------------------------

def test_threshold_rule_is_a_hard_step_at_phi(cfg):
    #         share  0     0.2   0.25  0.5   1.0   0
    #         phi    0     0.25  0.25  0.6   1.0   0.01
    x = make_inputs([0.0, 0.2, 0.25, 0.5, 1.0, 0.0], [0.0, 0.25, 0.25, 0.6, 1.0, 0.01])
    out = threshold_rule(x, cfg)
    np.testing.assert_array_equal(out, [1, 0, 1, 0, 1, 0])
    assert out.dtype == np.float32


def test_threshold_rule_tolerates_float32_rounding_but_not_more(cfg):
    # 1/3 as a float32 share against 1/3 rounded differently: equal up to EPS -> joins;
    # a share short of phi by 10 * EPS does not join.
    third = F32(1) / F32(3)
    x = make_inputs([third, third, 0.3333], [1.0 / 3.0 + 0.5 * EPS, 1.0 / 3.0 + 10 * EPS, 1.0 / 3.0])
    np.testing.assert_array_equal(threshold_rule(x, cfg), [1, 0, 0])


def test_threshold_rule_ignores_every_other_input(cfg):
    a = make_inputs([0.3, 0.1], [0.3, 0.3])
    b = make_inputs([0.3, 0.1], [0.3, 0.3], trust=[0.0, 1.0], hours=[0.0, 300.0], village_share=[0.9],
                    visibility=[1.0], mobilisation=[5.0], crowding=[5.0])
    np.testing.assert_array_equal(threshold_rule(a, cfg), threshold_rule(b, cfg))
    np.testing.assert_array_equal(threshold_rule(a, cfg), [1, 0])


# --- Bass rule (Bass 1969) --------------------------------------------------------------

def test_bass_rule_hand_values(cfg):
    # village 0: F = 0   -> 1 - exp(-0.03 / 12)                = 0.0024968776
    # village 1: F = 0.5 -> 1 - exp(-(0.03 + 0.38 * 0.5) / 12) = 0.0181663001
    x = make_inputs([0.0, 1.0, 0.0], [0.5, 0.5, 0.5], village=[1, 0, 1], village_share=[0.0, 0.5],
                    visibility=[0.0, 0.0], mobilisation=[0.0, 0.0], crowding=[0.0, 0.0])
    np.testing.assert_allclose(bass_rule(x, cfg), [0.0181663001, 0.0024968776, 0.0181663001], rtol=1e-5)


def test_bass_rule_ignores_ties_and_thresholds(cfg):
    # the Bass model is well mixed: only the village share matters, not one's own ties
    x = make_inputs([0.0, 1.0], [0.0, 1.0], village_share=[0.25])
    out = bass_rule(x, cfg)
    assert out[0] == out[1]
    np.testing.assert_allclose(out[0], 1 - np.exp(-(0.03 + 0.38 * 0.25) / 12), rtol=1e-5)


def test_bass_rule_step_length_and_other_coefficients(cfg):
    # one-year step, F = 1:  1 - exp(-(0.03 + 0.38)) = 0.3363497499
    x = make_inputs([0.0], [0.0], village_share=[1.0], dt_years=1.0)
    np.testing.assert_allclose(bass_rule(x, cfg), [0.3363497499], rtol=1e-5)
    # p = 0.01, q = 0.5, F = 0.2, one month: 1 - exp(-(0.01 + 0.1) / 12) = 0.0091247
    x = make_inputs([0.0], [0.0], village_share=[0.2])
    np.testing.assert_allclose(bass_rule(x, replace(cfg, bass_p=0.01, bass_q=0.5)), [1 - np.exp(-0.11 / 12)], rtol=1e-5)
    # p = q = 0: nobody ever joins
    assert bass_rule(x, replace(cfg, bass_p=0.0, bass_q=0.0))[0] == 0.0


# --- flywheel ---------------------------------------------------------------------------

def flywheel_example():
    """Two residents in two villages, every term of the pull non-zero somewhere."""
    return make_inputs(
        [0.5, 0.2], [0.3, 0.4], trust=[0.7, 0.5], hours=[2.0, 6.0], village=[0, 1],
        visibility=[0.5, 0.0], mobilisation=[0.1, 0.0], crowding=[0.0, 0.05],
    )


def test_flywheel_pull_hand_values(cfg):
    # resident 0: 1*0.5 + (0.3*0.5 + 0.1 - 0) + 0.2*(0.7-0.5) - 0.2 * 2/(2+2) = 0.5+0.25+0.04-0.1 = 0.69
    # resident 1: 1*0.2 + (0.3*0   + 0   - 0.05) + 0.2*(0.5-0.5) - 0.2 * 2/(2+6) = 0.2-0.05+0-0.05 = 0.10
    np.testing.assert_allclose(flywheel_pull(flywheel_example(), cfg), [0.69, 0.10], atol=1e-6)


def test_flywheel_rule_soft_step_hand_values(cfg):
    # gap 0 = 0.69 - 0.3 = 0.39:  0.1 / (1 + exp(-0.39/0.05)) = 0.0999590433
    # gap 1 = 0.10 - 0.4 = -0.30: 0.1 / (1 + exp(+0.30/0.05)) = 0.0002472623
    np.testing.assert_allclose(flywheel_rule(flywheel_example(), cfg), [0.0999590433, 0.0002472623], rtol=1e-4)


def test_flywheel_rule_is_half_the_max_rate_at_the_threshold(cfg):
    # w_social only, pull = share = phi: sigmoid(0) = 1/2
    c = replace(cfg, w_success=0.0, w_trust=0.0, w_time=0.0, max_join_rate=0.3)
    x = make_inputs([0.4], [0.4])
    np.testing.assert_allclose(flywheel_rule(x, c), [0.15], rtol=1e-6)


def test_flywheel_rule_hard_step_when_softness_is_zero(cfg):
    c = replace(cfg, softness=0.0)
    # pulls 0.69 and 0.10 against phi 0.3 and 0.4: max_join_rate and 0
    np.testing.assert_allclose(flywheel_rule(flywheel_example(), c), [0.1, 0.0], rtol=1e-6)


def test_time_cost_and_crowding_lower_the_pull(cfg):
    base = make_inputs([0.5, 0.5], [0.0, 0.0], hours=[2.0, 18.0])
    pull = flywheel_pull(base, cfg)
    # time share 2/(2+2) = 0.5 vs 2/(2+18) = 0.1: difference 0.2 * (0.5 - 0.1) = 0.08
    np.testing.assert_allclose(pull[1] - pull[0], 0.08, atol=1e-6)
    crowded = make_inputs([0.5, 0.5], [0.0, 0.0], hours=[2.0, 18.0], crowding=[0.25])
    np.testing.assert_allclose(flywheel_pull(base, cfg) - flywheel_pull(crowded, cfg), [0.25, 0.25], atol=1e-6)


def test_flywheel_reduces_exactly_to_the_threshold_rule(cfg):
    """softness 0, w_social 1, other weights 0, max_join_rate 1: the threshold rule."""
    c = replace(cfg, softness=0.0, w_social=1.0, w_success=0.0, w_trust=0.0, w_time=0.0, max_join_rate=1.0)
    rng = np.random.default_rng(7)
    n = 5000
    degree = rng.integers(1, 30, n).astype(F32)
    count = np.floor(rng.random(n) * (degree + 1)).astype(F32)
    share = count / degree
    # half the thresholds exactly equal to an attainable share (the knife edge), half random
    threshold = np.where(rng.random(n) < 0.5, np.floor(rng.random(n) * (degree + 1)).astype(F32) / degree,
                         rng.random(n).astype(F32))
    x = AdoptionInputs(
        neighbour_share=share, neighbour_count=count, threshold=threshold,
        trust=rng.random(n).astype(F32), hours=rng.gamma(1.5, 4.0, n).astype(F32),
        village=rng.integers(0, 3, n), village_share=rng.random(3), visibility=rng.random(3),
        mobilisation=np.zeros(3), crowding=np.zeros(3),
    )
    expected = threshold_rule(x, c)
    assert 0.2 < expected.mean() < 0.8  # both outcomes well represented
    np.testing.assert_array_equal(flywheel_rule(x, c), expected)


# --- awareness and dropout --------------------------------------------------------------

def test_awareness_probability_hand_values(cfg):
    # resident 0 (village 0): 1 - exp(-(0.5*0   + 0.01 + 0.1*0.5 + 0))   = 1 - exp(-0.06) = 0.0582354664
    # resident 1 (village 1): 1 - exp(-(0.5*0.4 + 0.01 + 0.1*0   + 0.2)) = 1 - exp(-0.41) = 0.3363497499
    # resident 2 (village 0): 1 - exp(-(0.5*1   + 0.01 + 0.1*0.5 + 0))   = 1 - exp(-0.56)
    p = awareness_probability(np.array([0.0, 0.4, 1.0], F32), np.array([0, 1, 0]), np.array([0.5, 0.0]),
                              np.array([0.0, 0.2]), cfg)
    np.testing.assert_allclose(p, [0.0582354664, 0.3363497499, 1 - np.exp(-0.56)], rtol=1e-5)


def test_awareness_without_any_source_is_zero(cfg):
    c = replace(cfg, aware_base=0.0)
    p = awareness_probability(np.zeros(2, F32), np.array([0, 0]), np.zeros(1), np.zeros(1), c)
    np.testing.assert_array_equal(p, [0.0, 0.0])


def test_dropout_probability_hand_values():
    # base 0.004, per failure 0.05, burnout exit 0.1 (only for core volunteers)
    fail = np.array([0.0, 1.0, 1.0, 0.0, 30.0])
    burn = np.array([0.5, 0.5, 0.5, 1.0, 0.0])
    core = np.array([False, True, False, True, False])
    p = dropout_probability(fail, burn, core, 0.004, 0.05, 0.1)
    # 0.004 | 0.004+0.05+0.1*0.5 | 0.004+0.05 | 0.004+0.1*1 | clip(0.004+1.5) = 1
    np.testing.assert_allclose(p, [0.004, 0.104, 0.054, 0.104, 1.0], rtol=1e-12)


def test_dropout_probability_is_clipped_at_zero():
    p = dropout_probability(np.array([0.0]), np.array([0.0]), np.array([False]), -0.1, 0.05, 0.1)
    np.testing.assert_array_equal(p, [0.0])


# --- registry ---------------------------------------------------------------------------

def test_builtin_rules_are_registered_by_name():
    names = adoption_rule_names()
    assert {"threshold", "bass", "flywheel"} <= set(names)
    assert get_adoption_rule("threshold") is threshold_rule
    assert get_adoption_rule("bass") is bass_rule
    assert get_adoption_rule("flywheel") is flywheel_rule


def test_unknown_rule_is_not_found():
    with pytest.raises(LookupError):
        get_adoption_rule("no_such_rule")


def test_config_refuses_an_unknown_rule_name():
    from sim import load_config

    with pytest.raises(ConfigError, match="adoption.rule"):
        load_config(["adoption.rule=no_such_rule"])


def test_registering_a_taken_name_raises_and_keeps_the_original():
    def impostor(x, p):
        return np.zeros_like(x.threshold)

    with pytest.raises(ValueError, match="threshold"):
        register_adoption_rule("threshold")(impostor)
    assert get_adoption_rule("threshold") is threshold_rule
    # registering the same function again under its own name is harmless
    assert register_adoption_rule("threshold")(threshold_rule) is threshold_rule


def test_a_new_rule_can_be_registered_and_selected():
    name = "test_only_never_join"

    def never(x, p):
        return np.zeros_like(x.threshold)

    try:
        assert register_adoption_rule(name)(never) is never
        assert name in adoption_rule_names()
        assert get_adoption_rule(name) is never
        with pytest.raises(ValueError):
            register_adoption_rule(name)(lambda x, p: x.threshold)
    finally:
        ADOPTION_RULES.pop(name, None)
    assert name not in adoption_rule_names()

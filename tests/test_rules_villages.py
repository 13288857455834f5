"""Village outcomes (sim/rules/villages.py) and residents' starting attributes
(sim/world/population.py: Rogers categories and thresholds) against hand-computed values."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import norm

from sim.rules.villages import liveability, visibility, wellbeing
from sim.state import Rogers
from sim.world.population import ROGERS_CUTS, rogers_category, thresholds

A = np.array


# --- visibility, liveability, wellbeing -------------------------------------------------

def test_visibility_hand_values():
    # 1 - exp(-S/2): S = 0, 1, 3
    np.testing.assert_allclose(visibility(A([0.0, 1.0, 3.0]), 2.0), [0.0, 0.3934693403, 0.7768698399], rtol=1e-9)


def test_visibility_grows_with_diminishing_returns():
    v = visibility(np.arange(50.0), 3.0)
    assert (np.diff(v) > 0).all() and (np.diff(v, 2) < 0).all() and v[-1] < 1.0


def test_liveability_hand_values():
    base = A([0.5, 0.4, -0.2, 0.9])
    succ = A([[0.0, 0.0], [2.0, 1.0], [0.0, 0.0], [5.0, 5.0]])
    out = liveability(base, succ, weights=A([0.1, 0.2]), scale=1.0,
                      participation=A([0.0, 0.5, 0.0, 1.0]), w_participation=0.2)
    # v0: 0.5 | v1: 0.4 + 0.1(1-e^-2) + 0.2(1-e^-1) + 0.2*0.5 = 0.7128905834
    # v2: clipped at 0 | v3: 0.9 + ~0.3 + 0.2 clipped at 1
    np.testing.assert_allclose(out, [0.5, 0.7128905834, 0.0, 1.0], rtol=1e-9)


def test_wellbeing_hand_values():
    health = A([0.5, 0.5, 0.5, 0.95, 0.5])
    taking_part = A([False, True, True, True, False])
    vulnerable = A([True, True, False, True, True])
    care_in_village = A([True, False])
    village = A([0, 0, 0, 0, 1])
    w = wellbeing(health, taking_part, vulnerable, care_in_village, village, 0.05, 0.1)
    # 0.5+0.1 (vulnerable, care) | 0.5+0.05+0.1 | 0.5+0.05 (care only helps the vulnerable)
    # | clip(0.95+0.05+0.1) = 1 | 0.5 (village 1 has no care collective)
    np.testing.assert_allclose(w, [0.6, 0.65, 0.55, 1.0, 0.5], rtol=1e-12)


# --- Rogers categories and thresholds ---------------------------------------------------

def test_rogers_cuts_are_the_textbook_ones():
    assert ROGERS_CUTS == (2.0, 1.0, 0.0, -1.0)


@pytest.mark.parametrize(("z", "category"), [
    (2.5, Rogers.INNOVATOR), (2.0000001, Rogers.INNOVATOR),
    (2.0, Rogers.EARLY_ADOPTER), (1.5, Rogers.EARLY_ADOPTER), (1.0000001, Rogers.EARLY_ADOPTER),
    (1.0, Rogers.EARLY_MAJORITY), (0.5, Rogers.EARLY_MAJORITY), (1e-9, Rogers.EARLY_MAJORITY),
    (0.0, Rogers.LATE_MAJORITY), (-0.5, Rogers.LATE_MAJORITY), (-0.9999999, Rogers.LATE_MAJORITY),
    (-1.0, Rogers.LAGGARD), (-3.0, Rogers.LAGGARD),
])
def test_rogers_category_cut_offs(z, category):
    # innovators z > 2, early adopters 1 < z <= 2, early majority 0 < z <= 1,
    # late majority -1 < z <= 0, laggards z <= -1
    assert rogers_category(A([z]))[0] == category


def test_rogers_shares_of_a_normal_population():
    # Rogers (2003): 2.3 %, 13.6 %, 34.1 %, 34.1 %, 15.9 % (normal tail areas at the cut-offs)
    z = np.random.default_rng(11).standard_normal(400_000)
    shares = np.bincount(rogers_category(z), minlength=5) / z.size
    expected = np.diff(-norm.cdf([np.inf, 2.0, 1.0, 0.0, -1.0, -np.inf]))
    np.testing.assert_allclose(expected, [0.02275, 0.13591, 0.34134, 0.34134, 0.15866], atol=1e-5)
    # binomial standard error <= sqrt(0.25 / 400,000) = 0.0008: allow 4 of them
    np.testing.assert_allclose(shares, expected, atol=0.0032)


def test_thresholds_hand_values():
    # clip(0.3 - 0.1 z, 0, 1)
    phi = thresholds(A([-3.0, -1.0, 0.0, 1.0, 4.0, -10.0]), 0.3, 0.1)
    np.testing.assert_allclose(phi, [0.6, 0.4, 0.3, 0.2, 0.0, 1.0], atol=1e-7)
    assert phi.dtype == np.float32


def test_thresholds_without_spread_are_all_the_mean():
    phi = thresholds(np.random.default_rng(0).standard_normal(1000), 0.18, 0.0)
    np.testing.assert_array_equal(phi, np.float32(0.18))


def test_more_innovative_residents_have_lower_thresholds():
    z = np.sort(np.random.default_rng(1).standard_normal(1000))
    phi = thresholds(z, 0.5, 0.1)  # no clipping for |z| < 5
    assert (np.diff(phi) <= 0).all()
    means = [phi[rogers_category(z) == c].mean() for c in range(5)]
    assert means == sorted(means)  # innovators lowest, laggards highest

"""Textbook limits of the threshold rule with every mechanism off.

(a) Granovetter (1978, AJS 83(6)), the riot example: 100 people with thresholds 0, 1, ..., 99
    (here as shares k/99 of the 99 others on a complete graph). The one with threshold 0
    starts, which tips the one with threshold 1, and so on: everybody joins, one a month.
    Raise the second threshold from 1 to 2 and the cascade stops after the first person.
(b) Watts (2002, PNAS 99(9)): on Erdos-Renyi networks with one seed and a uniform threshold
    phi, global cascades happen only inside a window of mean degree z. Below z = 1 there is
    no giant component; above the upper edge too few residents are vulnerable (degree
    k <= 1/phi, here k <= 5 for phi = 0.18) for one seed to start anything.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import poisson

from sim import VillageModel
from sim.validate.setups import one_village, run_to_fixed_point
from sim.validate.textbook import vulnerable_degree, watts_window
from sim.validate.watts import PHI, cascade_config

# --- (a) Granovetter's riot -------------------------------------------------------------


def riot(thresholds: np.ndarray) -> list[int]:
    """Residents taking part after each of 100 months on a complete graph of 100."""
    model = VillageModel(one_village(
        100, "adoption=threshold", "mechanisms=none", "network=erdos_renyi", "network.mean_degree=99", seed=3))
    degree = np.diff(model.world.adjacency.indptr)
    np.testing.assert_array_equal(degree, 99)  # everybody sees the 99 others
    assert model.people.participating().sum() == 0
    model.people.threshold[:] = np.random.default_rng(0).permutation(thresholds)  # order is irrelevant
    counts = []
    for _ in range(100):
        model.step()
        counts.append(int(model.people.participating().sum()))
    return counts


def test_granovetter_riot_everybody_joins_one_a_month():
    counts = riot(np.arange(100, dtype=np.float32) / np.float32(99))
    # month m: the resident with threshold (m-1)/99 sees m-1 of 99 taking part and joins
    assert counts == list(range(1, 101))


def test_granovetter_riot_stops_when_one_threshold_moves_from_1_to_2():
    phi = np.arange(100, dtype=np.float32) / np.float32(99)
    phi[1] = np.float32(2) / np.float32(99)  # now nobody has threshold 1: two people at 2
    counts = riot(phi)
    assert counts == [1] * 100


# --- (b) Watts' cascade window ----------------------------------------------------------

N = 3000  # every threshold PHI = 0.18
SEEDS = range(20)


def test_watts_window_for_phi_018():
    lower, upper = watts_window(PHI)
    assert vulnerable_degree(PHI) == 5
    # lower edge 1.02: the giant component appears at z = 1, and near z = 1 almost every
    # resident has degree <= 5 (is vulnerable), so the vulnerable cluster percolates just above
    assert lower == pytest.approx(1.0, abs=0.05)
    assert 5.0 < upper < 7.0  # 5.76: the upper edge of Watts (2002) Fig. 1 at phi = 0.18
    assert lower < 4 < upper and 0.8 < lower and 12 > upper


def final_shares(z: float) -> np.ndarray:
    """Share taking part at the fixed point, one Erdos-Renyi village of N, one seed, per seed."""
    shares = []
    for seed in SEEDS:
        model = VillageModel(cascade_config(N, z, seed))  # threshold rule, every threshold PHI, one seed
        assert model.people.participating().sum() == 1
        np.testing.assert_array_equal(model.people.threshold, np.float32(PHI))
        months = run_to_fixed_point(model, max_months=300)
        assert months < 300
        shares.append(model.people.participating().mean())
    return np.array(shares)


@pytest.fixture(scope="module")
def cascades() -> dict[float, np.ndarray]:
    return {z: final_shares(z) for z in (0.8, 4.0, 12.0)}


def test_global_cascades_are_frequent_inside_the_window(cascades):
    # measured: 18 of 20 seeds at z = 4 (0.90 of 30 seeds); Watts (2002) Fig. 1a gives ~0.8-1
    shares = cascades[4.0]
    frequency = (shares > 0.5).mean()
    assert frequency >= 0.6
    # a global cascade takes (nearly) everybody: residents of degree >= 6 follow once enough
    # of their ties do (measured: 0.98 of the village)
    assert shares[shares > 0.5].min() > 0.9
    # without a cascade the seed tips a few vulnerable neighbours at most
    assert (shares[shares <= 0.5] < 0.02).all()


def test_no_global_cascade_above_the_window(cascades):
    # z = 12: a resident is vulnerable only with degree <= 5, P = 0.020; they do not percolate
    assert poisson.cdf(vulnerable_degree(PHI), 12.0) < 0.03
    shares = cascades[12.0]
    assert (shares > 0.5).sum() == 0
    assert shares.max() < 0.01


def test_no_global_cascade_below_the_window(cascades):
    # z = 0.8 < 1: no giant component, so a cascade stays inside the seed's small component
    shares = cascades[0.8]
    assert (shares > 0.5).sum() == 0
    assert shares.max() < 0.05

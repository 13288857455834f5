"""The complex_contagion adoption rule (sim/rules/contagion.py), by hand and in the model.

Centola & Macy (2007, AJS 113(3)): a resident adopts only when at least k of its ties take
part. On a ring lattice two adjacent adopters set off a wave that goes all the way round;
on a randomly rewired network of the same size and degree the same two seeds stay alone.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim import VillageModel, load_config
from sim.config.people import AdoptionConfig
from sim.errors import ConfigError
from sim.rules.adoption import AdoptionInputs, threshold_rule
from sim.rules.contagion import complex_contagion_rule
from sim.rules.registry import adoption_rule_names, get_adoption_rule
from sim.state import ResidentState

N = 200  # residents on the ring


def inputs(count, degree) -> AdoptionInputs:
    """Inputs for residents with `count` participating ties out of `degree` (one village)."""
    count = np.asarray(count, dtype=np.float32)
    degree = np.asarray(degree, dtype=np.float32)
    n, zeros = count.size, np.zeros(1)
    return AdoptionInputs(
        neighbour_share=np.divide(count, degree, out=np.zeros_like(count), where=degree > 0),
        neighbour_count=count, threshold=np.full(n, 0.25, np.float32), trust=np.full(n, 0.5, np.float32),
        hours=np.full(n, 5.0, np.float32), village=np.zeros(n, np.int64),
        village_share=zeros, visibility=zeros, mobilisation=zeros, crowding=zeros,
    )


# --- the rule by hand -------------------------------------------------------------------

@pytest.mark.parametrize(("k", "expected"), [
    (1, [0, 1, 1, 1, 1]),
    (2, [0, 0, 1, 1, 1]),
    (3, [0, 0, 0, 1, 1]),
    (5, [0, 0, 0, 0, 0]),
])
def test_joins_when_at_least_k_ties_take_part(k, expected):
    x = inputs(count=[0, 1, 2, 3, 4], degree=[4, 4, 4, 4, 4])
    p = complex_contagion_rule(x, AdoptionConfig(contagion_k=k))
    assert p.dtype == np.float32
    np.testing.assert_array_equal(p, expected)


def test_counts_ties_not_their_share():
    # resident 0: 2 of 20 ties take part (share 0.10); resident 1: 1 of 2 (share 0.50).
    x = inputs(count=[2, 1], degree=[20, 2])
    np.testing.assert_array_equal(complex_contagion_rule(x, AdoptionConfig(contagion_k=2)), [1, 0])
    # the threshold rule (phi = 0.25 for both) decides the other way round
    np.testing.assert_array_equal(threshold_rule(x, AdoptionConfig()), [0, 1])


def test_resident_with_fewer_ties_than_k_never_joins():
    x = inputs(count=[1, 0], degree=[1, 0])  # every tie of resident 0 takes part
    np.testing.assert_array_equal(complex_contagion_rule(x, AdoptionConfig(contagion_k=2)), [0, 0])


# --- selectable from config ---------------------------------------------------------------

def test_rule_is_built_in_and_selectable():
    assert "complex_contagion" in adoption_rule_names()
    assert get_adoption_rule("complex_contagion") is complex_contagion_rule
    cfg = load_config(["adoption=complex_contagion", "adoption.contagion_k=3"])
    assert (cfg.adoption.rule, cfg.adoption.contagion_k) == ("complex_contagion", 3)
    assert AdoptionConfig().contagion_k == 2


@pytest.mark.parametrize("bad", ["adoption.contagion_k=0", "adoption.contagion_k=1.5"])
def test_bad_k_is_refused(bad):
    with pytest.raises(ConfigError, match="adoption.contagion_k"):
        load_config(["adoption=complex_contagion", bad])


# --- the Centola-Macy contrast in the model -------------------------------------------------

def ring_model(rewire_prob: float, k: int = 2, seed: int = 42) -> VillageModel:
    """One village of N residents on a Watts-Strogatz network of degree 4, textbook mode,
    with residents 0 and 1 (neighbours on the ring) taking part from the start."""
    cfg = load_config([
        "network=watts_strogatz", f"network.rewire_prob={rewire_prob}", "network.mean_degree=4",
        "network.external_tie_share=0", "mechanisms=none", "adoption=complex_contagion",
        f"adoption.contagion_k={k}", "world.n_villages=1", "world.population_sigma=0",
        f"world.median_population={N}", f"seed={seed}",
    ])
    model = VillageModel(cfg)
    assert model.people.n == N
    model.people.state[[0, 1]] = ResidentState.MEMBER
    return model


def participants(model: VillageModel) -> int:
    return int(model.people.participating().sum())


def test_ring_lattice_carries_complex_contagion_all_the_way_round():
    model = ring_model(rewire_prob=0.0)
    # the ring: resident i is tied to i-2, i-1, i+1, i+2 (mod N)
    assert np.diff(model.world.adjacency.indptr).tolist() == [4] * N
    # each month the two residents at the front of the wave see two adopters and join:
    # 2 + 2t take part after t months, everyone after (N - 2) / 2 = 99 months
    counts = []
    for _ in range(99):
        model.step()
        counts.append(participants(model))
    assert counts == [2 + 2 * t for t in range(1, 100)]
    assert counts[-1] == N


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_rewiring_blocks_complex_contagion(seed):
    """On the rewired network the seeds rarely share a neighbour; a cascade can only start at
    a resident tied to both, so with none it stays at the two seeds, and at most it reaches a
    small part of the village (on the ring it takes everyone, see above)."""
    model = ring_model(rewire_prob=1.0, seed=seed)
    adj = model.world.adjacency
    ties_to_seeds = np.asarray(adj[:, [0, 1]].sum(axis=1)).ravel()
    ties_to_seeds[[0, 1]] = 0
    model.run_months(99)
    if (ties_to_seeds >= 2).sum() == 0:
        assert participants(model) == 2
    assert participants(model) < N // 10


def test_random_rewiring_speeds_up_simple_contagion():
    # the same rewired network is connected enough: with k = 1 (simple contagion) it fills
    # within half a year, far faster than the ring's (N - 2) / 4 ~ 50 months
    model = ring_model(rewire_prob=1.0, k=1, seed=1)
    model.run_months(6)
    assert participants(model) >= 0.95 * N

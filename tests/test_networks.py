"""Network generators (sim/world/networks.py): structure, edge counts, reproducibility, and
agreement with networkx and with textbook results (Watts & Strogatz 1998; Erdos & Renyi 1959;
Barabasi & Albert 1999)."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from sim.errors import ConfigError
from sim.world.networks import (
    adjacency,
    barabasi_albert,
    canonical,
    complete,
    erdos_renyi,
    external_edges,
    homophilous_order,
    read_edge_list,
    village_edges,
    watts_strogatz,
)


def rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


def assert_canonical(u: np.ndarray, v: np.ndarray, n: int) -> None:
    """u < v (so no self-loops), no duplicates, sorted, indices in 0..n-1, integer arrays."""
    assert u.shape == v.shape and u.ndim == 1
    assert np.issubdtype(u.dtype, np.integer) and np.issubdtype(v.dtype, np.integer)
    if u.size:
        assert (u < v).all()
        assert u.min() >= 0 and v.max() < n
        code = u.astype(np.int64) * n + v
        assert (np.diff(code) > 0).all()  # strictly increasing: sorted and no duplicates


def as_graph(n: int, edges) -> nx.Graph:
    g = nx.Graph()
    g.add_nodes_from(range(n))
    g.add_edges_from(zip(*(e.tolist() for e in edges)))
    return g


def degrees(n: int, edges) -> np.ndarray:
    u, v = edges
    return np.bincount(np.concatenate([u, v]), minlength=n)


# --- canonical and complete -------------------------------------------------------------

def test_canonical_orders_drops_self_loops_and_duplicates():
    u, v = canonical(np.array([3, 1, 2, 2, 5, 4]), np.array([1, 3, 2, 4, 0, 2]))
    assert list(zip(u.tolist(), v.tolist())) == [(0, 5), (1, 3), (2, 4)]


def test_canonical_of_nothing_is_empty():
    u, v = canonical(np.array([], dtype=int), np.array([], dtype=int))
    assert u.size == 0 and v.size == 0
    u, v = canonical(np.array([2, 2]), np.array([2, 2]))  # only self-loops
    assert u.size == 0 and v.size == 0


def test_complete_graph():
    u, v = complete(5)
    assert_canonical(u, v, 5)
    assert u.size == 10  # 5 * 4 / 2
    assert set(zip(u.tolist(), v.tolist())) == {(i, j) for i in range(5) for j in range(i + 1, 5)}
    assert complete(1)[0].size == 0 and complete(0)[0].size == 0


# --- Watts-Strogatz ---------------------------------------------------------------------

@pytest.mark.parametrize(("n", "k"), [(100, 4), (1000, 10), (31, 6)])
def test_watts_strogatz_without_rewiring_is_the_ring_lattice(n, k):
    u, v = watts_strogatz(n, k, 0.0, rng())
    assert_canonical(u, v, n)
    assert u.size == n * k // 2
    np.testing.assert_array_equal(degrees(n, (u, v)), k)
    ring = {tuple(sorted((i, (i + j) % n))) for i in range(n) for j in range(1, k // 2 + 1)}
    assert set(zip(u.tolist(), v.tolist())) == ring


def test_watts_strogatz_rounds_odd_degree_down_and_handles_small_cases():
    assert watts_strogatz(100, 5, 0.0, rng())[0].size == 100 * 4 // 2
    assert watts_strogatz(100, 1, 0.0, rng())[0].size == 0   # k/2 < 1: no ties
    assert watts_strogatz(1, 4, 0.0, rng())[0].size == 0
    assert watts_strogatz(6, 10, 0.3, rng())[0].size == 15   # k >= n - 1: complete graph


@pytest.mark.parametrize("beta", [0.1, 0.5, 1.0])
def test_watts_strogatz_rewired_is_canonical_with_about_nk_over_2_edges(beta):
    n, k = 1000, 10
    u, v = watts_strogatz(n, k, beta, rng(4))
    assert_canonical(u, v, n)
    # rewired ties that land on a self-loop or an existing tie are dropped: each of the
    # ~beta*n*k/2 rewired ties is lost with probability ~ (k + 1)/n ~ 1 %
    lost = n * k // 2 - u.size
    assert 0 <= lost <= 3 * beta * (n * k / 2) * (k + 1) / n + 5


def test_watts_strogatz_clustering_matches_networkx():
    n, k, beta, seeds = 1000, 10, 0.1, range(3)
    ours = np.mean([nx.average_clustering(as_graph(n, watts_strogatz(n, k, beta, rng(s)))) for s in seeds])
    ref = np.mean([nx.average_clustering(nx.watts_strogatz_graph(n, k, beta, seed=s)) for s in seeds])
    # Barrat & Weigt (2000): C(beta) ~ C(0) (1 - beta)^3, C(0) = 3(k-2) / (4(k-1)) = 2/3 -> 0.486.
    # Seed-to-seed spread of C is ~0.008; the two ways to handle collisions differ by O(beta k / n).
    assert ours == pytest.approx(ref, abs=0.02)
    assert ours == pytest.approx(3 * (k - 2) / (4 * (k - 1)) * (1 - beta) ** 3, abs=0.02)
    lattice = nx.average_clustering(as_graph(n, watts_strogatz(n, k, 0.0, rng())))
    assert lattice == pytest.approx(2 / 3, abs=1e-12)


def test_watts_strogatz_is_a_small_world():
    # a little rewiring shortens paths a lot (Watts & Strogatz 1998, Fig. 2)
    n, k = 400, 6
    lattice = nx.average_shortest_path_length(as_graph(n, watts_strogatz(n, k, 0.0, rng())))
    g = as_graph(n, watts_strogatz(n, k, 0.1, rng(1)))
    assert nx.is_connected(g)
    assert lattice == pytest.approx(n / (2 * k) + 0.5, rel=0.05)  # ~ n / 2k on a ring lattice
    assert nx.average_shortest_path_length(g) < 0.4 * lattice


# --- Erdos-Renyi ------------------------------------------------------------------------

@pytest.mark.parametrize(("n", "p"), [(200, 0.05), (60, 0.8)])  # sparse sampler and dense complement
def test_erdos_renyi_edge_count(n, p):
    pairs = n * (n - 1) // 2
    counts = []
    for s in range(8):
        u, v = erdos_renyi(n, p, rng(s))
        assert_canonical(u, v, n)
        counts.append(u.size)
    # mean of 8 draws of Binomial(pairs, p): standard error sqrt(pairs p (1-p) / 8); allow 4
    se = np.sqrt(pairs * p * (1 - p) / len(counts))
    assert abs(np.mean(counts) - p * pairs) < 4 * se
    assert np.std(counts) > 0  # the edge count is random, not fixed at p * pairs


def test_erdos_renyi_every_pair_equally_likely():
    n, p, draws = 10, 0.3, 2000
    seen = np.zeros((n, n))
    for s in range(draws):
        u, v = erdos_renyi(n, p, rng(s))
        seen[u, v] += 1
    freq = seen[np.triu_indices(n, 1)] / draws
    # each of the 45 pairs: standard error sqrt(0.21 / 2000) = 0.010; allow 4 of them
    assert np.abs(freq - p).max() < 0.041
    assert seen[np.tril_indices(n)].sum() == 0


def test_erdos_renyi_limits():
    assert erdos_renyi(50, 0.0, rng())[0].size == 0
    assert erdos_renyi(1, 0.5, rng())[0].size == 0
    u, v = erdos_renyi(30, 1.0, rng())
    assert u.size == 30 * 29 // 2


# --- Barabasi-Albert --------------------------------------------------------------------

@pytest.mark.parametrize(("n", "m"), [(500, 1), (1000, 3), (300, 5)])
def test_barabasi_albert_edge_count_matches_networkx(n, m):
    u, v = barabasi_albert(n, m, rng(2))
    assert_canonical(u, v, n)
    # star on m + 1 nodes (m ties), then n - m - 1 nodes with m distinct ties each
    assert u.size == m * (n - m - 1) + m == nx.barabasi_albert_graph(n, m, seed=2).number_of_edges()
    assert degrees(n, (u, v)).min() >= m


def test_barabasi_albert_degree_tail_is_the_textbook_power_law():
    # Bollobas et al. (2001): P(k) = 2m(m+1) / (k(k+1)(k+2)), so P(K >= 10) = m(m+1)/(10*11) = 0.109 for m = 3
    n, m, seeds = 2000, 3, range(4)
    ours = np.mean([(degrees(n, barabasi_albert(n, m, rng(s))) >= 10).mean() for s in seeds])
    ref = np.mean([(np.array([d for _, d in nx.barabasi_albert_graph(n, m, seed=s).degree()]) >= 10).mean()
                   for s in seeds])
    # binomial error of a mean of 4 shares of ~0.11 among 2000 nodes: ~0.0035; allow 4 of them
    assert ours == pytest.approx(m * (m + 1) / 110, abs=0.014)
    assert ours == pytest.approx(ref, abs=0.02)


def test_barabasi_albert_early_nodes_become_hubs():
    n, m = 2000, 2
    d = degrees(n, barabasi_albert(n, m, rng(5)))
    # expected degree of node i is ~ m sqrt(n / i): the first ten far above the last thousand
    assert d[:10].mean() > 5 * d[-1000:].mean()


def test_barabasi_albert_small_n_is_complete():
    assert barabasi_albert(3, 2, rng())[0].size == 3
    assert barabasi_albert(4, 3, rng())[0].size == 6


# --- reproducibility --------------------------------------------------------------------

@pytest.mark.parametrize("make", [
    lambda r: watts_strogatz(300, 6, 0.2, r),
    lambda r: erdos_renyi(300, 0.02, r),
    lambda r: barabasi_albert(300, 2, r),
], ids=["watts_strogatz", "erdos_renyi", "barabasi_albert"])
def test_same_seed_same_edges_other_seed_other_edges(make):
    a, b, c = make(rng(9)), make(rng(9)), make(rng(10))
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert a[0].size != c[0].size or not (np.array_equal(a[0], c[0]) and np.array_equal(a[1], c[1]))


# --- village_edges dispatch -------------------------------------------------------------

def test_village_edges_dispatch():
    # Erdos-Renyi with mean degree >= n - 1 gives p = 1: the complete graph
    u, _ = village_edges("erdos_renyi", 100, 99.0, 0.0, rng())
    assert u.size == 100 * 99 // 2
    u, _ = village_edges("erdos_renyi", 100, 500.0, 0.0, rng())
    assert u.size == 100 * 99 // 2
    # Watts-Strogatz: k = mean degree; Barabasi-Albert: m = round(mean degree / 2)
    assert village_edges("watts_strogatz", 100, 6, 0.0, rng())[0].size == 300
    assert village_edges("barabasi_albert", 100, 6, 0.0, rng())[0].size == 3 * (100 - 4) + 3
    with pytest.raises(ValueError, match="no generator"):
        village_edges("lattice", 100, 6, 0.0, rng())


# --- edge-list files --------------------------------------------------------------------

def test_read_edge_list_accepts_spaces_tabs_commas_comments_and_extra_columns(tmp_path: Path):
    f = tmp_path / "edges.txt"
    f.write_text("# a comment\n0 1\n\n2\t3\n3,2\n  4 , 0 \n1 1\n5 6 0.75\n   # indented comment\n", encoding="utf-8")
    u, v = read_edge_list(f, 7)
    # duplicates (2,3)/(3,2) merge, the self-loop (1,1) is dropped, the weight column ignored
    assert list(zip(u.tolist(), v.tolist())) == [(0, 1), (0, 4), (2, 3), (5, 6)]


def test_read_edge_list_empty_file_gives_no_ties(tmp_path: Path):
    f = tmp_path / "empty.txt"
    f.write_text("# nothing here\n", encoding="utf-8")
    u, v = read_edge_list(f, 5)
    assert u.size == 0 and v.size == 0


@pytest.mark.parametrize(("text", "message"), [
    ("0 1\n1 x\n", "two integer"),
    ("0 1\n2\n", "two integer"),
    ("0 1.5\n", "two integer"),
    ("0 1\n1 7\n", "0..6"),
    ("-1 2\n", "0..6"),
])
def test_read_edge_list_bad_content_raises_config_error(tmp_path: Path, text, message):
    f = tmp_path / "bad.txt"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as info:
        read_edge_list(f, 7)
    assert info.value.key == "network.edge_list_file"


def test_read_edge_list_missing_file_raises_config_error(tmp_path: Path):
    with pytest.raises(ConfigError, match="readable") as info:
        read_edge_list(tmp_path / "nope.txt", 7)
    assert info.value.key == "network.edge_list_file"


# --- ties between villages --------------------------------------------------------------

def three_villages(population, dist):
    population = np.asarray(population)
    offsets = np.concatenate([[0], np.cumsum(population)])
    village = np.repeat(np.arange(population.size), population)
    return village, offsets, np.asarray(dist, float), population.astype(float)


def pair_shares(village, u, v):
    a, b = np.minimum(village[u], village[v]), np.maximum(village[u], village[v])
    n = 3
    return np.bincount(a * n + b, minlength=n * n).reshape(n, n)[np.triu_indices(n, 1)] / u.size


def test_external_edges_cross_villages_and_follow_population():
    # equal distances: from a resident of village a, village b is chosen w.p. P_b / (N - P_a)
    village, offsets, dist, pop = three_villages([1000, 2000, 3000], [[0, 5, 5], [5, 0, 5], [5, 5, 0]])
    u, v = external_edges(village, offsets, dist, pop, 20_000, 10.0, rng(1))
    assert_canonical(u, v, 6000)
    assert (village[u] != village[v]).all()
    assert 19_900 < u.size <= 20_000  # duplicates among ~11 million pairs are rare
    # pair (a,b): P_a/N * P_b/(N-P_a) + P_b/N * P_a/(N-P_b)
    # (0,1): 1/6*2/5 + 2/6*1/4 = 0.15 | (0,2): 1/6*3/5 + 3/6*1/3 = 0.2667 | (1,2): 2/6*3/4 + 3/6*2/3 = 0.5833
    # standard error <= sqrt(0.25 / 20,000) = 0.0035; allow 4 of them
    np.testing.assert_allclose(pair_shares(village, u, v), [0.15, 0.8 / 3, 0.35 / 0.6], atol=0.014)


def test_external_edges_decay_with_distance():
    # equal populations; villages 0 and 1 together, village 2 at 10 ln 4 km: weight exp(-ln 4) = 1/4
    d = 10.0 * np.log(4.0)
    village, offsets, dist, pop = three_villages([2000, 2000, 2000], [[0, 0, d], [0, 0, d], [d, d, 0]])
    u, v = external_edges(village, offsets, dist, pop, 20_000, 10.0, rng(2))
    # from 0: to 1 w.p. 1/(1 + 1/4) = 0.8, to 2 w.p. 0.2; from 1 likewise; from 2: 0.5 / 0.5
    # (0,1): 1/3*0.8*2 = 0.5333 | (0,2): 1/3*0.2 + 1/3*0.5 = 0.2333 | (1,2): 0.2333
    np.testing.assert_allclose(pair_shares(village, u, v), [1.6 / 3, 0.7 / 3, 0.7 / 3], atol=0.014)


def test_external_edges_need_two_villages_and_some_edges():
    village, offsets, dist, pop = three_villages([10, 10, 10], np.ones((3, 3)))
    assert external_edges(village, offsets, dist, pop, 0, 10.0, rng())[0].size == 0
    assert external_edges(np.zeros(10, int), np.array([0, 10]), np.zeros((1, 1)), np.array([10.0]), 50, 10.0,
                          rng())[0].size == 0


# --- adjacency --------------------------------------------------------------------------

def test_adjacency_is_symmetric_zero_one_float32():
    u, v = np.array([0, 0, 1, 1]), np.array([1, 2, 2, 0])  # (0,1) twice, once each way
    a = adjacency(u, v, 4)
    assert a.shape == (4, 4) and a.dtype == np.float32
    dense = a.toarray()
    np.testing.assert_array_equal(dense, dense.T)
    np.testing.assert_array_equal(dense, [[0, 1, 1, 0], [1, 0, 1, 0], [1, 1, 0, 0], [0, 0, 0, 0]])
    # A x counts participating ties: residents 1 and 2 take part
    np.testing.assert_array_equal(a @ np.array([0, 1, 1, 0], np.float32), [2, 1, 1, 0])


def test_adjacency_degrees_match_the_generator():
    n = 500
    u, v = watts_strogatz(n, 8, 0.3, rng(6))
    a = adjacency(u, v, n)
    np.testing.assert_array_equal(np.diff(a.indptr), degrees(n, (u, v)))
    assert a.nnz == 2 * u.size


# --- regressions: far-away villages (underflow of exp(-d/scale)) and mean degree 0 ---------


def test_external_edges_from_a_remote_village_go_to_its_nearest_village():
    # village 0 lies 900 km from village 2 and 1000 km from village 1; scale 1 km. The docstring's
    # weights pop * exp(-d / scale) put all but e^-100 of village 0's ties on village 2.
    village, offsets, dist, pop = three_villages([1000, 1000, 1000], [[0, 1000, 900], [1000, 0, 1], [900, 1, 0]])
    u, v = external_edges(village, offsets, dist, pop, 3000, 1.0, rng(0))
    a, b = village[u], village[v]
    assert (a != b).all()                     # before the fix: ~960 'external' ties inside village 0
    assert ((a == 0) & (b == 1)).sum() == 0   # village 1 is 100 km further than village 2
    assert ((a == 0) & (b == 2)).sum() > 800  # a third of the origins lie in village 0


def test_model_builds_at_the_smallest_allowed_distance_scale():
    from sim import VillageModel, load_config

    model = VillageModel(load_config(["world=small", "network.external_distance_km=0.001", "months=0"]))
    a = model.world.adjacency.tocoo()
    village = model.people.village
    crossing = village[a.row] != village[a.col]
    assert crossing.any()


@pytest.mark.parametrize("kind", [
    "watts_strogatz",
    "erdos_renyi",
    "barabasi_albert",
])
def test_mean_degree_zero_gives_no_ties(kind):
    u, v = village_edges(kind, 200, 0.0, 0.1, rng())
    assert u.size == 0


# --- homophily by innovativeness (network.homophily) -------------------------------------

def test_homophilous_order_by_hand():
    z = np.array([0.3, -1.2, 2.0, 0.0])
    assert homophilous_order(z, 1.0, rng()).tolist() == [1, 3, 0, 2]       # h = 1: sorted by z
    key = np.sqrt(1 - 0.6**2) * rng(5).standard_normal(4) + 0.6 * z       # the same draws, by hand
    assert homophilous_order(z, 0.6, rng(5)).tolist() == np.argsort(key, kind="stable").tolist()
    for bad in (-0.1, 1.5):
        with pytest.raises(ValueError, match="homophily"):
            homophilous_order(z, bad, rng())


def _tie_correlation(h: float, seed: int = 0) -> float:
    from sim import VillageModel, load_config

    m = VillageModel(load_config(["world=small", "months=0", f"network.homophily={h}", f"seed={seed}"]))
    a = m.world.adjacency.tocoo()
    same = m.people.village[a.row] == m.people.village[a.col]
    z = m.people.innovativeness.astype(float)
    return float(np.corrcoef(z[a.row[same]], z[a.col[same]])[0, 1])


def test_homophily_makes_neighbours_alike_in_innovativeness():
    """Ring neighbours' keys differ little, so with homophily h their innovativeness correlates
    strongly; without it, not at all (the rewired 10 % of ties stay random either way)."""
    none, strong = _tie_correlation(0.0), _tie_correlation(0.8)
    assert abs(none) < 0.05 and strong > 0.5
    assert _tie_correlation(1.0) > strong


def test_homophily_moves_seats_not_ties_and_leaves_everything_else_alone():
    from sim import VillageModel, load_config

    # without vulnerability's thinning, which removes ties in their (relabelled) order
    cfg = lambda h: load_config(["world=small", "months=0", "mechanisms.vulnerability=false",   # noqa: E731
                                 f"network.homophily={h}"])
    base, homo = VillageModel(cfg(0.0)), VillageModel(cfg(0.8))
    def within_degrees(m):   # ties inside the village, per resident, sorted: the ring's, whoever sits where
        a = m.world.adjacency.tocoo()
        same = m.people.village[a.row] == m.people.village[a.col]
        return np.sort(np.bincount(a.row[same], minlength=m.people.village.size))

    assert base.world.adjacency.nnz == homo.world.adjacency.nnz
    assert np.array_equal(within_degrees(base), within_degrees(homo))
    assert np.array_equal(base.people.innovativeness, homo.people.innovativeness)   # residents unchanged
    again = VillageModel(cfg(0.8))
    assert (again.world.adjacency != homo.world.adjacency).nnz == 0                  # same seed, same ties


@pytest.mark.parametrize("kind", ["erdos_renyi", "barabasi_albert"])
def test_homophily_needs_the_ring(kind):
    from sim import load_config

    with pytest.raises(ConfigError, match="watts_strogatz"):
        load_config([f"network.kind={kind}", "network.homophily=0.5"])

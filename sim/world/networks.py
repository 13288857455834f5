"""Social networks as edge arrays and a sparse adjacency matrix.

Generators are pure functions of (size, parameters, rng) that return undirected edges as two
int arrays (u < v, no self-loops, no duplicates). They are vectorised with numpy so that a
region of 100,000+ residents builds in well under a second; networkx is only a reference in
the tests. All randomness comes from the generator passed in (never a global seed).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import scipy.sparse as sp

from ..errors import ConfigError

Edges = tuple[np.ndarray, np.ndarray]


def canonical(u: np.ndarray, v: np.ndarray, nearly_sorted: bool = False) -> Edges:
    """Drop self-loops and duplicates; order each pair as (min, max), sorted.

    `nearly_sorted`: the pairs come mostly in order already (a ring lattice, villages one
    after the other), which a merge sort exploits (several times faster; the same result,
    as the codes are whole numbers)."""
    u, v = np.asarray(u, dtype=np.int64), np.asarray(v, dtype=np.int64)
    keep = u != v
    lo, hi = np.minimum(u[keep], v[keep]), np.maximum(u[keep], v[keep])
    if lo.size == 0:
        return lo, hi
    # one whole number per pair, ordered as the pairs (lo, hi): lo * 2^k + hi with 2^k > hi
    k = np.int64(int(hi.max()).bit_length())
    # sort + drop repeats: np.unique's result, ~20x faster here
    code = np.sort((lo << k) | hi, kind="stable" if nearly_sorted else None)
    first = np.empty(code.size, dtype=bool)
    first[0] = True
    np.not_equal(code[1:], code[:-1], out=first[1:])
    code = code[first]
    return code >> k, code & ((np.int64(1) << k) - 1)


def complete(n: int) -> Edges:
    """All pairs of n nodes."""
    u, v = np.triu_indices(n, k=1)
    return u.astype(np.int64), v.astype(np.int64)


def watts_strogatz(n: int, k: float, beta: float, rng: np.random.Generator, canonical_form: bool = True) -> Edges:
    """Watts & Strogatz (1998) small world: ring lattice of degree k, each tie rewired w.p. beta.

    Each node links to its k/2 nearest neighbours on each side (k rounded down to even);
    then the far end of each tie moves to a uniform random node with probability beta.
    Rewired ties that become self-loops or duplicates are dropped, so the mean degree is
    slightly below k for large beta (networkx redraws instead; the difference is O(beta*k/n)).
    `canonical_form=False` returns the ties before that (for a caller that canonicalises
    many villages' ties at once).
    """
    half = int(k) // 2
    if n < 2 or half < 1:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    if 2 * half >= n - 1:
        return complete(n)
    u = np.repeat(np.arange(n), half)
    v = u + np.tile(np.arange(1, half + 1), n)
    v[v >= n] -= n  # (u + j) mod n, as u + j < 2n
    rewire = rng.random(u.size) < beta
    v[rewire] = rng.integers(0, n, int(rewire.sum()))
    if not canonical_form:
        return u, v
    return canonical(u, v, nearly_sorted=beta < 0.5)  # in lattice order but for the rewired ties


def erdos_renyi(n: int, p: float, rng: np.random.Generator) -> Edges:
    """Erdos-Renyi G(n, p): each of the n(n-1)/2 pairs is a tie with probability p.

    Drawn exactly as G(n, m) with m ~ Binomial(n(n-1)/2, p): m distinct pairs sampled
    uniformly (rejection of duplicates), which has the same distribution as G(n, p).
    """
    pairs = n * (n - 1) // 2
    if n < 2 or p <= 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    if p >= 1:
        return complete(n)
    m = int(rng.binomial(pairs, p))
    if m > pairs // 2:  # dense: sample the complement instead
        keep = np.ones(pairs, bool)
        keep[rng.choice(pairs, pairs - m, replace=False)] = False
        u, v = complete(n)
        return u[keep], v[keep]
    codes = np.empty(0, np.int64)
    while codes.size < m:
        need = m - codes.size
        a = rng.integers(0, n, 2 * need + 16)
        b = rng.integers(0, n, 2 * need + 16)
        ok = a != b
        lo, hi = np.minimum(a[ok], b[ok]), np.maximum(a[ok], b[ok])
        new = np.unique(lo * n + hi)
        new = new[~np.isin(new, codes)]
        new = rng.permutation(new)[:need]  # permute before cutting: no bias to low codes
        codes = np.concatenate([codes, new])
    codes.sort()
    return codes // n, codes % n


def barabasi_albert(n: int, m: int, rng: np.random.Generator) -> Edges:
    """Barabasi & Albert (1999) preferential attachment, each new node bringing m ties.

    Batagelj & Brandes (2005) linear-time scheme: targets are drawn uniformly from the list
    of all tie ends so far, which is drawing proportional to degree. Starts from a star on
    m + 1 nodes (as networkx does).
    """
    m = max(1, int(m))
    if n <= m + 1:
        return complete(n)
    ends = np.empty(2 * m * n, dtype=np.int64)
    us, vs = [], []
    # seed: node m linked to 0..m-1
    seed_u = np.arange(m)
    ends[: 2 * m : 2], ends[1 : 2 * m : 2] = seed_u, m
    filled = 2 * m
    us.append(seed_u), vs.append(np.full(m, m))
    for node in range(m + 1, n):
        targets: set[int] = set()
        while len(targets) < m:
            targets.add(int(ends[rng.integers(0, filled)]))
        t = np.fromiter(targets, np.int64, m)
        ends[filled : filled + 2 * m : 2], ends[filled + 1 : filled + 2 * m : 2] = t, node
        filled += 2 * m
        us.append(t), vs.append(np.full(m, node))
    return canonical(np.concatenate(us), np.concatenate(vs))


def village_edges(kind: str, n: int, mean_degree: float, rewire: float, rng: np.random.Generator,
                  canonical_form: bool = True) -> Edges:
    """Within-village ties from the named generator (`canonical_form=False`: the caller will
    canonicalise them, so a generator may skip it)."""
    if kind == "watts_strogatz":
        return watts_strogatz(n, mean_degree, rewire, rng, canonical_form)
    if kind == "erdos_renyi":
        return erdos_renyi(n, min(1.0, mean_degree / max(n - 1, 1)), rng)
    if kind == "barabasi_albert":
        m = int(mean_degree / 2 + 0.5)  # each new node brings m ties: mean degree ~ 2m
        return barabasi_albert(n, m, rng) if m >= 1 else (np.empty(0, np.int64), np.empty(0, np.int64))
    raise ValueError(f"no generator for network kind {kind!r}")


def homophilous_order(z: np.ndarray, h: float, rng: np.random.Generator) -> np.ndarray:
    """Who sits where on a village's ring: position p holds resident order[p], with residents
    sorted by

        key_i = h z_i + sqrt(1 - h^2) e_i,    e_i ~ N(0, 1)

    For standard normal innovativeness z, key and z correlate with coefficient h, so ring
    neighbours are alike in innovativeness (homophily; Rogers 2003 ch. 8, McPherson et al.
    2001; the size h is an assumption). h = 1 orders the ring by z; h = 0 gives a random
    order, which is what the ring has without this function (z is drawn independently of a
    resident's index), so callers skip it then and draw nothing."""
    if not 0.0 <= h <= 1.0:
        raise ValueError(f"homophily {h}: between 0 and 1")
    key = h * np.asarray(z, np.float64) + np.sqrt(1.0 - h * h) * rng.standard_normal(len(z))
    return np.argsort(key, kind="stable")


def read_edge_list(path: Path, n_residents: int) -> Edges:
    """Read 0-based resident index pairs, one pair per line (spaces, tabs or commas)."""
    key = "network.edge_list_file"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(key, str(path), f"must be a readable edge-list file ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(key, str(path), f"must be a UTF-8 text file ({exc})") from exc
    rows = [ln.replace(",", " ").split()[:2] for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    try:
        arr = np.array(rows, dtype=np.int64).reshape(-1, 2)
    except (ValueError, OverflowError) as exc:
        raise ConfigError(key, str(path), "every line must hold two integer resident indices") from exc
    if arr.size and (arr.min() < 0 or arr.max() >= n_residents):
        raise ConfigError(key, str(path), f"resident indices must lie in 0..{n_residents - 1} for this world")
    return canonical(arr[:, 0], arr[:, 1])


def external_edges(
    village: np.ndarray, offsets: np.ndarray, dist_km: np.ndarray, population: np.ndarray,
    n_edges: int, scale_km: float, rng: np.random.Generator,
) -> Edges:
    """Ties between villages: origin resident uniform, far village by population x exp(-d/scale).

    `offsets[v]` is the first resident index of village v (residents are stored by village).
    """
    n_v = len(population)
    if n_v < 2 or n_edges <= 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    d = dist_km.astype(float).copy()
    np.fill_diagonal(d, np.inf)
    # subtract each row's nearest distance first: the same probabilities, no underflow to 0/0
    w = population[None, :] * np.exp(-(d - d.min(axis=1, keepdims=True)) / scale_km)
    cum = np.cumsum(w, axis=1)
    cum /= cum[:, -1:]
    cum += np.arange(n_v)[:, None]  # row v spans (v, v+1]: one sorted array for all rows
    src = rng.integers(0, len(village), n_edges)
    sv = village[src]
    tv = np.searchsorted(cum.ravel(), sv + rng.random(n_edges), side="right") - sv * n_v
    tv = np.minimum(tv, n_v - 1)
    dst = offsets[tv] + (rng.random(n_edges) * population[tv]).astype(np.int64)
    return canonical(src, dst)


def adjacency(u: np.ndarray, v: np.ndarray, n: int) -> sp.csr_matrix:
    """Symmetric 0/1 adjacency (float32 CSR) of n nodes from undirected edges."""
    # each direction once, (v, u) first: for canonical edges (u < v, sorted, see canonical())
    # every row then comes out of the conversion with its columns in order and no repeats,
    # so scipy need not sort or sum them
    rows = np.concatenate([v, u])
    cols = np.concatenate([u, v])
    data = np.ones(rows.size, dtype=np.float32)
    a = sp.csr_matrix((data, (rows, cols)), shape=(n, n))
    a.sum_duplicates()
    a.data[:] = 1.0
    return a

"""Assemble the world: villages, residents (stored by village) and the social network."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from ..config.schema import Config
from ..state import ResidentArrays
from .networks import adjacency, canonical, external_edges, homophilous_order, read_edge_list, village_edges
from .population import make_residents, thin_ties
from .villages import Villages, make_villages


@dataclass
class World:
    """The fixed structure of the region."""

    villages: Villages
    offsets: np.ndarray          # residents of village v are offsets[v]:offsets[v+1]
    adjacency: sp.csr_matrix     # symmetric 0/1 ties between residents (float32)
    inv_degree: np.ndarray       # 1/degree, 0 for residents without ties (float32)
    village_links: np.ndarray    # V x V bool: the regional network between villages

    @cached_property
    def village_neighbours(self) -> tuple[np.ndarray, np.ndarray]:
        """The regional network as CSR arrays (indptr, indices) over villages."""
        m = sp.csr_matrix(self.village_links)
        return m.indptr, m.indices

    @cached_property
    def village_link_pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """The regional network as pairs (village, linked village), one per direction."""
        indptr, indices = self.village_neighbours
        return np.repeat(np.arange(len(indptr) - 1), np.diff(indptr)), indices

    def cell_pairs(self, n_themes: int) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
        """Pairs of (village, theme) cells, numbered v * n_themes + t, between which
        collectives learn: (same village, other theme) and (same theme, linked village)."""
        n_v, t = self.villages.n, np.arange(n_themes)
        a, b = np.meshgrid(t, t, indexing="ij")
        off = a != b
        base = np.arange(n_v)[:, None] * n_themes
        same = ((base + a[off]).ravel(), (base + b[off]).ravel())
        src, dst = self.village_link_pairs
        linked = ((src[:, None] * n_themes + t).ravel(), (dst[:, None] * n_themes + t).ravel())
        return same, linked

    @property
    def n_residents(self) -> int:
        return int(self.offsets[-1])


def build_world(cfg: Config, rng: np.random.Generator) -> tuple[World, ResidentArrays]:
    """Villages, residents and networks, all drawn from `rng` in a fixed order."""
    villages = make_villages(cfg.world, rng)
    offsets = np.concatenate([[0], np.cumsum(villages.population)]).astype(np.int64)
    village_of = np.repeat(np.arange(villages.n), villages.population)
    differ = cfg.mechanisms.vulnerability
    # vulnerability's own draws (incomes, missing ties) from a child stream: the main stream is unchanged
    child = rng.spawn(1)[0] if differ else None
    people = make_residents(village_of, cfg.residents, rng, differ, child)
    n = int(offsets[-1])
    # homophily's draws from a child stream of their own, only when it is on: the other draws are unchanged
    order_rng = rng.spawn(1)[0] if cfg.network.homophily > 0 else None
    u, v = _ties(cfg, villages, offsets, village_of, rng, people.innovativeness, order_rng)
    if differ and cfg.network.kind != "edge_list" and cfg.residents.vulnerable_tie_loss > 0:
        u, v = thin_ties(u, v, people.vulnerable, cfg.residents.vulnerable_tie_loss, child)
    adj = adjacency(u, v, n)
    degree = np.diff(adj.indptr).astype(np.float32)
    inv = np.divide(1.0, degree, out=np.zeros_like(degree), where=degree > 0)
    links = village_links(villages, cfg.network.regional_neighbours)
    return World(villages, offsets, adj, inv, links), people


def _ties(cfg: Config, villages: Villages, offsets: np.ndarray, village_of: np.ndarray, rng: np.random.Generator,
          innovativeness: np.ndarray, order_rng: np.random.Generator | None):
    """All ties: each village's from its generator (residents placed on the ring by
    homophilous_order when network.homophily > 0), then the ties between villages."""
    net = cfg.network
    if net.kind == "edge_list":
        return read_edge_list(Path(net.edge_list_file), int(offsets[-1]))
    us, vs = [], []
    # each village's ties as drawn, made canonical all at once (the same ties, in the same
    # order, as village by village: the villages' residents are consecutive)
    for vid in range(villages.n):
        a, b = village_edges(net.kind, int(villages.population[vid]), net.mean_degree, net.rewire_prob, rng,
                             canonical_form=False)
        if order_rng is not None:   # ring position p -> the resident seated there
            seat = homophilous_order(innovativeness[offsets[vid]:offsets[vid + 1]], net.homophily, order_rng)
            a, b = seat[a], seat[b]
        us.append(a + offsets[vid]), vs.append(b + offsets[vid])
    # reseated rings (homophily) are no longer in lattice order: then the default sort is the faster one
    u, v = canonical(np.concatenate(us), np.concatenate(vs), nearly_sorted=order_rng is None)
    share = net.external_tie_share
    n_ext = int(round(share / (1.0 - share) * u.size))
    eu, ev = external_edges(village_of, offsets, villages.distances(), villages.population.astype(float),
                            n_ext, net.external_distance_km, rng)
    # each village's ties come sorted and villages one after the other: only the ties
    # between villages are out of order
    return canonical(np.concatenate([u, eu]), np.concatenate([v, ev]), nearly_sorted=True)


def village_links(villages: Villages, k_nearest: int) -> np.ndarray:
    """Regional network: villages of the same municipality, plus each village's k nearest."""
    same = villages.municipality[:, None] == villages.municipality[None, :]
    d = villages.distances()
    np.fill_diagonal(d, np.inf)
    near = np.zeros_like(same)
    k = min(k_nearest, villages.n - 1)
    if k > 0:
        idx = np.argsort(d, axis=1, kind="stable")[:, :k]
        near[np.repeat(np.arange(villages.n), k), idx.ravel()] = True
    links = same | near | near.T
    np.fill_diagonal(links, False)
    return links

"""Uncertainties about the world: villages, municipalities and social networks."""

from __future__ import annotations

from dataclasses import dataclass

from .params import param

NETWORK_KINDS = ("watts_strogatz", "erdos_renyi", "barabasi_albert", "edge_list")


@dataclass
class WorldConfig:
    """The region: villages (kleine kernen) grouped into municipalities."""

    n_villages: int = param(
        30, unit="villages", lo=1, hi=5000,
        source="assumption: a province holds a few dozen small villages (DOMAIN.md s1)",
        help="Number of villages in the region (ignored when villages_file is set).")
    villages_per_municipality: int = param(
        4, unit="villages", lo=1, hi=5000,
        source="assumption: a Dutch rural municipality spans a few villages (DOMAIN.md s3)",
        help="Villages per municipality; the last municipality may hold fewer.")
    median_population: float = param(
        900.0, unit="residents", lo=2, hi=1e6,
        source="assumption: kleine kernen of a few hundred to several thousand residents (DOMAIN.md s1)",
        help="Median number of residents per village (lognormal sizes).")
    population_sigma: float = param(
        0.8, unit="log-units", lo=0.0, hi=3.0,
        source="assumption: right-skewed village sizes",
        help="Standard deviation of log village size.")
    min_population: int = param(
        150, unit="residents", lo=2, hi=1_000_000,
        source="assumption",
        help="Smallest village size after clipping.")
    max_population: int = param(
        8000, unit="residents", lo=2, hi=1_000_000,
        source="DOMAIN.md s1: kleine kernen are up to roughly 8,000-10,000 inhabitants (residents here are adults)",
        help="Largest village size after clipping.")
    width_km: float = param(
        60.0, unit="km", lo=0.0, hi=1000.0,
        source="assumption: about the extent of Provincie Utrecht",
        help="East-west extent of the region.")
    height_km: float = param(
        40.0, unit="km", lo=0.0, hi=1000.0,
        source="assumption: about the extent of Provincie Utrecht",
        help="North-south extent of the region.")
    municipality_radius_km: float = param(
        5.0, unit="km", lo=0.0, hi=1000.0,
        source="assumption",
        help="Spread of a municipality's villages around its centre.")
    villages_file: str = param(
        "", unit="path",
        source="user data",
        help="CSV with columns name,municipality,population,x_km,y_km; replaces the generated villages.")
    liveability_mean: float = param(
        0.5, unit="index 0-1", lo=0.0, hi=1.0,
        source="assumption: liveability (leefbaarheid) as a 0-1 index",
        help="Mean liveability of a village before any collective acts.")
    liveability_sd: float = param(
        0.1, unit="index 0-1", lo=0.0, hi=1.0,
        source="assumption",
        help="Spread of starting liveability between villages.")
    liveability_participation: float = param(
        0.2, unit="index 0-1", lo=0.0, hi=1.0,
        source="assumption: taking part builds cohesion (DOMAIN.md s1)",
        help="Liveability a village gains when all its residents take part.")
    inspiration_km: float = param(
        5.0, unit="km", lo=0.001, hi=1e4,
        source="assumption: word of a success travels through local papers, markets and family about as far as a "
               "municipality (world.municipality_radius_km)",
        help="With mechanisms.inspiration: distance scale of exp(-d/scale) by which a village's visible success "
             "inspires another village.",
        plausible=(2.0, 15.0),
        plausible_reason="assumption: from the next village only to most of a region 60 km wide")
    inspiration_founding: float = param(
        1.0, unit="founding boost per inspiration", lo=0.0, hi=100.0,
        source="assumption; DOMAIN.md s1: inspire locally, reproduce regionally; cf. a village dialogue's founding "
               "boost (policy.dialogue.founding, 0.5)",
        help="With mechanisms.inspiration: relative boost of the founding rate in a village at full inspiration "
             "(1 doubles it).",
        plausible=(0.0, 3.0),
        plausible_reason="assumption: from no effect to quadrupling the founding rate next to a very successful village")
    pilot_villages: list[int] = param(
        default_factory=list, unit="village ids", source="convention",
        help="Villages a programme treats as pilots: the spill-over outcomes count taking part and foundings in the "
             "other villages (empty: the villages named in any instrument's villages list; none named: not measured).")


@dataclass
class NetworkConfig:
    """Social ties: within villages from a generator, a few between villages."""

    kind: str = param(
        "watts_strogatz", unit="name", choices=NETWORK_KINDS,
        source="Watts & Strogatz (1998); Erdos & Renyi (1959); Barabasi & Albert (1999)",
        help="Generator of the within-village networks, or edge_list to read all ties from a file.")
    mean_degree: float = param(
        10.0, unit="ties per resident", lo=0.0, hi=1e6,
        source="assumption: strong ties only; Loomans (TU/e) uses ~25 contacts of which 90% local",
        help="Mean number of ties within the village (Watts-Strogatz: rounded down to even; Barabasi-Albert: 2m with m = mean/2 rounded half up).")
    rewire_prob: float = param(
        0.1, unit="probability", lo=0.0, hi=1.0,
        source="Watts & Strogatz (1998): small-world range 0.01-0.1",
        help="Watts-Strogatz rewiring probability per tie.")
    homophily: float = param(
        0.0, unit="correlation of ring order with innovativeness", lo=0.0, hi=1.0,
        source="assumption (the size); the direction from Rogers (2003) ch. 8 (diffusion networks are mostly "
               "homophilous: people talk most with others like them, in innovativeness too) and McPherson, "
               "Smith-Lovin & Cook (2001); 0 leaves the ring's order random, as before 2026-11-29",
        help="Watts-Strogatz only: each village's residents sit on the ring in the order of h z + sqrt(1 - h^2) e "
             "(z innovativeness, e standard normal noise), so that neighbours are alike in innovativeness "
             "(sim/world/networks.py: homophilous_order); 0: no homophily, 1: ordered by innovativeness.")
    edge_list_file: str = param(
        "", unit="path",
        source="user data",
        help="Whitespace- or comma-separated file of resident index pairs (0-based, region-wide); used when kind=edge_list.")
    external_tie_share: float = param(
        0.1, unit="share of ties", lo=0.0, hi=0.99,
        source="Loomans (TU/e) energy-community ABM: 90% of contacts local (DOMAIN.md s6)",
        help="Share of a resident's ties that reach another village.")
    external_distance_km: float = param(
        10.0, unit="km", lo=0.001, hi=1e4,
        source="assumption: ties between villages decay with distance",
        help="Distance scale of exp(-d/scale) when choosing the village at the other end of a tie.")
    regional_neighbours: int = param(
        3, unit="villages", lo=0, hi=1000,
        source="assumption",
        help="Each village's collectives are linked to those of its nearest villages (and of its municipality).")

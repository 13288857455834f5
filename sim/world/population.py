"""Residents' attributes at the start: demography, free time, trust, innovativeness.

Innovativeness z ~ N(0, 1) places each resident in a Rogers category by the cut-offs of
Rogers (2003): innovators z > 2 (2.3 %), early adopters 1 < z <= 2 (13.6 %), early majority
0 < z <= 1 (34.1 %), late majority -1 < z <= 0 (34.1 %), laggards z <= -1 (15.9 %).
The adoption threshold falls with innovativeness: phi = clip(mean - sd * z, 0, 1).

Vulnerability (`mechanisms.vulnerability`, docs/ODD.md section 7.7): off, a resident is
vulnerable by an independent coin and differs from others only in health. On, the same coin
is compared with an age-dependent probability (more often 65+), and a vulnerable resident has
less free time, lower trust, a lower income and fewer ties; decisions then differ through
those attributes, never through a penalty on vulnerability itself. The main stream draws the
same numbers either way (only how they are used differs); income and the ties that vulnerable
residents lack come from a child stream of the model's generator, so the villages, networks
and every later draw of the main stream stay those of the run without the mechanism.
"""

from __future__ import annotations

import numpy as np

from ..config.people import ResidentConfig
from ..state import ResidentArrays

ROGERS_CUTS = (2.0, 1.0, 0.0, -1.0)  # z cut-offs, innovators first


def rogers_category(z: np.ndarray) -> np.ndarray:
    """Rogers category 0..4 (innovator .. laggard) from innovativeness z."""
    return (z <= ROGERS_CUTS[0]).astype(np.int8) + (z <= ROGERS_CUTS[1]) + (z <= ROGERS_CUTS[2]) + (z <= ROGERS_CUTS[3])


def thresholds(z: np.ndarray, mean: float, sd: float) -> np.ndarray:
    """Adoption threshold phi = clip(mean - sd * z, 0, 1) (Granovetter 1978; Watts 2002)."""
    return np.clip(mean - sd * z, 0.0, 1.0).astype(np.float32)


def vulnerable_probability(age: np.ndarray, share: float, senior_ratio: float, shares: tuple[float, float, float]) -> np.ndarray:
    """P(vulnerable | age group), with seniors `senior_ratio` times as likely as younger adults
    and the expected share over all residents `share` (assumption; docs/ODD.md 7.7):

        p_young = p_middle = s / (1 - f_s + f_s r),   p_senior = min(1, r p_young)

    with s the share vulnerable, f_s the share aged 65+ and r the ratio. r = 1 gives s for all.
    """
    f_senior = shares[2]
    base = share / max(1.0 - f_senior + f_senior * senior_ratio, 1e-12)
    p = np.array([base, base, min(1.0, senior_ratio * base)])
    return np.minimum(p, 1.0)[age]


def vulnerable_traits(hours: np.ndarray, trust_draw: np.ndarray, vulnerable: np.ndarray, cfg: ResidentConfig) -> tuple[np.ndarray, np.ndarray]:
    """Free time and trust of residents given their draws and vulnerability:

        hours_i = h_i (f_h if vulnerable),   trust_i = clip(t_i - g_t [vulnerable], 0, 1)

    h_i: free time drawn for the age group; t_i: trust drawn around residents.trust_mean;
    f_h = residents.vulnerable_hours_factor, g_t = residents.vulnerable_trust_gap (assumptions).
    """
    hours = np.where(vulnerable, hours * cfg.vulnerable_hours_factor, hours)
    trust = np.clip(trust_draw - cfg.vulnerable_trust_gap * vulnerable, 0.0, 1.0)
    return hours, trust


def incomes(normal: np.ndarray, vulnerable: np.ndarray, sigma: float, factor: float) -> np.ndarray:
    """Relative disposable income, lognormal: income_i = exp(sigma x_i) (factor if vulnerable),
    x_i ~ N(0, 1); the median of residents who are not vulnerable is 1 (sigma 0.5: Gini about
    0.28, as CBS's standardised disposable income)."""
    return np.exp(sigma * normal) * np.where(vulnerable, factor, 1.0)


def tie_keep_probability(vulnerable_ends: np.ndarray, loss: float) -> np.ndarray:
    """Probability that a generated tie exists: (1 - loss)^k, k = 0, 1, 2 of its ends vulnerable
    (residents.vulnerable_tie_loss; each vulnerable end removes it independently)."""
    return (1.0 - loss) ** vulnerable_ends


def make_residents(village_of: np.ndarray, cfg: ResidentConfig, rng: np.random.Generator,
                   differ: bool = False, child: np.random.Generator | None = None) -> ResidentArrays:
    """Draw every resident's attributes; `village_of[i]` is resident i's village.

    `differ` (mechanisms.vulnerability): vulnerable residents differ in age, free time, trust
    and income; their incomes come from `child` (a child stream of `rng`), so `rng` draws
    the same numbers with and without it."""
    n = len(village_of)
    shares = (cfg.share_young, 1.0 - cfg.share_young - cfg.share_senior, cfg.share_senior)
    age = rng.choice(3, size=n, p=list(shares))
    mean_hours = np.array([cfg.hours_young, cfg.hours_middle, cfg.hours_senior])[age]
    hours = rng.gamma(cfg.hours_shape, mean_hours / cfg.hours_shape) if n else np.zeros(0)
    coin = rng.random(n)
    if differ:
        vulnerable = coin < vulnerable_probability(age, cfg.share_vulnerable, cfg.vulnerable_senior_ratio, shares)
    else:
        vulnerable = coin < cfg.share_vulnerable
    trust = rng.normal(cfg.trust_mean, cfg.trust_sd, n)
    if differ:
        hours, trust = vulnerable_traits(hours, trust, vulnerable, cfg)
        income = incomes(child.standard_normal(n), vulnerable, cfg.income_sigma, cfg.vulnerable_income_factor)
    else:
        trust = np.clip(trust, 0.0, 1.0)
        income = np.ones(n)
    z = rng.standard_normal(n)
    health = np.clip(cfg.health_mean - cfg.health_gap * vulnerable, 0.0, 1.0)
    return ResidentArrays(
        village=village_of.astype(np.int32),
        age_group=age.astype(np.int8),
        vulnerable=vulnerable,
        hours=hours.astype(np.float32),
        trust=trust.astype(np.float32),
        innovativeness=z.astype(np.float32),
        category=rogers_category(z),
        threshold=thresholds(z, cfg.threshold_mean, cfg.threshold_sd),
        health=health.astype(np.float32),
        income=income.astype(np.float32),
    )


def thin_ties(u: np.ndarray, v: np.ndarray, vulnerable: np.ndarray, loss: float,
              rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """The ties (u, v) that exist when vulnerable residents have fewer: each tie is kept with
    tie_keep_probability (one uniform per tie from `rng`, in the ties' order)."""
    ends = vulnerable[u].astype(np.int8) + vulnerable[v]
    keep = rng.random(u.size) < tie_keep_probability(ends, loss)
    return u[keep], v[keep]

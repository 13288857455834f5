"""Residents' attributes at the start: demography, free time, trust, innovativeness.

Innovativeness z ~ N(0, 1) places each resident in a Rogers category by the cut-offs of
Rogers (2003): innovators z > 2 (2.3 %), early adopters 1 < z <= 2 (13.6 %), early majority
0 < z <= 1 (34.1 %), late majority -1 < z <= 0 (34.1 %), laggards z <= -1 (15.9 %).
The adoption threshold falls with innovativeness: phi = clip(mean - sd * z, 0, 1).
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


def make_residents(village_of: np.ndarray, cfg: ResidentConfig, rng: np.random.Generator) -> ResidentArrays:
    """Draw every resident's attributes; `village_of[i]` is resident i's village."""
    n = len(village_of)
    age = rng.choice(3, size=n, p=[cfg.share_young, 1.0 - cfg.share_young - cfg.share_senior, cfg.share_senior])
    mean_hours = np.array([cfg.hours_young, cfg.hours_middle, cfg.hours_senior])[age]
    hours = rng.gamma(cfg.hours_shape, mean_hours / cfg.hours_shape) if n else np.zeros(0)
    vulnerable = rng.random(n) < cfg.share_vulnerable
    trust = np.clip(rng.normal(cfg.trust_mean, cfg.trust_sd, n), 0.0, 1.0)
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
    )

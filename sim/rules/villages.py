"""Village-level outcomes as pure functions (index v = village, t = theme)."""

from __future__ import annotations

import numpy as np


def visibility(successes: np.ndarray, scale: float) -> np.ndarray:
    """Visible success V_v = 1 - exp(-S_v / scale), S_v the village's successful projects (R1)."""
    return 1.0 - np.exp(-successes / scale)


def liveability(
    base: np.ndarray, successes_by_theme: np.ndarray, weights: np.ndarray, scale: float,
    participation: np.ndarray, w_participation: float,
) -> np.ndarray:
    """L_v = clip(L0_v + sum_t w_t (1 - exp(-S_vt / scale)) + w_p P_v, 0, 1).

    Each theme's successes add liveability with diminishing returns; taking part adds
    cohesion. Assumption: a stylised index, not a measured liveability score.
    """
    gains = (weights[None, :] * (1.0 - np.exp(-successes_by_theme / scale))).sum(axis=1)
    return np.clip(base + gains + w_participation * participation, 0.0, 1.0)


def wellbeing(
    health: np.ndarray, participating: np.ndarray, vulnerable: np.ndarray, care_in_village: np.ndarray,
    village: np.ndarray, gain_participation: float, gain_care: float,
) -> np.ndarray:
    """w_i = clip(h_i + g_p [takes part] + g_c [vulnerable] [village has a successful care collective], 0, 1)."""
    return np.clip(health + gain_participation * participating + gain_care * (vulnerable & care_in_village[village]), 0.0, 1.0)


def distance_kernel(distances: np.ndarray, scale: float) -> np.ndarray:
    """W_uv = exp(-d_uv / scale) between two different villages, 0 from a village to itself
    (d in km; scale = world.inspiration_km)."""
    w = np.exp(-np.asarray(distances, dtype=float) / scale)
    np.fill_diagonal(w, 0.0)
    return w


def inspiration(successes: np.ndarray, kernel: np.ndarray, scale: float) -> np.ndarray:
    """Inspiration of each village by the visible success of the others ("inspire locally,
    reproduce regionally", DOMAIN.md s1):

        I_v = 1 - exp(-sum_{u != v} W_vu S_u / scale),   W_vu = exp(-d_vu / lambda)

    S_u: successful projects of village u's living collectives; scale: the successes that
    make a village's own collectives 63 % visible (collectives.visibility_scale), so S
    successes at distance d inspire as S e^(-d / lambda) successes at home would make them
    visible; lambda = world.inspiration_km. Assumption: word of success decays with distance.
    """
    return 1.0 - np.exp(-(kernel @ np.asarray(successes, dtype=float)) / scale)


def inspiration_boost(level: np.ndarray, factor: float) -> np.ndarray:
    """Relative boost of the founding rate by inspiration: B_v = k_I I_v, added to the
    instruments' founding boost (k_I = world.inspiration_founding; assumption)."""
    return factor * level

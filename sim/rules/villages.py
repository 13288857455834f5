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

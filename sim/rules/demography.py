"""Demography: residents age, move away and die (DOMAIN.md s6: ageing, shrinking villages).

Pure functions of the residents' age groups; applied monthly by sim/dynamics/demography.py
when mechanisms.demography is on. Newcomers replace only part of those who leave
(residents.newcomers), so villages shrink and, with few newcomers, age.
"""

from __future__ import annotations

import numpy as np


def monthly_probability(yearly_hazard: np.ndarray | float) -> np.ndarray:
    """P(event within a month) = 1 - exp(-h / 12) for a constant yearly hazard h."""
    return 1.0 - np.exp(-np.asarray(yearly_hazard, dtype=float) / 12.0)


def transition_table(leave: tuple[float, float, float], age_up: tuple[float, float]) -> tuple[np.ndarray, np.ndarray]:
    """Per age group (young, middle, senior): the monthly probability of leaving, and of
    moving to the next age group (seniors stay seniors). Competing events share one uniform
    draw u: leave if u < p_leave, age if p_leave <= u < p_leave + p_age."""
    p_leave = monthly_probability(np.array(leave))
    p_age = monthly_probability(np.array([*age_up, 0.0]))
    return p_leave, p_age

"""Demography phase: residents move away or die, and grow older (array operations).

One uniform number per resident living in the region this month; with the monthly
probabilities of sim/rules/demography.py a resident leaves if u < p_leave[age] and moves to
the next age group if p_leave[age] <= u < p_leave[age] + p_age[age]. A resident who leaves
stops taking part (their collective loses a member); with probability `newcomers` a
newcomer (aged 18-39, unaware, with the same home, ties and personal traits: an
assumption) takes their place, otherwise the home stays empty (GONE) and the village
shrinks. Off (mechanisms.demography=false) it draws nothing.
"""

from __future__ import annotations

import numpy as np

from ..rules.demography import transition_table
from ..state import AgeGroup
from ..state import ResidentState as S

# Enum members as plain ints for array comparisons: numpy compares an int8 array with an
# IntEnum member by first casting the whole array to int64 (several times slower).
_GONE = int(S.GONE)


def update(model) -> None:
    """One month of ageing, moving away and dying."""
    if not model.cfg.mechanisms.demography:
        return
    p, r, tracker = model.people, model.cfg.residents, model.taking_part
    p_leave, p_age = transition_table((r.leave_young, r.leave_middle, r.leave_senior), (r.age_young, r.age_middle))
    here = (p.state != _GONE).nonzero()[0]
    u = model.rng.random(here.size)
    age = p.age_group[here]
    leave = u < p_leave[age]
    older = ~leave & (u < p_leave[age] + p_age[age])
    p.age_group[here[older]] += 1
    left = here[leave]
    tracker.apply(np.empty(0, np.int64), left[tracker.mask[left]])
    p.collective[left] = -1
    replaced = model.rng.random(left.size) < r.newcomers
    newcomers, gone = left[replaced], left[~replaced]
    p.state[newcomers] = S.UNAWARE        # a newcomer takes over the home and its ties
    p.age_group[newcomers] = AgeGroup.YOUNG
    p.first_month[newcomers] = -1         # ... but has not taken part yet
    p.state[gone] = S.GONE
    np.subtract.at(model.villages.residents, p.village[gone], 1)

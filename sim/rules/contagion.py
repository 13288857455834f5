"""Complex contagion: a resident joins only when enough of its ties take part (a count).

Centola & Macy (2007), "Complex contagions and the weakness of long ties", American Journal
of Sociology 113(3):702-734. A costly, risky or norm-breaking behaviour needs confirmation
from several sources: a resident adopts when at least k of its ties take part. The rule
counts ties, not the share of ties as the threshold rule of Granovetter (1978) and Watts
(2002) does (sim/rules/adoption.py). Long, random ties speed up a simple contagion (k = 1)
but slow down or block a complex one (k >= 2): a clustered network with wide bridges
carries it further (Centola 2010, Science 329:1194).

Selected with `adoption=complex_contagion`; k is `adoption.contagion_k`.
"""

from __future__ import annotations

import numpy as np

from ..config.people import AdoptionConfig
from .adoption import AdoptionInputs
from .registry import register_adoption_rule

COUNT_TOLERANCE = 0.5  # counts are whole numbers held as float32: compare with k - 0.5


@register_adoption_rule("complex_contagion")
def complex_contagion_rule(x: AdoptionInputs, p: AdoptionConfig) -> np.ndarray:
    """Centola & Macy (2007) complex contagion with a fixed number of sources k.

    P(join) = 1 if n_i >= k else 0, with n_i the number of i's ties who take part and
    k = contagion_k, the same for every resident. Deterministic, like the threshold rule;
    the residents' own thresholds phi_i and the village-level inputs are not used. A
    resident with fewer than k ties never joins by this rule.
    """
    return (x.neighbour_count >= p.contagion_k - COUNT_TOLERANCE).astype(np.float32)

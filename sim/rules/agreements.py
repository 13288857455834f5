"""Village agreements (dorpsafspraken) and village co-operatives (dorpscoöperaties) as pure
functions.

A village dialogue (dorpsdialoog) can end in a village agreement: priorities, named themes,
that the municipality commits to for a term (a dorpsagenda, Movisie 2011: residents and
professionals positive, no quantified effect, so every effect size here is an
*assumption*). While an agreement is in force its priority themes are founded more often,
their collectives' trust drifts higher and their procedures are lighter. Under an agreement
a village's collectives can form a village co-operative that runs several themes and shares
core volunteers' hours and money among them.

Index v = village, t = theme, c = collective, g = co-operative (one per village). Applied by
sim/dynamics/governance.py; parameters in sim/instruments/dialogue.py (`policy.dialogue.*`);
docs/ODD.md section 7.8.
"""

from __future__ import annotations

import numpy as np


def agreement_probability(base: float, attitude: np.ndarray | float) -> np.ndarray:
    """Chance that a dialogue ends in an agreement: P = min(1, 2 p0 A).

    p0: the chance at a neutral municipality (A = 0.5); a co-creating municipality (A = 1)
    commits twice as often, a controlling one (A = 0) never (assumption: the municipality
    must commit, and a controlling one will not bind itself to residents' priorities).
    With mechanisms.attitude off the caller passes A = 0.5 (P = p0).
    """
    return np.minimum(1.0, 2.0 * base * np.asarray(attitude, dtype=float))


def priority_themes(successes: np.ndarray, weights: np.ndarray, scale: float, k: int) -> np.ndarray:
    """The k most-needed themes of each village: V x T, True for the priorities.

    Need is the liveability the theme could still add: g_vt = w_t exp(-S_vt / scale), with
    S_vt the successful projects of the village's living collectives in theme t and w_t the
    theme's liveability weight (the same terms as `liveability`, sim/rules/villages.py: a
    theme already delivering has less left to give). The k largest g_vt, ties to the lower
    theme index; themes with w_t = 0 never. Assumption: a dorpsagenda names the gaps in a
    village's liveability (Movisie 2011).
    """
    successes = np.atleast_2d(np.asarray(successes, dtype=float))
    gap = np.asarray(weights, dtype=float)[None, :] * np.exp(-successes / scale)
    n_v, n_t = gap.shape
    # stable sort of -gap keeps equal gaps in theme order
    order = np.argsort(-gap, axis=1, kind="stable")[:, : max(0, min(k, n_t))]
    chosen = np.zeros((n_v, n_t), dtype=bool)
    chosen[np.arange(n_v)[:, None], order] = True
    return chosen & (gap > 0)


def boost_founding(p: np.ndarray, priority: np.ndarray, boost: float) -> np.ndarray:
    """Founding probability of a priority cell: P' = 1 - (1 - P)^(1 + b [priority]).

    With P = 1 - exp(-h) (`founding_probability`) this multiplies the founding hazard h by
    1 + b in the agreement's priority themes (b = agreement_founding), the others unchanged.
    """
    return 1.0 - np.power(1.0 - p, 1.0 + boost * priority)


def coop_members(village: np.ndarray, alive: np.ndarray, has_coop: np.ndarray) -> np.ndarray:
    """Co-operative of each collective: its village if the collective lives and the village has
    a co-operative, else -1. A co-operative runs every living collective of its village."""
    return np.where(alive & has_coop[village], village, -1)


def coop_can_form(in_force: np.ndarray, has_coop: np.ndarray, organised: np.ndarray, min_themes: int) -> np.ndarray:
    """Villages where a co-operative may form this month: an agreement in force, no
    co-operative yet and at least `min_themes` organised collectives (one per theme)."""
    return in_force & ~has_coop & (organised >= min_themes)


def coop_holds(living: np.ndarray, has_coop: np.ndarray, min_themes: int) -> np.ndarray:
    """A co-operative lasts while it runs at least `min_themes` living collectives."""
    return has_coop & (living >= min_themes)


def pool_hours(hours: np.ndarray, workload: np.ndarray, group: np.ndarray, share: float) -> np.ndarray:
    """Core volunteers' hours after a co-operative shares them by need.

    H'_c = (1 - s) H_c + s W_c (sum_g H) / (sum_g W) for collectives of co-operative g
    (group_c = g >= 0); others keep H_c. A share s of every member's core time goes to the
    co-operative and is handed out in proportion to this month's workload W_c, so the hours
    of a co-operative stay the same; with s = 1 every member has the same ratio of workload
    to hours. Assumption (a dorpscoöperatie shares volunteers across themes).
    """
    hours, workload = np.asarray(hours, dtype=float), np.asarray(workload, dtype=float)
    inside = group >= 0
    if not inside.any() or share <= 0:
        return hours.copy()
    g = np.where(inside, group, 0)
    n = int(g.max()) + 1
    h_sum = np.bincount(g, weights=np.where(inside, hours, 0.0), minlength=n)
    w_sum = np.bincount(g, weights=np.where(inside, workload, 0.0), minlength=n)
    ratio = np.divide(h_sum, w_sum, out=np.zeros(n), where=w_sum > 0)[g]
    pooled = (1.0 - share) * hours + share * workload * ratio
    # a co-operative with no workload at all shares nothing (there is nothing to give hours to)
    return np.where(inside & (w_sum[g] > 0), pooled, hours)


def pool_capital(capital: np.ndarray, need: np.ndarray, idle: np.ndarray, group: np.ndarray,
                 share: float) -> np.ndarray:
    """What each member of a co-operative gives (negative) or gets (positive) from the pool.

    Each member keeps what its own next project asks (need_c, its own share); a share s of
    the rest, surplus_c = max(0, K_c - need_c), goes into the pool P_g = s sum_g surplus.
    Idle members short of their own share, shortfall_c = max(0, need_c - K_c), get
    g_c = shortfall_c min(1, P_g / sum_g shortfall) (all of it if the pool can, otherwise in
    proportion, like the village fund), paid by the givers in proportion to what they put
    in. The transfers of a co-operative sum to 0. Assumption.
    """
    capital, need = np.asarray(capital, dtype=float), np.asarray(need, dtype=float)
    inside = group >= 0
    out = np.zeros_like(capital)
    if not inside.any() or share <= 0:
        return out
    g = np.where(inside, group, 0)
    n = int(g.max()) + 1
    offer = np.where(inside, share * np.maximum(0.0, capital - need), 0.0)
    short = np.where(inside & idle, np.maximum(0.0, need - capital), 0.0)
    pool, wanted = np.bincount(g, weights=offer, minlength=n), np.bincount(g, weights=short, minlength=n)
    granted = np.minimum(pool, wanted)                       # per co-operative
    cover = np.divide(granted, wanted, out=np.zeros(n), where=wanted > 0)[g]
    paid = np.divide(granted, pool, out=np.zeros(n), where=pool > 0)[g]
    return short * cover - offer * paid

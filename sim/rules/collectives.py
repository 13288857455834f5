"""Collectives' rules as pure functions over arrays (index c = collective).

Each function states its equation and whether it is a reinforcing (R) or balancing (B)
loop of DOMAIN.md section 2. All parameters are *assumptions* unless stated (see
sim/config/collectives.py for units and defaults).
"""

from __future__ import annotations

import numpy as np

from ..state import Stage


def founding_probability(
    candidates: np.ndarray, founders: int, appeal: np.ndarray, knowledge: np.ndarray,
    boost: np.ndarray, rate: float, knowledge_factor: float,
) -> np.ndarray:
    """Monthly probability that pioneers found a collective, per (village, theme).

    P = 1 - exp(-rate * a_t * (1 + k_f K_vt) * (1 + B_v)) if candidates_v >= founders else 0.
    a_t: theme appeal; K_vt: best knowledge of the theme among linked villages' collectives
    (R4, reproduce regionally); B_v: instruments' boost. Leaders are the bottleneck: no
    founding without enough pioneers (Ghorbani et al. 2020).
    """
    hazard = rate * appeal[None, :] * (1.0 + knowledge_factor * knowledge) * (1.0 + boost[:, None])
    able = (candidates >= founders)[:, None]
    return np.where(able, 1.0 - np.exp(-hazard), 0.0)


def member_room(members: np.ndarray, residents: np.ndarray, share: np.ndarray) -> np.ndarray:
    """Room left in a collective for members (B: what a collective offers is finite).

    room_c = clip(1 - M_c / (s_t N_v), 0, 1): M_c members, N_v residents of its village, s_t
    the share of them a collective of theme t can hold (its market potential, Bass 1969).
    A joiner is accepted with probability room_c, so joining slows as the collective fills
    and stops when it is full.
    """
    cap = share * np.asarray(residents, float)
    return np.clip(1.0 - members / np.where(cap > 0, cap, 1.0), 0.0, 1.0) * (cap > 0)


def workload_hours(
    base: float, admin: float, trust: np.ndarray, attitude: np.ndarray,
    project_hours: np.ndarray, project_running: np.ndarray, burden: np.ndarray,
) -> np.ndarray:
    """Volunteer hours a collective needs this month.

    W_c = base + admin * (1 - T_c * A_m) + [project] * H_t + burden_c.
    Trust T_c and a co-creating municipality A_m lighten procedures (R3); instruments add
    burden (B: administrative burden). `admin` may be one number or one per collective, and
    A_m the attitude the collective meets (sim/rules/governance.py shapes both with
    mechanisms.attitude).
    """
    return base + admin * (1.0 - trust * attitude) + project_running * project_hours + burden


def overload(workload: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    """Relative overload of the core group: max(0, W_c / capacity_c - 1); no core = overload 1."""
    safe = np.where(capacity > 0, capacity, 1.0)
    return np.where(capacity > 0, np.maximum(0.0, workload / safe - 1.0), 1.0)


def burnout_update(burnout: np.ndarray, load: np.ndarray, rate: float, recovery: float) -> np.ndarray:
    """B' = clip(B + rate * overload - recovery * B * [overload = 0], 0, 1) (B: workload)."""
    return np.clip(burnout + rate * load - recovery * burnout * (load <= 0), 0.0, 1.0)


def failure_risk(base_risk: np.ndarray, knowledge: np.ndarray, cut: float) -> np.ndarray:
    """Project failure probability r = r_t * (1 - cut * K_c): knowledge lowers risk (R4)."""
    return base_risk * (1.0 - cut * knowledge)


def own_share(cost: np.ndarray, loan_share: np.ndarray, members: np.ndarray, investment: np.ndarray) -> np.ndarray:
    """What a project asks from the collective's capital: max(0, C (1 - l) - members * i)."""
    return np.maximum(0.0, cost * (1.0 - loan_share) - members * investment)


def knowledge_gain(knowledge: np.ndarray, gain: np.ndarray) -> np.ndarray:
    """K' = K + g (1 - K): learning by doing closes a share g of the gap to full knowledge."""
    return knowledge + gain * (1.0 - knowledge)


def regional_learning(knowledge: np.ndarray, learner: np.ndarray, source: np.ndarray, rate: float) -> np.ndarray:
    """K'_c = K_c + rate * mean_{j linked to c} max(K_j - K_c, 0)  (R4: regional learning).

    Links are given as pairs: collective learner[k] learns from source[k]. Collectives
    without links keep their knowledge.
    """
    gaps = np.maximum(knowledge[source] - knowledge[learner], 0.0)
    total = np.bincount(learner, weights=gaps, minlength=knowledge.size)
    count = np.bincount(learner, minlength=knowledge.size)
    return knowledge + rate * np.where(count > 0, total / np.maximum(count, 1), 0.0)


def trust_update(
    trust: np.ndarray, successes: np.ndarray, failures: np.ndarray, attitude: np.ndarray,
    gain: float, loss: float, drift: float,
) -> np.ndarray:
    """T' = clip(T + gain * s - loss * f + drift * (A_m - T), 0, 1) (R3: trust).

    A_m: where trust drifts to, the municipality's attitude; with mechanisms.attitude and
    agreements the target of sim/rules/governance.py (`trust_target`).
    """
    return np.clip(trust + gain * successes - loss * failures + drift * (attitude - trust), 0.0, 1.0)


def self_sustaining(
    successes: np.ndarray, revenue: np.ndarray, running_cost: float,
    gov_funding: np.ndarray, own_funding: np.ndarray, max_gov_share: float,
    equity_funding: np.ndarray | float = 0.0,
) -> np.ndarray:
    """Self-sustaining: at least one success, revenue covers running costs, and government
    grants were less than `max_gov_share` of all funding received,
    G / (G + O + E) < max_gov_share. Shares a government bought (E, equity) count as
    funding, not as grants: capital that earns a return and is bought back is no dependence."""
    total = gov_funding + own_funding + equity_funding
    gov_share = np.where(total > 0, gov_funding / np.where(total > 0, total, 1.0), 0.0)
    return (successes > 0) & (revenue >= running_cost) & (gov_share < max_gov_share)


def next_stage(
    stage: np.ndarray, age: np.ndarray, members: np.ndarray, idea_months: int,
    months_to_organise: int, min_members: int, has_projects: np.ndarray, sustaining: np.ndarray,
) -> np.ndarray:
    """Lifecycle: idea -> starting -> organised -> realising <-> self-sustaining.

    idea -> starting after idea_months; starting -> organised with >= min_members members
    and age >= months_to_organise; organised -> realising once a project has started;
    realising <-> self-sustaining as `sustaining` holds or not. Dissolved stays dissolved.
    """
    s = stage.copy()
    s[(stage == Stage.IDEA) & (age >= idea_months)] = Stage.STARTING
    s[(stage == Stage.STARTING) & (members >= min_members) & (age >= months_to_organise)] = Stage.ORGANISED
    s[(stage == Stage.ORGANISED) & has_projects] = Stage.REALISING
    s[(stage == Stage.REALISING) & sustaining] = Stage.SELF_SUSTAINING
    s[(stage == Stage.SELF_SUSTAINING) & ~sustaining] = Stage.REALISING
    return s


def weak_months(previous: np.ndarray, core: np.ndarray, capital: np.ndarray, min_core: int) -> np.ndarray:
    """Consecutive months with a core below min_core or negative capital (B: burnout, money)."""
    weak = (core < min_core) | (capital < 0)
    return np.where(weak, previous + 1, 0)


def share_fund(shortfall: np.ndarray, village: np.ndarray, fund: np.ndarray) -> np.ndarray:
    """Grants from each village's community fund, proportional to shortfalls (R2).

    g_c = s_c * min(1, F_v / sum_{c' in v} s_c'): the fund covers shortfalls in full if it
    can, otherwise in proportion.
    """
    need = np.bincount(village, weights=shortfall, minlength=len(fund))
    cover = np.where(need > 0, np.minimum(1.0, fund / np.where(need > 0, need, 1.0)), 0.0)
    return shortfall * cover[village]

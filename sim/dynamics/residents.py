"""Residents' phase: become aware, join a collective, leave (array operations).

The three decisions concern disjoint groups (unaware; not taking part; taking part), so one
uniform number per resident and month serves all three. Everyone decides on the state at the
start of the month (synchronous update), as in Watts (2002).

The adoption rule is evaluated only for residents whose uniform draw lies below the rule's
ceiling (an upper bound of its probabilities, see sim/rules/registry.py): nobody else can
join this month whatever the rule says, so the result is the same as evaluating everyone.
"""

from __future__ import annotations

import numpy as np

from ..rules.adoption import AdoptionInputs, awareness_probability, dropout_probability
from ..rules.registry import adoption_ceiling
from ..state import ResidentState as S
from ..state import Stage

DT_YEARS = 1.0 / 12.0  # one step is one month


def decide(model) -> None:
    """One month of residents' decisions."""
    people, mech, tracker = model.people, model.cfg.mechanisms, model.taking_part
    state = people.state
    u = model.rng.random(people.n, dtype=np.float32)
    tracker.refresh()  # catches changes made outside this phase (e.g. by hand); cheap otherwise
    part = tracker.mask.copy()
    model.villages.participation = tracker.by_village / model.world.villages.population

    aware = _become_aware(model, state, u) if mech.awareness else np.empty(0, np.int64)
    candidates = ((state == S.AWARE) | (state == S.DROPPED)) if mech.awareness else ~part
    joiners = _joiners(model, candidates, state, u)
    leavers = _leavers(model, part, u) if mech.dropout else np.empty(0, np.int64)

    state[aware] = S.AWARE
    joined = _join(model, joiners)
    state[leavers] = S.DROPPED
    people.collective[leavers] = -1
    tracker.apply(joined, leavers)


def below(mask: np.ndarray, u: np.ndarray, ceiling: float) -> np.ndarray:
    """Indices where mask holds and u lies below the ceiling (with a float32 margin)."""
    if ceiling < 1.0:
        mask = mask & (u < np.float32(ceiling * (1.0 + 1e-6) + 1e-7))
    return np.flatnonzero(mask)


def inputs(model, idx: np.ndarray) -> AdoptionInputs:
    """What residents idx see this month (see rules.adoption.AdoptionInputs)."""
    p, v, e, world, tracker = model.people, model.villages, model.effects, model.world, model.taking_part
    count = tracker.ties[idx]
    return AdoptionInputs(
        neighbour_share=count * world.inv_degree[idx], neighbour_count=count, threshold=p.threshold[idx],
        trust=p.trust[idx], hours=p.hours[idx], village=p.village[idx], village_share=v.participation,
        visibility=v.visibility, mobilisation=e.mobilisation, crowding=e.crowding, dt_years=DT_YEARS,
    )


def _become_aware(model, state, u) -> np.ndarray:
    """Unaware residents who become aware.

    For residents without participating ties the rule's probability depends on the village
    only, so it is evaluated once per village (with share 0: the same float32 operations,
    the same numbers) and compared per resident; the rule itself runs for the others.
    """
    tracker, world, v, e, a = model.taking_part, model.world, model.villages, model.effects, model.cfg.adoption
    unaware = state == S.UNAWARE
    no_ties = tracker.ties == 0
    n_v = world.villages.n
    p_village = awareness_probability(np.zeros(n_v, np.float32), np.arange(n_v), v.visibility, e.awareness, a)
    quiet = np.flatnonzero(unaware & no_ties & (u < np.repeat(p_village, world.villages.population)))
    idx = np.flatnonzero(unaware & ~no_ties)
    p = awareness_probability(tracker.ties[idx] * world.inv_degree[idx], model.people.village[idx],
                              v.visibility, e.awareness, a)
    return np.concatenate([quiet, idx[u[idx] < p]])


def _joiners(model, candidates, state, u) -> np.ndarray:
    a = model.cfg.adoption
    idx = below(candidates, u, adoption_ceiling(a.rule, a, DT_YEARS))
    p = model.adoption_rule(inputs(model, idx), a)
    if a.rejoin_factor != 1.0:
        p = np.where(state[idx] == S.DROPPED, p * np.float32(a.rejoin_factor), p)
    return idx[u[idx] < p]


def _leavers(model, part, u) -> np.ndarray:
    """Members and core volunteers who leave this month.

    Evaluated only where u lies below the month's ceiling of dropout_probability (its
    value at the highest failure signal and burnout of any collective).
    """
    people, coll, a, mech = model.people, model.collectives, model.cfg.adoption, model.cfg.mechanisms
    # pad with a zero entry so that cid = -1 (no collective, textbook mode) reads 0
    fail = np.append(coll.failure_signal[: coll.n], 0.0)
    burn = np.append(coll.burnout[: coll.n], 0.0) if mech.burnout else np.zeros(coll.n + 1)
    exit_rate = model.cfg.collectives.burnout_exit
    idx = below(part, u, dropout_ceiling(fail, burn, a, exit_rate))
    cid = people.collective[idx]
    is_core = people.state[idx] == S.CORE
    p = dropout_probability(fail[cid], burn[cid], is_core, a.dropout_base, a.dropout_failure, exit_rate)
    return idx[u[idx] < p]


def dropout_ceiling(fail: np.ndarray, burn: np.ndarray, a, exit_rate: float) -> float:
    """dropout_probability at the highest failure signal and burnout of any collective (it
    grows with both), so no member's probability exceeds it."""
    return float(dropout_probability(fail.max(), burn.max(), True, a.dropout_base, a.dropout_failure, exit_rate))


def _join(model, joiners: np.ndarray) -> np.ndarray:
    """Joiners become members of an open collective of their village (or of none in textbook
    mode). Returns those who joined (a joiner whose village has no open collective does not)."""
    people = model.people
    if not model.cfg.mechanisms.collectives:
        people.state[joiners] = S.MEMBER
        return joiners
    cid = pick_open_collective(model, people.village[joiners])
    ok = cid >= 0
    people.state[joiners[ok]] = S.MEMBER
    people.collective[joiners[ok]] = cid[ok]
    return joiners[ok]


def pick_open_collective(model, villages: np.ndarray) -> np.ndarray:
    """For each joiner's village, a uniformly chosen collective open to members (-1 if none)."""
    coll = model.collectives
    stage = coll.stage[: coll.n]
    open_ids = np.flatnonzero((stage >= Stage.STARTING) & (stage <= Stage.SELF_SUSTAINING))
    if open_ids.size == 0 or villages.size == 0:
        return np.full(villages.size, -1)
    order = open_ids[np.argsort(coll.village[open_ids], kind="stable")]
    counts = np.bincount(coll.village[order], minlength=model.world.villages.n)
    starts = np.cumsum(counts) - counts
    c = counts[villages]
    pick = (model.rng.random(villages.size) * c).astype(np.int64)
    return np.where(c > 0, order[np.minimum(starts[villages] + pick, order.size - 1)], -1)

"""Residents' phase: become aware, join a collective, leave (array operations).

The three decisions concern disjoint groups (unaware; not taking part; taking part), so one
uniform number per resident and month serves all three. Everyone decides on the state at the
start of the month (synchronous update), as in Watts (2002).
"""

from __future__ import annotations

import numpy as np

from ..rules.adoption import AdoptionInputs, awareness_probability, dropout_probability
from ..state import ResidentState as S
from ..state import Stage


def decide(model) -> None:
    """One month of residents' decisions."""
    people, cfg, mech = model.people, model.cfg, model.cfg.mechanisms
    state = people.state
    u = model.rng.random(people.n, dtype=np.float32)
    tracker = model.taking_part
    tracker.refresh(people)
    part, count = tracker.mask, tracker.ties
    share = count * model.world.inv_degree
    model.villages.participation = tracker.by_village / model.world.villages.population

    aware = _become_aware(model, state, share, u) if mech.awareness else None
    candidates = ((state == S.AWARE) | (state == S.DROPPED)) if mech.awareness else ~part
    join_p = model.adoption_rule(_inputs(model, share, count), cfg.adoption)
    if cfg.adoption.rejoin_factor != 1.0:
        join_p = np.where(state == S.DROPPED, join_p * cfg.adoption.rejoin_factor, join_p)
    joiners = np.flatnonzero(candidates & (u < join_p))
    leavers = _leavers(model, part, u) if mech.dropout else None

    if aware is not None:
        state[aware] = S.AWARE
    _join(model, joiners)
    if leavers is not None and leavers.size:
        state[leavers] = S.DROPPED
        people.collective[leavers] = -1


def _inputs(model, share: np.ndarray, count: np.ndarray) -> AdoptionInputs:
    p, v, e = model.people, model.villages, model.effects
    return AdoptionInputs(
        neighbour_share=share, neighbour_count=count, threshold=p.threshold, trust=p.trust, hours=p.hours, village=p.village,
        village_share=v.participation, visibility=v.visibility, mobilisation=e.mobilisation, crowding=e.crowding,
    )


def _become_aware(model, state, share, u) -> np.ndarray:
    p = awareness_probability(share, model.people.village, model.villages.visibility, model.effects.awareness,
                              model.cfg.adoption)
    return (state == S.UNAWARE) & (u < p)


def _leavers(model, part, u) -> np.ndarray:
    """Members and core volunteers who leave this month."""
    people, coll, a = model.people, model.collectives, model.cfg.adoption
    idx = np.flatnonzero(part)
    cid = people.collective[idx]
    # pad with a zero entry so that cid = -1 (no collective, textbook mode) reads 0
    fail = np.append(coll.failure_signal[: coll.n], 0.0)[cid]
    burn = np.append(coll.burnout[: coll.n], 0.0)[cid] if model.cfg.mechanisms.burnout else 0.0
    is_core = people.state[idx] == S.CORE
    p = dropout_probability(fail, burn, is_core, a.dropout_base, a.dropout_failure, model.cfg.collectives.burnout_exit)
    return idx[u[idx] < p]


def _join(model, joiners: np.ndarray) -> None:
    """Joiners become members of an open collective of their village (or of none in textbook mode)."""
    people = model.people
    if not model.cfg.mechanisms.collectives:
        people.state[joiners] = S.MEMBER
        return
    cid = pick_open_collective(model, people.village[joiners])
    ok = cid >= 0
    people.state[joiners[ok]] = S.MEMBER
    people.collective[joiners[ok]] = cid[ok]


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

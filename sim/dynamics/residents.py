"""Residents' phase: become aware, join a collective, leave (array operations).

The three decisions concern disjoint groups (unaware; not taking part; taking part), so one
uniform number u_i per resident and month serves all three. Everyone decides on the state at
the start of the month (synchronous update), as in Watts (2002).

Each u_i is drawn in two parts (see `Uniforms`): a random byte for every resident, the rest
only where the byte alone cannot settle the decision. A probability is evaluated only for
residents whose byte lies below its ceiling (an upper bound of it; for adoption rules see
sim/rules/registry.py): nobody else can change state whatever the rule says. Which residents
draw the rest of their u_i depends on the probabilities only, not on the ceilings, so the
result is the same as evaluating everyone.
"""

from __future__ import annotations

import math

import numpy as np

from ..rules.adoption import AdoptionInputs, awareness_probability, dropout_probability
from ..rules.registry import adoption_ceiling
from ..state import ResidentState as S
from ..state import Stage

DT_YEARS = 1.0 / 12.0  # one step is one month


class Uniforms:
    """One uniform number u_i = (b_i + v_i) / 256 in [0, 1) per resident and month.

    b_i, a random byte (0-255), is drawn for every resident; v_i in [0, 1) is computed only
    when needed: u_i < p holds for certain when b_i + 1 <= 256 p, fails for certain when
    b_i >= 256 p, and otherwise holds when v_i < 256 p - b_i. As b_i + v_i is uniform on
    [0, 256), P(u_i < p) = p exactly. v_i is the i-th output of SplitMix64 (Steele, Lea &
    Flood 2014) seeded with a key drawn each month, so it depends on the resident only, not
    on who else needed one: every resident keeps the same u_i whatever the probabilities
    (common random numbers across scenarios), and evaluating a probability only below a
    ceiling gives exactly the result of evaluating it for everyone.
    """

    def __init__(self, rng: np.random.Generator, n: int) -> None:
        # raw 64-bit words of the bit generator, eight bytes each (the cheapest random bytes),
        # and one more word as this month's key
        words = rng.bit_generator.random_raw((n + 7) // 8 + 1)
        self.byte = words[:-1].view(np.uint8)[:n]
        self.key = words[-1:]

    @staticmethod
    def bound(ceiling: float) -> int:
        """The byte bound of a ceiling (with a float32 margin): a resident whose byte is at
        least this has u_i >= ceiling, so `lt` fails for any probability up to the ceiling."""
        return min(256, math.ceil(256.0 * (ceiling * (1.0 + 1e-6) + 1e-7)))

    def lt(self, idx: np.ndarray, p: np.ndarray) -> np.ndarray:
        """Whether u_i < p for the residents idx (p: one probability each).

        x = 256 p - b_i is exact in p's own precision where it matters: 256 p only shifts the
        exponent, and for 0 < x < 1 the subtraction is exact (Sterbenz); rounding keeps the
        signs of x <= 0 and x - 1 >= 0.
        """
        p = np.asarray(p)
        if p.dtype.kind != "f":
            p = p.astype(np.float64)
        x = p * p.dtype.type(256.0) - self.byte[idx]
        result = x >= 1.0
        open_ = np.flatnonzero((x > 0.0) & ~result)
        if open_.size:
            result[open_] = self.rest(idx[open_]) < x[open_]
        return result

    def rest(self, idx: np.ndarray) -> np.ndarray:
        """v_i in [0, 1) for the residents idx: the top 53 bits of SplitMix64's output
        mix(key + (i + 1) * gamma), in wrapping 64-bit arithmetic."""
        z = idx.astype(np.uint64)
        z += _ONE
        z *= _GAMMA
        z += self.key
        z ^= z >> _S30
        z *= _MIX1
        z ^= z >> _S27
        z *= _MIX2
        z ^= z >> _S31
        z >>= _S11
        return z * 2.0**-53


# SplitMix64's constants: the increment (2^64 / golden ratio, odd) and the output mix
_GAMMA, _MIX1, _MIX2 = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
_ONE, _S11, _S27, _S30, _S31 = (np.uint64(k) for k in (1, 11, 27, 30, 31))


def decide(model) -> None:
    """One month of residents' decisions."""
    people, mech, tracker, a = model.people, model.cfg.mechanisms, model.taking_part, model.cfg.adoption
    state = people.state
    u = Uniforms(model.rng, people.n)
    tracker.refresh()  # catches changes made outside this phase (e.g. by hand); cheap otherwise
    model.villages.participation = tracker.by_village / np.maximum(model.villages.residents, 1)

    fail, burn = _collective_signals(model)
    bounds = {  # byte bound of each group's ceiling (0: the group does not decide)
        "quiet": u.bound(awareness_ceiling(model, 0.0)) if mech.awareness else 0,  # no participating ties
        "tied": u.bound(awareness_ceiling(model, 1.0)) if mech.awareness else 0,   # the share is at most 1
        "join": u.bound(adoption_ceiling(a.rule, a, DT_YEARS)),
        "leave": u.bound(dropout_ceiling(fail, burn, a, model.cfg.collectives.burnout_exit)) if mech.dropout else 0,
    }
    noticing, joining, leaving = who_may_change(model, u, bounds)

    aware = _become_aware(model, noticing, u)
    joiners = _joiners(model, joining, state, u)
    leavers = _leavers(model, leaving, fail, burn, u)

    state[aware] = S.AWARE
    joined = _join(model, joiners)
    state[leavers] = S.DROPPED
    people.collective[leavers] = -1
    tracker.apply(joined, leavers)


def who_may_change(model, u: Uniforms, bounds: dict[str, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unaware residents, candidates to join and residents taking part whose byte lies below
    their group's bound (sorted indices each).

    Few passes over all residents: one finds the bytes below the bounds of every group but
    the unaware with participating ties, whose bound is much higher; one more finds those
    few with a byte between the two.
    """
    state, tracker = model.people.state, model.taking_part
    low = max(bounds["quiet"], bounds["join"], bounds["leave"])
    if low < 256:
        sel = np.flatnonzero(u.byte < low)
        s, b, tied, part = state[sel], u.byte[sel], tracker.ties[sel] > 0, tracker.mask[sel]
        pick = sel.__getitem__
    else:  # everyone (a rule without a ceiling): no need to gather
        s, b, tied, part, pick = state, u.byte, tracker.ties > 0, tracker.mask, np.flatnonzero
    if model.cfg.mechanisms.awareness:
        unaware, candidates = s == S.UNAWARE, (s == S.AWARE) | (s == S.DROPPED)
    else:
        unaware, candidates = np.zeros(s.size, bool), ~part
    noticing = pick(unaware & (b < np.where(tied, bounds["tied"], bounds["quiet"])))
    if bounds["tied"] > low:
        above = (u.byte - np.uint8(low)) < np.uint8(bounds["tied"] - low)  # low <= byte < tied
        more = np.flatnonzero(above & (tracker.ties > 0) & (state == S.UNAWARE))
        noticing = np.sort(np.concatenate([noticing, more]))
    return noticing, pick(candidates & (b < bounds["join"])), pick(part & (b < bounds["leave"]))


def inputs(model, idx: np.ndarray) -> AdoptionInputs:
    """What residents idx see this month (see rules.adoption.AdoptionInputs)."""
    p, v, e, world, tracker = model.people, model.villages, model.effects, model.world, model.taking_part
    count = tracker.ties[idx]
    return AdoptionInputs(
        neighbour_share=count * world.inv_degree[idx], neighbour_count=count, threshold=p.threshold[idx],
        trust=p.trust[idx], hours=p.hours[idx], village=p.village[idx], village_share=v.participation,
        visibility=v.visibility, mobilisation=e.mobilisation, crowding=e.crowding, dt_years=DT_YEARS,
    )


def _become_aware(model, idx: np.ndarray, u: Uniforms) -> np.ndarray:
    """Unaware residents (of idx) who become aware."""
    tracker, world, v, e = model.taking_part, model.world, model.villages, model.effects
    p = awareness_probability(tracker.ties[idx] * world.inv_degree[idx], model.people.village[idx],
                              v.visibility, e.awareness, model.cfg.adoption)
    return idx[u.lt(idx, p)]


def awareness_ceiling(model, share: float) -> float:
    """awareness_probability at this share of ties taking part (it grows with the share, which
    is at most 1) in the village where it is highest."""
    n_v, v, e = model.world.villages.n, model.villages, model.effects
    p = awareness_probability(np.full(n_v, share, np.float32), np.arange(n_v), v.visibility, e.awareness,
                              model.cfg.adoption)
    return float(p.max()) if n_v else 0.0


def _joiners(model, idx: np.ndarray, state, u: Uniforms) -> np.ndarray:
    """Candidates (of idx) who join."""
    a = model.cfg.adoption
    p = model.adoption_rule(inputs(model, idx), a)
    if a.rejoin_factor != 1.0:
        p = np.where(state[idx] == S.DROPPED, p * np.float32(a.rejoin_factor), p)
    return idx[u.lt(idx, p)]


def _collective_signals(model) -> tuple[np.ndarray, np.ndarray]:
    """Failure signal and burnout per collective, padded with a zero entry so that cid = -1
    (no collective, textbook mode) reads 0."""
    coll = model.collectives
    fail = np.append(coll.failure_signal[: coll.n], 0.0)
    burn = np.append(coll.burnout[: coll.n], 0.0) if model.cfg.mechanisms.burnout else np.zeros(coll.n + 1)
    return fail, burn


def _leavers(model, idx: np.ndarray, fail: np.ndarray, burn: np.ndarray, u: Uniforms) -> np.ndarray:
    """Members and core volunteers (of idx) who leave this month."""
    people, a = model.people, model.cfg.adoption
    cid = people.collective[idx]
    is_core = people.state[idx] == S.CORE
    p = dropout_probability(fail[cid], burn[cid], is_core, a.dropout_base, a.dropout_failure,
                            model.cfg.collectives.burnout_exit)
    return idx[u.lt(idx, p)]


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

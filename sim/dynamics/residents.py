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

import functools
import math

import numpy as np

from ..rules.adoption import AdoptionInputs, awareness_probability, dropout_probability, outreach_hazard
from ..rules.collectives import member_room
from ..rules.registry import adoption_ceiling
from ..state import ResidentState as S
from ..state import Stage

DT_YEARS = 1.0 / 12.0  # one step is one month

# Enum members as plain ints for array comparisons: numpy compares an int8 array with an
# IntEnum member by first casting the whole array to int64 (several times slower).
_UNAWARE, _AWARE, _DROPPED, _CORE = int(S.UNAWARE), int(S.AWARE), int(S.DROPPED), int(S.CORE)
_STARTING, _SELF_SUSTAINING = int(Stage.STARTING), int(Stage.SELF_SUSTAINING)


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
        signs of x <= 0 and x - 1 >= 0. So the decisions do not depend on the precision: p in
        float32 and the same p widened to float64 decide alike, and groups of residents with
        probabilities of different precisions can be decided in one call.
        """
        p = np.asarray(p)
        if p.dtype.kind != "f":
            p = p.astype(np.float64)
        x = p * p.dtype.type(256.0) - self.byte[idx]
        result = x >= 1.0
        open_ = ((x > 0.0) & ~result).nonzero()[0]
        if open_.size:
            result[open_] = self.rest(idx[open_]) < x[open_]
        return result

    def rest(self, idx: np.ndarray) -> np.ndarray:
        """v_i in [0, 1) for the residents idx: the top 53 bits of SplitMix64's output
        mix(key + (i + 1) * gamma), in wrapping 64-bit arithmetic."""
        z = idx.astype(np.uint64)
        z *= _GAMMA
        z += np.uint64((int(self.key[0]) + _GAMMA_INT) & _MASK64)  # (i + 1) * gamma + key = i * gamma + (gamma + key)
        z ^= z >> _S30
        z *= _MIX1
        z ^= z >> _S27
        z *= _MIX2
        z ^= z >> _S31
        z >>= _S11
        return z * 2.0**-53


# SplitMix64's constants: the increment (2^64 / golden ratio, odd) and the output mix
_GAMMA, _MIX1, _MIX2 = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
_S11, _S27, _S30, _S31 = (np.uint64(k) for k in (11, 27, 30, 31))
_GAMMA_INT, _MASK64 = int(_GAMMA), 2**64 - 1


def decide(model) -> None:
    """One month of residents' decisions."""
    people, mech, tracker, a = model.people, model.cfg.mechanisms, model.taking_part, model.cfg.adoption
    state = people.state
    u = Uniforms(model.rng, people.n)
    tracker.refresh()  # catches changes made outside this phase (e.g. by hand); cheap otherwise
    model.villages.participation = tracker.by_village / np.maximum(model.villages.residents, 1)

    fail = burn = None  # the collectives' failure signal and burnout, read only if anyone can leave
    leave = 0
    if mech.dropout and tracker.total:  # nobody taking part: nobody can leave, whatever the bound
        fail, burn = _collective_signals(model)
        leave = u.bound(dropout_ceiling(fail, burn, a, model.cfg.collectives.burnout_exit))
    quiet = tied = 0
    if mech.awareness:  # no participating ties, and all of them (the share is at most 1)
        quiet, tied = awareness_bounds(model)
    bounds = {  # bound of each group's ceiling (0: the group does not decide)
        "quiet": quiet,
        "tied": tied,
        # no collective open to members anywhere: nobody can join, whatever the rule says (and
        # joining draws nothing then), so nobody's probability is needed
        "join": u.bound(min(1.0, model.decision_speed_max * adoption_ceiling(a.rule, a, DT_YEARS)))
        if _anywhere_to_join(model) else 0,
        "leave": leave,
    }
    noticing, joining, leaving = who_may_change(model, u, bounds)

    # each group's probabilities, then one comparison u_i < p for all three (the groups are
    # disjoint, and it depends on i and p only; see Uniforms.lt: mixing precisions is exact)
    groups = [(idx, prob(model, idx, *args) if idx.size else None) for idx, prob, args in (
        (noticing, _awareness_probability, ()), (joining, _join_probability, (state,)),
        (leaving, _dropout_probability, (fail, burn)))]
    aware, joiners, leavers = _draw(u, groups)

    if aware.size:
        state[aware] = S.AWARE
    joined = _join(model, joiners)
    if leavers.size:
        state[leavers] = S.DROPPED
        people.collective[leavers] = -1
    tracker.apply(joined, leavers)


def _anywhere_to_join(model) -> bool:
    """Whether a joiner could join: in textbook mode always; else while any collective is open
    to members (see _join)."""
    return not model.cfg.mechanisms.collectives or _open_collectives(model) is not None


def _draw(u: Uniforms, groups: list) -> list[np.ndarray]:
    """For each group (idx, probabilities of idx): the residents of idx with u_i < p, from
    one call of Uniforms.lt over the non-empty groups together."""
    todo = [(k, idx, p) for k, (idx, p) in enumerate(groups) if idx.size]
    chosen = [idx for idx, _ in groups]  # the empty ones stay empty
    if len(todo) == 1:
        k, idx, p = todo[0]
        chosen[k] = idx[u.lt(idx, p)]
    elif todo:
        idx = np.concatenate([t[1] for t in todo])
        p = np.concatenate([t[2] if np.shape(t[2]) == t[1].shape else np.broadcast_to(t[2], t[1].shape)
                            for t in todo])
        hit = u.lt(idx, p)
        at = 0
        for k, idx, _ in todo:
            chosen[k] = idx[hit[at : at + idx.size]]
            at += idx.size
    return chosen


_NONE = np.empty(0, np.int64)
_NO_AND_ALL_TIES = np.array([0.0, 1.0], np.float32)


def who_may_change(model, u: Uniforms, bounds: dict[str, float]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unaware residents, candidates to join and residents taking part whose byte lies below
    their group's bound (sorted indices each).

    Whole-array comparisons mark everyone who may change, one nonzero finds them, and their
    state tells the three groups apart (the groups are disjoint by state). In a small world,
    where a nonzero costs little more than the call itself, each group is found directly.
    """
    if model.people.n <= SMALL_WORLD:
        return _who_may_change_small(model, u, bounds)
    s, byte, tracker = model.people.state.view(np.uint8), u.byte, model.taking_part
    awareness = model.cfg.mechanisms.awareness
    chosen = tracker.mask & (byte < bounds["leave"]) if bounds["leave"] else np.zeros(byte.size, bool)
    if bounds["join"]:
        join = (s == _AWARE) | (s == _DROPPED) if awareness else ~tracker.mask
        join &= byte < bounds["join"]
        chosen |= join
    if awareness and (bounds["quiet"] or bounds["tied"]):
        chosen |= _may_notice(model, byte, s, bounds["quiet"], bounds["tied"])
    sel = chosen.nonzero()[0]
    if not awareness:
        taking_part = tracker.mask[sel]
        return _NONE, sel[~taking_part], sel[taking_part]
    state = s[sel]
    return sel[state == _UNAWARE], sel[(state == _AWARE) | (state == _DROPPED)], sel[tracker.mask[sel]]


SMALL_WORLD = 3000  # residents up to which who_may_change finds each group directly (measured crossover)

# AWARE or DROPPED: candidates to join when awareness is a mechanism (by state, as uint8)
_CANDIDATE = np.zeros(256, dtype=bool)
_CANDIDATE[[S.AWARE, S.DROPPED]] = True


def _who_may_change_small(model, u: Uniforms, bounds: dict[str, float]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """who_may_change with one nonzero per group: the same sets, fewer calls in a small world."""
    s, byte, tracker = model.people.state.view(np.uint8), u.byte, model.taking_part
    if model.cfg.mechanisms.awareness and (bounds["quiet"] or bounds["tied"]):
        noticing = _may_notice(model, byte, s, bounds["quiet"], bounds["tied"]).nonzero()[0]
    else:
        noticing = _NONE
    candidates = _CANDIDATE[s] if model.cfg.mechanisms.awareness else ~tracker.mask
    joining = (candidates & (byte < bounds["join"])).nonzero()[0] if bounds["join"] else _NONE
    leaving = (tracker.mask & (byte < bounds["leave"])).nonzero()[0] if bounds["leave"] else _NONE
    return noticing, joining, leaving


def _may_notice(model, byte: np.ndarray, s: np.ndarray, quiet, tied) -> np.ndarray:
    """Mask of the unaware residents below the awareness bound of their case, without
    participating ties (quiet) or with (tied); see awareness_bounds for the two kinds of
    bound."""
    # bytes (without alertness), or byte / alertness (with)
    x = byte if model.inv_alertness is None else byte * model.inv_alertness
    notice = x < min(quiet, tied)
    if tied > quiet:
        notice |= (model.taking_part.ties > 0) & (x < tied)
    elif quiet > tied:
        notice |= (model.taking_part.ties == 0) & (x < quiet)
    notice &= s == _UNAWARE
    return notice


def inputs(model, idx: np.ndarray) -> AdoptionInputs:
    """What residents idx see this month (see rules.adoption.AdoptionInputs)."""
    p, v, e, world, tracker = model.people, model.villages, model.effects, model.world, model.taking_part
    count = tracker.ties[idx]
    mech = model.cfg.mechanisms
    return AdoptionInputs(
        neighbour_share=count * world.inv_degree[idx], neighbour_count=count, threshold=p.threshold[idx],
        trust=p.trust[idx], hours=p.hours[idx], village=p.village[idx], village_share=v.participation,
        visibility=v.visibility, mobilisation=e.mobilisation, crowding=e.crowding, dt_years=DT_YEARS,
        income=p.income[idx] if mech.vulnerability else None,
        inspiration=v.inspiration if mech.inspiration else None,
    )


def _awareness_probability(model, idx: np.ndarray) -> np.ndarray:
    """Probability that each unaware resident of idx becomes aware this month (with the
    outreach aimed at the vulnerable among them, if an instrument does any)."""
    tracker, world, v, e, people = model.taking_part, model.world, model.villages, model.effects, model.people
    outreach = outreach_by_village(model)
    targeted = None if outreach is None else outreach[people.village[idx]] * people.vulnerable[idx]
    alert = None if model.alertness is None else model.alertness[idx]
    return awareness_probability(tracker.ties[idx] * world.inv_degree[idx], people.village[idx],
                                 v.visibility, e.awareness, model.cfg.adoption, targeted=targeted, alert=alert)


def outreach_by_village(model) -> np.ndarray | None:
    """The outreach hazard of a vulnerable resident in each village this month
    (rules.adoption.outreach_hazard), or None when no instrument reaches out."""
    effort = model.effects.outreach
    if not effort.any():
        return None
    people = model.people
    vulnerable = people.vulnerable.nonzero()[0]
    if model.cfg.mechanisms.demography:  # those still living in the region
        vulnerable = vulnerable[people.state[vulnerable] != S.GONE]
    counts = np.bincount(people.village[vulnerable], minlength=effort.size)
    return outreach_hazard(effort, model.villages.residents, counts)


def _become_aware(model, idx: np.ndarray, u: Uniforms) -> np.ndarray:
    """Unaware residents (of idx) who become aware."""
    return idx[u.lt(idx, _awareness_probability(model, idx))]


def awareness_bounds(model) -> tuple:
    """The bounds below which an unaware resident without participating ties (quiet) and
    with them (tied) may become aware this month: nobody above them can, whatever the rule.

    Without alertness: the byte bounds (Uniforms.bound) of the two ceilings. With alertness
    m_i: bounds on b_i / m_i (b_i the resident's byte), so the bound scales with each
    resident's own alertness. As 1 - exp(-x) <= x, P_i <= m_i H, with H = -ln(1 - ceiling)
    the highest hazard of the case's ceiling (an outreach hazard O, not scaled by m_i, is
    bounded by m_i O / min m: hence the factor max(1, 1 / min m) with outreach). A resident
    with b_i / m_i >= 256 (H (1 + 1e-4) + 1e-6) has u_i >= P_i.

    Margins: the relative 1e-4 covers the float32 rounding of b_i / m_i (about 2e-7) and,
    where it matters (b_i >= 1, so m_i h_i >= 1/256), P_i's absolute rounding of about 6e-8;
    the absolute 1e-6 covers H's error from inverting the float32 ceiling (about 6e-8 /
    (1 - ceiling)) while the ceiling is below 0.999. Above that H is too coarse to invert and
    everyone is evaluated (bound infinite)."""
    ceilings = awareness_ceiling(model, _NO_AND_ALL_TIES)
    quiet, tied = ceilings.tolist() if np.ndim(ceilings) else (float(ceilings),) * 2
    if model.inv_alertness is None:
        return Uniforms.bound(quiet), Uniforms.bound(tied)
    spread = max(1.0, model.inv_alertness_max) if model.effects.outreach.any() else 1.0
    return tuple(256.0 * (-math.log1p(-c) * spread * (1.0 + 1e-4) + 1e-6) if c < _INVERTIBLE else math.inf
                 for c in (quiet, tied))


_INVERTIBLE = 0.999  # ceilings up to which H = -ln(1 - ceiling) is computed (see awareness_bounds)


def awareness_ceiling(model, share):
    """awareness_probability at this share of ties taking part (it grows with the share, which
    is at most 1) in the village where it is highest, for a resident of alertness 1. `share`
    may be an array of shares (one ceiling each, from one evaluation of the rule).

    The inputs (visibility, the instruments' awareness push, the parameters) seldom change
    from one month to the next, so the last result is kept with them and reused while they
    stay the same."""
    n_v, v, e, a = model.world.villages.n, model.villages, model.effects, model.cfg.adoption
    shares = np.asarray(share, np.float32)
    # a vulnerable resident reached by outreach has the village's push plus its outreach hazard
    outreach = outreach_by_village(model)
    push = e.awareness if outreach is None else e.awareness + outreach
    try:
        key = (n_v, shares.tobytes(), shares.shape, v.visibility.tobytes(), push.tobytes(),
               tuple(vars(a).values()))
        hash(key)
    except TypeError:  # parameters that cannot be compared cheaply: no reuse
        key = None
    last = _last_awareness_ceiling  # one read: (inputs, result), replaced whole (safe across threads)
    if key is not None and key == last[0]:
        result = last[1]
        return result.copy() if isinstance(result, np.ndarray) else result
    if not n_v:
        result = np.zeros(shares.shape) if shares.ndim else 0.0
    else:
        # every share (rows) in every village (columns)
        p = awareness_probability(shares[..., None], _villages(n_v), v.visibility, push, a)
        highest = np.maximum.reduce(p, axis=-1)
        result = highest.astype(float) if shares.ndim else float(highest)
    if key is not None:
        _remember_awareness_ceiling(key, result)
    return result.copy() if isinstance(result, np.ndarray) else result


_last_awareness_ceiling: tuple = (None, None)  # (inputs, result) of the last awareness_ceiling


def _remember_awareness_ceiling(key, result) -> None:
    global _last_awareness_ceiling
    _last_awareness_ceiling = (key, result)


@functools.cache
def _villages(n_v: int) -> np.ndarray:
    """0 .. n_v - 1 (read-only, shared)."""
    v = np.arange(n_v)
    v.flags.writeable = False
    return v


def _join_probability(model, idx: np.ndarray, state) -> np.ndarray:
    """Probability that each candidate of idx joins this month (the adoption rule)."""
    a = model.cfg.adoption
    p = model.adoption_rule(inputs(model, idx), a)
    if model.decision_speed is not None:  # innovators act sooner (rules.adoption.decision_speed)
        p = np.minimum(p * model.decision_speed[idx], np.float32(1.0))
    if a.rejoin_factor != 1.0:
        dropped = state[idx] == _DROPPED
        if dropped.any():  # (else p as it is)
            p = np.where(dropped, p * np.float32(a.rejoin_factor), p)
    return p


def _joiners(model, idx: np.ndarray, state, u: Uniforms) -> np.ndarray:
    """Candidates (of idx) who join."""
    return idx[u.lt(idx, _join_probability(model, idx, state))]


def _collective_signals(model) -> tuple[np.ndarray, np.ndarray]:
    """Failure signal and burnout per collective, padded with a zero entry so that cid = -1
    (no collective, textbook mode) reads 0."""
    coll = model.collectives
    fail = np.concatenate((coll.failure_signal[: coll.n], _ZERO))
    burn = np.concatenate((coll.burnout[: coll.n], _ZERO)) if model.cfg.mechanisms.burnout else np.zeros(coll.n + 1)
    return fail, burn


_ZERO = np.zeros(1)


def _dropout_probability(model, idx: np.ndarray, fail: np.ndarray, burn: np.ndarray) -> np.ndarray:
    """Probability that each resident of idx taking part leaves this month."""
    people, a = model.people, model.cfg.adoption
    cid = people.collective[idx]
    is_core = people.state[idx] == _CORE
    return dropout_probability(fail[cid], burn[cid], is_core, a.dropout_base, a.dropout_failure,
                               model.cfg.collectives.burnout_exit)


def _leavers(model, idx: np.ndarray, fail: np.ndarray, burn: np.ndarray, u: Uniforms) -> np.ndarray:
    """Members and core volunteers (of idx) who leave this month."""
    return idx[u.lt(idx, _dropout_probability(model, idx, fail, burn))]


def dropout_ceiling(fail: np.ndarray, burn: np.ndarray, a, exit_rate: float) -> float:
    """dropout_probability at the highest failure signal and burnout of any collective (it
    grows with both), so no member's probability exceeds it. (The last result is kept with
    its inputs and reused while they are the same, as they often are for months.)"""
    global _last_dropout_ceiling
    f, b = fail.max(), burn.max()
    key = (float(f), float(b), a.dropout_base, a.dropout_failure, exit_rate)
    last = _last_dropout_ceiling  # one read: (inputs, result), replaced whole (safe across threads)
    if key == last[0]:
        return last[1]
    ceiling = float(dropout_probability(f, b, True, a.dropout_base, a.dropout_failure, exit_rate))
    _last_dropout_ceiling = (key, ceiling)
    return ceiling


_last_dropout_ceiling: tuple = (None, None)  # (inputs, result) of the last dropout_ceiling


def _join(model, joiners: np.ndarray) -> np.ndarray:
    """Joiners become members of an open collective of their village (or of none in textbook
    mode). Returns those who joined (a joiner whose village has no open collective does not)."""
    people = model.people
    if not model.cfg.mechanisms.collectives:
        people.state[joiners] = S.MEMBER
        return joiners
    if not joiners.size:
        return joiners
    cid = pick_open_collective(model, people.village[joiners])
    ok = cid >= 0
    if model.cfg.mechanisms.member_room and ok.any():
        ok[ok] = _within_room(model, cid[ok])
    joined = joiners[ok]
    people.state[joined] = S.MEMBER
    people.collective[joined] = cid[ok]
    return joined


def _within_room(model, cid: np.ndarray) -> np.ndarray:
    """Which joiners (of collectives cid) a collective takes: each with probability the room
    left (sim/rules/collectives.py: member_room, members as counted before this month's
    joining), and never more than the places left, floor(s_t N_v) - M_c, in the order drawn."""
    c = model.collectives
    members, residents = c.members[cid], model.villages.residents[c.village[cid]]
    share = model.theme_table.member_share[c.theme[cid]]
    take = model.rng.random(cid.size) < member_room(members, residents, share)
    places = np.floor(share * residents) - members
    # rank of each taken joiner among those taken for the same collective, in the order drawn
    order = np.argsort(cid, kind="stable")
    sorted_cid = cid[order]
    taken_so_far = np.cumsum(take[order])
    first = np.searchsorted(sorted_cid, sorted_cid)       # where each one's collective starts
    before = np.where(first > 0, taken_so_far[np.maximum(first - 1, 0)], 0)
    rank = np.empty(cid.size, np.int64)
    rank[order] = taken_so_far - 1 - before
    return take & (rank < places)


def pick_open_collective(model, villages: np.ndarray) -> np.ndarray:
    """For each joiner's village, a uniformly chosen collective open to members (-1 if none)."""
    open_by_village = _open_collectives(model)
    if open_by_village is None or villages.size == 0:
        return np.full(villages.size, -1)
    order, counts, starts = open_by_village
    c = counts[villages]
    pick = (model.rng.random(villages.size) * c).astype(np.int64)
    return np.where(c > 0, order[np.minimum(starts[villages] + pick, order.size - 1)], -1)


def _open_collectives(model):
    """The collectives open to members (STARTING <= stage <= SELF_SUSTAINING) grouped by
    village: (ids in village order, count per village, first position per village), or None
    if there are none. Stages change seldom, so the last result is kept with the stages and
    villages it was computed from and reused while they are the same."""
    coll = model.collectives
    stage, village = coll.stage[: coll.n], coll.village[: coll.n]
    global _last_open
    key = (model.world.villages.n, stage.tobytes(), village.tobytes())
    last = _last_open  # one read: (inputs, result), replaced whole (safe across threads)
    if key == last[0]:
        return last[1]
    open_ids = (stage.view(np.uint8) - _STARTING) <= _SELF_SUSTAINING - _STARTING
    open_ids = open_ids.nonzero()[0]
    if open_ids.size == 0:
        result = None
    else:
        where = village[open_ids]
        order = open_ids[where.argsort(kind="stable")]
        counts = np.bincount(where, minlength=key[0])
        result = order, counts, counts.cumsum() - counts
    _last_open = (key, result)
    return result


_last_open: tuple = (None, None)  # (inputs, result) of the last _open_collectives

"""Collectives' phase: found, recruit, work, learn, earn, grow up or dissolve.

Every step is an array operation over collectives (a few hundred at most) using the rules
of sim/rules/collectives.py. The order within a month is the order of `act`.

A month of a small world costs little more than the number of array operations times
numpy's call overhead, so `act` computes what several steps share once (which collectives
live, the village x theme cells they hold) and keeps what only changes when a collective is
founded or dissolved (the pairs of collectives that learn from each other) until it does.
Every step still runs on its own (`work(model)`, ...) with the same result.
"""

from __future__ import annotations

import numpy as np

from ..rules import collectives as R
from . import governance
from ..rules import villages as V
from ..state import ResidentState as S
from ..state import Rogers, Stage  # noqa: F401  (Rogers kept importable from here)

assert S.MEMBER == S.AWARE + 1  # pioneers() relies on it

# Enum members as plain ints for array comparisons: numpy compares an int8 array with an
# IntEnum member by first casting the whole array to int64 (several times slower).
_AWARE, _MEMBER, _CORE = int(S.AWARE), int(S.MEMBER), int(S.CORE)
_ORGANISED, _SELF_SUSTAINING = int(Stage.ORGANISED), int(Stage.SELF_SUSTAINING)


def act(model) -> None:
    """One month of all collectives (nothing happens with mechanisms.collectives off)."""
    if not model.cfg.mechanisms.collectives:
        return
    members = refresh_counts(model)
    living = found(model)
    c = model.collectives
    if not c.n:  # no collective (yet): every step below would do nothing
        return
    alive = c.alive()  # no step below founds one; only dissolve ends any
    if alive.all():
        alive = EVERYONE
    attitude = governance.attitude_of(model, c.village[: c.n])  # the municipality's, with the province's
    recruit_core(model, members, alive)
    outcome = run_projects(model, alive)
    work(model, alive, attitude)
    learn(model, alive, living)
    earn(model, alive)
    build_trust(model, outcome, alive, attitude)
    grow_up(model)
    dissolve(model, alive)


# `alive` that stands for "every collective lives" (act passes it when none has dissolved): the
# steps then skip masking with it, as np.where(True, x, fill) is x
EVERYONE = True


def _if_alive(alive, values: np.ndarray, fill) -> np.ndarray:
    """values for the living collectives, fill for the dissolved ones."""
    return values if alive is EVERYONE else np.where(alive, values, fill)


def refresh_counts(model) -> np.ndarray:
    """Members, core volunteers and the core's free time per collective. Returns the
    residents who take part in a collective."""
    people, c = model.people, model.collectives
    n = c.n
    if not n:
        return np.empty(0, np.int64)
    idx = model.taking_part.mask.nonzero()[0]
    cid = people.collective[idx]
    inside = cid >= 0
    idx, cid = idx[inside], cid[inside]
    core = people.state[idx] == _CORE
    core_cid = cid[core]
    c.members[:n] = np.bincount(cid, minlength=n)[:n]
    c.core[:n] = np.bincount(core_cid, minlength=n)[:n]
    c.core_hours[:n] = np.bincount(core_cid, weights=people.hours[idx[core]], minlength=n)[:n]
    return idx


def pioneers(model) -> np.ndarray:
    """Residents who could found a collective: innovators and early adopters who are aware
    (or members elsewhere) and have the time a core volunteer needs. Sorted by index, so
    grouped by village."""
    idx = model.potential_pioneers
    # AWARE (1) or MEMBER (2): state - 1 < 2 as uint8 (wrapping below AWARE)
    return idx[(model.people.state[idx].view(np.uint8) - _AWARE) < 2]


def found(model):
    """New collectives where enough pioneers are available (leaders are the bottleneck).

    Returns the living collectives and their cells afterwards, `(ids, cells)`, when it
    looked them up (None if no village had enough pioneers)."""
    cfg, c, th, vil = model.cfg.collectives, model.collectives, model.theme_table, model.world.villages
    pool = pioneers(model)
    pool_village = model.people.village[pool]
    n_pioneers = np.bincount(pool_village, minlength=vil.n)
    if not (n_pioneers >= cfg.founders).any():
        return None
    if c.n:
        ids, cells = living_cells(model)
        knowledge = _regional_knowledge(model, ids, cells) if model.cfg.mechanisms.learning \
            else np.zeros((vil.n, len(th.names)))
    else:  # no collective yet: no cell held, no knowledge anywhere
        ids = cells = np.empty(0, np.int64)
        knowledge = np.zeros((vil.n, len(th.names)))
    boost = model.effects.founding
    if model.cfg.mechanisms.inspiration:  # nearby villages' success inspires pioneers (rules.villages)
        boost = boost + V.inspiration_boost(model.villages.inspiration, model.cfg.world.inspiration_founding)
    p = _founding_probability(model, n_pioneers, knowledge, boost)
    p = governance.boost_founding(model, p)  # a village agreement's priority themes
    p.put(cells, 0.0)  # no second collective of a theme in a village (cells: flat indices v * T + t)
    v, t = np.nonzero(model.rng.random(p.shape) < p)  # row-major: by village, then theme
    if v.size == 0:
        return ids, cells
    # shuffle each village's pioneers; its j-th founding this month takes the j-th group of `founders`
    order = _argsort(pool_village + model.rng.random(pool.size))
    starts = np.searchsorted(pool_village[order], v)
    j = np.arange(v.size) - np.searchsorted(v, v)  # rank of the founding within its village
    ok = (j + 1) * cfg.founders <= n_pioneers[v]
    first = starts[ok] + j[ok] * cfg.founders
    groups = pool[order[first[:, None] + np.arange(cfg.founders)]]
    new = model.add_collectives(v[ok], t[ok], groups)
    # the new ones hold empty cells and have the highest ids: the living ones are now these
    return np.concatenate([ids, new]), np.concatenate([cells, v[ok].astype(np.int64) * len(th.names) + t[ok]])


def _founding_probability(model, n_pioneers: np.ndarray, knowledge: np.ndarray, boost: np.ndarray) -> np.ndarray:
    """R.founding_probability for this month, as a new array (found() changes it).

    Its inputs (pioneers per village, the knowledge and boost of the founding rate) seldom
    change from one month to the next in a small world, so the last result is kept with them
    (and the rule itself) and reused while they stay the same."""
    global _last_founding
    cfg, appeal, rule = model.cfg.collectives, model.theme_table.appeal, R.founding_probability
    key = (rule, n_pioneers.tobytes(), appeal.tobytes(), knowledge.shape, knowledge.tobytes(), boost.tobytes(),
           cfg.founders, cfg.founding_rate, cfg.knowledge_founding)
    last = _last_founding  # one read: (inputs, result), replaced whole (safe across threads)
    if key == last[0]:
        return last[1].copy()
    p = rule(n_pioneers, cfg.founders, appeal, knowledge, boost, cfg.founding_rate, cfg.knowledge_founding)
    _last_founding = (key, p.copy())
    return p


_last_founding: tuple = (None, None)  # (inputs, result) of the last _founding_probability


def _argsort(x: np.ndarray) -> np.ndarray:
    """x.argsort(). Distinct values have one order, which a merge sort finds faster here
    (villages in order, random within); only ties, practically never met, need the
    default algorithm's own order."""
    order = x.argsort(kind="stable")
    ranked = x[order]
    if (ranked[1:] == ranked[:-1]).any():
        return x.argsort()
    return order


def living_cells(model, alive: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Ids of the living collectives and their village x theme cells (v * n_themes + t)."""
    c = model.collectives
    if alive is None:
        alive = c.alive()
    ids = np.arange(c.n) if alive is EVERYONE else alive.nonzero()[0]
    return ids, c.village[ids].astype(np.int64) * len(model.themes) + c.theme[ids]


def regional_knowledge(model) -> np.ndarray:
    """V x T: best knowledge of each theme among living collectives in linked villages (R4)."""
    return _regional_knowledge(model, *living_cells(model))


def _regional_knowledge(model, ids: np.ndarray, cells: np.ndarray) -> np.ndarray:
    # max over the linked cells that hold a living collective; the others would add a 0
    here, source = _links(model, ids, cells)[2:]
    best = np.zeros(model.world.villages.n * len(model.themes))
    if here.size:
        np.maximum.at(best, here, model.collectives.knowledge[source])
    return best.reshape(model.world.villages.n, len(model.themes))


def _grid(model, values: np.ndarray, fill) -> np.ndarray:
    """Flat village x theme grid of a per-collective value (living collectives; one per cell)."""
    ids, cells = living_cells(model)
    grid = np.full(model.world.villages.n * len(model.themes), fill, dtype=values.dtype)
    grid[cells] = values[ids]
    return grid


def recruit_core(model, members: np.ndarray, alive: np.ndarray | None = None) -> None:
    """Members with time join the core of a collective whose core is short or overloaded.
    `members` are this month's participants (from refresh_counts)."""
    people, c, cfg = model.people, model.collectives, model.cfg.collectives
    n = c.n
    if not n:
        return
    short = (c.core[:n] < cfg.min_core) | (c.overload[:n] > 0)
    if alive is not EVERYONE:
        short &= c.alive() if alive is None else alive
    if not short.any():
        return
    idx = members[(people.state[members] == _MEMBER) & model.can_be_core[members]]
    idx = idx[short[people.collective[idx]]]
    new_core = idx[model.rng.random(idx.size) < cfg.recruit_rate]
    people.state[new_core] = S.CORE


def run_projects(model, alive: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Advance running projects, settle finished ones, start new ones. Returns (successes,
    failures) this month per collective."""
    c, th, cfg = model.collectives, model.theme_table, model.cfg.collectives
    n = c.n
    won, lost = np.zeros(n), np.zeros(n)
    if not n:
        return won, lost
    left = c.project_left[:n]
    running = left > 0
    if alive is not EVERYONE:
        running &= c.alive() if alive is None else alive
    np.subtract(left, running, out=left)  # one month less where a project runs
    done = (running & (left == 0)).nonzero()[0]
    if done.size:
        theme = c.theme[done]
        risk = R.failure_risk(th.failure_risk[theme], c.knowledge[done], cfg.knowledge_risk_cut)
        risk = governance.failure_risk(model, risk, done)  # co-creation lowers it (loop 3)
        ok = model.rng.random(done.size) >= risk
        won[done[ok]], lost[done[~ok]] = 1, 1
        c.successes[done[ok]] += 1
        c.failures[done[~ok]] += 1
        c.revenue[done[ok]] += th.revenue[theme[ok]]
        c.failure_signal[done[~ok]] += 1.0
        gain = np.where(ok, cfg.knowledge_success, cfg.knowledge_failure)
        c.knowledge[done] = R.knowledge_gain(c.knowledge[done], gain)
    start_projects(model)
    return won, lost


def start_projects(model) -> None:
    """Organised collectives with a core and the money start their next project; the village
    fund tops up shortfalls first (R2: revenue across themes)."""
    c, th, cfg, vs = model.collectives, model.theme_table, model.cfg.collectives, model.villages
    n = c.n
    stage, left = c.stage[:n], c.project_left[:n]
    # ORGANISED <= stage <= SELF_SUSTAINING, no project running, core large enough
    idle = (stage.view(np.uint8) - _ORGANISED) <= _SELF_SUSTAINING - _ORGANISED
    idle &= left == 0
    idle &= c.core[:n] >= cfg.min_core
    if not idle.any():  # nobody can start: the fund would grant nothing and nothing starts
        return
    theme, capital, members = c.theme[:n], c.capital[:n], c.members[:n]
    own = R.own_share(th.project_cost[theme], th.loan_share[theme], members, th.member_investment[theme])
    pooled = governance.pool_capital(model, own, idle)  # a village co-operative lends across themes
    if pooled is not None:
        capital += pooled
        c.own_funding[:n] += np.maximum(pooled, 0.0)
    if model.cfg.mechanisms.cross_theme:
        shortfall = np.where(idle, np.maximum(0.0, own - capital), 0.0)
        grants = R.share_fund(shortfall, c.village[:n], vs.fund)
        capital += grants
        c.own_funding[:n] += grants
        vs.fund -= np.bincount(c.village[:n], weights=grants, minlength=vs.fund.size)
    start = idle & (capital >= own)
    if not start.any():
        return
    capital[start] -= own[start]
    c.own_funding[:n][start] += (members * th.member_investment[theme])[start]
    left[start] = th.project_months[theme[start]]


def work(model, alive: np.ndarray | None = None, attitude: np.ndarray | None = None) -> None:
    """Workload against the core's time; overload builds burnout (balancing loop).
    `attitude`: the municipality's attitude per collective, if known."""
    c, th, cfg = model.collectives, model.theme_table, model.cfg.collectives
    n = c.n
    if not n:
        return
    if alive is None:
        alive = c.alive()
    if attitude is None:
        attitude = governance.attitude_of(model, c.village[:n])
    trust = c.trust[:n] if model.cfg.mechanisms.trust else np.zeros(n)
    factor = governance.procedure_factor(model, attitude)   # None: attitude does not shape procedures
    load = R.workload_hours(cfg.base_hours, governance.admin_hours(model, attitude, factor), trust, attitude,
                            th.project_hours[c.theme[:n]], c.project_left[:n] > 0, governance.burden(model, factor))
    hours = governance.pooled_hours(model, load, alive)  # a village co-operative shares core hours
    ol = _if_alive(alive, R.overload(load, hours), 0.0)
    c.overload[:n] = ol
    if model.cfg.mechanisms.burnout:
        c.burnout[:n] = _if_alive(alive, R.burnout_update(c.burnout[:n], ol, cfg.burnout_rate, cfg.burnout_recovery), 0.0)
    c.failure_signal[:n] *= cfg.failure_memory
    c.burden[:n] = 0.0
    c.eased[:n] = 0.0


def learn(model, alive: np.ndarray | None = None, living=None) -> None:
    """Regional learning (R4): same village across themes, linked villages within a theme.
    `living`: the living collectives and their cells, (ids, cells), if known."""
    c = model.collectives
    if not model.cfg.mechanisms.learning or c.n < 2:
        return
    learner, source = _links(model, *(living if living is not None else living_cells(model, alive)))[:2]
    if not learner.size:  # nobody to learn from: every collective keeps its knowledge
        return
    c.knowledge[: c.n] = R.regional_learning(c.knowledge[: c.n], learner, source, model.cfg.collectives.learning_rate)


def learning_links(model) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (learner, source) of living collectives: the others in the same village (any
    theme) and those of the same theme in linked villages. Built on the village x theme grid,
    which holds at most one living collective per cell (founding needs an empty cell)."""
    return _links(model, *living_cells(model))[:2]


def _links(model, ids: np.ndarray, cells: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(learner, source) as in learning_links, and (here, source) for regional_knowledge: each
    linked cell `here` (same theme, linked village) of a living collective `source`.

    They change only when a collective is founded or dissolved, so the last result is kept
    with what it was computed from (the model's cell pairs, the living collectives and their
    cells) and reused while that stays the same."""
    global _last_links
    pairs, key = model.cell_pairs, (ids.tobytes(), cells.tobytes())
    last = _last_links  # one read: replaced whole (safe across threads)
    if last[0] is pairs and last[1] == key:
        return last[2]
    (a1, b1), (a2, b2) = pairs
    grid = np.full(model.world.villages.n * len(model.themes), -1, dtype=np.int64)
    grid[cells] = ids
    la, lb = grid[np.concatenate([a1, a2])], grid[np.concatenate([b1, b2])]
    keep = (la >= 0) & (lb >= 0)
    there = grid[b2]
    held = there >= 0
    result = la[keep], lb[keep], a2[held], there[held]
    _last_links = (pairs, key, result)  # holds `pairs`, so `is` cannot match a new object at its address
    return result


_last_links: tuple = (None, None, None)  # (cell pairs, inputs, result) of the last _links


def earn(model, alive: np.ndarray | None = None) -> None:
    """Member fees and revenue in, running costs out; a share of revenue to the village fund."""
    c, cfg, vs = model.collectives, model.cfg.collectives, model.villages
    n = c.n
    if not n:
        return
    if alive is None:
        alive = c.alive()
    capital, revenue = c.capital[:n], c.revenue[:n]
    organised = c.stage[:n] >= _ORGANISED
    if alive is not EVERYONE:
        organised &= alive
    income = _if_alive(alive, c.members[:n] * cfg.member_fee + revenue, 0.0)
    capital += income - organised * cfg.running_cost
    c.own_funding[:n] += income
    # without revenue the fund's share is 0 everywhere (paying it would add zeros)
    if model.cfg.mechanisms.cross_theme and revenue.any():
        paying = capital > 0
        if alive is not EVERYONE:
            paying &= alive
        pay = np.where(paying, np.minimum(cfg.fund_share * revenue, capital), 0.0)
        capital -= pay
        vs.fund += np.bincount(c.village[:n], weights=pay, minlength=vs.fund.size)


def build_trust(model, outcome: tuple[np.ndarray, np.ndarray], alive: np.ndarray | None = None,
                attitude: np.ndarray | None = None) -> None:
    """Trust with the municipality follows success, failure and the municipality's attitude (R3)."""
    c, cfg = model.collectives, model.cfg.collectives
    n = c.n
    if not model.cfg.mechanisms.trust or not n:
        return
    trust = c.trust[:n]
    attitude = governance.attitude_of(model, c.village[:n]) if attitude is None else attitude
    new = R.trust_update(trust, outcome[0], outcome[1], governance.trust_target(model, attitude),
                         cfg.trust_success, cfg.trust_failure, cfg.trust_drift)
    if alive is EVERYONE:
        trust[:] = new
    else:
        np.copyto(trust, new, where=c.alive() if alive is None else alive)


def grow_up(model) -> None:
    """Lifecycle stages (see rules.collectives.next_stage)."""
    c, cfg = model.collectives, model.cfg.collectives
    n = c.n
    if not n:
        return
    successes, left = c.successes[:n], c.project_left[:n]
    sustaining = R.self_sustaining(successes, c.revenue[:n], cfg.running_cost,
                                   c.gov_funding[:n], c.own_funding[:n], cfg.self_sustaining_share,
                                   c.equity_funding[:n])
    has_projects = (successes + c.failures[:n] > 0) | (left > 0)
    c.stage[:n] = R.next_stage(c.stage[:n], model.month - c.founded[:n], c.members[:n], cfg.idea_months,
                               cfg.months_to_organise, cfg.min_members_organised, has_projects, sustaining)


def dissolve(model, alive: np.ndarray | None = None) -> None:
    """Collectives too weak for too long end; their members leave, their capital goes to the fund."""
    c, cfg, people = model.collectives, model.cfg.collectives, model.people
    n = c.n
    if not n:
        return
    if alive is None:
        alive = c.alive()
    weak = c.weak_months[:n]
    weak[:] = _if_alive(alive, R.weak_months(weak, c.core[:n], c.capital[:n], cfg.min_core), 0)
    ending = weak >= cfg.dissolve_after
    if alive is not EVERYONE:
        ending &= alive
    ending = ending.nonzero()[0]
    if not ending.size:
        return
    c.stage[ending] = Stage.DISSOLVED
    c.ended[ending] = model.month
    c.project_left[ending] = 0
    c.members[ending] = c.core[ending] = 0
    c.core_hours[ending] = 0.0
    if model.cfg.mechanisms.cross_theme:
        np.add.at(model.villages.fund, c.village[ending], np.maximum(c.capital[ending], 0.0))
    c.capital[ending] = np.minimum(c.capital[ending], 0.0)
    ended = np.zeros(n + 1, dtype=bool)  # over collective ids, and -1 (no collective) last
    ended[ending] = True
    gone = ended[people.collective].nonzero()[0]
    people.state[gone] = S.DROPPED
    people.collective[gone] = -1
    model.taking_part.apply(np.empty(0, np.int64), gone)

"""Collectives' phase: found, recruit, work, learn, earn, grow up or dissolve.

Every step is an array operation over collectives (a few hundred at most) using the rules
of sim/rules/collectives.py. The order within a month is the order of `act`.
"""

from __future__ import annotations

import numpy as np

from ..rules import collectives as R
from ..state import ResidentState as S
from ..state import Rogers, Stage


def act(model) -> None:
    """One month of all collectives (nothing happens with mechanisms.collectives off)."""
    if not model.cfg.mechanisms.collectives:
        return
    members = refresh_counts(model)
    found(model)
    recruit_core(model, members)
    outcome = run_projects(model)
    work(model)
    learn(model)
    earn(model)
    build_trust(model, outcome)
    grow_up(model)
    dissolve(model)


def refresh_counts(model) -> np.ndarray:
    """Members, core volunteers and the core's free time per collective. Returns the
    residents who take part in a collective."""
    people, c = model.people, model.collectives
    if not c.n:
        return np.empty(0, np.int64)
    idx = np.flatnonzero(model.taking_part.mask)
    cid = people.collective[idx]
    idx, cid = idx[cid >= 0], cid[cid >= 0]
    core = people.state[idx] == S.CORE
    c.members[: c.n] = np.bincount(cid, minlength=c.n)[: c.n]
    c.core[: c.n] = np.bincount(cid[core], minlength=c.n)[: c.n]
    c.core_hours[: c.n] = np.bincount(cid[core], weights=people.hours[idx[core]], minlength=c.n)[: c.n]
    return idx


def pioneers(model) -> np.ndarray:
    """Residents who could found a collective: innovators and early adopters who are aware
    (or members elsewhere) and have the time a core volunteer needs. Sorted by index, so
    grouped by village."""
    idx = model.potential_pioneers
    state = model.people.state[idx]
    return idx[(state == S.AWARE) | (state == S.MEMBER)]


def found(model) -> None:
    """New collectives where enough pioneers are available (leaders are the bottleneck)."""
    cfg, c, th, vil = model.cfg.collectives, model.collectives, model.theme_table, model.world.villages
    pool = pioneers(model)
    pool_village = model.people.village[pool]
    n_pioneers = np.bincount(pool_village, minlength=vil.n)
    if not (n_pioneers >= cfg.founders).any():
        return
    alive = c.alive()
    exists = np.zeros((vil.n, len(th.names)), dtype=bool)
    exists[c.village[: c.n][alive], c.theme[: c.n][alive]] = True
    knowledge = regional_knowledge(model) if model.cfg.mechanisms.learning else np.zeros(exists.shape)
    p = R.founding_probability(n_pioneers, cfg.founders, th.appeal, knowledge, model.effects.founding,
                               cfg.founding_rate, cfg.knowledge_founding)
    p[exists] = 0.0
    v, t = np.nonzero(model.rng.random(p.shape) < p)  # row-major: by village, then theme
    if v.size == 0:
        return
    # shuffle each village's pioneers; its j-th founding this month takes the j-th group of `founders`
    order = np.argsort(pool_village + model.rng.random(pool.size))
    starts = np.searchsorted(pool_village[order], v)
    j = np.arange(v.size) - np.searchsorted(v, v)  # rank of the founding within its village
    ok = (j + 1) * cfg.founders <= n_pioneers[v]
    first = starts[ok] + j[ok] * cfg.founders
    groups = pool[order[first[:, None] + np.arange(cfg.founders)]]
    model.add_collectives(v[ok], t[ok], groups)


def regional_knowledge(model) -> np.ndarray:
    """V x T: best knowledge of each theme among living collectives in linked villages (R4)."""
    own = _grid(model, model.collectives.knowledge, fill=0.0)
    best = np.zeros_like(own)
    here, there = model.cell_pairs[1]
    np.maximum.at(best, here, own[there])
    return best.reshape(model.world.villages.n, len(model.themes))


def _grid(model, values: np.ndarray, fill) -> np.ndarray:
    """Flat village x theme grid of a per-collective value (living collectives; one per cell)."""
    c = model.collectives
    ids = np.flatnonzero(c.alive())
    grid = np.full(model.world.villages.n * len(model.themes), fill, dtype=values.dtype)
    grid[c.village[ids].astype(np.int64) * len(model.themes) + c.theme[ids]] = values[ids]
    return grid


def recruit_core(model, members: np.ndarray) -> None:
    """Members with time join the core of a collective whose core is short or overloaded.
    `members` are this month's participants (from refresh_counts)."""
    people, c, cfg = model.people, model.collectives, model.cfg.collectives
    if not c.n:
        return
    short = c.alive() & ((c.core[: c.n] < cfg.min_core) | (c.overload[: c.n] > 0))
    if not short.any():
        return
    idx = members[(people.state[members] == S.MEMBER) & model.can_be_core[members]]
    idx = idx[short[people.collective[idx]]]
    new_core = idx[model.rng.random(idx.size) < cfg.recruit_rate]
    people.state[new_core] = S.CORE


def run_projects(model) -> tuple[np.ndarray, np.ndarray]:
    """Advance running projects, settle finished ones, start new ones. Returns (successes,
    failures) this month per collective."""
    c, th, cfg = model.collectives, model.theme_table, model.cfg.collectives
    n = c.n
    won, lost = np.zeros(n), np.zeros(n)
    if not n:
        return won, lost
    running = c.alive() & (c.project_left[:n] > 0)
    c.project_left[:n][running] -= 1
    done = np.flatnonzero(running & (c.project_left[:n] == 0))
    if done.size:
        theme = c.theme[done]
        risk = R.failure_risk(th.failure_risk[theme], c.knowledge[done], cfg.knowledge_risk_cut)
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
    stage, theme = c.stage[:n], c.theme[:n]
    idle = (stage >= Stage.ORGANISED) & (stage <= Stage.SELF_SUSTAINING) & (c.project_left[:n] == 0) \
        & (c.core[:n] >= cfg.min_core)
    own = R.own_share(th.project_cost[theme], th.loan_share[theme], c.members[:n], th.member_investment[theme])
    if model.cfg.mechanisms.cross_theme:
        shortfall = np.where(idle, np.maximum(0.0, own - c.capital[:n]), 0.0)
        grants = R.share_fund(shortfall, c.village[:n], vs.fund)
        c.capital[:n] += grants
        c.own_funding[:n] += grants
        vs.fund -= np.bincount(c.village[:n], weights=grants, minlength=vs.fund.size)
    start = idle & (c.capital[:n] >= own)
    c.capital[:n][start] -= own[start]
    c.own_funding[:n][start] += (c.members[:n] * th.member_investment[theme])[start]
    c.project_left[:n][start] = th.project_months[theme[start]]


def work(model) -> None:
    """Workload against the core's time; overload builds burnout (balancing loop)."""
    c, th, cfg = model.collectives, model.theme_table, model.cfg.collectives
    n = c.n
    if not n:
        return
    alive = c.alive()
    attitude = model.attitude_of_village[c.village[:n]]
    trust = c.trust[:n] if model.cfg.mechanisms.trust else np.zeros(n)
    load = R.workload_hours(cfg.base_hours, cfg.admin_hours, trust, attitude,
                            th.project_hours[c.theme[:n]], c.project_left[:n] > 0, c.burden[:n])
    ol = np.where(alive, R.overload(load, c.core_hours[:n]), 0.0)
    c.overload[:n] = ol
    if model.cfg.mechanisms.burnout:
        c.burnout[:n] = np.where(alive, R.burnout_update(c.burnout[:n], ol, cfg.burnout_rate, cfg.burnout_recovery), 0.0)
    c.failure_signal[:n] *= cfg.failure_memory
    c.burden[:n] = 0.0


def learn(model) -> None:
    """Regional learning (R4): same village across themes, linked villages within a theme."""
    c = model.collectives
    if not model.cfg.mechanisms.learning or c.n < 2:
        return
    learner, source = learning_links(model)
    c.knowledge[: c.n] = R.regional_learning(c.knowledge[: c.n], learner, source, model.cfg.collectives.learning_rate)


def learning_links(model) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (learner, source) of living collectives: the others in the same village (any
    theme) and those of the same theme in linked villages. Built on the village x theme grid,
    which holds at most one living collective per cell (founding needs an empty cell)."""
    grid = _grid(model, np.arange(model.collectives.n), fill=-1)
    learners, sources = [], []
    for a, b in model.cell_pairs:
        la, lb = grid[a], grid[b]
        keep = (la >= 0) & (lb >= 0)
        learners.append(la[keep]), sources.append(lb[keep])
    return np.concatenate(learners), np.concatenate(sources)


def earn(model) -> None:
    """Member fees and revenue in, running costs out; a share of revenue to the village fund."""
    c, cfg, vs = model.collectives, model.cfg.collectives, model.villages
    n = c.n
    if not n:
        return
    alive = c.alive()
    organised = alive & (c.stage[:n] >= Stage.ORGANISED)
    income = np.where(alive, c.members[:n] * cfg.member_fee + c.revenue[:n], 0.0)
    c.capital[:n] += income - organised * cfg.running_cost
    c.own_funding[:n] += income
    if model.cfg.mechanisms.cross_theme:
        pay = np.where(alive & (c.capital[:n] > 0), np.minimum(cfg.fund_share * c.revenue[:n], c.capital[:n]), 0.0)
        c.capital[:n] -= pay
        vs.fund += np.bincount(c.village[:n], weights=pay, minlength=vs.fund.size)


def build_trust(model, outcome: tuple[np.ndarray, np.ndarray]) -> None:
    """Trust with the municipality follows success, failure and the municipality's attitude (R3)."""
    c, cfg = model.collectives, model.cfg.collectives
    n = c.n
    if not model.cfg.mechanisms.trust or not n:
        return
    alive = c.alive()
    new = R.trust_update(c.trust[:n], outcome[0], outcome[1], model.attitude_of_village[c.village[:n]],
                         cfg.trust_success, cfg.trust_failure, cfg.trust_drift)
    c.trust[:n] = np.where(alive, new, c.trust[:n])


def grow_up(model) -> None:
    """Lifecycle stages (see rules.collectives.next_stage)."""
    c, cfg = model.collectives, model.cfg.collectives
    n = c.n
    if not n:
        return
    sustaining = R.self_sustaining(c.successes[:n], c.revenue[:n], cfg.running_cost,
                                   c.gov_funding[:n], c.own_funding[:n], cfg.self_sustaining_share)
    has_projects = (c.successes[:n] + c.failures[:n] > 0) | (c.project_left[:n] > 0)
    c.stage[:n] = R.next_stage(c.stage[:n], model.month - c.founded[:n], c.members[:n], cfg.idea_months,
                               cfg.months_to_organise, cfg.min_members_organised, has_projects, sustaining)


def dissolve(model) -> None:
    """Collectives too weak for too long end; their members leave, their capital goes to the fund."""
    c, cfg, people = model.collectives, model.cfg.collectives, model.people
    n = c.n
    if not n:
        return
    alive = c.alive()
    c.weak_months[:n] = np.where(alive, R.weak_months(c.weak_months[:n], c.core[:n], c.capital[:n], cfg.min_core), 0)
    ending = np.flatnonzero(alive & (c.weak_months[:n] >= cfg.dissolve_after))
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
    gone = np.flatnonzero(np.isin(people.collective, ending))
    people.state[gone] = S.DROPPED
    people.collective[gone] = -1
    model.taking_part.apply(np.empty(0, np.int64), gone)

"""Governments' role in the month, applied as array operations: the attitude collectives meet,
procedures, village agreements, village co-operatives and the province's room to deviate.

The rules are in sim/rules/governance.py and sim/rules/agreements.py; the collectives' phase
(sim/dynamics/collectives.py) asks this module for the inputs it hands to its own rules, and
the villages' phase (sim/dynamics/villages.py) calls `update_coops` at the end of the month.
With mechanisms.attitude, agreements, village_coops and province_roles off every function
here returns what the model used before them (the same arrays, no random draw).
"""

from __future__ import annotations

import numpy as np

from ..rules import agreements as A
from ..rules import governance as G
from ..state import Stage

_ORGANISED = int(Stage.ORGANISED)


def attitude_of(model, villages: np.ndarray) -> np.ndarray:
    """The attitude collectives in `villages` meet: the municipality's, mixed with the
    province's under mechanisms.attitude (`effective_attitude`)."""
    municipal = model.attitude_of_village[villages]
    if not model.cfg.mechanisms.attitude:
        return municipal
    g = model.cfg.governments
    return G.effective_attitude(municipal, g.province_attitude, g.province_weight)


def procedure_factor(model, attitude: np.ndarray) -> np.ndarray | None:
    """F per collective (None: 1 everywhere, mechanisms.attitude off)."""
    if not model.cfg.mechanisms.attitude:
        return None
    return G.procedure_factor(attitude, model.cfg.governments.attitude_burden)


def failure_risk(model, risk: np.ndarray, done: np.ndarray) -> np.ndarray:
    """Failure risk of the projects of collectives `done` with co-creation (`cocreation_risk`)
    under mechanisms.attitude (with mechanisms.trust off, trust counts as 0.5)."""
    if not model.cfg.mechanisms.attitude:
        return risk
    c = model.collectives
    trust = c.trust[done] if model.cfg.mechanisms.trust else np.full(done.size, 0.5)
    return G.cocreation_risk(risk, trust, attitude_of(model, c.village[done]), model.cfg.governments.cocreation_risk)


def covered(model, n: int) -> np.ndarray | None:
    """Collectives 0..n-1 whose theme is a priority of their village's agreement in force
    (None: no agreement in force anywhere, or mechanisms.agreements off)."""
    vs = model.villages
    if not model.cfg.mechanisms.agreements:
        return None
    in_force = vs.agreements_in_force(model.month)
    if not in_force.any():
        return None
    c = model.collectives
    v, t = c.village[:n], c.theme[:n]
    return in_force[v] & vs.priorities[v, t]


def admin_hours(model, attitude: np.ndarray, factor: np.ndarray | None):
    """Admin hours per collective at zero trust (`admin_hours`); the plain parameter where
    neither attitude, an agreement nor room to deviate applies."""
    c, n, admin = model.collectives, model.collectives.n, model.cfg.collectives.admin_hours
    cover = covered(model, n)
    eased = c.eased[:n]
    if factor is None and cover is None and not eased.any():
        return admin
    cut = eased if cover is None else np.maximum(eased, model.cfg.policy.dialogue.agreement_burden_cut * cover)
    return G.admin_hours(admin, np.ones(n) if factor is None else factor, cut)


def burden(model, factor: np.ndarray | None) -> np.ndarray:
    """Instruments' hours this month, scaled by the procedure factor under mechanisms.attitude."""
    b = model.collectives.burden[: model.collectives.n]
    return b if factor is None else b * factor


def trust_target(model, attitude: np.ndarray) -> np.ndarray:
    """Where each collective's trust drifts to (`trust_target`): the attitude it meets, raised
    for the priority themes of an agreement in force."""
    cover = covered(model, model.collectives.n)
    if cover is None:
        return attitude
    return G.trust_target(attitude, cover, model.cfg.policy.dialogue.agreement_trust)


def boost_founding(model, p: np.ndarray) -> np.ndarray:
    """Founding probabilities (V x T) with the agreements' priority themes boosted."""
    if not model.cfg.mechanisms.agreements:
        return p
    vs = model.villages
    in_force = vs.agreements_in_force(model.month)
    if not in_force.any():
        return p
    return A.boost_founding(p, vs.priorities & in_force[:, None], model.cfg.policy.dialogue.agreement_founding)


# --- village co-operatives ---------------------------------------------------------------

def coop_group(model, alive) -> np.ndarray | None:
    """Co-operative (its village) of each collective 0..n-1, -1 outside one (None: none exists)."""
    vs, c = model.villages, model.collectives
    if not model.cfg.mechanisms.village_coops or not vs.coop.any():
        return None
    n = c.n
    alive = np.ones(n, bool) if alive is True else (c.alive() if alive is None else alive)
    return A.coop_members(c.village[:n], alive, vs.coop)


def pooled_hours(model, load: np.ndarray, alive) -> np.ndarray:
    """Core hours per collective after the co-operatives share them by workload."""
    hours = model.collectives.core_hours[: model.collectives.n]
    group = coop_group(model, alive)
    if group is None:
        return hours
    return A.pool_hours(hours, load, group, model.cfg.policy.dialogue.coop_hours_share)


def pool_capital(model, need: np.ndarray, idle: np.ndarray) -> np.ndarray | None:
    """Each collective's transfer from its co-operative's pool this month (None: no co-operative)."""
    group = coop_group(model, None)
    if group is None:
        return None
    c = model.collectives
    return A.pool_capital(c.capital[: c.n], need, idle, group, model.cfg.policy.dialogue.coop_capital_share)


def update_coops(model) -> None:
    """End of the month: co-operatives with too few living collectives end; villages with an
    agreement in force and enough organised collectives form one with probability `coop_rate`
    (one uniform per such village, drawn only when there is one)."""
    cfg, vs, c = model.cfg, model.villages, model.collectives
    if not (cfg.mechanisms.village_coops and cfg.mechanisms.collectives):
        return
    in_force = vs.agreements_in_force(model.month)
    if not (vs.coop.any() or in_force.any()):
        return
    d, n = cfg.policy.dialogue, c.n
    alive = c.alive()
    living = np.bincount(c.village[:n][alive], minlength=vs.coop.size)
    organised = np.bincount(c.village[:n][alive & (c.stage[:n] >= _ORGANISED)], minlength=vs.coop.size)
    vs.coop = A.coop_holds(living, vs.coop, d.coop_min_themes)
    can = np.flatnonzero(A.coop_can_form(in_force, vs.coop, organised, d.coop_min_themes))
    if can.size:
        form = can[model.rng.random(can.size) < d.coop_rate]
        vs.coop[form] = True
        vs.coops_formed[form] += 1


# --- the province's room to deviate ------------------------------------------------------

def room_to_deviate(model) -> float:
    """The province's room to deviate (0 with mechanisms.province_roles off)."""
    return model.cfg.governments.room_to_deviate if model.cfg.mechanisms.province_roles else 0.0


def cofunding(model) -> float:
    """EUR the province adds per EUR of municipal instruments (0 with mechanisms.province_roles off)."""
    return model.cfg.governments.cofunding if model.cfg.mechanisms.province_roles else 0.0


def under_room_to_deviate(model, run, room: float) -> None:
    """Run `run()` (a tender's or Right to Challenge's month) and let go of a share `room` of
    the hours it added to collectives (`eased_hours`); the collectives it asked hours of this
    month also drop that share of their admin hours (`eased`, read by `admin_hours`)."""
    c = model.collectives
    n = c.n
    before = c.burden[:n].copy()
    run()
    added = c.burden[:n] - before
    dealt = added > 0
    c.burden[:n] = before + G.eased_hours(added, room)
    c.eased[:n][dealt] = np.maximum(c.eased[:n][dealt], room)


# --- what the recorder counts (sim/outcomes.py: Snapshot) ---------------------------------

def counts(model, alive: np.ndarray) -> dict:
    """Agreements, co-operatives, trust, knowledge and the province's spend for this month's
    Snapshot; `alive`: the living collectives (a mask over 0..n-1)."""
    vs, c = model.villages, model.collectives
    n = c.n
    living = int(np.count_nonzero(alive))
    out = dict(
        agreements=int(np.count_nonzero(vs.agreements_in_force(model.month))),
        agreements_made=int(np.add.reduce(vs.agreements_made)), coops=int(np.count_nonzero(vs.coop)),
        coops_formed=int(np.add.reduce(vs.coops_formed)), coop_collectives=0, trust_mean=0.0, knowledge_mean=0.0,
        province_spent=model.province.spent_with_cofunding)
    if living:  # (no living collective: none in a co-operative, means 0)
        group = A.coop_members(c.village[:n], alive, vs.coop)
        out.update(coop_collectives=int(np.count_nonzero(group >= 0)), trust_mean=float(c.trust[:n][alive].mean()),
                   knowledge_mean=float(c.knowledge[:n][alive].mean()))
    return out

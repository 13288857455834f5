"""Governments' own role as pure functions: attitude, procedures, co-funding, room to deviate.

Index c = collective, v = village, m = municipality. The province (middenbestuur) is one
government above the municipalities; DOMAIN.md section 3 gives each government "an attitude
(controlling vs co-creating) that shapes procedures". These rules say how (all *assumptions*
unless stated; parameters in sim/config/governance.py, applied by sim/dynamics/governance.py
and sim/agents/government.py; docs/ODD.md section 7.7).
"""

from __future__ import annotations

import numpy as np

# Instruments whose procedures the province's room to deviate (afwijkingsruimte) lightens:
# both ask collectives to meet rules written for businesses and public bodies.
DEVIATING_INSTRUMENTS = ("tender", "right_to_challenge")


def effective_attitude(municipal: np.ndarray, province: float, weight: float) -> np.ndarray:
    """The attitude a collective meets: A = (1 - w) A_m + w A_p.

    A_m: its municipality's attitude, A_p: the province's, w: the province's weight in the
    procedures and the climate of co-operation a collective deals with (the province sets
    frames, subsidy rules and programmes; the municipality is the one it meets most).
    Assumption; w = 0 gives the municipalities' attitude alone (the model before
    mechanisms.attitude).
    """
    return (1.0 - weight) * np.asarray(municipal, dtype=float) + weight * province


def procedure_factor(attitude: np.ndarray, strength: float) -> np.ndarray:
    """How much procedure a government asks relative to a neutral one: F = max(0, 1 + b (1 - 2 A)).

    A = 0.5 gives 1; a co-creating government (A = 1) asks 1 - b of the hours, a controlling
    one (A = 0) 1 + b. It multiplies the admin hours of every collective and the hours the
    instruments ask (applications, reports, bids). Assumption (DOMAIN.md s3: attitude
    shapes procedures; grant burden is about 38 % of grant income for small charities, UK,
    DOMAIN.md s6, so procedures are a large part of what instruments cost volunteers).
    """
    return np.maximum(0.0, 1.0 + strength * (1.0 - 2.0 * np.asarray(attitude, dtype=float)))


def admin_hours(admin: float, factor: np.ndarray, cut: np.ndarray) -> np.ndarray:
    """Hours of procedures at zero trust, per collective: admin_c = admin F_c (1 - cut_c).

    F_c: the procedure factor of its government's attitude (1 with mechanisms.attitude off);
    cut_c in [0, 1]: the relief it has from a village agreement or the province's room to
    deviate (the larger applies). The workload rule then lowers them further with trust:
    admin_c (1 - T_c A_c) (`workload_hours`, sim/rules/collectives.py).
    """
    return admin * np.asarray(factor, dtype=float) * (1.0 - np.clip(cut, 0.0, 1.0))


def trust_target(attitude: np.ndarray, covered: np.ndarray, lift: float) -> np.ndarray:
    """Where trust drifts to: A*_c = A_c + lift [covered_c] (1 - A_c).

    A_c: the effective attitude; covered_c: the collective's theme is a priority of a
    village agreement in force (the municipality committed to it), which closes a share
    `lift` of the gap to full trust (Movisie 2011, dorpsagenda: residents and professionals
    report better relations; no effect size, so lift is an assumption).
    """
    a = np.asarray(attitude, dtype=float)
    return a + lift * np.asarray(covered, dtype=float) * (1.0 - a)


def cocreation_risk(risk: np.ndarray, trust: np.ndarray, attitude: np.ndarray, strength: float) -> np.ndarray:
    """Failure risk of a project with co-creation: r' = clip(r (1 - s (T_c A_c - 1/4)), 0, 1).

    DOMAIN.md loop 3: trust between collective and government -> lighter procedures and
    co-creation -> success. T_c A_c is co-creation (both sides must want it), centred on a
    neutral municipality and neutral trust (0.5 x 0.5), so that a village there keeps the
    themes' assumed failure risks; full trust with a co-creating government lowers the risk
    by 3/4 s, none raises it by s/4. Direction from Igalla, Edelenbos & van Meerkerk (2019):
    government support relates positively to community-based initiatives' performance; the
    size s is an assumption.
    """
    co = np.asarray(trust, dtype=float) * np.asarray(attitude, dtype=float)
    return np.clip(np.asarray(risk, dtype=float) * (1.0 - strength * (co - 0.25)), 0.0, 1.0)


def matched_allocation(allocation: float, match: float) -> float:
    """A municipal instrument's money with the province as co-funder: a (1 + m).

    m: EUR the province adds per EUR of municipal money (matching funds; assumption: a
    setting, 0 = no co-funding). The province pays m / (1 + m) of every euro spent
    (`province_share`).
    """
    return allocation * (1.0 + match)


def province_share(match: float) -> float:
    """Share of a co-funded instrument's spending paid by the province: m / (1 + m)."""
    return match / (1.0 + match) if match > 0 else 0.0


def eased_hours(added: np.ndarray, room: float) -> np.ndarray:
    """Hours a tender or Right to Challenge asks with the province's room to deviate:
    h' = h (1 - r), r in [0, 1] the share of procedure the province lets go of (assumption)."""
    return np.asarray(added, dtype=float) * (1.0 - min(max(room, 0.0), 1.0))

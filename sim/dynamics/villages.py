"""Villages' phase: visibility, inspiration, liveability and participation at the end of the
month, then village co-operatives form or end (sim/dynamics/governance.py).

Participation counts come from the tracker (sim/dynamics/participation.py), to which every
phase reports the residents who start or stop taking part.
"""

from __future__ import annotations

import numpy as np

from ..rules import villages as R
from . import governance


def update(model) -> None:
    c, vs = model.collectives, model.villages
    n_v, n_t = vs.successes.shape
    n = c.n
    scale = model.cfg.collectives.visibility_scale
    successes, visibility = _successes_and_visibility(model, n_v, n_t, n, scale)
    vs.successes, vs.visibility = successes.copy(), visibility.copy()
    if model.cfg.mechanisms.inspiration:
        vs.inspiration = _inspiration(model, successes, scale)
    vs.participation = model.taking_part.by_village / np.maximum(model.villages.residents, 1)
    vs.liveability = _liveability(model, vs.successes, vs.participation, scale)
    governance.update_coops(model)


def _liveability(model, successes: np.ndarray, participation: np.ndarray, scale: float) -> np.ndarray:
    """R.liveability of every village (a new array). Successes change seldom and participation
    not every month in a small world, so the last result is kept with its inputs (and the rule
    itself) and reused while they stay the same."""
    global _last_liveability
    base, weights, w_p = model.world.villages.liveability0, model.theme_table.liveability_weight, \
        model.cfg.world.liveability_participation
    key = (R.liveability, base.tobytes(), successes.shape, successes.tobytes(), weights.tobytes(), scale,
           participation.tobytes(), w_p)
    last = _last_liveability  # one read: (inputs, result), replaced whole (safe across threads)
    if key == last[0]:
        return last[1].copy()
    result = R.liveability(base, successes, weights, scale, participation, w_p)
    _last_liveability = (key, result.copy())
    return result


_last_liveability: tuple = (None, None)  # (inputs, result) of the last _liveability


def _successes_and_visibility(model, n_v: int, n_t: int, n: int, scale: float) -> tuple[np.ndarray, np.ndarray]:
    """Successful projects of the living collectives per village x theme, and visibility.

    They change only when a project succeeds or a collective ends, so the last result is
    kept with what it was computed from and reused while that stays the same."""
    global _last
    c = model.collectives
    key = (n_v, n_t, n, scale, c.successes[:n].tobytes(), c.stage[:n].tobytes(), c.village[:n].tobytes(),
           c.theme[:n].tobytes())
    last = _last  # one read: (inputs, result), replaced whole (safe across threads)
    if key == last[0]:
        return last[1]
    # successes of the living collectives per village x theme cell (whole numbers: exact sums,
    # so adding the dissolved ones as zeros changes nothing)
    cell = c.village[:n].astype(np.int64) * n_t + c.theme[:n]
    weights = np.where(c.alive(), c.successes[:n], 0)
    successes = np.bincount(cell, weights=weights, minlength=n_v * n_t).reshape(n_v, n_t)
    result = successes, R.visibility(np.add.reduce(successes, axis=1), scale)
    _last = (key, result)
    return result


_last: tuple = (None, None)  # (inputs, result) of the last _successes_and_visibility


def _inspiration(model, successes: np.ndarray, scale: float) -> np.ndarray:
    """Inspiration of each village by the others' visible success (rules.villages.inspiration),
    read next month by joining and founding. The kernel is made once per world and distance
    scale; the result is kept with the successes it was computed from."""
    global _last_inspiration
    villages, km = model.world.villages, model.cfg.world.inspiration_km
    per_village = np.add.reduce(successes, axis=1)
    key = (per_village.tobytes(), scale)
    # one read: (villages, km, kernel, key, result), replaced whole (safe across threads); it holds the
    # villages, so `is` cannot match another world's villages at the same address
    last = _last_inspiration
    if last[0] is villages and last[1] == km:
        kernel = last[2]
        if last[3] == key:
            return last[4].copy()
    else:
        kernel = R.distance_kernel(villages.distances(), km)
    result = R.inspiration(per_village, kernel, scale)
    _last_inspiration = (villages, km, kernel, key, result)
    return result.copy()


_last_inspiration: tuple = (None, None, None, None, None)

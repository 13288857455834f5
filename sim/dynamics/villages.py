"""Villages' phase: visibility, liveability and participation at the end of the month.

Participation counts come from the tracker (sim/dynamics/participation.py), to which every
phase reports the residents who start or stop taking part.
"""

from __future__ import annotations

import numpy as np

from ..rules import villages as R


def update(model) -> None:
    c, vs, th = model.collectives, model.villages, model.theme_table
    n_v, n_t = vs.successes.shape
    n = c.n
    # successes of the living collectives per village x theme cell (whole numbers: exact sums,
    # so adding the dissolved ones as zeros changes nothing)
    key = c.village[:n].astype(np.int64) * n_t + c.theme[:n]
    weights = np.where(c.alive(), c.successes[:n], 0)
    vs.successes = np.bincount(key, weights=weights, minlength=n_v * n_t).reshape(n_v, n_t)
    scale = model.cfg.collectives.visibility_scale
    vs.visibility = R.visibility(np.add.reduce(vs.successes, axis=1), scale)
    vs.participation = model.taking_part.by_village / np.maximum(model.villages.residents, 1)
    vs.liveability = R.liveability(model.world.villages.liveability0, vs.successes, th.liveability_weight, scale,
                                   vs.participation, model.cfg.world.liveability_participation)

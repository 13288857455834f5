"""robustness/summary.json: the robust comparison, machine-readable (the browser page reads it).

Fields (numbers are plain floats; an undefined number is null):

    version            1
    worlds, replicates number of worlds and replicates per world and policy
    runs               runs in the exploration (point comparison aside)
    sampler, seed      the design (lhs or sobol) and its seed
    baseline           the policy every other is compared with ("none")
    policies           [{name, label: {en, nl}}] in report order, the baseline first
    inputs             [{key, lo, hi, default, unit, reason, drawn_from: "box" | "posterior"}]
    calibration        {posterior: path or null, used: bool, keys: [...]}: whether the energy
                       calibration's parameters came from its posterior or from their boxes
    outcomes           [{name, label: {en, nl}, unit, better (+1 more is better, -1 less),
                         margin, margin_text, target, target_text}]: what "beats the
                       baseline" and "satisficing" mean for each outcome
    robustness         {policy: {outcome: {
                           beats_baseline: {share, lo, hi},   share of worlds, Wilson 95 %
                           best:           {share, lo, hi},
                           regret:         {mean, p90, max, unbounded_share},  outcome units
                           satisficing:    {share, lo, hi},
                           level:          {median, p5, p95}, over worlds
                           baseline_level: {median, p5, p95},
                           ranks:          {"1": share of worlds, "2": ..., ...}}}}
    boxes              [{policy, outcome, kind: "best" | "no_gain", cases, worlds, coverage,
                         density, mass, limits: {key: [lo, hi]}, ranges: {key: [lo, hi]},
                         tradeoff: [{coverage, density, mass, restricted}], chosen,
                         cart: {coverage, density, limits: {key: [lo, hi]}} or {} (null:
                         unbounded), sentence: {en, nl}}]: the box reported; `tradeoff` is
                         PRIM's peeling trajectory, `chosen` the peel it was taken from before
                         cuts under 10 % of a range were dropped
    no_box             [{policy, outcome, kind, cases, worlds, why}]: where no box was sought
    feature_scores     {outcome: {key: score}}: which inputs drive which policy is best
    point              {replicates, folder, table: {policy: {outcome: {mean, lo, hi, diff,
                         diff_lo, diff_hi}}}} or null: the comparison at the default values
    notes              [text]: how undefined values were treated, what was averaged
"""

from __future__ import annotations

import json
import math

import numpy as np


def clean(x):
    """JSON-safe: NaN and infinities become null; numpy scalars plain numbers."""
    if isinstance(x, dict):
        return {str(k): clean(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [clean(v) for v in x]
    if isinstance(x, np.generic):
        x = x.item()
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


def robustness_block(table, ranks) -> dict:
    """The `robustness` field from robustness.robustness()'s two tables."""
    out: dict = {}
    for r in table.to_dict("records"):
        rk = ranks[(ranks["policy"] == r["policy"]) & (ranks["outcome"] == r["outcome"])]
        out.setdefault(r["policy"], {})[r["outcome"]] = {
            "beats_baseline": {"share": r["beats_share"], "lo": r["beats_lo"], "hi": r["beats_hi"]},
            "best": {"share": r["best_share"], "lo": r["best_lo"], "hi": r["best_hi"]},
            "regret": {"mean": r["regret_mean"], "p90": r["regret_p90"], "max": r["regret_max"],
                       "unbounded_share": r["regret_unbounded"]},
            "satisficing": {"share": r["satisficing_share"], "lo": r["satisficing_lo"], "hi": r["satisficing_hi"]},
            "level": {"median": r["median"], "p5": r["p5"], "p95": r["p95"]},
            "baseline_level": {"median": r["baseline_median"], "p5": r["baseline_p5"], "p95": r["baseline_p95"]},
            "ranks": {str(int(k)): float(v) for k, v in zip(rk["rank"], rk["share"], strict=True)},
        }
    return out


def box_block(policy: str, outcome: str, kind: str, box, sentence: dict) -> dict:
    t = box.trajectory
    return {"policy": policy, "outcome": outcome, "kind": kind, "cases": box.cases, "worlds": box.worlds,
            "coverage": box.coverage, "density": box.density, "mass": box.mass,
            "limits": {k: list(v) for k, v in box.limits.items()}, "ranges": {k: list(v) for k, v in box.ranges.items()},
            "tradeoff": [{"coverage": float(c), "density": float(d), "mass": float(m), "restricted": int(r)}
                         for c, d, m, r in zip(t["coverage"], t["density"], t["mass"], t["res_dim"], strict=True)],
            "chosen": box.chosen,
            "cart": {k: ({kk: list(vv) for kk, vv in v.items()} if k == "limits" else v) for k, v in box.cart.items()},
            "sentence": sentence}


def dumps(data: dict) -> str:
    return json.dumps(clean(data), indent=1, ensure_ascii=False, allow_nan=False) + "\n"

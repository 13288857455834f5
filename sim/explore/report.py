"""The robust comparison's outputs, from the exploration's metrics:

    <dir>/report.md                 the report (figures, tables, the point comparison beside it)
    <dir>/robustness/summary.json   the machine-readable summary (fields: summary.py)
    <dir>/robustness/table.csv      a row per policy and outcome: every robustness statistic
    <dir>/robustness/ranks.csv      each policy's rank distribution over worlds
    <dir>/robustness/worlds.parquet a row per world, policy and outcome: the world's inputs
                                    and the policy's level there (replicates averaged)
    <dir>/robustness/*.png          win shares, regret, ranks, PRIM trade-offs and boxes
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import outcomes
from ..atomic import write_atomic, write_text_atomic
from . import discovery, figures, robustness as rb, summary
from .design import Design
from .sentences import sentences
from .table import Posterior, Uncertainty

OUT = "robustness"
NOTES = (
    "Per world the replicates are averaged first; every share, quantile and regret is over worlds.",
    "months_to_16: a world whose runs never reach 16 % counts as the horizon + 1 month; reached_16 is the share "
    "of runs that did.",
    "cost_per_extra_participant: extra public spend / extra residents taking part at the end, against the "
    "baseline in the same world; infinite where the policy adds no participants (then it neither beats the "
    "baseline, nor is best, nor satisfies, and its regret is unbounded); levels are medians of the finite ones.",
    "Shares of worlds carry a Wilson 95 % interval: the worlds are a sample of the plausible ones. No p-values.",
)


@dataclass
class Context:
    """What the analysis needs besides the metrics."""

    folder: Path
    design: Design
    table: list[Uncertainty]
    baseline: str
    labels: dict[str, dict[str, str]]          # policy -> {en, nl}
    horizon: int
    replicates: int
    sampler: str
    seed: int
    posterior: Posterior | None = None
    discover: tuple[str, ...] = ("participation_end",)
    point: dict | None = None                  # {folder, replicates, metrics}
    command: list[str] = field(default_factory=list)


def write(ctx: Context, metrics: pd.DataFrame) -> dict:
    """Every output; returns the summary."""
    out = ctx.folder / OUT
    out.mkdir(parents=True, exist_ok=True)
    levels = rb.world_levels(metrics, ctx.baseline, ctx.horizon, list(ctx.labels))
    table, ranks = rb.robustness(levels, ctx.baseline)
    boxes, no_box = discover_all(ctx, levels)
    scores = {o: discovery.feature_scores(inputs(ctx, levels[o].index), rb.best_policy(levels[o], rb.direction(o)))
              for o in ctx.discover if o in levels}
    data = summary_of(ctx, metrics, table, ranks, boxes, no_box, scores)
    write_text_atomic(out / "summary.json", summary.dumps(data))
    write_text_atomic(out / "table.csv", table.to_csv(index=False))
    write_text_atomic(out / "ranks.csv", ranks.to_csv(index=False))
    long = worlds_long(ctx, levels)
    write_atomic(out / "worlds.parquet", lambda p: long.to_parquet(p, index=False))
    drawn = draw(ctx, table, ranks, levels, data["boxes"], out)
    write_text_atomic(ctx.folder / "report.md", markdown(ctx, data, table, drawn))
    return data


def inputs(ctx: Context, worlds) -> pd.DataFrame:
    x = ctx.design.worlds.set_index("world")[ctx.design.inputs]
    return x.loc[list(worlds)]


def discover_all(ctx: Context, levels: dict) -> tuple[list[dict], list[dict]]:
    """A PRIM box for "X is the best" and "X does not beat the baseline", for every
    instrument and every outcome of ctx.discover."""
    boxes, none = [], []
    units = {u.key: u.unit for u in ctx.table}
    ranges = {u.key: (u.lo, u.hi) for u in ctx.table}
    for c in rb.criteria_for_levels(levels):
        if c.metric not in ctx.discover:
            continue
        level = levels[c.metric]
        d = rb.direction(c.metric)
        best, beats = rb.best_mask(level, d), rb.beats_mask(level, c, ctx.baseline)
        x = inputs(ctx, level.index)
        for p in (p for p in level.columns if p != ctx.baseline):
            for kind, y in (("best", best[p]), ("no_gain", ~beats[p])):
                y = y.to_numpy(bool)
                box = discovery.discover(x if kind == "best" else x[relevant(x.columns, p)], y, ranges)
                if box is None:
                    none.append({"policy": p, "outcome": c.metric, "kind": kind, "cases": int(y.sum()),
                                 "worlds": len(y), "why": f"fewer than {discovery.MIN_CASES} worlds with or without it"})
                    continue
                text = sentences(box, kind, ctx.labels.get(p, {"en": p, "nl": p}), outcome_labels(c.metric), units)
                boxes.append(summary.box_block(p, c.metric, kind, box, text))
    return boxes, none


def relevant(columns, policy: str) -> list[str]:
    """The inputs that can change whether `policy` beats the baseline: every input but the
    parameters of other instruments (`policy.<other>.*`), which neither the policy's runs nor
    the baseline's read. Whether a policy is the *best* depends on its competitors too, so
    that question keeps every input. A programme mix ("mix:...") keeps every input. Without
    this, PRIM on few worlds and ~100 inputs states conditions on parameters the runs never
    read (e.g. a prize "does not help when a dialogue costs over EUR 4,370")."""
    from ..instruments.registry import instrument_names

    names = set(instrument_names())
    if policy not in names:
        return list(columns)
    return [k for k in columns if not (k.startswith("policy.") and k.split(".")[1] in names - {policy})]


def outcome_labels(metric: str) -> dict[str, str]:
    if metric == rb.REACHED:
        return {"en": "reaching 16 % taking part", "nl": "het bereiken van 16 % deelname"}
    o = outcomes.outcome(metric)
    return {"en": o.en, "nl": o.nl} if o is not None else {"en": metric, "nl": metric}


def summary_of(ctx, metrics, table, ranks, boxes, no_box, scores) -> dict:
    post_keys = set(ctx.design.posterior_keys)
    crits = [c for c in rb.CRITERIA if c.metric in set(table["outcome"])]
    return {
        "version": 1, "command": ctx.command, "worlds": len(ctx.design.worlds), "replicates": ctx.replicates,
        "runs": len(metrics), "sampler": ctx.sampler, "seed": ctx.seed, "baseline": ctx.baseline,
        "policies": [{"name": p, "label": ctx.labels.get(p, {"en": p, "nl": p})} for p in dict.fromkeys(table["policy"])],
        "inputs": [{"key": u.key, "lo": u.lo, "hi": u.hi, "default": u.default, "unit": u.unit, "reason": u.reason,
                    "drawn_from": "posterior" if u.key in post_keys else "box"} for u in ctx.table],
        "calibration": {"posterior": str(ctx.posterior.path) if ctx.posterior else None,
                        "used": ctx.posterior is not None,
                        "keys": sorted(post_keys) or [k for k in _calibrated() if k in {u.key for u in ctx.table}]},
        "outcomes": [{"name": c.metric, "label": outcome_labels(c.metric), "unit": outcomes.unit(c.metric),
                      "better": rb.direction(c.metric), "margin": c.margin, "margin_text": c.margin_text,
                      "target": c.target, "target_text": c.target_text} for c in crits],
        "robustness": summary.robustness_block(table, ranks),
        "boxes": boxes, "no_box": no_box,
        "feature_scores": {o: {k: float(v) for k, v in s.items()} for o, s in scores.items()},
        "point": point_block(ctx), "notes": list(NOTES),
    }


def _calibrated():
    from .table import CALIBRATED

    return CALIBRATED


def point_block(ctx: Context) -> dict | None:
    if not ctx.point or ctx.point.get("metrics") is None or ctx.point["metrics"].empty:
        return None
    from ..report.stats import compare

    t = compare(ctx.point["metrics"])
    keep = {c.metric for c in rb.CRITERIA} | {"participation_end", "participation_auc", "months_to_16"}
    out: dict = {}
    for r in t[t["metric"].isin(keep)].to_dict("records"):
        out.setdefault(r["scenario"], {})[r["metric"]] = {k: r.get(k, math.nan) for k in
                                                         ("mean", "lo", "hi", "diff", "diff_lo", "diff_hi")}
    return {"replicates": ctx.point["replicates"], "folder": str(ctx.point["folder"]), "table": out}


def worlds_long(ctx: Context, levels: dict) -> pd.DataFrame:
    x = ctx.design.worlds.set_index("world")
    frames = []
    for o, level in levels.items():
        long = level.stack(future_stack=True).rename("value").reset_index()
        long.insert(2, "outcome", o)
        frames.append(long)
    out = pd.concat(frames, ignore_index=True)
    return out.join(x, on="world")


def draw(ctx, table, ranks, levels, boxes, out: Path) -> list[tuple[str, str]]:
    labels = {p: v["en"] for p, v in ctx.labels.items()}
    drawn = []
    if figures.win_shares(table, labels, out / "win_shares.png"):
        drawn.append(("win_shares.png", "Where each policy is the best, and where it beats the baseline"))
    regrets = {o: rb.regret(v, rb.direction(o)) for o, v in levels.items()}
    if figures.regret_boxes(regrets, labels, out / "regret.png"):
        drawn.append(("regret.png", "Regret against each world's best policy"))
    for o in ctx.discover:
        if figures.rank_bars(ranks, o, labels, out / f"ranks_{o}.png"):
            drawn.append((f"ranks_{o}.png", f"Rank distribution: {o}"))
    if figures.tradeoffs(boxes, out / "prim_tradeoff.png"):
        drawn.append(("prim_tradeoff.png", "PRIM coverage/density trade-offs"))
    if figures.box_limits(boxes, out / "prim_boxes.png"):
        drawn.append(("prim_boxes.png", "The PRIM boxes"))
    return drawn


def markdown(ctx: Context, data: dict, table: pd.DataFrame, drawn) -> str:
    from .markdown import render

    return render(ctx, data, table, drawn)

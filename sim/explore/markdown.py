"""report.md of the robust comparison: the answer, what one must believe, every outcome's
robustness, the figures, and the point comparison at the default values beside it."""

from __future__ import annotations

import math

import pandas as pd

from .. import outcomes
from . import robustness as rb

CAVEAT = ("The point comparison holds every assumption at its default value: it answers \"which instrument "
          "is best if every assumed effect size and cost is right\", and its intervals show only the chance "
          "spread between replicates, not the uncertainty about the assumptions. Read it beside the robust "
          "answer, not instead of it.")


def level(x: float, metric: str, diff: bool = False) -> str:
    """A value in its outcome's units (shares in % or pp)."""
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "-" if x is None or math.isnan(x) else "unbounded"
    scale = "share" if metric in (rb.REACHED, "vulnerable_gap_end") else outcomes.scale(metric)
    if scale == "share":
        return f"{100 * x:+.1f} pp" if diff else f"{100 * x:.1f} %"
    if scale == "EUR":
        return f"EUR {x:,.0f}"
    if scale == "months":
        return f"{x:+.1f} months" if diff else f"{x:.1f} months"
    return f"{x:+.2f}" if diff else f"{x:.2f}"


def regret_text(x: float, metric: str) -> str:
    if x is None or not math.isfinite(x):
        return "-"
    scale = "share" if metric in (rb.REACHED, "vulnerable_gap_end") else outcomes.scale(metric)
    if scale == "share":
        return f"{100 * x:.1f} pp"
    return level(x, metric)


def share(r: dict, name: str) -> str:
    s, lo, hi = r[f"{name}_share"], r[f"{name}_lo"], r[f"{name}_hi"]
    if s is None or not math.isfinite(s):
        return "-"
    return f"{100 * s:.0f} % ({100 * lo:.0f}-{100 * hi:.0f})"


def outcome_table(table: pd.DataFrame, metric: str, labels: dict) -> list[str]:
    rows = ["| policy | best in | beats baseline | regret mean / p90 / max | satisficing | median [5-95 %] |",
            "|---|---|---|---|---|---|"]
    for r in table[table["outcome"] == metric].to_dict("records"):
        unb = f" (unbounded in {100 * r['regret_unbounded']:.0f} %)" if r["regret_unbounded"] else ""
        reg = " / ".join(regret_text(r[k], metric) for k in ("regret_mean", "regret_p90", "regret_max")) + unb
        lv = f"{level(r['median'], metric)} [{level(r['p5'], metric)} - {level(r['p95'], metric)}]"
        rows.append(f"| {labels.get(r['policy'], r['policy'])} | {share(r, 'best')} | {share(r, 'beats')} | {reg} | "
                    f"{share(r, 'satisficing')} | {lv} |")
    return rows


def believe_table(boxes: list[dict], labels: dict) -> list[str]:
    if not boxes:
        return ["No box: in no outcome searched did enough worlds have, or lack, the property."]
    rows = ["| policy | what | conditions (PRIM) | coverage | density | CART cross-check |", "|---|---|---|---|---|---|"]
    for b in boxes:
        conds = "; ".join(f"`{k}` {lo:.3g}-{hi:.3g} (of {b['ranges'][k][0]:.3g}-{b['ranges'][k][1]:.3g})"
                          for k, (lo, hi) in b["limits"].items()) or "none"
        c = b.get("cart") or {}
        cart = (f"{', '.join(f'`{k}`' for k in c['limits'])}: coverage {c['coverage']:.2f}, density {c['density']:.2f}"
                if c else "no leaf")
        what = "is the best" if b["kind"] == "best" else "does not beat the baseline"
        rows.append(f"| {labels.get(b['policy'], b['policy'])} | {what} ({b['outcome']}) | {conds} | "
                    f"{b['coverage']:.2f} | {b['density']:.2f} | {cart} |")
    return rows


def point_table(point: dict | None, labels: dict) -> list[str]:
    if not point:
        return ["No point comparison was run (--point-replicates 0)."]
    metrics = ("participation_end", "participation_auc", "months_to_16", "self_sustaining_end",
               "cost_per_extra_participant")
    head = "| policy | " + " | ".join(metrics) + " |"
    rows = [head, "|---" * (len(metrics) + 1) + "|"]
    for p, by in point["table"].items():
        cells = []
        for m in metrics:
            v = by.get(m)
            if not v:
                cells.append("-")
                continue
            text = f"{level(v['mean'], m)} [{level(v['lo'], m)} - {level(v['hi'], m)}]"
            if v.get("diff") is not None and isinstance(v.get("diff"), float) and math.isfinite(v["diff"]):
                text += f"; {level(v['diff'], m, True)}"
            cells.append(text)
        rows.append(f"| {labels.get(p, p)} | " + " | ".join(cells) + " |")
    return rows


def render(ctx, data: dict, table: pd.DataFrame, drawn) -> str:
    labels = {p: v["en"] for p, v in ctx.labels.items()}
    cal = data["calibration"]
    calib = (f"drawn jointly from the calibration's posterior ({cal['posterior']})" if cal["used"] else
             "drawn from their plausible boxes: the calibration's posterior file does not exist yet")
    lines = [
        f"# Robust advice: every instrument across {data['worlds']} plausible worlds", "",
        f"{data['worlds']} worlds ({data['sampler']} design, seed {data['seed']}) x {len(data['policies'])} policies x "
        f"{data['replicates']} replicates = {data['runs']} runs. {len(data['inputs'])} uncertain parameters "
        "(docs/ODD.md, section 11: every instrument's effect sizes and costs, the behavioural parameters a Morris "
        "screening ranks highest)"
        + (f"; the energy calibration's parameters ({', '.join(cal['keys'])}) were {calib}. " if cal["keys"] else ". ")
        + "Every policy has the same budget; replicate r of a world is the same random stream for every policy.", "",
    ]
    for o in ctx.discover:
        lines += [f"## The answer for {o}", "", *outcome_table(table, o, labels), ""]
    lines += ["## What you must believe", "",
              "Conditions (PRIM boxes) under which each instrument is the best, or does not beat the baseline by the "
              "stated margin. Coverage: the share of such worlds inside the box; density: the share of worlds inside "
              "the box that are such worlds.", "", *believe_table(data["boxes"], labels), ""]
    lines += [f"- {b['sentence']['en']}" for b in data["boxes"]] + [""]
    lines += ["In Dutch:", ""] + [f"- {b['sentence']['nl']}" for b in data["boxes"]] + [""]
    for o, s in data["feature_scores"].items():
        top = ", ".join(f"`{k}` {v:.2f}" for k, v in list(s.items())[:8])
        flat = 1 / max(len(s), 1)
        lines += [f"Which uncertainties decide the best policy for {o} (extra-trees feature scores; {len(s)} inputs, "
                  f"so {flat:.3f} each if none mattered more than another): {top}.", ""]
    lines += ["## Outcomes, margins and targets", "", "| outcome | better | beats the baseline when | target |",
              "|---|---|---|---|"]
    lines += [f"| {o['name']} | {'more' if o['better'] > 0 else 'less'} | {o['margin_text']} | {o['target_text']} |"
              for o in data["outcomes"]] + [""]
    for o in data["outcomes"]:
        if o["name"] not in ctx.discover:
            lines += [f"### {o['name']}", "", *outcome_table(table, o["name"], labels), ""]
    lines += ["## Figures", ""] + [line for name, what in drawn for line in (f"![{what}](robustness/{name})", "")]
    lines += ["## The point comparison at the default values", "", CAVEAT, "",
              f"Every instrument at the default parameters, {ctx.point['replicates'] if ctx.point else 0} paired "
              "replicates (mean [95 % bootstrap interval]; paired difference with the baseline after the semicolon); "
              "the full comparison report is point/report/report.md, the same as `vliegwiel "
              "scenario=compare_instruments` gives for these seeds.", "", *point_table(data["point"], labels), ""]
    lines += ["## Notes", ""] + [f"- {n}" for n in data["notes"]]
    return "\n".join(lines) + "\n"

"""The report's table of every metric: Markdown for reading, CSV for analysis."""

from __future__ import annotations

import math

import pandas as pd

from .. import outcomes
from .stats import label

SIGNIFICANCE = 0.05


def fmt(x: float, metric: str, difference: bool = False) -> str:
    """A value in the metric's unit; shares as per cent (differences in percentage points)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    if math.isinf(x):
        return "unbounded"
    scale = outcomes.scale(metric)
    if scale == "share":
        return f"{100 * x:+.1f} pp" if difference else f"{100 * x:.1f} %"
    if scale == "EUR":
        return f"{x:,.0f}"
    return f"{x:.3g}" if abs(x) < 100 else f"{x:,.0f}"


def markdown(table: pd.DataFrame) -> str:
    """One section per metric: a row per scenario with mean [interval], the paired
    difference against the baseline [interval], its p-values and n."""
    base = table.attrs.get("baseline", "")
    out = []
    for metric in dict.fromkeys(table["metric"]):
        name, unit = label(metric)
        out += [f"### {name} ({unit})", "",
                f"| scenario | mean [95 % interval] | difference with {base} [95 % interval] | p (paired t) | p (Wilcoxon) | n |",
                "|---|---|---|---|---|---|"]
        for _, r in table[table["metric"] == metric].iterrows():
            mean = f"{fmt(r['mean'], metric)} [{fmt(r['lo'], metric)}, {fmt(r['hi'], metric)}]"
            if r["scenario"] == base or "diff" not in r or pd.isna(r.get("diff")):
                diff, pt, pw = ("baseline" if r["scenario"] == base else "-"), "", ""
            else:
                star = " *" if r["p_t"] < SIGNIFICANCE else ""
                d = [fmt(r[k], metric, difference=True) for k in ("diff", "diff_lo", "diff_hi")]
                diff = f"{d[0]} [{d[1]}, {d[2]}]{star}"
                pt, pw = f"{r['p_t']:.3g}", f"{r['p_wilcoxon']:.3g}"
            n = int(r["n_pairs"]) if "n_pairs" in r and not pd.isna(r.get("n_pairs")) else int(r["n"])
            out.append(f"| {r['scenario']} | {mean} | {diff} | {pt} | {pw} | {n} |")
        if metric == "cost_per_extra_participant":
            out.append("\n'-': the scenario added no participants on average against the baseline, so there is "
                       "no cost per extra participant; 'unbounded': some resamples added none.")
        out.append("")
    return "\n".join(out)

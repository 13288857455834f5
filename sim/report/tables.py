"""The report's tables: Markdown for reading, CSV for analysis. Effect sizes with their
intervals first; shares in %, differences of shares in percentage points; no p-values."""

from __future__ import annotations

import math

import pandas as pd

from .. import outcomes
from .stats import HEADLINE, label


def fmt(x: float, metric: str, difference: bool = False) -> str:
    """A value in the metric's unit; shares as per cent (differences in percentage points)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    if math.isinf(x):
        return "unbounded"
    scale = outcomes.scale(metric)
    sign = "+" if difference else ""
    if scale == "share":
        return f"{100 * x:{sign}.1f} pp" if difference else f"{100 * x:.1f} %"
    if scale == "EUR":
        return f"{x:{sign},.0f}"
    return f"{x:{sign}.3g}" if abs(x) < 100 else f"{x:{sign},.0f}"


def value(r: pd.Series, metric: str) -> str:
    return f"{fmt(r['mean'], metric)} [{fmt(r['lo'], metric)}, {fmt(r['hi'], metric)}]"


def difference(r: pd.Series, metric: str) -> str:
    if "diff" not in r or pd.isna(r.get("diff")):
        return "-"
    d = [fmt(r[k], metric, difference=True) for k in ("diff", "diff_lo", "diff_hi")]
    return f"{d[0]} [{d[1]}, {d[2]}]"


def headline(table: pd.DataFrame) -> str:
    """One row per scenario (and stratum): the paired difference with the baseline at each
    horizon (year 5, year 10 / the end, the area under the curve, time to 2.5 % and 16 %)."""
    base = table.attrs.get("baseline", "")
    metrics = [m for m in HEADLINE if m in set(table["metric"])]
    if not base or "diff" not in table.columns:
        return ""
    names = [label(m)[0] for m in metrics]
    lines = [f"| scenario | {' | '.join(names)} |", "|---|" + "---|" * len(metrics)]
    for (stratum, scen), rows in table[table["metric"].isin(metrics)].groupby(["stratum", "scenario"], sort=False):
        by = rows.set_index("metric")
        name = f"{rows['compared'].iloc[0]} ({stratum})" if stratum and "compared" in rows else scen
        if by["diff"].isna().all():
            cells = [value(by.loc[m], m) for m in metrics]
            name += " (baseline: level)"
        else:
            cells = [difference(by.loc[m], m) for m in metrics]
        lines.append(f"| {name} | {' | '.join(cells)} |")
    return "\n".join(lines)


def markdown(table: pd.DataFrame) -> str:
    """One section per metric: a row per scenario with its mean [interval] and the paired
    difference with the baseline [interval], and n."""
    base = table.attrs.get("baseline", "")
    out = []
    has_strata = table["stratum"].astype(str).str.len().gt(0).any() if "stratum" in table.columns else False
    by_metric: dict[str, list[dict]] = {}   # the rows as dicts, once (not a Series per row)
    for r in table.to_dict("records"):
        by_metric.setdefault(r["metric"], []).append(r)
    for metric, rows in by_metric.items():
        name, unit = label(metric)
        head = "| scenario | " + ("stratum | " if has_strata else "") + \
               f"mean [95 % interval] | difference with {base or 'a baseline'} [95 % interval] | n |"
        out += [f"### {name} ({unit})", "", head, "|---|" + ("---|" if has_strata else "") + "---|---|---|"]
        for r in rows:
            is_base = base and r["scenario"] == base
            diff = "baseline" if is_base else difference(r, metric)
            n = int(r["n_pairs"]) if "n_pairs" in r and not pd.isna(r.get("n_pairs")) else int(r["n"])
            stratum = f"{r['stratum']} | " if has_strata else ""
            out.append(f"| {r['scenario']} | {stratum}{value(r, metric)} | {diff} | {n} |")
        if metric == "cost_per_extra_participant":
            out.append("\n'-': the scenario added no participants on average against the baseline, so there is "
                       "no cost per extra participant; 'unbounded': some resamples added none.")
        out.append("")
    return "\n".join(out)

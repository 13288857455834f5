"""Phase-out, paired: what remains of an instrument's effect when it stops.

A withdrawal comparison sweeps the instruments (with the baseline `none`, "never started")
and `policy.stop_month` over -1 ("continues") and one month T ("stops at T"), on the same
replicates (scenarios/withdrawal.yaml). For each instrument and replicate r, all against the
baseline run of the same replicate (common random numbers):

    at stop     a_r = share taking part at T, stopping at T,        minus the baseline's at T
    if stopped  b_r = share taking part at the end, stopping at T,  minus the baseline's at the end
    if it goes on c_r = share taking part at the end, continuing,    minus the baseline's at the end

    persistence = sum_r b_r / sum_r a_r   (what remains at the end of the effect reached at T)
    kept        = sum_r b_r / sum_r c_r   (the effect at the end, stopped, as a share of continuing)

each a ratio of means over replicates with a 95 % percentile bootstrap interval over
replicates (2,000 resamples; unbounded when a resample's denominator is not positive), and
dependence on government money at the end when it stopped and when it went on.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .stats import RESAMPLES, SEED, Baseline, find_baseline

KEY = "policy.stop_month"


def applies(metrics: pd.DataFrame) -> bool:
    """A withdrawal comparison: stop_month swept over -1 and one month, with a baseline."""
    col = f"param:{KEY}"
    if col not in metrics.columns:
        return False
    values = set(metrics[col].astype(str))
    return "-1" in values and len(values) == 2


def table(metrics: pd.DataFrame, baseline: Baseline | str | None = None) -> pd.DataFrame:
    """A row per instrument: the effects at stop, at the end if stopped and if continued,
    persistence and kept with intervals, dependence stopped and continued."""
    base, _ = find_baseline(metrics.assign(**{f"param:{KEY}": "x"}), baseline)
    if base is None or not applies(metrics) or "participation_at_stop" not in metrics.columns:
        return pd.DataFrame()
    col = f"param:{KEY}"
    stop = next(v for v in metrics[col].astype(str).unique() if v != "-1")
    m = metrics.assign(_stop=metrics[col].astype(str))
    by = m.set_index(["_stop", f"param:{base.key}", "seed", "replicate"]).sort_index()
    rng = np.random.default_rng(SEED)
    rows = []
    for value in sorted(set(m[f"param:{base.key}"]) - {base.value}):
        try:
            stopped, cont = by.loc[(stop, value)], by.loc[("-1", value)]
            never_s, never_c = by.loc[(stop, base.value)], by.loc[("-1", base.value)]
        except KeyError:
            continue
        pairs = stopped.index.intersection(cont.index).intersection(never_s.index).intersection(never_c.index)
        if len(pairs) == 0:
            continue
        a = (stopped.loc[pairs, "participation_at_stop"] - never_s.loc[pairs, "participation_at_stop"]).to_numpy(float)
        b = (stopped.loc[pairs, "participation_end"] - never_s.loc[pairs, "participation_end"]).to_numpy(float)
        c = (cont.loc[pairs, "participation_end"] - never_c.loc[pairs, "participation_end"]).to_numpy(float)
        row = {"instrument": str(value).strip("[]"), "stop_month": int(stop), "n": len(pairs),
               "effect_at_stop": a.mean(), "effect_end_stopped": b.mean(), "effect_end_continued": c.mean()}
        for name, num, den in (("persistence", b, a), ("kept", b, c)):
            row[name], row[f"{name}_lo"], row[f"{name}_hi"] = ratio_interval(num, den, rng)
        if "dependence_end" in metrics.columns:
            row["dependence_stopped"] = float(stopped.loc[pairs, "dependence_end"].mean())
            row["dependence_continued"] = float(cont.loc[pairs, "dependence_end"].mean())
        rows.append(row)
    return pd.DataFrame(rows)


def ratio_interval(num: np.ndarray, den: np.ndarray, rng: np.random.Generator) -> tuple[float, float, float]:
    """sum(num) / sum(den) over replicates and its 95 % percentile bootstrap interval (NaN when
    the denominator is not positive; resamples without a positive denominator count as
    unbounded, so a weak effect gives a wide interval, not a wrong one)."""
    if len(num) == 0 or den.sum() <= 0:
        return math.nan, math.nan, math.nan
    ratio = float(num.sum() / den.sum())
    if len(num) < 2:
        return ratio, math.nan, math.nan
    idx = rng.integers(0, len(num), size=(RESAMPLES, len(num)))
    n, d = num[idx].sum(axis=1), den[idx].sum(axis=1)
    boot = np.where(d > 0, n / np.where(d > 0, d, 1), np.inf)
    lo, hi = np.percentile(boot, [2.5, 97.5], method="nearest")
    return ratio, float(lo), float(hi)


def markdown(t: pd.DataFrame) -> str:
    if t.empty:
        return ""

    def pp(x):
        return "-" if pd.isna(x) else f"{100 * x:+.1f} pp"

    def ratio(r, name):
        if pd.isna(r[name]):
            return "-"
        hi = "unbounded" if math.isinf(r[f"{name}_hi"]) else f"{r[f'{name}_hi']:.2f}"
        return f"{r[name]:.2f} [{r[f'{name}_lo']:.2f}, {hi}]"

    stop = int(t["stop_month"].iloc[0])
    lines = [f"## Phase-out: stopping at month {stop}, paired", "",
             "Each instrument stopped at the month above against the same replicates where it goes on and where it "
             "never started (the baseline); effects are differences in the share of residents taking part. "
             "Persistence: the effect at the end after stopping over the effect when it stopped; kept: the effect at "
             "the end after stopping over the effect at the end had it gone on (95 % bootstrap intervals over "
             "replicates).", "",
             "| instrument | effect at stop | at the end, stopped | at the end, continued | persistence | kept | "
             "dependence at the end, stopped / continued | n |",
             "|---|---|---|---|---|---|---|---|"]
    for _, r in t.iterrows():
        dep = (f"{100 * r['dependence_stopped']:.1f} % / {100 * r['dependence_continued']:.1f} %"
               if "dependence_stopped" in r and not pd.isna(r.get("dependence_stopped")) else "-")
        lines.append(f"| {r['instrument']} | {pp(r['effect_at_stop'])} | {pp(r['effect_end_stopped'])} | "
                     f"{pp(r['effect_end_continued'])} | {ratio(r, 'persistence')} | {ratio(r, 'kept')} | {dep} | "
                     f"{int(r['n'])} |")
    return "\n".join(lines) + "\n"

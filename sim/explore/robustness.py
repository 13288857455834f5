"""Robustness of every policy over every world, per outcome (Lempert, Popper & Bankes 2003).

    levels = world_levels(metrics, baseline="none", horizon=120)   # world x policy, per outcome
    table, ranks = robustness(levels, baseline="none")

Per world the replicates are averaged first (the world's expected outcome under that
policy); every statistic below is then a share or a quantile *over worlds*:

- beats the baseline: the share of worlds where the policy is better than the baseline by at
  least the outcome's stated margin (CRITERIA), in the outcome's direction (`Outcome.better`);
- best: the share of worlds where it is the best of all policies (baseline included; ties
  count for each);
- regret: in each world, how far it falls short of that world's best policy, in the
  outcome's units (>= 0, 0 for the best); its mean, 90th percentile and maximum over worlds;
- satisficing: the share of worlds where it reaches the outcome's stated target;
- rank: its rank in each world (1 = best), as a distribution over worlds;
- level: its median over worlds with the 5-95 % range, next to the baseline's.

Shares over worlds carry a Wilson interval (the worlds are a sample of the plausible ones).

Undefined values are treated openly: a world whose runs never reach 16 % gets the horizon
+ 1 month (and `reached_16`, the share of runs that did, is an outcome of its own); public
money per extra participant is spend / extra participants against the baseline of the same
world and is *infinite* where the policy adds none: such a world counts as "does not beat",
"not best", "not satisficing", and its regret is unbounded (reported as the share of worlds
where it is, beside the statistics of the others).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import outcomes
from ..report.stats import wilson
from .design import POLICY, WORLD

COST = "cost_per_extra_participant"
REACHED = "reached_16"


@dataclass(frozen=True)
class Criterion:
    """How an outcome is judged: the margin that counts as beating the baseline and the
    target of satisficing, both in the outcome's units and direction."""

    metric: str
    margin: float
    margin_text: str
    target: float
    target_text: str


CRITERIA: tuple[Criterion, ...] = (
    Criterion("participation_end", 0.01, "at least 1 percentage point more residents taking part at year 10",
              0.16, "at least 16 % taking part at year 10 (Rogers: innovators and early adopters)"),
    Criterion("participation_auc", 0.05, "at least 0.05 share-years more (0.5 pp on average over ten years)",
              1.0, "at least 1 share-year (10 % taking part on average over ten years)"),
    Criterion("months_to_16", 6.0, "16 % taking part at least 6 months sooner (never: horizon + 1)",
              120.0, "16 % taking part within 10 years"),
    Criterion(REACHED, 0.1, "16 % reached in at least 10 percentage points more of the runs",
              0.5, "16 % reached in at least half of the runs"),
    Criterion("vulnerable_gap_end", 0.01, "the vulnerable residents' gap at least 1 pp narrower",
              -0.01, "vulnerable residents within 1 pp of everyone (gap >= -1 pp)"),
    Criterion("self_sustaining_end", 1.0, "at least 1 more self-sustaining collective at year 10",
              10.0, "at least 10 self-sustaining collectives at year 10"),
    Criterion(COST, 0.0, "money buys participants: at most EUR 10,000 per extra participant",
              2500.0, "at most EUR 2,500 per extra participant"),
)
COST_BEATS = 10_000.0    # EUR per extra participant: the "beats the baseline" line of the cost outcome


def criteria_for(columns) -> list[Criterion]:
    """The criteria whose outcome the metrics hold (a test function has fewer)."""
    have = set(columns)
    out = []
    for c in CRITERIA:
        if c.metric == COST:
            ok = {"public_spend_total", "participants_end"} <= have
        elif c.metric == REACHED:
            ok = "months_to_16" in have
        else:
            o = outcomes.outcome(c.metric)
            ok = c.metric in have and o is not None
        if ok:
            out.append(c)
    return out


def direction(metric: str) -> int:
    if metric in (REACHED, COST):
        return 1 if metric == REACHED else -1
    o = outcomes.outcome(metric)
    return o.better if o is not None and o.better else 1


# --- per world ------------------------------------------------------------------------------
def world_levels(metrics: pd.DataFrame, baseline: str, horizon: int, order: list[str] = ()) -> dict[str, pd.DataFrame]:
    """{outcome: DataFrame (worlds x policies)} of replicate means, every criterion's outcome;
    policies in `order` (then any others as they come)."""
    df = metrics.copy()
    df[WORLD] = df[f"param:{WORLD}"].astype(int)
    df[POLICY] = df["scenario"].astype(str)
    if "months_to_16" in df:
        df[REACHED] = df["months_to_16"].notna().astype(float)
        df["months_to_16"] = df["months_to_16"].fillna(horizon + 1)
    crit = criteria_for(df.columns)
    cols = [c.metric for c in crit if c.metric != COST]
    extra = [c for c in ("public_spend_total", "participants_end") if c in df]
    means = df.groupby([WORLD, POLICY])[[*cols, *extra]].mean()
    levels = {m: means[m].unstack(POLICY) for m in cols}
    if any(c.metric == COST for c in crit):
        spend, people = means["public_spend_total"].unstack(POLICY), means["participants_end"].unstack(POLICY)
        gain = people.sub(people[baseline], axis=0)
        cost = spend.sub(spend[baseline], axis=0) / gain.where(gain > 0)
        levels[COST] = cost.where(gain > 0, math.inf).drop(columns=baseline)
    order = list(dict.fromkeys([*order, *df[POLICY]]))
    return {m: v[[p for p in order if p in v.columns]] for m, v in levels.items()}


def regret(level: pd.DataFrame, better: int) -> pd.DataFrame:
    """Per world, how far each policy falls short of the world's best (outcome units, >= 0)."""
    score = level * better
    best = score.replace(-math.inf, np.nan).max(axis=1)
    out = score.rsub(best, axis=0)
    return out.where(np.isfinite(score), math.inf).clip(lower=0.0)


def best_mask(level: pd.DataFrame, better: int) -> pd.DataFrame:
    score = (level * better).replace(-math.inf, np.nan)
    return score.ge(score.max(axis=1) - 1e-12, axis=0) & score.notna()


def ranks(level: pd.DataFrame, better: int) -> pd.DataFrame:
    """Each policy's rank in each world (1 = best; ties share the best rank)."""
    return (level * better).rank(axis=1, ascending=False, method="min", na_option="bottom")


# --- over worlds ----------------------------------------------------------------------------
def robustness(levels: dict[str, pd.DataFrame], baseline: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(a row per policy and outcome with every statistic, the rank distributions)."""
    rows, rank_rows = [], []
    for c in criteria_for_levels(levels):
        level = levels[c.metric]
        d = direction(c.metric)
        reg, best, rk = regret(level, d), best_mask(level, d), ranks(level, d)
        beats = beats_mask(level, c, baseline)
        base = levels[c.metric][baseline] if baseline in level else None
        for p in level.columns:
            n = int(level[p].notna().sum())
            rows.append({"policy": p, "outcome": c.metric, "worlds": n,
                         **_share("beats", beats[p], n), **_share("best", best[p], n),
                         **_regret(reg[p]), **_share("satisficing", satisfies(level[p], c), n),
                         **_levels("", level[p]), **_levels("baseline_", base)})
            counts = rk[p].value_counts(normalize=True).sort_index()
            rank_rows += [{"policy": p, "outcome": c.metric, "rank": int(r), "share": float(s)} for r, s in counts.items()]
    return pd.DataFrame(rows), pd.DataFrame(rank_rows)


def criteria_for_levels(levels: dict) -> list[Criterion]:
    return [c for c in CRITERIA if c.metric in levels]


def beats_mask(level: pd.DataFrame, c: Criterion, baseline: str) -> pd.DataFrame:
    """Whether each policy beats the baseline by the margin in each world (the baseline never does)."""
    if c.metric == COST:
        return level <= COST_BEATS
    d = direction(c.metric)
    gain = (level.sub(level[baseline], axis=0)) * d
    out = gain >= c.margin - 1e-12
    out[baseline] = False
    return out


def satisfies(values: pd.Series, c: Criterion) -> pd.Series:
    d = direction(c.metric)
    return (values * d) >= (c.target * d) - 1e-12


def _share(name: str, mask: pd.Series, n: int) -> dict:
    k = float(mask.fillna(False).astype(bool).sum())
    lo, hi = wilson(k, n) if n else (math.nan, math.nan)
    return {f"{name}_share": k / n if n else math.nan, f"{name}_lo": lo, f"{name}_hi": hi}


def _regret(r: pd.Series) -> dict:
    finite = r[np.isfinite(r)]
    n = len(r.dropna())
    unbounded = float((~np.isfinite(r.dropna())).sum()) / n if n else math.nan
    if finite.empty:
        return {"regret_mean": math.nan, "regret_p90": math.nan, "regret_max": math.nan, "regret_unbounded": unbounded}
    return {"regret_mean": float(finite.mean()), "regret_p90": float(np.quantile(finite, 0.9)),
            "regret_max": float(finite.max()), "regret_unbounded": unbounded}


def _levels(prefix: str, values: pd.Series | None) -> dict:
    if values is None:
        return {f"{prefix}median": math.nan, f"{prefix}p5": math.nan, f"{prefix}p95": math.nan}
    v = values.replace([math.inf, -math.inf], np.nan).dropna()
    if v.empty:
        return {f"{prefix}median": math.nan, f"{prefix}p5": math.nan, f"{prefix}p95": math.nan}
    q = np.quantile(v, [0.5, 0.05, 0.95])
    return {f"{prefix}median": float(q[0]), f"{prefix}p5": float(q[1]), f"{prefix}p95": float(q[2])}


def best_policy(level: pd.DataFrame, better: int) -> pd.Series:
    """The best policy of each world (the first of tied ones, in list order)."""
    return (level * better).replace(-math.inf, np.nan).idxmax(axis=1)

"""Scenario discovery: under which conditions is a policy the best, or no better than nothing?

    box = discover(x, y)        # x: the worlds' inputs (DataFrame), y: bool per world

PRIM (Friedman & Fisher 1999; Bryant & Lempert 2010) from the EMA Workbench
(`ema_workbench.analysis.prim`) peels the input space towards the worlds where y holds; its
peeling trajectory is the coverage/density trade-off:

    coverage = cases inside the box / all cases;  density = cases inside the box / worlds inside

The box reported is the densest one on the trajectory whose coverage is still at least
COVERAGE_MIN and that restricts at most MAX_RESTRICTED inputs (stated choices: a box that
explains at least half of the cases, in a statement of at most four conditions; on few worlds
PRIM reaches density 1 only by peeling many inputs, which overfits). Its limits are
then read against the inputs' plausible ranges: a limit at the edge of the data is no limit,
and a cut of less than MIN_CUT of an input's plausible range at either side is dropped (PRIM
peels small slices; on few worlds such slices are noise), with coverage and density
recomputed on the worlds for the box that is left. A box that does not remove at least
GAP_MIN of the counter-cases (density >= base + GAP_MIN (1 - base), base: the share of such
worlds overall) says nothing one need believe: it is reported without conditions ("no
condition sets those worlds apart"). CART
(scikit-learn's decision tree, depth 3) is the cross-check: its purest leaf with enough cases,
as limits of the same inputs. `feature_scores` ranks the inputs by how much they drive which
policy is best (extra trees, the EMA Workbench's `feature_scoring`).
"""

from __future__ import annotations

import contextlib
import io
import logging
import math
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

COVERAGE_MIN = 0.5
MIN_CASES = 4          # fewer worlds with (or without) the property: no box
PEEL_ALPHA = 0.05
MASS_MIN = 0.05
CART_DEPTH = 3
MIN_CUT = 0.1          # a restriction must cut at least this share of the plausible range
MAX_RESTRICTED = 4     # conditions in one statement, at most
GAP_MIN = 0.25         # a box must remove at least this share of the counter-cases


@dataclass
class Box:
    """A PRIM box: its restricted limits, coverage, density and the trade-off it was chosen from."""

    cases: int
    worlds: int
    coverage: float
    density: float
    mass: float
    limits: dict[str, tuple[float, float]]          # restricted inputs only: (lower, upper)
    ranges: dict[str, tuple[float, float]]          # those inputs' full ranges in the design
    trajectory: pd.DataFrame                        # coverage, density, mass, res_dim per peel
    chosen: int
    cart: dict = field(default_factory=dict)        # coverage, density, limits of CART's leaf


def ema():
    """The EMA Workbench's analysis modules, imported quietly (it warns and logs on import)."""
    with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("ignore")
        from ema_workbench.analysis import feature_scoring, prim
    logging.getLogger("EMA").setLevel(logging.ERROR)
    return prim, feature_scoring


def varying(x: pd.DataFrame) -> pd.DataFrame:
    """The inputs that vary between worlds, as floats."""
    x = x.astype(float)
    return x.loc[:, x.nunique() > 1]


def discover(x: pd.DataFrame, y: np.ndarray, ranges: dict[str, tuple[float, float]] | None = None) -> Box | None:
    """The PRIM box of the worlds where y holds (None when too few worlds have it, or lack
    it); `ranges` are the inputs' plausible ranges (default: their range in x)."""
    y = np.asarray(y, bool)
    if y.sum() < MIN_CASES or (~y).sum() < MIN_CASES:
        return None
    x = varying(x).reset_index(drop=True)
    prim, _ = ema()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p = prim.Prim(x, y, peel_alpha=PEEL_ALPHA, mass_min=MASS_MIN)
        box = p.find_box()
    traj = box.peeling_trajectory[["coverage", "density", "mass", "res_dim"]].astype(float).reset_index(drop=True)
    i = choose(traj)
    full = {k: (ranges or {}).get(k, (float(x[k].min()), float(x[k].max()))) for k in x.columns}
    limits = prune(box.box_lims[i], p.box_init, full)
    mask = inside(x, limits)
    base = y.mean()
    if not mask.any() or y[mask].mean() < base + GAP_MIN * (1 - base) - 1e-12:
        limits, mask = {}, np.ones(len(y), bool)
    k, n = int(y[mask].sum()), int(mask.sum())
    return Box(int(y.sum()), len(y), k / int(y.sum()), k / max(n, 1), n / len(y), limits,
               {key: full[key] for key in limits}, traj, i, cart(x, y))


def prune(lims: pd.DataFrame, init: pd.DataFrame, full: dict[str, tuple[float, float]]) -> dict:
    """PRIM's limits as restrictions of the plausible ranges: a limit at the edge of the data
    becomes the range's edge, and so does a limit cutting less than MIN_CUT of the range."""
    out = {}
    for key, (a, b) in full.items():
        lo, hi = float(lims[key].iloc[0]), float(lims[key].iloc[1])
        lo = a if lo <= float(init[key].iloc[0]) + 1e-12 else max(lo, a)
        hi = b if hi >= float(init[key].iloc[1]) - 1e-12 else min(hi, b)
        if b <= a:
            continue
        lo = a if (lo - a) / (b - a) < MIN_CUT else lo      # each side: a cut of less than MIN_CUT is none
        hi = b if (b - hi) / (b - a) < MIN_CUT else hi
        if lo > a or hi < b:
            out[key] = (lo, hi)
    return out


def choose(traj: pd.DataFrame) -> int:
    """The densest box with coverage at least COVERAGE_MIN and at most MAX_RESTRICTED
    restricted inputs (the first box if none is)."""
    ok = traj[(traj["coverage"] >= COVERAGE_MIN - 1e-12) & (traj["res_dim"] <= MAX_RESTRICTED)]
    if ok.empty:
        return 0
    best = ok["density"].max()
    return int(ok[ok["density"] >= best - 1e-12].index[0])


def inside(x: pd.DataFrame, limits: dict[str, tuple[float, float]]) -> np.ndarray:
    """Which worlds lie inside the limits."""
    mask = np.ones(len(x), bool)
    for k, (lo, hi) in limits.items():
        v = x[k].to_numpy(float)
        mask &= (v >= lo - 1e-12) & (v <= hi + 1e-12)
    return mask


def cart(x: pd.DataFrame, y: np.ndarray) -> dict:
    """CART's cross-check: the leaf of a depth-3 tree with the highest density among leaves
    holding at least MIN_CASES cases; its limits, coverage and density."""
    from sklearn.tree import DecisionTreeClassifier

    tree = DecisionTreeClassifier(max_depth=CART_DEPTH, min_samples_leaf=max(3, int(0.05 * len(y))), random_state=0)
    tree.fit(x.to_numpy(float), y)
    t = tree.tree_
    best = None
    for leaf, limits in _leaves(t, list(x.columns), 0, {}):
        mask = inside(x, limits)
        k, n = int(y[mask].sum()), int(mask.sum())
        if n and k >= min(MIN_CASES, int(y.sum())):
            score = (k / n, k)
            if best is None or score > best[0]:
                best = (score, limits, k, n)
    if best is None:
        return {}
    _, limits, k, n = best
    return {"coverage": k / max(int(y.sum()), 1), "density": k / n, "limits": limits}


def _leaves(t, names, node, limits):
    if t.children_left[node] == -1:
        yield node, dict(limits)
        return
    name, thr = names[t.feature[node]], float(t.threshold[node])
    lo, hi = limits.get(name, (-math.inf, math.inf))
    yield from _leaves(t, names, t.children_left[node], {**limits, name: (lo, min(hi, thr))})
    yield from _leaves(t, names, t.children_right[node], {**limits, name: (max(lo, thr), hi)})


def feature_scores(x: pd.DataFrame, best: pd.Series) -> pd.Series:
    """How much each input drives which policy is best (extra-trees importance, sums to 1)."""
    x = varying(x).reset_index(drop=True)
    labels = pd.factorize(best.reset_index(drop=True))[0]
    if x.empty or len(set(labels)) < 2:
        return pd.Series(dtype=float)
    _, fs = ema()
    from ema_workbench.analysis.scenario_discovery_util import RuleInductionType

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scores, _ = fs.get_ex_feature_scores(x, labels, mode=RuleInductionType.CLASSIFICATION, random_state=0)
    return scores.iloc[:, 0].sort_values(ascending=False)

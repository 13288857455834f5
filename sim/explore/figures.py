"""The exploration's figures: win shares, regret, ranks, PRIM trade-offs and boxes.

Each function draws one PNG (matplotlib, Agg) and returns whether it drew anything.
"""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from ..atomic import write_bytes_atomic  # noqa: E402


def _save(fig, path: Path) -> None:
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    write_bytes_atomic(path, buf.getvalue())


def _grid(n: int, width: float = 5.2, height: float = 3.0):
    cols = min(n, 3)
    rows = math.ceil(n / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(width * cols, height * rows), squeeze=False, layout="constrained")
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    return fig, list(axes.flat[:n])


def win_shares(table: pd.DataFrame, labels: dict[str, str], path: Path) -> bool:
    """Per outcome: the share of worlds where each policy is the best and where it beats the
    baseline, with Wilson 95 % intervals."""
    outs = list(dict.fromkeys(table["outcome"]))
    if not outs:
        return False
    fig, axes = _grid(len(outs), height=0.35 * table["policy"].nunique() + 1.2)
    for ax, o in zip(axes, outs, strict=True):
        t = table[table["outcome"] == o].reset_index(drop=True)
        y = np.arange(len(t))
        for shift, col, colour, what in ((-0.2, "best", "#1f4e79", "best"), (0.2, "beats", "#9dc3e6", "beats baseline")):
            share = t[f"{col}_share"].to_numpy(float)
            err = np.vstack([share - t[f"{col}_lo"], t[f"{col}_hi"] - share]).clip(min=0)
            ax.barh(y + shift, 100 * share, height=0.4, color=colour, xerr=100 * err, capsize=2, label=what)
        ax.set_yticks(y, t["policy"].map(lambda p: labels.get(p, p)))
        ax.invert_yaxis()
        ax.set_xlim(0, 100)
        ax.set_xlabel("% of worlds")
        ax.set_title(o, fontsize=9)
    axes[0].legend(fontsize=7, loc="lower right")
    fig.suptitle("Share of worlds where each policy is the best / beats the baseline (95 % Wilson)", fontsize=10)
    _save(fig, path)
    return True


def regret_boxes(regrets: dict[str, pd.DataFrame], labels: dict[str, str], path: Path) -> bool:
    """Per outcome: the distribution over worlds of each policy's regret (outcome units)."""
    if not regrets:
        return False
    fig, axes = _grid(len(regrets), height=0.35 * max(len(r.columns) for r in regrets.values()) + 1.2)
    for ax, (o, reg) in zip(axes, regrets.items(), strict=True):
        data = [reg[p].replace(math.inf, np.nan).dropna().to_numpy(float) for p in reg.columns]
        ax.boxplot(data, orientation="horizontal", whis=(5, 95), showfliers=True, flierprops={"markersize": 2})
        ax.set_yticks(range(1, len(reg.columns) + 1), [labels.get(p, p) for p in reg.columns])
        ax.invert_yaxis()
        ax.set_title(o, fontsize=9)
        ax.set_xlabel("regret (outcome units)")
        if o == "cost_per_extra_participant":
            ax.set_xscale("symlog", linthresh=1000)
    fig.suptitle("Regret against each world's best policy (box: quartiles; whiskers: 5-95 %)", fontsize=10)
    _save(fig, path)
    return True


def rank_bars(ranks: pd.DataFrame, outcome: str, labels: dict[str, str], path: Path) -> bool:
    """The distribution of each policy's rank over worlds for one outcome (stacked)."""
    r = ranks[ranks["outcome"] == outcome]
    if r.empty:
        return False
    wide = r.pivot_table(index="policy", columns="rank", values="share", fill_value=0.0, sort=False)
    fig, ax = plt.subplots(figsize=(7, 0.4 * len(wide) + 1.4))
    left = np.zeros(len(wide))
    cmap = plt.get_cmap("RdYlGn_r", max(int(wide.columns.max()), 2))
    for k in wide.columns:
        ax.barh(range(len(wide)), 100 * wide[k], left=left, color=cmap(int(k) - 1), label=f"rank {int(k)}")
        left += 100 * wide[k].to_numpy(float)
    ax.set_yticks(range(len(wide)), [labels.get(p, p) for p in wide.index])
    ax.invert_yaxis()
    ax.set_xlabel("% of worlds")
    ax.set_title(f"Rank of each policy over worlds: {outcome} (1 = best)", fontsize=10)
    ax.legend(fontsize=7, ncol=4, loc="upper center", bbox_to_anchor=(0.5, -0.25))
    _save(fig, path)
    return True


def tradeoffs(boxes: list[dict], path: Path) -> bool:
    """PRIM's coverage/density trade-off of every box, the chosen box circled."""
    if not boxes:
        return False
    fig, axes = _grid(len(boxes), width=3.8, height=2.9)
    for ax, b in zip(axes, boxes, strict=True):
        t = pd.DataFrame(b["tradeoff"])
        sc = ax.scatter(t["coverage"], t["density"], c=t["restricted"], cmap="viridis", s=12)
        c = t.iloc[b["chosen"]]
        ax.scatter([c["coverage"]], [c["density"]], s=90, facecolors="none", edgecolors="red")
        ax.scatter([b["coverage"]], [b["density"]], s=70, marker="*", color="orange", zorder=3)
        ax.set_xlim(0, 1.02)
        ax.set_ylim(0, 1.02)
        ax.set_xlabel("coverage", fontsize=8)
        ax.set_ylabel("density", fontsize=8)
        ax.set_title(f"{b['policy']}: {b['kind'].replace('_', ' ')}", fontsize=9)
        fig.colorbar(sc, ax=ax, label="restricted inputs")
    fig.suptitle("PRIM peeling trajectories (red: the box chosen; star: it without cuts of "
                 "< 10 % of a range at either side, as reported)", fontsize=10)
    _save(fig, path)
    return True


def box_limits(boxes: list[dict], path: Path) -> bool:
    """Every box's restricted inputs as a share of their range in the design."""
    rows = [(f"{b['policy']}: {b['kind'].replace('_', ' ')}", k, lim, b["ranges"][k])
            for b in boxes for k, lim in b["limits"].items()]
    if not rows:
        return False
    fig, ax = plt.subplots(figsize=(8, 0.3 * len(rows) + 1.2))
    for i, (_, key, (lo, hi), (a, b)) in enumerate(rows):
        span = (b - a) or 1.0
        ax.plot([0, 1], [i, i], color="#dddddd", lw=6, solid_capstyle="butt")
        ax.plot([(lo - a) / span, (hi - a) / span], [i, i], color="#1f4e79", lw=6, solid_capstyle="butt")
    ax.set_yticks(range(len(rows)), [f"{box} | {key}" for box, key, _, _ in rows], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of the plausible range (grey: all of it; blue: the box)")
    ax.set_title("What you must believe: the PRIM boxes", fontsize=10)
    _save(fig, path)
    return True

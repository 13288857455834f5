"""The pinned baseline: the default runs' summary numbers, committed in tests/baseline.json.

A change that moves them shows up in `tests/test_baseline.py` as a table of what moved (pinned,
now, change). After a change that is meant to move them, re-pin with one command:

    python -m sim.baseline --update        (or: make baseline)

and say in the commit why they moved.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

from .atomic import write_text_atomic

FILE = Path(__file__).resolve().parents[1] / "tests" / "baseline.json"
# (name, overrides): the default world as `vliegwiel` runs it, and every instrument at once
# on the small world (so that each instrument's code is pinned too)
CASES = {
    "default": [],
    "small_every_instrument": ["world=small", "policy.instruments=[subsidy,prize,tender,shareholding,"
                               "right_to_challenge,dialogue,learning_network]"],
}
MONTHS = (12, 60)
REL = 1e-9   # same code, same platform: the same numbers; a tolerance only for float formatting


def summary(overrides: list[str]) -> dict[str, float]:
    """Every metric of the run, and the share taking part at a few months."""
    from .config import load_config
    from .metrics import run_metrics, stop_month
    from .runner import run

    cfg = load_config(overrides)
    results = run(cfg)
    out = {k: float(v) for k, v in run_metrics(results, stop_month=stop_month(cfg)).items()}
    share = results.region["participation_share"].to_numpy()
    out.update({f"participation_share_m{m}": float(share[m]) for m in MONTHS if m < len(share)})
    return out


def current() -> dict[str, dict[str, float]]:
    return {name: summary(overrides) for name, overrides in CASES.items()}


def differences(pinned: dict, now: dict) -> list[tuple[str, str, float, float]]:
    """(case, number, pinned, now) of every number that moved, appeared or went away."""
    out = []
    for case in sorted(set(pinned) | set(now)):
        a, b = pinned.get(case, {}), now.get(case, {})
        for key in sorted(set(a) | set(b)):
            x, y = a.get(key, math.nan), b.get(key, math.nan)
            same = (math.isnan(x) and math.isnan(y)) or (not math.isnan(x) and not math.isnan(y)
                                                          and math.isclose(x, y, rel_tol=REL, abs_tol=1e-12))
            if not same or key not in a or key not in b:
                out.append((case, key, x, y))
    return out


def table(rows: list[tuple[str, str, float, float]]) -> str:
    lines = [f"{'case':<24} {'number':<34} {'pinned':>14} {'now':>14} {'change':>12}"]
    for case, key, x, y in rows:
        change = y - x if not (math.isnan(x) or math.isnan(y)) else math.nan
        lines.append(f"{case:<24} {key:<34} {x:>14.6g} {y:>14.6g} {change:>+12.4g}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sim.baseline", description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="re-pin: write the current numbers to tests/baseline.json")
    args = parser.parse_args(argv)
    now = current()
    if args.update:
        write_text_atomic(FILE, json.dumps(now, indent=1, sort_keys=True) + "\n")
        print(f"pinned {sum(len(v) for v in now.values())} numbers of {len(now)} runs in {FILE}")
        return 0
    pinned = json.loads(FILE.read_text(encoding="utf-8"))
    rows = differences(pinned, now)
    print(table(rows) if rows else "the pinned baseline holds")
    return 1 if rows else 0


if __name__ == "__main__":
    sys.exit(main())

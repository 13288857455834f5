"""`vliegwiel-validate`: run the validation checks and write the report.

    vliegwiel-validate                   every check, full sizes -> results/validation/
    vliegwiel-validate --fast            the quick subset at smaller sizes (well under a minute)
    vliegwiel-validate --only watts_cascade_window --only bass_closed_form
    vliegwiel-validate --list            the checks, which are in --fast, and their titles

Writes <out>/report.md (a section per check: literature next to model, tolerance, verdict,
figure), <out>/checks.csv (name, expected, observed, tolerance, passed, seconds) and
<out>/figures/<check>.png, each file atomically. Exit status 0 when every check passes,
1 when any fails (named on stderr), 2 for bad usage.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
import traceback
from datetime import datetime, timezone
from pathlib import Path

from ..version import model_version
from .registry import Check, CheckResult, Context, load_checks
from .report import write_report

PROG = "vliegwiel-validate"
DEFAULT_OUT = Path("results/validation")
DEFAULT_SEED = 0


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--fast", action="store_true", help="only the fast checks, at their smaller sizes")
    ap.add_argument("--only", action="append", default=[], metavar="NAME", help="run this check (repeatable)")
    ap.add_argument("--list", action="store_true", help="list the checks and exit")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED, help="first seed of every check's runs (default 0)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"report folder (default {DEFAULT_OUT})")
    return ap


def select(checks: dict[str, Check], only: list[str], fast: bool) -> list[Check]:
    """The checks to run: --only names (in report order), else all, else the fast ones."""
    unknown = [n for n in only if n not in checks]
    if unknown:
        raise ValueError(f"--only {', '.join(unknown)}: no such check (known: {', '.join(checks)})")
    if only:
        return [c for n, c in checks.items() if n in only]
    return [c for c in checks.values() if c.fast or not fast]


def run_check(check: Check, ctx: Context) -> tuple[CheckResult, float]:
    """Run one check; an exception is a failed check (with its message), not a crash."""
    start = time.perf_counter()
    try:
        result = check.run(ctx)
    except Exception as exc:  # noqa: BLE001 - reported as a failed check, with the traceback
        result = CheckResult(name=check.name, title=check.title, source="-", expected="-",
                             observed=f"error: {type(exc).__name__}: {exc}", tolerance="-", passed=False,
                             notes="```\n" + traceback.format_exc() + "```")
    return result, time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)  # bad options: argparse prints usage and exits 2
    checks = load_checks()
    if args.list:
        for c in checks.values():
            print(f"{c.name:24s} {'fast' if c.fast else 'full':4s}  {c.title}")
        return 0
    try:
        chosen = select(checks, args.only, args.fast)
        if args.seed < 0:
            raise ValueError(f"--seed {args.seed}: must be >= 0")
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "figures").mkdir(exist_ok=True)
    except (ValueError, OSError) as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    ctx = Context(fast=args.fast, seed=args.seed, out=args.out / "figures")
    mode = "fast" if args.fast else "full"
    print(f"{PROG}: {len(chosen)} checks ({mode}), seed {args.seed} -> {args.out}", flush=True)
    results, start = [], time.perf_counter()
    for i, check in enumerate(chosen, 1):
        print(f"[{i}/{len(chosen)}] {check.name}: started", flush=True)
        result, seconds = run_check(check, ctx)
        results.append((result, seconds))
        print(f"[{i}/{len(chosen)}] {check.name}: {'passed' if result.passed else 'FAILED'} ({seconds:.1f} s)", flush=True)
    header = {"command": " ".join([PROG, *(argv if argv is not None else sys.argv[1:])]), "mode": mode,
              "seed": str(args.seed), "model version": model_version(), "python": platform.python_version(),
              "finished": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
              "total time": f"{time.perf_counter() - start:.1f} s"}
    write_report(args.out, results, header)
    failed = [r for r, _ in results if not r.passed]
    print(f"{PROG}: {len(results) - len(failed)} of {len(results)} passed in {time.perf_counter() - start:.1f} s; "
          f"report {args.out / 'report.md'}", flush=True)
    for r in failed:
        print(f"{PROG}: FAILED {r.name}: {r.observed}", file=sys.stderr)
    return 1 if failed else 0


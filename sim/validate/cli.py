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


def _writable(out: Path) -> None:
    """The report folder can be made and written (checked before any check runs)."""
    import os

    from ..errors import UserError

    try:
        (out / "figures").mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"--out {out}: cannot create this folder ({exc.strerror or exc})") from None
    if not os.access(out, os.W_OK | os.X_OK) or not os.access(out / "figures", os.W_OK | os.X_OK):
        raise UserError(f"--out {out}: cannot write into this folder")


def run_check(check: Check, ctx: Context) -> tuple[CheckResult, float]:
    """Run one check; an exception in the model is a failed check (with its message), not a
    crash. A full disk or an interrupt is not the model's fault: it stops the whole command
    (nothing is reported as a result, and the last report stays as it was)."""
    from ..atomic import is_disk_full
    from ..errors import DiskFull

    start = time.perf_counter()
    try:
        result = check.run(ctx)
    except Exception as exc:  # noqa: BLE001 - reported as a failed check, with the traceback
        if is_disk_full(exc):
            raise DiskFull(getattr(exc, "path", ctx.out)) from exc
        result = CheckResult(name=check.name, title=check.title, source="-", expected="-",
                             observed=f"error: {type(exc).__name__}: {exc}", tolerance="-", passed=False,
                             notes="```\n" + traceback.format_exc() + "```")
    return result, time.perf_counter() - start


MAX_SEED = 2**32 - 1 - 10_000   # checks run seeds seed ... seed + their number of runs


def main(argv: list[str] | None = None) -> int:
    from ..cli.common import guarded, one_line_errors

    ap = one_line_errors(parser(), PROG)
    return guarded(PROG, lambda: _main(ap.parse_args(argv), argv))


def _main(args, argv) -> int:
    from ..errors import UserError

    checks = load_checks()
    if args.list:
        for c in checks.values():
            print(f"{c.name:24s} {'fast' if c.fast else 'full':4s}  {c.title}")
        return 0
    try:
        chosen = select(checks, args.only, args.fast)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    if not 0 <= args.seed <= MAX_SEED:
        raise UserError(f"--seed {args.seed}: between 0 and {MAX_SEED} (the checks run seeds seed, seed + 1, ...)")
    _writable(args.out)
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


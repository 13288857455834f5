"""`vliegwiel-collect DIR`: collect whatever runs an ensemble folder holds, and its report.

    vliegwiel-collect results/comparisons/compare_instruments

writes metrics.parquet, metrics.csv, dataset.parquet, failures.csv (if any run failed) and
report/ into that folder (sim/experiments/collect.py, sim/report/). Exit status 0; 1 when
some records could not be read (named on stderr; they are left as they are) or the report
could not be written; 2 when DIR is not an ensemble folder.
"""

from __future__ import annotations

import argparse
import sys

from ..errors import DiskFull
from .common import exit_now, guarded, one_line_errors

PROG = "vliegwiel-collect"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", help="an ensemble folder (it holds runs/)")
    parser.add_argument("--no-report", action="store_true", help="only the dataset and metrics")
    parser.add_argument("--baseline", metavar="KEY=VALUE",
                        help="the baseline of the report, e.g. policy.instruments=[none] (default: as the sweep "
                             "named it, else the one swept value 'none')")
    one_line_errors(parser, PROG)
    return guarded(PROG, lambda: _collect(parser.parse_args(argv)))


def console() -> None:
    """Console entry point (`vliegwiel-collect`): main(), then a quick exit."""
    exit_now(main())


def _collect(args) -> int:
    from pathlib import Path

    from ..experiments.collect import collect_folder

    folder = Path(args.folder)
    baseline = args.baseline or _named_baseline(folder)
    metrics, failures, bad, curves = collect_folder(folder)
    status = 0
    for line in bad:
        print(f"{PROG}: not collected: {line}", file=sys.stderr)
        status = 1
    outputs = ["metrics.parquet", "metrics.csv", "dataset.parquet"] + (["failures.csv"] if failures else [])
    if not args.no_report and len(metrics):
        from ..report import write_report

        try:
            write_report(folder, metrics, curves, n_failed=len(failures), baseline=baseline)
            outputs.append("report/report.md")
        except DiskFull:
            raise
        except Exception as exc:  # noqa: BLE001 - one line; the collected files stay
            print(f"{PROG}: error: the report could not be written ({type(exc).__name__}: {exc})", file=sys.stderr)
            status = 1
    print(f"{PROG}: {len(metrics)} runs, {len(failures)} failed -> {folder}/ ({', '.join(outputs)})")
    return status


def _named_baseline(folder) -> str | None:
    """The baseline the sweep that made the folder named (ensemble.json), if any."""
    import json

    try:
        return json.loads((folder / "ensemble.json").read_text(encoding="utf-8")).get("baseline")
    except (OSError, ValueError, AttributeError):
        return None

"""`vliegwiel -m ...` (or a sweep scenario): the sweep as one ensemble, then its report."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import UserError
from .main import PROG, _check_writable, _split
from .report_helper import ReportHelper


def run_sweep(overrides: list[str], fail_fast: bool = False, baseline: str | None = None) -> int:
    model, output, _ = _split(overrides)
    if output:
        raise UserError(f"{output[0]}: output.* is where a single run writes; a sweep writes into hydra.sweep.dir")
    from ..experiments.preload import prestart

    prestart()                 # the workers' server imports the model while this process imports Hydra,
    from ..experiments import run_ensemble   # reads the settings and composes the runs
    from .hydra_config import sweep_settings
    from .hydra_sweep import executor_of, for_hydra, parse, runs_of, sweep_lists

    fixed = [o.input_line for o in parse(overrides) if not o.is_sweep_override()]
    settings = sweep_settings(for_hydra(fixed))
    folder = Path(settings.dir)
    _check_writable(str(folder), "hydra.sweep.dir")
    executor = executor_of(settings.launcher)
    try:
        executor.warm()        # the workers start while the runs are composed here
        runs = runs_of(sweep_lists(model, settings.params))
    except BaseException:
        executor.close(kill=True)
        raise
    from ..config.validate import estimate_bytes
    from .common import check_memory

    largest = max(runs, key=lambda r: estimate_bytes(r.config)).config
    check_memory(largest, at_once=min(executor.workers, len(runs)) if executor.name == "process" else 1)
    print(f"{PROG}: {len(runs)} runs on {executor.describe()} -> {folder}", file=sys.stderr, flush=True)
    if baseline is not None:
        from ..report.stats import Baseline

        Baseline.parse(baseline)       # one clear line now, not after the runs
    helper = ReportHelper()    # the report is prepared while the runs go on
    try:
        try:
            result = run_ensemble(runs, folder, executor, fail_fast=fail_fast,
                                  manifest={"command": [PROG, *overrides], "sweep": settings.params,
                                            "baseline": baseline})
        finally:
            helper.done()
            executor.close()   # warmed workers too, when every run was found done and none started
        status = 0
        if result.metrics is not None and len(result.metrics):
            status = _report(folder, result, baseline, helper.executor())
    finally:
        helper.close()
    if result.stopped:
        print(f"{PROG}: stopped at the first failing run (--fail-fast); the other runs were not started; "
              f"see {folder}/failures.csv", file=sys.stderr)
        return 1
    if result.failed:
        print(f"{PROG}: {len(result.failed)} run(s) failed; parameters, seeds and errors in {folder}/failures.csv",
              file=sys.stderr)
        return 1
    return status


def _report(folder: Path, result, baseline: str | None, helper=None) -> int:
    """The comparison report; a failure here leaves the runs and metrics and exits 1."""
    from ..errors import DiskFull
    from ..report import write_report

    try:
        path = write_report(folder, result.metrics, result.curves, n_failed=len(result.failed), baseline=baseline,
                            helper=helper)
    except DiskFull:
        raise
    except Exception as exc:  # noqa: BLE001 - said in one line; the records and metrics stay
        print(f"{PROG}: error: the report could not be written ({type(exc).__name__}: {exc}); the runs and "
              f"metrics are in {folder}; vliegwiel-collect {folder} tries again", file=sys.stderr)
        return 1
    print(f"{PROG}: {result.runs} runs ({result.ran} run now, {result.skipped} found done) -> {folder}/ "
          f"(metrics.parquet, dataset.parquet, {path.relative_to(folder)})", file=sys.stderr)
    return 0

"""The `vliegwiel` command: Hydra at the edge, `run(cfg)` inside.

    vliegwiel                          run the default scenario, write results/runs/<name>/
    vliegwiel seed=7 world=small       override any parameter (see --help)
    vliegwiel --help                   every parameter with default, unit and allowed range

Mistakes in the input end in one line on stderr naming the key, the value and what is
allowed, exit status 2, and nothing written.
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import sys
import time
from pathlib import Path

import hydra
from hydra._internal.utils import get_args_parser
from hydra.core.hydra_config import HydraConfig
from hydra.core.override_parser.overrides_parser import OverridesParser
from omegaconf import DictConfig

from hydra.types import RunMode

from .config.compose import CONFIG_DIR, hydra_settings, load_config, to_config
from .config.overrides import check_overrides
from .errors import UserError
from .sweep.task import FAIL_FAST_ENV, START_ENV, TOTAL_ENV

PROG = "vliegwiel"


def main(argv: list[str] | None = None) -> int:
    """Console entry point."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = _parse(argv)
        if args.help:
            from .cli_help import help_text

            print(help_text(args.overrides))
            return 0
        _check_flags(args)
        model_overrides = [o for o in args.overrides if not o.startswith(("hydra.", "hydra/", "+hydra", "~hydra"))]
        settings = hydra_settings(_not_swept(args.overrides)) if not (args.cfg or args.info) else None
        if args.multirun or (settings is not None and settings.mode == RunMode.MULTIRUN):
            runs = check_sweep([*_scenario_sweep(settings, args.overrides), *args.overrides])
            _check_writable(str(settings.sweep.dir) if settings is not None else "results")
            os.environ[TOTAL_ENV] = str(runs)
            os.environ[START_ENV] = str(time.time())
            if args.fail_fast:
                os.environ[FAIL_FAST_ENV] = "1"
            else:   # a second multirun in this process must not inherit the first one's flag
                os.environ.pop(FAIL_FAST_ENV, None)
        else:  # one run, or --cfg/--info: everything checked before Hydra runs or writes
            cfg = load_config(model_overrides)
            if cfg.sweep.pack != 1 and not (args.cfg or args.info):
                raise UserError(f"sweep.pack={cfg.sweep.pack}: packs the replicates of a multirun into jobs; "
                                "add -m (e.g. -m replicate=range(0,20,5) sweep.pack=5)")
            if not (args.cfg or args.info):
                _check_writable(cfg.output.dir)
    except UserError as exc:
        return _fail(exc)
    sys.argv = [PROG, *(a for a in argv if a != "--fail-fast")]
    _hydra_main()
    return _sweep_status()


def _sweep_status() -> int:
    """After a multirun: 1 if some runs failed (they are listed in failures.csv), else 0."""
    from .sweep.callbacks import LAST

    failed = LAST.get("failed", 0)
    if LAST.get("stopped"):
        print(f"{PROG}: stopped at the first failing run (--fail-fast); the other runs were not started; "
              f"see {LAST['dir']}/failures.csv", file=sys.stderr)
        return 1
    if failed:
        print(f"{PROG}: {failed} run(s) failed; parameters, seeds and errors in {LAST['dir']}/failures.csv",
              file=sys.stderr)
        return 1
    return 0


MAX_CHECKED_JOBS = 2000  # a larger sweep is checked value by value instead of job by job
# swept keys that no cross-field rule reads: each value is checked once, not in every
# combination (design.row: its first and last row; sensitivity designs are checked when made)
SIMPLE_KEYS = {"seed", "replicate", "months", "design.row"}


def _not_swept(overrides: list[str]) -> list[str]:
    """The overrides that set one value (a sweep's lists are checked job by job)."""
    check_overrides([o for o in overrides if not o.startswith(("hydra.", "hydra/", "+hydra", "~hydra"))], CONFIG_DIR)
    parsed = OverridesParser.create().parse_overrides(overrides)
    return [o.input_line for o in parsed if not o.is_sweep_override()]


def _scenario_sweep(settings, overrides: list[str]) -> list[str]:
    """The sweep a scenario file sets (hydra.sweeper.params) as overrides, less the keys the
    command line sets itself."""
    params = settings.sweeper.params if settings is not None and settings.sweeper.get("params") else {}
    given = {o.split("=", 1)[0].lstrip("+~") for o in overrides}
    return [f"{k}={v}" for k, v in params.items() if k not in given]


def check_sweep(overrides: list[str]) -> int:
    """Check every job of a multirun before Hydra starts it, so a mistake writes nothing;
    returns the number of runs (jobs times `sweep.pack`).

    Each combination of swept values is composed and validated (ranges, files, cross-field
    rules), except that keys in SIMPLE_KEYS are checked one value at a time; a sweep of more
    than MAX_CHECKED_JOBS combinations is checked one swept value at a time.
    With sweep.pack=P a job runs replicates r ... r+P-1 (or with a design, rows k ... k+P-1):
    the swept replicates (rows) must be at least P apart, so that no run is in two jobs.
    """
    check_overrides(overrides, CONFIG_DIR)
    parsed = [o for o in OverridesParser.create().parse_overrides(overrides) if not o.key_or_group.startswith("hydra")]
    choices = []
    for o in parsed:
        if not o.is_sweep_override():
            choices.append([o.input_line])
            continue
        if o.value_type is None or o.value_type.name not in ("CHOICE_SWEEP", "SIMPLE_CHOICE_SWEEP", "RANGE_SWEEP"):
            raise UserError(f"{o.input_line}: a multirun sweeps a list (a,b,c) or range(start,stop,step); "
                            "interval() and glob() are not supported")
        choices.append([f"{o.key_or_group}={v}" for v in o.sweep_string_iterator()])
    jobs = math.prod(len(c) for c in choices)
    fixed = [c[0] for c in choices if len(c) == 1]
    # keys that enter no cross-field rule are checked value by value against their declared
    # range (cheap); the others are composed in every combination (about 0.2 s each)
    alone = [c for c in choices if len(c) > 1 and c[0].split("=", 1)[0].lstrip("+") in SIMPLE_KEYS]
    for c in alone:
        for value in (c[0], c[-1]) if c[0].startswith("design.row=") else c:
            load_config([*(x[0] for x in choices if x is not c and x not in alone), value])
    choices = [[c[0]] if c in alone else c for c in choices]
    if math.prod(len(c) for c in choices) <= MAX_CHECKED_JOBS:
        for job in itertools.product(*choices):
            load_config(list(job))
    else:
        for c in choices:
            for value in c if len(c) > 1 else ():
                load_config([*fixed, value])
    first = load_config([c[0] for c in choices])
    return round(jobs * _check_pack(parsed, first.sweep.pack, first.design))


def _check_pack(parsed: list, pack: int, design) -> int:
    """sweep.pack takes one value, and packed jobs never share a run; returns the runs per
    job (P, or with a design the average block of rows, as the design may end mid-block)."""
    packed = "design.row" if design.file and design.row >= 0 else "replicate"
    per_job = float(pack)
    for o in parsed:
        if o.key_or_group == "sweep.pack" and o.is_sweep_override():
            raise UserError(f"{o.input_line}: sweep.pack takes one value")
        if o.key_or_group == packed and o.is_sweep_override() and pack > 1:
            starts = sorted(int(v) for v in o.sweep_string_iterator())
            if any(b - a < pack for a, b in zip(starts, starts[1:])):
                raise UserError(f"{o.input_line}: with sweep.pack={pack} the job with {packed}=r runs {packed} "
                                f"r ... r+{pack - 1}, so the swept values must be {pack} or more apart "
                                f"(e.g. {packed}=range(0,20,{pack}))")
            if packed == "design.row":
                from .sweep.task import design_rows

                rows = design_rows(design.file)
                per_job = sum(min(pack, rows - k) for k in starts) / len(starts)
    return per_job


def _check_writable(folder: str) -> None:
    """The run folder can be created under `folder` (checked before a long run, writing nothing)."""
    path = Path(folder).resolve()
    existing = next((p for p in (path, *path.parents) if p.exists()), None)
    if existing is None or not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
        raise UserError(f"output.dir={folder}: cannot create or write this folder")


def _check_flags(args: argparse.Namespace) -> None:
    """Hydra flags that would end in a traceback or read configs from elsewhere."""
    for flag, value in (("--config-path", args.config_path), ("--config-name", args.config_name),
                        ("--config-dir", args.config_dir), ("--experimental-rerun", args.experimental_rerun)):
        if value is not None:
            raise UserError(f"{flag}={value}: not supported; vliegwiel's configs are in configs/ and scenarios/")
    if args.hydra_help and args.overrides:
        raise UserError(f"--hydra-help takes no overrides (got {' '.join(args.overrides)})")
    if args.shell_completion:
        raise UserError("--shell-completion: not supported by vliegwiel")


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = get_args_parser()
    parser.prog = PROG
    parser.add_argument("--fail-fast", action="store_true",
                        help="in a multirun, stop at the first failing run (default: record it and go on)")

    def error(message: str) -> None:
        raise UserError(f"{message} (see {PROG} --help)")

    parser.error = error  # one line instead of argparse's usage block
    return parser.parse_args(argv)


def _fail(exc: BaseException) -> int:
    print(f"{PROG}: error: {exc}", file=sys.stderr)
    return 2


@hydra.main(config_path=str(CONFIG_DIR), config_name="config", version_base="1.3")
def _hydra_main(dictcfg: DictConfig) -> None:
    """Hydra's task: validate, run, write the run folder."""
    from .output import write_run
    from .runner import run

    hc = HydraConfig.get()
    try:
        cfg = to_config(dictcfg)
        overrides = list(hc.overrides.task)
        if hc.mode == RunMode.MULTIRUN:
            from .sweep.task import sweep_job

            sweep_job(cfg, overrides, Path(hc.sweep.dir))
            return
        results = run(cfg, progress=_progress if sys.stderr.isatty() else None)
        folder = write_run(results, overrides)
    except UserError as exc:
        sys.exit(_fail(exc))
    except OSError as exc:  # e.g. an output.dir that cannot be written
        sys.exit(_fail(f"output.dir={cfg.output.dir}: cannot write the run folder ({exc.strerror or exc})"))
    except MemoryError:
        sys.exit(_fail(f"world.n_villages={cfg.world.n_villages}: this world does not fit in memory; "
                       "use fewer or smaller villages or fewer ties (network.mean_degree)"))
    region = results.region.iloc[-1]
    print(f"{PROG}: {int(region['residents']):,} residents, {cfg.months} months, seed {cfg.seed}: "
          f"{100 * region['participation_share']:.1f} % taking part, "
          f"{int(region['collectives_alive'])} collectives -> {folder}")


def _progress(month: int, months: int) -> None:
    end = "\n" if month == months else ""
    print(f"\r{PROG}: month {month}/{months}", end=end, file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())

"""The `vliegwiel` command: one run, or a sweep run as an ensemble.

    vliegwiel                          run the default scenario, write results/runs/<name>/
    vliegwiel seed=7 world=small       override any parameter (see --help)
    vliegwiel -m seed=1,2 world=small,province     a sweep: every combination, in parallel
    vliegwiel scenario=compare_instruments         a scenario may be a whole sweep
    vliegwiel --help                   every parameter with default, unit and allowed range

A single run composes its configuration without Hydra (sim/config/compose.py), runs it with
the one runner and writes its folder. A sweep (`-m`, or a scenario with `hydra.mode:
MULTIRUN`) reads its settings with Hydra (sim/cli/hydra_config.py), becomes a list of runs
(sim/cli/hydra_sweep.py) and runs as one ensemble (sim/experiments/): resumable, failures
contained, then collected and reported.

Exit status: 0 done; 1 a run failed, a sweep stopped, the disk is full, or the report could
not be written; 2 a mistake in the input (one line naming the key, the value and what is
allowed; nothing written); 130 (Ctrl-C) or 143 (SIGTERM) stopped, finished runs kept.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..config.files import scenario_hydra
from ..errors import DiskFull, UserError
from ..calibrate.draws import draw_overrides, split_posterior
from .common import check_memory, exit_now, guarded, one_line_errors
from .settings import output_settings

PROG = "vliegwiel"


def main(argv: list[str] | None = None) -> int:
    """The command, as a function (tests call it in-process): its exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    return guarded(PROG, lambda: _main(argv))


def console() -> None:
    """Console entry point (`vliegwiel`, `python -m sim.cli`): main(), then a quick exit."""
    exit_now(main())


def _main(argv: list[str]) -> int:
    args = _parse(argv)
    _check_flags(args)
    if args.help:
        from .help import help_text

        print(help_text(_model_overrides(args.overrides)))
        return 0
    if args.hydra_help:
        print(HYDRA_HELP)
        return 0
    if args.version:
        from .. import __version__

        print(f"{PROG} {__version__}")
        return 0
    if args.cfg or args.info is not None:
        return _show(args)
    if _is_multirun(args):
        from .sweep import run_sweep

        return run_sweep(args.overrides, fail_fast=args.fail_fast, baseline=args.baseline)
    return _single(args.overrides)


# --- one run ------------------------------------------------------------------------------
def _single(overrides: list[str]) -> int:
    model, output, hydra = _split(overrides)
    for o in hydra:
        if not o.startswith(("hydra.mode=", "hydra/launcher=")):
            raise UserError(f"{o}: a setting of a sweep; add -m for a multirun")
    from ..config.compose import load_config

    model, posterior = split_posterior(model)
    cfg = load_config(model)
    if posterior == "replicate":    # one run: draw `replicate` of the calibration's posterior
        draw, _ = draw_overrides(model, cfg.replicate)
        cfg = load_config([*model, *draw])
    out = output_settings(output)
    _check_writable(out.dir, "output.dir")
    check_memory(cfg)
    from .run_folder import write_run
    from ..runner import run

    try:
        results = run(cfg, progress=_progress if sys.stderr.isatty() else None)
    except MemoryError:
        raise UserError(f"world.n_villages={cfg.world.n_villages}: this world does not fit in memory; "
                        "use fewer or smaller villages or fewer ties (network.mean_degree)") from None
    try:
        folder = write_run(results, overrides, out)
    except DiskFull:
        raise
    except OSError as exc:
        raise UserError(f"output.dir={out.dir}: cannot write the run folder ({exc.strerror or exc})") from None
    region = results.region.iloc[-1]
    print(f"{PROG}: {int(region['residents']):,} residents, {cfg.months} months, seed {cfg.seed}: "
          f"{100 * region['participation_share']:.1f} % taking part, "
          f"{int(region['collectives_alive'])} collectives -> {folder}")
    return 0


def _progress(month: int, months: int) -> None:
    end = "\n" if month == months else ""
    print(f"\r{PROG}: month {month}/{months}", end=end, file=sys.stderr, flush=True)


# --- helpers ------------------------------------------------------------------------------
def _split(overrides: list[str]) -> tuple[list[str], list[str], list[str]]:
    """(the model's overrides, the command's output.* settings, Hydra's hydra.* settings)."""
    model, output, hydra = [], [], []
    for o in overrides:
        key = o.split("=", 1)[0].lstrip("+~")
        if key == "hydra" or key.startswith(("hydra.", "hydra/")):
            hydra.append(o)
        elif key == "output" or key.startswith("output."):
            output.append(o)
        elif key == "sweep" or key.startswith("sweep."):
            raise UserError(f"{o}: sweep.* is gone; a sweep runs in batches on long-lived workers by itself "
                            "(hydra.launcher.batch sets the runs per batch)")
        else:
            model.append(o)
    return model, output, hydra


def _model_overrides(overrides: list[str]) -> list[str]:
    return split_posterior(_split(overrides)[0])[0]


def _is_multirun(args: argparse.Namespace) -> bool:
    if args.multirun:
        return True
    mode = None
    for o in args.overrides:
        key, _, value = o.partition("=")
        if key.lstrip("+") == "hydra.mode":
            mode = value
    if mode is not None:
        return mode.upper().endswith("MULTIRUN")
    scenario = next((o.split("=", 1)[1] for o in reversed(args.overrides) if o.startswith("scenario=")), "default")
    return str(scenario_hydra(scenario.strip("'\"")).get("mode", "")).upper().endswith("MULTIRUN")


def _show(args: argparse.Namespace) -> int:
    """--cfg job|hydra|all and --info, without running anything."""
    from ..config.compose import load_config
    from .hydra_config import show
    from .hydra_sweep import parse

    fixed = [o.input_line for o in parse(args.overrides) if not o.is_sweep_override()]
    swept = [o.input_line for o in parse(args.overrides) if o.is_sweep_override()]
    if swept and not _is_multirun(args):
        raise UserError(f"{swept[0]}: a comma list sweeps several values: add -m for a multirun")
    model, output, _ = _split(fixed)
    load_config(split_posterior(model)[0])   # one clear line for any mistake
    output_settings(output)
    if args.cfg:
        sys.stdout.write(show(fixed, args.cfg, args.package, args.resolve))
        if swept:
            print("# swept (one run per combination): " + " ".join(swept))
        return 0
    from .info import info_text

    print(info_text(args.overrides, fixed, _is_multirun(args)))
    return 0


def _check_writable(folder: str, key: str) -> None:
    """`folder` can be created and written (checked before a long run, writing nothing)."""
    path = Path(folder).resolve()
    existing = next((p for p in (path, *path.parents) if p.exists()), None)
    if existing is None or not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
        raise UserError(f"{key}={folder}: cannot create or write this folder")


def _check_flags(args: argparse.Namespace) -> None:
    """Hydra flags vliegwiel does not take (its configs are in configs/ and scenarios/)."""
    for flag, value in (("--config-path", args.config_path), ("--config-name", args.config_name),
                        ("--config-dir", args.config_dir), ("--experimental-rerun", args.experimental_rerun)):
        if value is not None:
            raise UserError(f"{flag}={value}: not supported; vliegwiel's configs are in configs/ and scenarios/")
    if args.hydra_help and args.overrides:
        raise UserError(f"--hydra-help takes no overrides (got {' '.join(args.overrides)})")
    if args.shell_completion:
        raise UserError("--shell-completion: not supported by vliegwiel")
    if args.package and not args.cfg:
        raise UserError(f"--package {args.package}: goes with --cfg job|hydra|all")
    if args.baseline is not None:
        from ..report.stats import Baseline

        Baseline.parse(args.baseline)


def _parse(argv: list[str]) -> argparse.Namespace:
    """Hydra's command-line flags (the ones vliegwiel takes, and the ones it refuses)."""
    p = argparse.ArgumentParser(prog=PROG, add_help=False)
    p.add_argument("overrides", nargs="*")
    p.add_argument("-h", "--help", action="store_true")
    p.add_argument("--hydra-help", action="store_true")
    p.add_argument("--version", action="store_true")
    p.add_argument("-c", "--cfg", choices=("job", "hydra", "all"))
    p.add_argument("-p", "--package")
    p.add_argument("--resolve", action="store_true")
    p.add_argument("-m", "--multirun", action="store_true")
    p.add_argument("-i", "--info", nargs="?", const="all",
                   choices=("all", "config", "defaults", "defaults-tree", "plugins", "searchpath"))
    p.add_argument("-cp", "--config-path")
    p.add_argument("-cn", "--config-name")
    p.add_argument("-cd", "--config-dir")
    p.add_argument("--experimental-rerun")
    p.add_argument("-sc", "--shell-completion", action="store_true")
    p.add_argument("--fail-fast", action="store_true",
                   help="in a sweep, stop at the first failing run (default: record it and go on)")
    p.add_argument("--baseline", metavar="KEY=VALUE",
                   help="in a sweep, the baseline of the report's comparison, e.g. policy.instruments=[none] "
                        "(default: the one swept value 'none')")

    one_line_errors(p, PROG)
    args, unknown = p.parse_known_args(argv)
    if unknown:
        raise UserError(f"unrecognized arguments: {' '.join(unknown)} (see {PROG} --help)")
    return args


HYDRA_HELP = """\
vliegwiel's command line reads Hydra's override grammar and these Hydra settings:

  -m, --multirun                  a sweep: one run per combination of the listed values
  KEY=A,B,C  KEY=range(0,20)      the values a sweep takes (lists and ranges)
  hydra.sweep.dir=DIR             where a sweep writes (default results/sweeps/<date>_<time>)
  hydra/launcher=NAME             where a sweep runs: processes (default), serial, slurm,
                                  slurm_local, ray (configs/hydra/launcher/)
  hydra.launcher.KEY=VALUE        a setting of that launcher (workers, batch, partition, ...)
  --cfg job|hydra|all [--package P] [--resolve]   show the composed configuration
  --info                          the config groups, chosen options and sweep settings

A scenario file (scenarios/) may set hydra.mode: MULTIRUN, hydra.sweep.dir and
hydra.sweeper.params (the sweep). See README.md, "Comparing instruments".
"""

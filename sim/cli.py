"""The `vliegwiel` command: Hydra at the edge, `run(cfg)` inside.

    vliegwiel                          run the default scenario, write results/runs/<name>/
    vliegwiel seed=7 world=small       override any parameter (see --help)
    vliegwiel --help                   every parameter with default, unit and allowed range

Mistakes in the input end in one line on stderr naming the key, the value and what is
allowed, exit status 2, and nothing written.
"""

from __future__ import annotations

import argparse
import sys

import hydra
from hydra._internal.utils import get_args_parser
from hydra.core.hydra_config import HydraConfig
from hydra.core.override_parser.overrides_parser import OverridesParser
from omegaconf import DictConfig

from .config.compose import CONFIG_DIR, load_config, to_config
from .config.overrides import check_overrides
from .errors import UserError

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
        if args.multirun:
            check_sweep(args.overrides)
        elif args.cfg or args.info or args.hydra_help or args.shell_completion:
            check_overrides(args.overrides, CONFIG_DIR)
        else:
            load_config(args.overrides)  # everything checked before Hydra runs or writes
    except UserError as exc:
        return _fail(exc)
    sys.argv = [PROG, *argv]
    _hydra_main()
    return 0


def check_sweep(overrides: list[str]) -> None:
    """Check every value of a multirun before Hydra starts it: each value of each swept key
    is composed and validated with the fixed overrides (ranges, files, cross-field rules)."""
    check_overrides(overrides, CONFIG_DIR)
    parsed = OverridesParser.create().parse_overrides(overrides)
    fixed = [o.input_line for o in parsed if not o.is_sweep_override()]
    load_config(fixed)
    for o in parsed:
        if o.is_sweep_override() and o.is_choice_sweep() and not o.key_or_group.startswith("hydra"):
            for value in o.sweep_string_iterator():
                load_config([*fixed, f"{o.key_or_group}={value}"])


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = get_args_parser()
    parser.prog = PROG

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

    try:
        cfg = to_config(dictcfg)
        overrides = list(HydraConfig.get().overrides.task)
        results = run(cfg, progress=_progress if sys.stderr.isatty() else None)
        folder = write_run(results, overrides)
    except UserError as exc:
        sys.exit(_fail(exc))
    except OSError as exc:  # e.g. an output.dir that cannot be written
        sys.exit(_fail(f"output.dir={cfg.output.dir}: cannot write the run folder ({exc.strerror or exc})"))
    region = results.region.iloc[-1]
    print(f"{PROG}: {int(region['residents']):,} residents, {cfg.months} months, seed {cfg.seed}: "
          f"{100 * region['participation_share']:.1f} % taking part, "
          f"{int(region['collectives_alive'])} collectives -> {folder}")


def _progress(month: int, months: int) -> None:
    end = "\n" if month == months else ""
    print(f"\r{PROG}: month {month}/{months}", end=end, file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())

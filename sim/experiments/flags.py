"""Command-line flags that pick an executor, shared by the analysis commands
(vliegwiel-sensitivity, -calibrate, -explore):

    --executor processes|serial|slurm|slurm_local|ray   (default processes)
    --workers N                                            (processes: 0 = one per core)
    --executor-option KEY=VALUE                            (any other setting, repeatable;
                                                            e.g. partition=short, batch=10,
                                                            address=auto)
"""

from __future__ import annotations

import argparse

from ..config.overrides import parse_value
from ..errors import UserError
from .executors import KINDS, make_executor


def add_executor_flags(parser: argparse.ArgumentParser) -> None:
    g = parser.add_argument_group("where the runs run")
    g.add_argument("--executor", choices=KINDS, default="processes",
                   help="serial, processes (default: one worker per core), slurm, slurm_local or ray")
    g.add_argument("--workers", type=int, default=0, help="worker processes (processes; 0: one per core)")
    g.add_argument("--executor-option", action="append", default=[], metavar="KEY=VALUE",
                   help="another setting of the executor (see configs/hydra/launcher/<executor>.yaml)")


def executor_from(args: argparse.Namespace):
    settings = {}
    for item in args.executor_option:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UserError(f"--executor-option {item}: give KEY=VALUE")
        settings[key.strip()] = parse_value(value)
    if args.executor == "processes" and args.workers:
        settings.setdefault("workers", args.workers)
    if args.workers < 0:
        raise UserError(f"--workers {args.workers}: 0 (one per core) or more")
    try:
        return make_executor(args.executor, **settings)
    except TypeError as exc:
        raise UserError(f"--executor-option: {exc}") from None

"""`vliegwiel-sensitivity`: a Sobol or Morris analysis of one metric, run as one ensemble.

    vliegwiel-sensitivity --method sobol --n 64 --metric participation_end \\
        --param adoption.w_social=0.5:1.5 --param collectives.founding_rate=0.005:0.02 world=small

1. draws the SALib design (uniform between the bounds, fixed seed) and writes it as
   <dir>/design.csv (a row per design point);
2. runs every design row (x --replicates) as one ensemble (sim/experiments/): each row's
   values applied to the configuration of the fixed overrides, resumable, failures
   contained, on --executor;
3. writes <dir>/sensitivity/: indices.csv and indices.md (indices with 95 % intervals) and
   indices.png.

With --replicates R each design row is run with replicates 0..R-1 and the metric averaged
over them (the model is stochastic). Running the same command again resumes.
`--function ishigami --param x1=-3.14159:3.14159 ...` runs a test function with known
indices instead of the model, through the same machinery.

Every input is checked before anything is written or run: exit status 2 and one line.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from ..config.compose import load_config
from ..config.overrides import apply_overrides
from ..cli.common import guarded, one_line_errors
from ..errors import Failed, UserError
from ..experiments import Run, run_ensemble
from ..experiments.flags import add_executor_flags, executor_from
from ..experiments.testfunctions import FUNCTIONS
from . import analyse
from .design import METHODS, Problem, parse_range, sample, write_design

PROG = "vliegwiel-sensitivity"
MAX_ROWS = 200_000


def parse_param(text: str) -> tuple[str, tuple[float, float]]:
    """'key=lo:hi' -> (key, (lo, hi))."""
    key, lo, hi = parse_range(text, "adoption.w_social=0.5:1.5")
    return key, (lo, hi)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--method", choices=METHODS, default="sobol")
    parser.add_argument("--n", type=int, default=64, help="base sample size (Sobol: a power of 2)")
    parser.add_argument("--param", action="append", default=[], metavar="KEY=LOW:HIGH",
                        help="an uncertain parameter, uniform between LOW and HIGH (repeat for each)")
    parser.add_argument("--metric", default="participation_end", help="the metric analysed (see sim/metrics.py)")
    parser.add_argument("--replicates", type=int, default=1, help="replicates per design row (averaged)")
    parser.add_argument("--dir", default=None, help="output folder (default results/sensitivity/<method>-<metric>)")
    parser.add_argument("--seed", type=int, default=20261127, help="seed of the design and of the bootstrap")
    parser.add_argument("--function", choices=("model", *FUNCTIONS), default="model",
                        help="what a run evaluates: the model, or a test function with known indices")
    add_executor_flags(parser)
    parser.add_argument("overrides", nargs="*", help="fixed parameter overrides (KEY=VALUE) for every run")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = one_line_errors(build_parser(), PROG)
    return guarded(PROG, lambda: run_analysis(parser.parse_args(argv)))


def check(args) -> tuple[Problem, object, list[str]]:
    """(the problem, the fixed configuration, warnings) or a UserError; writes nothing."""
    if len(args.param) < 2:
        raise UserError("--param: give at least two uncertain parameters")
    if not 2 <= args.n <= 65_536 or not 1 <= args.replicates <= 1000:
        raise UserError(f"--n {args.n} / --replicates {args.replicates}: need 2 <= n <= 65536 and "
                        "1 <= replicates <= 1000")
    if not 0 <= args.seed <= 2**32 - 1:
        raise UserError(f"--seed {args.seed}: between 0 and 2^32 - 1")
    params = [parse_param(p) for p in args.param]
    names = [k for k, _ in params]
    if len(set(names)) < len(names):
        twice = next(k for k in names if names.count(k) > 1)
        raise UserError(f"--param {twice}: given twice; each parameter once")
    problem = Problem(tuple(names), tuple(b for _, b in params))
    rows = _rows(problem, args)
    if rows * args.replicates > MAX_ROWS:
        raise UserError(f"--n {args.n}: {rows * args.replicates:,} runs; at most {MAX_ROWS:,} in one analysis")
    base = load_config(list(args.overrides))
    if args.function == "model":
        for key, (lo, hi) in params:     # both bounds must be valid values of the parameter
            for bound in (lo, hi):
                apply_overrides(base, {key: bound})
        from ..metrics import metric_names

        known = metric_names(base)
        if args.metric not in known:
            raise UserError(f"--metric {args.metric}: not a metric of the model (known: {', '.join(known)})")
    else:
        expected = {"ishigami": ("x1", "x2", "x3")}[args.function]
        if sorted(names) != sorted(expected):
            raise UserError(f"--param: the {args.function} function takes exactly {', '.join(expected)}")
        if args.metric != args.function:
            raise UserError(f"--metric {args.metric}: the {args.function} function gives the metric {args.function}")
    return problem, base, names


def _rows(problem: Problem, args) -> int:
    d = len(problem.names)
    return args.n * (d + 2) if args.method == "sobol" else args.n * (d + 1)


def runs_of(problem: Problem, x: np.ndarray, base, args) -> list[Run]:
    runs = []
    for k, row in enumerate(x):
        values = dict(zip(problem.names, (float(v) for v in row), strict=True))
        params = {"design.row": str(k), **{n: repr(v) for n, v in values.items()}}
        for r in range(args.replicates):
            if args.function == "model":
                cfg = apply_overrides(base, {**values, "replicate": r})
                runs.append(Run(cfg, scenario=f"row {k}", params={**params, "replicate": str(r)}))
            else:
                cfg = apply_overrides(base, {"replicate": r})
                runs.append(Run(cfg, scenario=f"row {k}", params={**params, "replicate": str(r)},
                                function=args.function, inputs=values))
    return runs


def run_analysis(args) -> int:
    problem, base, _ = check(args)
    executor = executor_from(args)
    folder = Path(args.dir or f"results/sensitivity/{args.method}-{args.metric}")
    spec = {"method": args.method, "n": args.n, "seed": args.seed, "problem": problem.salib(),
            "replicates": args.replicates, "overrides": list(args.overrides), "function": args.function}
    spec_path = folder / "sensitivity.json"
    _check_folder(folder, spec_path, spec)
    x = sample(problem, args.method, args.n, args.seed)
    runs = runs_of(problem, x, base, args)
    folder.mkdir(parents=True, exist_ok=True)
    write_design(folder / "design.csv", problem, x)
    analyse.write_text(spec_path, json.dumps(spec, indent=2) + "\n")
    print(f"{PROG}: {args.method} design of {len(x)} rows x {args.replicates} replicates on "
          f"{executor.describe()} -> {folder}", file=sys.stderr)
    result = run_ensemble(runs, folder, executor, manifest={"analysis": "sensitivity", **spec})
    if result.failed:
        raise Failed(f"{len(result.failed)} run(s) failed (see {folder}/failures.csv); run the same command "
                     "again to redo them")
    y = outputs(result.metrics, args.metric, len(x))
    table = analyse.indices(problem, args.method, x, y, args.seed)
    out = folder / "sensitivity"
    out.mkdir(exist_ok=True)
    analyse.write_text(out / "indices.csv", table.to_csv(index=False))
    analyse.write_text(out / "indices.md", analyse.markdown(table, args.method, args.metric, len(runs)))
    analyse.figure(table, args.method, args.metric, out / "indices.png")
    print(analyse.markdown(table, args.method, args.metric, len(runs)))
    return 0


def _check_folder(folder: Path, spec_path: Path, spec: dict) -> None:
    """The output folder can be written, and holds no other analysis."""
    existing = next((p for p in (folder.resolve(), *folder.resolve().parents) if p.exists()), None)
    import os

    if existing is None or not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
        raise UserError(f"--dir {folder}: cannot create or write this folder")
    if spec_path.exists():
        try:
            old = json.loads(spec_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            old = None
        if old != spec:
            raise UserError(f"--dir {folder}: holds another design; choose another folder")


def outputs(metrics, metric: str, rows: int) -> np.ndarray:
    """The metric of every design row, averaged over replicates, in design order."""
    if metric not in metrics.columns:
        known = ", ".join(c for c in metrics.columns if not c.startswith("param:"))
        raise UserError(f"--metric {metric}: not a metric of these runs (known: {known})")
    m = metrics.assign(row=metrics["param:design.row"].astype(int))
    y = m.groupby("row")[metric].mean().reindex(range(rows))
    if y.isna().any():
        raise UserError(f"{int(y.isna().sum())} design rows have no result for {metric}; rerun to complete them")
    return y.to_numpy(float)

"""`vliegwiel-sensitivity`: a Sobol or Morris analysis of one metric through the sweep machinery.

    vliegwiel-sensitivity --method sobol --n 64 --metric participation_end \\
        --param adoption.w_social=0.5:1.5 --param collectives.founding_rate=0.005:0.02 world=small

1. draws the SALib design (uniform between the bounds, fixed seed) and writes it as
   <dir>/design.csv;
2. runs it as a multirun: one run per design row (x --replicates), with the same launcher,
   records, resume and failure handling as any sweep (`design.file`, `design.row`);
3. collects the runs and writes <dir>/sensitivity/: indices.csv and indices.md (indices
   with 95 % intervals) and indices.png.

With --replicates R each design row is run with replicates 0..R-1 and the metric averaged
over them (the model is stochastic). Running the same command again resumes.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from ..config.compose import load_config
from ..errors import UserError
from . import analyse
from .design import METHODS, Problem, parse_range, sample, write_design

PROG = "vliegwiel-sensitivity"


def parse_param(text: str) -> tuple[str, tuple[float, float]]:
    """'key=lo:hi' -> (key, (lo, hi))."""
    key, lo, hi = parse_range(text, "adoption.w_social=0.5:1.5")
    return key, (lo, hi)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--method", choices=METHODS, default="sobol")
    parser.add_argument("--n", type=int, default=64, help="base sample size (Sobol: a power of 2)")
    parser.add_argument("--param", action="append", default=[], metavar="KEY=LOW:HIGH",
                        help="an uncertain parameter, uniform between LOW and HIGH (repeat for each)")
    parser.add_argument("--metric", default="participation_end", help="the metric analysed (see sim/metrics.py)")
    parser.add_argument("--replicates", type=int, default=1, help="replicates per design row (averaged)")
    parser.add_argument("--dir", default=None, help="sweep folder (default results/sensitivity/<method>-<metric>)")
    parser.add_argument("--seed", type=int, default=20261127, help="seed of the design and of the bootstrap")
    parser.add_argument("--pack", type=int, default=0,
                        help="design rows per job (default: the rows split into about 32 jobs)")
    parser.add_argument("overrides", nargs="*", help="fixed parameter overrides (KEY=VALUE) for every run")
    args = parser.parse_args(argv)
    try:
        return run_analysis(args)
    except UserError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2


def run_analysis(args) -> int:
    from ..cli import main as vliegwiel

    if len(args.param) < 2:
        raise UserError("--param: give at least two uncertain parameters")
    if args.n < 2 or args.replicates < 1:
        raise UserError(f"--n {args.n} / --replicates {args.replicates}: need n >= 2 and replicates >= 1")
    params = [parse_param(p) for p in args.param]
    problem = Problem(tuple(k for k, _ in params), tuple(b for _, b in params))
    for key, (lo, hi) in params:     # both bounds must be valid values of the parameter
        for bound in (lo, hi):
            load_config([*args.overrides, f"{key}={bound}"])
    folder = Path(args.dir or f"results/sensitivity/{args.method}-{args.metric}")
    folder.mkdir(parents=True, exist_ok=True)
    x = sample(problem, args.method, args.n, args.seed)
    spec = {"method": args.method, "n": args.n, "seed": args.seed, "problem": problem.salib(),
            "metric": args.metric, "replicates": args.replicates, "overrides": args.overrides}
    spec_path = folder / "sensitivity.json"
    if spec_path.exists() and {k: v for k, v in json.loads(spec_path.read_text()).items() if k != "metric"} != \
            {k: v for k, v in spec.items() if k != "metric"}:
        raise UserError(f"--dir {folder}: holds another design; choose another folder")
    design = (folder / "design.csv").resolve()
    write_design(design, problem, x)
    analyse.write_text(spec_path, json.dumps(spec, indent=2) + "\n")
    print(f"{PROG}: {args.method} design of {len(x)} rows x {args.replicates} replicates -> {folder}", file=sys.stderr)
    pack = args.pack if args.pack > 0 else max(1, -(-len(x) // 32))
    status = vliegwiel(["-m", f"design.file={design}", f"design.row=range(0,{len(x)},{pack})", f"sweep.pack={pack}",
                        f"replicate=range(0,{args.replicates})", f"hydra.sweep.dir={folder.resolve()}",
                        *args.overrides])
    if status != 0:
        raise UserError(f"some runs failed (see {folder}/failures.csv); rerun the same command to redo them")
    y = outputs(folder, args.metric, len(x))
    table = analyse.indices(problem, args.method, x, y, args.seed)
    out = folder / "sensitivity"
    out.mkdir(exist_ok=True)
    analyse.write_text(out / "indices.csv", table.to_csv(index=False))
    analyse.write_text(out / "indices.md", analyse.markdown(table, args.method, args.metric, len(x) * args.replicates))
    analyse.figure(table, args.method, args.metric, out / "indices.png")
    print(analyse.markdown(table, args.method, args.metric, len(x) * args.replicates))
    return 0


def outputs(folder: Path, metric: str, rows: int) -> np.ndarray:
    """The metric of every design row, averaged over replicates, in design order."""
    m = pd.read_parquet(folder / "metrics.parquet")
    if metric not in m.columns:
        known = ", ".join(c for c in m.columns if not c.startswith("param:"))
        raise UserError(f"--metric {metric}: not a metric of these runs (known: {known})")
    m["row"] = m["param:design.row"].astype(int)
    y = m.groupby("row")[metric].mean().reindex(range(rows))
    if y.isna().any():
        raise UserError(f"{int(y.isna().sum())} design rows have no result for {metric}; rerun to complete them")
    return y.to_numpy(float)

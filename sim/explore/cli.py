"""`vliegwiel-explore`: every instrument across every plausible world (make run).

    vliegwiel-explore --worlds 48 --replicates 2             # the default main job
    vliegwiel-explore --worlds 250 --replicates 2 --dir results/explore/large
    vliegwiel-explore --mixes --executor slurm --executor-option partition=short ...

1. draws N worlds from the uncertainty table (docs/ODD.md section 11: every parameter with a
   plausible range; the energy calibration's parameters from its posterior when the file
   exists) by a Latin hypercube or Sobol sequence, each world with its own seed;
2. runs the point comparison at the default values (every instrument, --point-replicates
   paired replicates; <dir>/point/, with the standard comparison report), then every
   instrument alone (and with --mixes every programme of configs/programme/) in every world
   with replicates 0..R-1, as one ensemble (resumable, parallel, on any executor);
3. writes <dir>/report.md and <dir>/robustness/ (summary.json, tables, figures): robustness
   per instrument and outcome, and the PRIM boxes of what one must believe.

Running the same command again does only what is missing. Every input is checked before
anything is written or run: exit status 2 and one line.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from ..cli.common import check_memory, guarded, one_line_errors
from ..config.compose import groups, load_config
from ..errors import Failed, UserError
from ..experiments import MODEL, run_ensemble
from ..experiments.ensemble import MAX_RUNS
from ..experiments.flags import add_executor_flags, executor_from
from ..experiments.testfunctions import TOY_INPUTS
from ..instruments.registry import instrument_names, label
from . import design as dz
from . import report, robustness, tidy
from .table import POSTERIOR, Posterior, Uncertainty, check_table, uncertainty_table

PROG = "vliegwiel-explore"
BASELINE = "none"
FUNCTIONS = (MODEL, "explore_toy")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    p.add_argument("--worlds", type=int, default=48, help="worlds drawn from the plausible ranges (default 48)")
    p.add_argument("--replicates", type=int, default=2, help="replicates per world and policy, averaged (default 2)")
    p.add_argument("--sampler", choices=dz.SAMPLERS, default="lhs", help="Latin hypercube (default) or Sobol")
    p.add_argument("--seed", type=int, default=20261128, help="seed of the design (the worlds and their seeds)")
    p.add_argument("--instruments", default="", help="comma list of instruments (default: every one; none is the baseline)")
    p.add_argument("--mixes", action="store_true", help="also every programme mix of configs/programme/")
    p.add_argument("--point-replicates", type=int, default=10,
                   help="replicates of the point comparison at the default values (0: none; default 10)")
    p.add_argument("--discover", default="participation_end",
                   help="comma list of outcomes whose boxes PRIM looks for (default participation_end)")
    p.add_argument("--posterior", default=str(POSTERIOR), help="the energy calibration's posterior particles (CSV)")
    p.add_argument("--function", choices=FUNCTIONS, default=MODEL,
                   help="what a run evaluates: the model, or a toy with a known answer (tests)")
    p.add_argument("--dir", default="results/explore/robust", help="output folder (default results/explore/robust)")
    add_executor_flags(p)
    p.add_argument("overrides", nargs="*", help="fixed parameter overrides (KEY=VALUE) for every run")
    return p


def main(argv: list[str] | None = None) -> int:
    parser = one_line_errors(build_parser(), PROG)
    return guarded(PROG, lambda: explore(parser.parse_args(argv), [PROG, *(argv if argv is not None else sys.argv[1:])]))


def check(args) -> dict:
    """Everything the exploration needs, checked; writes nothing."""
    if not 4 <= args.worlds <= 100_000 or not 1 <= args.replicates <= 1000 or not 0 <= args.point_replicates <= 1000:
        raise UserError(f"--worlds {args.worlds} / --replicates {args.replicates} / --point-replicates "
                        f"{args.point_replicates}: need 4 <= worlds <= 100000, 1 <= replicates <= 1000, "
                        "0 <= point replicates <= 1000")
    if not 0 <= args.seed <= 2**32 - 1:
        raise UserError(f"--seed {args.seed}: between 0 and 2^32 - 1")
    if any(o.split("=", 1)[0].lstrip("+") in ("policy.instruments", "programme", "seed", "replicate")
           for o in args.overrides):
        raise UserError("policy.instruments, programme, seed and replicate are set by the exploration; "
                        "choose instruments with --instruments and mixes with --mixes")
    known = instrument_names()
    names = [s.strip() for s in args.instruments.split(",") if s.strip()] or list(known)
    bad = [n for n in names if n not in known]
    if bad or BASELINE not in names or len(set(names)) < len(names):
        raise UserError(f"--instruments {args.instruments}: each once, from {', '.join(known)}, with {BASELINE} "
                        "(the baseline)")
    names = [BASELINE, *[n for n in names if n != BASELINE]]
    base = load_config(list(args.overrides))
    mixes = [m for m in groups().get("programme", []) if m != "none"] if args.mixes else []
    toy = args.function != MODEL
    table = toy_table() if toy else uncertainty_table(base)
    posterior = None if toy else Posterior.load(args.posterior, base)
    problems = check_table(table)
    if problems:
        raise UserError(f"uncertainty table: {problems[0]}")
    discover = tuple(s.strip() for s in args.discover.split(",") if s.strip())
    allowed = [c.metric for c in robustness.CRITERIA]
    if not discover or any(d not in allowed for d in discover):
        raise UserError(f"--discover {args.discover}: a comma list of {', '.join(allowed)}")
    policies = dz.policies(names, mixes)
    n_runs = args.worlds * len(policies) * args.replicates
    if n_runs + len(names) * args.point_replicates > MAX_RUNS:
        raise UserError(f"--worlds {args.worlds}: {n_runs:,} runs; at most {MAX_RUNS:,}")
    if not toy:
        check_memory(base)
    executor_from(args)      # its settings are checked now, before anything is written
    return {"base": base, "names": names, "policies": policies, "table": table, "posterior": posterior,
            "discover": discover, "toy": toy}


def toy_table() -> list[Uncertainty]:
    return [Uncertainty(k, lo, hi, (lo + hi) / 2, "the toy's own input", "") for k, (lo, hi) in TOY_INPUTS.items()]


def explore(args, command: list[str]) -> int:
    c = check(args)
    folder = Path(args.dir)
    spec = {"worlds": args.worlds, "replicates": args.replicates, "sampler": args.sampler, "seed": args.seed,
            "policies": list(c["policies"]), "overrides": list(args.overrides), "function": args.function,
            "posterior": str(c["posterior"].path) if c["posterior"] else None}
    _check_folder(folder, spec)
    d = dz.draw_worlds(c["table"], args.worlds, args.sampler, args.seed, c["posterior"])
    runs = dz.explore_runs(d, c["policies"], args.replicates, list(args.overrides), args.function)
    folder.mkdir(parents=True, exist_ok=True)
    _write(folder / "explore.json", json.dumps(spec, indent=2) + "\n")
    _write(folder / "worlds.csv", d.worlds.to_csv(index=False))
    point = None if c["toy"] or not args.point_replicates else run_point(args, c, folder)
    say(f"{args.worlds} worlds x {len(c['policies'])} policies x {args.replicates} replicates = {len(runs)} runs "
        f"-> {folder}")
    result = run_ensemble(runs, folder, executor_from(args), collect_outputs=False,
                          manifest={"analysis": "explore", **spec, "command": command})
    if result.failed:
        raise Failed(f"{len(result.failed)} run(s) failed (see {folder}/runs/*.failed.json); run the same command "
                     "again to redo them")
    metrics = tidy.write_metrics(folder, runs)
    ctx = report.Context(folder, d, c["table"], BASELINE, labels(c["policies"]), c["base"].months, args.replicates,
                         args.sampler, args.seed, c["posterior"], c["discover"], point, command)
    data = report.write(ctx, metrics)
    say(f"report: {folder / 'report.md'}; summary: {folder / report.OUT / 'summary.json'}")
    print(headline(data, c["discover"][0]))
    return 0


def run_point(args, c: dict, folder: Path) -> dict:
    """The comparison at the default values, with the standard report (sim/report/)."""
    from ..report import write_report

    where = folder / "point"
    runs = dz.point_runs(c["names"], args.point_replicates, list(args.overrides))
    say(f"point comparison at the default values: {len(runs)} runs -> {where}")
    result = run_ensemble(runs, where, executor_from(args), manifest={"analysis": "explore: point comparison"})
    if result.failed:
        raise Failed(f"{len(result.failed)} run(s) of the point comparison failed (see {where}/failures.csv)")
    write_report(where, result.metrics, result.curves)
    return {"folder": "point", "replicates": args.point_replicates, "metrics": result.metrics}


def labels(policies: dict) -> dict[str, dict[str, str]]:
    out = {}
    for p in policies:
        if p.startswith("mix:"):
            out[p] = {"en": f"mix {p[4:]}", "nl": f"mix {p[4:]}"}
        else:
            out[p] = {"en": label(p, "en"), "nl": label(p, "nl")}
    return out


def headline(data: dict, outcome: str) -> str:
    lines = [f"{outcome}: policy, best in, beats baseline in, mean regret, satisficing (share of "
             f"{data['worlds']} worlds)"]
    for p in data["policies"]:
        r = data["robustness"].get(p["name"], {}).get(outcome)
        if r:
            lines.append(f"  {p['name']:<20} {_pc(r['best']['share'])} {_pc(r['beats_baseline']['share'])} "
                         f"{r['regret']['mean'] if r['regret']['mean'] is not None else float('nan'):.4f} "
                         f"{_pc(r['satisficing']['share'])}")
    return "\n".join(lines)


def _pc(x) -> str:
    return "   -" if x is None else f"{100 * x:5.1f} %"


def say(text: str) -> None:
    print(f"{PROG}: {text}", file=sys.stderr, flush=True)


def _write(path: Path, text: str) -> None:
    from ..atomic import write_text_atomic

    write_text_atomic(path, text)


def _check_folder(folder: Path, spec: dict) -> None:
    """The output folder can be written. One that holds another design (other settings, or
    the calibration's posterior that has appeared since) gets the new one, and says so: the
    old records stay in runs/ and are not collected."""
    existing = next((p for p in (folder.resolve(), *folder.resolve().parents) if p.exists()), None)
    if existing is None or not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
        raise UserError(f"--dir {folder}: cannot create or write this folder")
    path = folder / "explore.json"
    if path.exists():
        try:
            old = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            old = None
        if old != spec:
            changed = sorted(k for k in spec if not isinstance(old, dict) or old.get(k) != spec[k])
            say(f"{folder} held another design ({', '.join(changed)} changed); running this one")

"""`vliegwiel-calibrate`: fit the model to several patterns of the Dutch energy co-operatives
(and care initiatives) at once, by ABC-SMC (pyabc), every model run through the experiment layer.

    vliegwiel-calibrate                         the worked case (make calibrate runs it with --ship)
    vliegwiel-calibrate --fit-until 2016 --dir results/calibration/energy_until_2016    a hindcast
    vliegwiel-calibrate --population 16 --generations 2 --replicates 1 --villages 30   a quick look

1. the patterns (sim/calibrate/patterns.py): counts, members, members per co-operative,
   foundings and stoppings of energy co-operatives, and care initiatives, up to --fit-until;
2. the mapping (mapping.py): the model's region stands for its share of Dutch adults; its
   world is the default world with --villages villages, starting at the end of the first
   observed year with the observed count's share of villages (collectives.initial_share);
3. ABC-SMC (smc.py, sampler.py): --population particles per generation, --generations at most,
   --replicates runs each; adaptive tolerances; <dir>/abc.db (pyabc's history) and <dir>/runs/;
4. the posterior predictive (predictive.py): --forecast-draws draws of the posterior, run
   from the first observed year to --forecast-years past the fitted ones (<dir>/forecast/);
5. <dir>/report.md, fit.json, posterior.csv, generations.csv, identifiability.csv,
   forecast.csv, fit_table.csv and figures; with --ship also the package's posterior
   (sim/data/calibration/<name>_posterior.csv, _fit.json), the config group
   configs/calibration/<name>.yaml and scenarios/<name>_calibrated.yaml.

Running the same command again resumes (finished generations from abc.db, finished runs from
runs/); another calibration in the same folder is refused.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import pandas as pd

from ..atomic import write_text_atomic
from ..cli.common import guarded, one_line_errors
from ..config.compose import load_config
from ..errors import UserError
from ..experiments.flags import add_executor_flags, executor_from
from . import report, ship
from .mapping import Mapping, world_overrides
from .patterns import energy_patterns, observed_values
from .posterior import Posterior, identifiability
from .predictive import PREDICTIVE_SEED, bands, fit_table, judge_hindcast, ratio_band, run_predictive
from .simulators import ModelSimulator
from .priors import ENERGY_PRIORS, TIMING_PRIORS, parse_prior
from .smc import SAMPLER, generations_table, posterior_frame, run_smc

REPLICATES = 6  # runs per particle (see --replicates)
PROG = "vliegwiel-calibrate"


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    p.add_argument("--param", action="append", default=[], metavar="KEY=LOW:HIGH",
                   help="a parameter to fit, uniform (KEY=LOW:HIGH) or log-uniform (KEY=log:LOW:HIGH) prior "
                        "(repeat; default: " + "; ".join(f"{q.key} {q.text}" for q in ENERGY_PRIORS) + ")")
    p.add_argument("--population", type=int, default=64, help="particles per generation (default 64)")
    p.add_argument("--generations", type=int, default=7, help="generations at most (default 7)")
    p.add_argument("--min-epsilon", type=float, default=0.0, help="stop when the tolerance reaches this distance")
    # 6, not 3: a particle's count distance is mostly chance at 3 runs (0.19 +- 0.10 against a
    # misfit of about 0.075), 0.10 at 6; docs/ODD.md section 9
    p.add_argument("--replicates", type=int, default=REPLICATES, help=f"runs per particle, averaged (default {REPLICATES})")
    p.add_argument("--villages", type=int, default=100, help="villages of the calibration world (default 100)")
    p.add_argument("--fit-until", type=int, default=None, metavar="YEAR",
                   help="fit the observations up to YEAR; the later ones are held out and judged (a hindcast)")
    p.add_argument("--no-care", action="store_true", help="leave out the care initiatives (second theme)")
    p.add_argument("--rogers", action="store_true",
                   help="also fit Rogers' timing of adoption (innovators and early adopters leading their village: "
                        "the rogers pattern) and, unless --param is given, the decision speed it informs "
                        "(adoption.decide_innovativeness)")
    p.add_argument("--forecast-years", type=int, default=5, help="years past the fitted ones (default 5)")
    p.add_argument("--forecast-draws", type=int, default=100, help="posterior draws in the forecast (default 100)")
    p.add_argument("--dir", default=None, help="output folder (default results/calibration/energy, or "
                                               "energy_until_YEAR for a hindcast)")
    p.add_argument("--seed", type=int, default=20261128, help="seed of the proposals and particles' runs")
    p.add_argument("--ship", action="store_true",
                   help="write the posterior into the package and the config group calibration=energy "
                        "(a hindcast ships as energy_until_YEAR's posterior)")
    add_executor_flags(p)
    p.add_argument("overrides", nargs="*", help="fixed parameter overrides (KEY=VALUE) for every run")
    return p


def main(argv: list[str] | None = None) -> int:
    parser = one_line_errors(build_parser(), PROG)
    return guarded(PROG, lambda: calibrate(parser.parse_args(argv)))


def _say(text: str) -> None:
    print(f"{PROG}: {text}", file=sys.stderr, flush=True)


def check_args(args):
    """(patterns, priors, base overrides), or a UserError naming what is wrong."""
    limits = [("--population", args.population, 4, 10_000), ("--generations", args.generations, 1, 100),
              ("--replicates", args.replicates, 1, 1000), ("--villages", args.villages, 1, 5000),
              ("--forecast-years", args.forecast_years, 0, 50), ("--forecast-draws", args.forecast_draws, 2, 10_000)]
    for flag, value, lo, hi in limits:
        if not lo <= value <= hi:
            raise UserError(f"{flag} {value}: between {lo} and {hi}")
    if not 0 <= args.seed <= 2**32 - 1 - PREDICTIVE_SEED - 100_000 * (args.generations + 2):
        raise UserError(f"{args.seed}: --seed between 0 and {2**32 - 1 - PREDICTIVE_SEED - 100_000 * (args.generations + 2)}")
    if not (math.isfinite(args.min_epsilon) and args.min_epsilon >= 0):
        raise UserError(f"--min-epsilon {args.min_epsilon}: a distance of 0 or more")
    for o in args.overrides:
        if "=" not in o or o.startswith(("hydra", "-")):
            raise UserError(f"{o}: give model overrides as KEY=VALUE (no hydra settings or flags)")
        if o.split("=", 1)[0] in ("months", "seed", "replicate", "world.n_villages", "world.width_km",
                                      "world.height_km", "calibration"):
            raise UserError(f"{o}: set by {PROG} itself (use --villages, --seed, --replicates, --forecast-years)")
        if args.ship and not _is_number(o.split("=", 1)[1]):
            raise UserError(f"{o}: with --ship, fixed overrides must be numbers (the shipped "
                            "configs/calibration/energy.yaml sets them for the default model)")
    patterns = energy_patterns(args.fit_until, care=not args.no_care, rogers=args.rogers)
    priors = [parse_prior(t) for t in args.param] if args.param else \
        [*ENERGY_PRIORS, *(TIMING_PRIORS if args.rogers else ())]
    if len({q.key for q in priors}) < len(priors):
        raise UserError("--param: each parameter once")
    base = ["calibration=none", *args.overrides, *world_overrides(args.villages)]
    cfg = load_config(base)
    mapping = Mapping.of(cfg.world)
    start = float(patterns.by_name("count").observed[0])
    base.append(f"collectives.initial_share={mapping.initial_share(start)!r}")
    for q in priors:
        value = _lookup(cfg, q.key)
        if isinstance(value, bool) or not isinstance(value, float):
            raise UserError(f"--param {q.key}: not a real-valued parameter (it is {value!r})")
        for bound in (q.lo, q.hi):
            load_config([*base, f"{q.key}={bound!r}"])
    return patterns, priors, base


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def _lookup(cfg, key: str):
    node = cfg
    for part in key.split("."):
        node = node.get(part) if isinstance(node, dict) else getattr(node, part, None)
        if node is None:
            raise UserError(f"--param {key}: no such parameter (see vliegwiel --help)")
    return node


def _folder(args) -> Path:
    folder = Path(args.dir or ("results/calibration/energy" + (f"_until_{args.fit_until}" if args.fit_until else "")))
    import os

    existing = next((p for p in (folder.resolve(), *folder.resolve().parents) if p.exists()), None)
    if existing is None or not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
        raise UserError(f"--dir {folder}: cannot create or write this folder")
    return folder


def _claim(folder: Path, spec: dict) -> None:
    path = folder / "calibration.json"
    if path.exists():
        try:
            old = json.loads(path.read_text())
        except (OSError, ValueError):
            old = {}
        if {k: v for k, v in old.items() if k != "generations"} != {k: v for k, v in spec.items() if k != "generations"}:
            raise UserError(f"--dir {folder}: holds another calibration; choose another folder (or remove this one)")
    folder.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, json.dumps(spec, indent=2) + "\n")


def calibrate(args) -> int:
    patterns, priors, base = check_args(args)
    folder = _folder(args)
    executor = executor_from(args)
    spec = {"patterns": patterns.names, "fit_until": patterns.last_year, "priors": [[q.key, q.text] for q in priors],
            "population": args.population, "generations": args.generations, "replicates": args.replicates,
            "villages": args.villages, "seed": args.seed, "overrides": base, "sampler": SAMPLER}
    _claim(folder, spec)
    months = 12 * (patterns.last_year - patterns.first_year)
    sim = ModelSimulator(base, patterns, args.replicates, months)
    t0 = time.time()
    _say(f"ABC-SMC: {len(priors)} parameters, {len(patterns.items)} patterns ({', '.join(patterns.names)}), "
         f"{args.population} particles x {args.replicates} runs of {args.villages} villages, {months} months "
         f"-> {folder}")
    history, sampler = run_smc(sim, priors, patterns, folder, executor, population=args.population,
                               generations=args.generations, seed=args.seed, min_epsilon=args.min_epsilon,
                               say=lambda s: _say(s))
    fit_seconds = time.time() - t0
    post = Posterior(posterior_frame(history))
    gens = generations_table(history, folder)
    ident = identifiability(post, priors)
    _say(f"posterior: {len(post.frame)} particles, ESS {gens['ess'].iloc[-1]:.1f}, epsilon {gens['epsilon'].iloc[-1]:.4g}; "
         f"forecast: {args.forecast_draws} draws x {args.replicates} runs")
    t1 = time.time()
    horizon = months + 12 * args.forecast_years
    fsim = sim.over(horizon)
    draws, ran = run_predictive(fsim, post, args.forecast_draws, args.seed + PREDICTIVE_SEED, folder / "forecast",
                                executor)
    fit_seconds, forecast_seconds = _seconds(folder, sampler.runs_done, fit_seconds, ran, time.time() - t1)
    band = pd.concat([bands(draws, patterns.first_year), ratio_band(draws, patterns.first_year)], ignore_index=True)
    everything = _everything(patterns, args.no_care)
    table = fit_table(patterns, band, draws, everything)
    fit = _fit_summary(args, patterns, post, gens, ident, table, band, fit_seconds, forecast_seconds, folder, base)
    report.write_all(folder, fit, post, gens, ident, table, band, patterns, priors, sampler)
    if args.ship:
        ship.ship(folder, fit, post, priors, args)
    _say(f"done in {time.time() - t0:.0f} s -> {folder}/report.md"
         + (f"; hindcast {'passed' if fit['hindcast']['passed'] else 'FAILED'}" if fit.get("hindcast") else ""))
    return 0


def _seconds(folder: Path, fit_runs: int, fit_seconds: float, forecast_runs: int, forecast_seconds: float):
    """The times to report: a resumed calibration adds its own time to the earlier one's; one
    that found everything done keeps the earlier times (regenerating the report costs none)."""
    try:
        old = json.loads((folder / "fit.json").read_text())
    except (OSError, ValueError):
        old = {}
    fit = old.get("seconds_fit", 0) + fit_seconds if fit_runs else old.get("seconds_fit", fit_seconds)
    fc = old.get("seconds_forecast", 0) + forecast_seconds if forecast_runs else old.get("seconds_forecast", forecast_seconds)
    return fit, fc


def _finite(value) -> float | None:
    return float(value) if value is not None and math.isfinite(value) else None


def _everything(patterns, no_care: bool) -> dict:
    """Every observed value of every pattern, fitted or held out (the full series)."""
    return observed_values(patterns, energy_patterns(None, care=not no_care))


def _fit_summary(args, patterns, post, gens, ident, table, band, fit_seconds, forecast_seconds, folder, base) -> dict:
    fitted = table[table["fitted"]]
    per_pattern = {}
    for p in patterns.items:
        rows = fitted[fitted["pattern"] == p.name]
        central = rows["mean"].to_numpy()
        per_pattern[p.name] = {"label": p.label, "weight": p.weight, "norm": p.norm,
                               "distance_of_mean": float(p.distance(central)) if len(central) == p.observed.size else None,
                               "inside_band": int(rows["inside"].sum()), "points": int(len(rows))}
    out = {"patterns": per_pattern, "fit_until": patterns.last_year, "first_year": patterns.first_year,
           "population": args.population, "generations_done": int(len(gens)), "replicates": args.replicates,
           "villages": args.villages, "epsilon": float(gens["epsilon"].iloc[-1]), "ess": float(gens["ess"].iloc[-1]),
           "evaluated": int(gens["evaluated"].sum()), "median": post.median(), "sampler": SAMPLER,
           "ess_raw": _finite(gens["ess_raw"].iloc[-1]),
           "identifiability": ident.to_dict("records"), "forecast_draws": args.forecast_draws,
           "forecast_years": args.forecast_years, "seconds_fit": round(fit_seconds), "seconds_forecast": round(forecast_seconds),
           "overrides": base, "mapping": {"nl_adults": Mapping.of(load_config(base).world).nl_adults,
                                           "village_adults": Mapping.of(load_config(base).world).village_adults}}
    if patterns.held_out["count"][0].size:
        out["hindcast"] = judge_hindcast(table, patterns.last_year)
    write_text_atomic(folder / "fit.json", json.dumps(out, indent=2, default=float) + "\n")
    return out

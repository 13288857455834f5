"""`vliegwiel-calibrate`: fit chosen parameters so that a model output matches an observed series.

    vliegwiel-calibrate                      the worked case: Dutch energy co-operatives 2009-2019
    vliegwiel-calibrate --particles 64 --replicates 2 world=small     a quick look
    vliegwiel-calibrate --data my.csv --column count --theme care \\
        --param collectives.themes.care.appeal=0.1:5 --param collectives.knowledge_founding=0:10

The model output is the share of villages with an organised collective of --theme
(sim.metrics.theme_reach); the observed series is --column of --data by --time-column (the
first year is model month 0). Only the shape is fitted: the saturation level K (the count
that corresponds to every village) is a free parameter, profiled out (sim/calibrate/fit.py).

1. draw --particles parameter sets from the uniform priors (--param KEY=LOW:HIGH; a Latin
   hypercube with --seed) and write them as <dir>/design.csv, particle i with the model seed
   --seed + i (its own random streams);
2. run each with --replicates replicates through the sweep machinery (<dir>/fit/: parallel,
   resumable, failures contained), and measure its NRMSE against the data;
3. accept the --accept fraction closest to the data (ABC rejection, sim/calibrate/abc.py):
   the posterior, its summary and the calibrated point (posterior medians);
4. run the calibrated point and the accepted particles --forecast-years beyond the data
   (<dir>/forecast/) on the configuration's seed (42 unless overridden): random streams the
   particles were not chosen on, so the point's fit and the bands are out of sample;
5. write <dir>/report.md, fit.json, posterior.csv, particles.csv, forecast.csv, figures and
   scenario.yaml (the calibrated scenario; copy it to scenarios/ to use it by name).

Running the same command again resumes; changing the design needs another --dir.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from ..atomic import write_atomic, write_text_atomic
from ..config.compose import load_config
from ..errors import Failed, UserError
from ..cli.common import guarded, one_line_errors
from ..experiments.flags import add_executor_flags
from ..sensitivity.design import Problem
from . import report
from .abc import Prior, accept, draw, parse_prior, summarise
from .fit import SCALE_MAX, bass_parameters, goodness
from .observed import ENERGY_COOPERATIVES, Observed, load_series

PROG = "vliegwiel-calibrate"
# The worked case (docs/ODD.md s9): what founds energy collectives, and how many villages start with one
ENERGY_PRIORS = (
    "collectives.themes.energy.appeal=0.2:4",     # pioneers' rate of founding an energy collective
    "collectives.knowledge_founding=0:10",        # R4: founding sped up by linked villages' knowledge
    "collectives.initial_share=0:0.1",            # villages with an energy collective at the start (2009)
)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    p.add_argument("--data", default=str(ENERGY_COOPERATIVES), help="CSV file of the observed series "
                   "(default: the Dutch energy co-operatives shipped in sim/data/)")
    p.add_argument("--column", default="cooperatives_cumulative", help="the observed (cumulative) column")
    p.add_argument("--time-column", default="year", help="the column of years")
    p.add_argument("--theme", default="energy", help="the collectives' theme whose spread is fitted")
    p.add_argument("--param", action="append", default=[], metavar="KEY=LOW:HIGH",
                   help="a parameter to fit, uniform prior between LOW and HIGH (repeat; default: "
                        + "; ".join(ENERGY_PRIORS) + ")")
    p.add_argument("--particles", type=int, default=256, help="parameter sets drawn from the priors")
    p.add_argument("--replicates", type=int, default=4, help="replicates per parameter set (averaged)")
    p.add_argument("--accept", type=float, default=0.1, help="fraction of particles accepted (0-1]")
    p.add_argument("--scale-max", type=float, default=SCALE_MAX,
                   help="K at most this many times the last observed value (K is at least that value)")
    p.add_argument("--fit-until", type=int, default=None, metavar="YEAR",
                   help="fit the observations up to YEAR only; the later ones are held out and the forecast "
                        "is judged against them (a hindcast)")
    p.add_argument("--forecast-years", type=int, default=5, help="years simulated beyond the fitted data")
    p.add_argument("--forecast-replicates", type=int, default=20,
                   help="replicates of the calibrated point and of each accepted particle in the forecast")
    p.add_argument("--dir", default=None, help="output folder (default results/calibration/<theme>)")
    p.add_argument("--seed", type=int, default=20261127, help="seed of the design")
    add_executor_flags(p)
    p.add_argument("overrides", nargs="*", help="fixed parameter overrides (KEY=VALUE) for every run")
    return p


def main(argv: list[str] | None = None) -> int:
    parser = one_line_errors(build_parser(), PROG)
    return guarded(PROG, lambda: calibrate(parser.parse_args(argv)))


def _say(text: str) -> None:
    print(f"{PROG}: {text}", file=sys.stderr, flush=True)


def check_args(args) -> tuple[Observed, Observed, list[Prior]]:
    """(every observation, the ones fitted, the priors), or a UserError naming what is wrong."""
    if not (2 <= args.particles <= 100_000 and 1 <= args.replicates <= 1000 and 1 <= args.forecast_replicates <= 1000
            and 0 <= args.forecast_years <= 50):
        raise UserError("--particles 2-100000, --replicates 1-1000, --forecast-replicates 1-1000 and "
                        "--forecast-years 0-50")
    if args.particles * args.replicates > 1_000_000:
        raise UserError(f"--particles {args.particles} x --replicates {args.replicates}: at most 1,000,000 runs")
    if not 0 < args.accept <= 1:
        raise UserError(f"--accept {args.accept}: a fraction in (0, 1]")
    if not 0 <= args.seed <= 2**32 - 1 - args.particles:
        raise UserError(f"--seed {args.seed}: between 0 and 2^32 - 1 - particles (particle i runs with seed + i)")
    if not args.scale_max >= 1:
        raise UserError(f"--scale-max {args.scale_max}: at least 1")
    for o in args.overrides:
        if "=" not in o or o.startswith(("hydra", "-")):
            raise UserError(f"{o}: give model overrides as KEY=VALUE (no hydra settings or flags)")
        if o.split("=", 1)[0] in ("months", "design.file", "design.row", "replicate"):
            raise UserError(f"{o}: set by {PROG} itself (use --seed, --replicates, --forecast-years)")
    everything = load_series(args.data, args.column, args.time_column)
    observed = everything if args.fit_until is None else everything.until(args.fit_until)
    priors = [parse_prior(t) for t in (args.param or ENERGY_PRIORS)]
    if len({p.key for p in priors}) < len(priors):
        raise UserError("--param: each parameter once")
    cfg = load_config(list(args.overrides))
    if args.theme not in cfg.collectives.themes:
        raise UserError(f"--theme {args.theme}: one of {', '.join(cfg.collectives.themes)}")
    for prior in priors:  # a real number, and both bounds valid values of it
        value = _lookup(cfg, prior.key)
        if isinstance(value, bool) or not isinstance(value, float):
            raise UserError(f"--param {prior.key}: not a real-valued parameter (it is {value!r}); "
                            "only real-valued parameters can be calibrated")
        for bound in (prior.lo, prior.hi):
            load_config([*args.overrides, f"{prior.key}={bound!r}"])
    return everything, observed, priors


def _check_folder(folder: Path) -> None:
    import os

    existing = next((p for p in (folder.resolve(), *folder.resolve().parents) if p.exists()), None)
    if existing is None or not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
        raise UserError(f"--dir {folder}: cannot create or write this folder")


def _lookup(cfg, key: str):
    node = cfg
    for part in key.split("."):
        node = node.get(part) if isinstance(node, dict) else getattr(node, part, None)
        if node is None:
            raise UserError(f"--param {key}: no such parameter (see vliegwiel --help)")
    return node


def calibrate(args) -> int:
    everything, observed, priors = check_args(args)
    folder = Path(args.dir or f"results/calibration/{args.theme}")
    _check_folder(folder)
    spec = {"data": str(Path(observed.source).resolve()), "column": observed.column,
            "years": observed.years.tolist(), "values": observed.values.tolist(), "theme": args.theme,
            "priors": [[p.key, p.lo, p.hi] for p in priors], "particles": args.particles,
            "replicates": args.replicates, "seed": args.seed, "overrides": list(args.overrides)}
    if args.fit_until is not None:   # (absent otherwise, so earlier folders still resume)
        spec["fit_until"] = args.fit_until
    spec_path = folder / "calibration.json"
    if spec_path.exists():
        try:
            old = json.loads(spec_path.read_text())
        except (OSError, ValueError):
            old = {}
        same = lambda d: {k: (sorted(v) if k == "overrides" else v) for k, v in d.items() if k != "data"}  # noqa: E731
        if same(old) != same(spec):
            raise UserError(f"--dir {folder}: holds another calibration; choose another folder (or remove this one)")
    folder.mkdir(parents=True, exist_ok=True)
    write_text_atomic(spec_path, json.dumps(spec, indent=2) + "\n")
    months = int(observed.months[-1])
    k_min, k_max = float(observed.values[-1]), float(args.scale_max * observed.values[-1])

    # 1-2: the particles, each with R replicates, through the sweep machinery
    x = draw(priors, args.particles, args.seed)
    problem = Problem(tuple(p.key for p in priors), tuple((p.lo, p.hi) for p in priors))
    _say(f"{len(x)} particles x {args.replicates} replicates, {months} months -> {folder}/fit")
    # each particle its own random streams (seed = --seed + particle): independent noise, as ABC assumes
    curves = simulate(folder / "fit", folder / "design.csv", problem, x, args.replicates, months, args,
                      seeds=args.seed + np.arange(len(x)))
    sim_obs = curves[:, :, observed.months].mean(axis=1)  # particle x observation (mean over replicates)
    fits = [goodness(observed.values, s, k_min, k_max) for s in sim_obs]
    particles = pd.DataFrame(x, columns=list(problem.names))
    particles["K"] = [f.scale for f in fits]
    particles["nrmse"] = [f.nrmse for f in fits]
    kept = accept(particles["nrmse"].to_numpy(), args.accept)
    particles["accepted"] = False
    particles.loc[kept, "accepted"] = True
    posterior = summarise(particles.loc[kept, [*problem.names, "K"]],
                          {p.key: (p.lo, p.hi) for p in priors} | {"K": (k_min, k_max)})
    point = {p.key: _round(float(np.median(particles.loc[kept, p.key]))) for p in priors}
    _say(f"accepted {len(kept)} of {len(x)} (NRMSE <= {particles['nrmse'].iloc[kept].max():.3f}); "
         + ", ".join(f"{k} = {v:g}" for k, v in point.items()))

    # 4: the calibrated point and the accepted particles beyond the data
    horizon = months + 12 * args.forecast_years
    fx = np.vstack([[point[p.key] for p in priors], x[kept]])
    _say(f"forecast: the calibrated point and {len(kept)} accepted particles x {args.forecast_replicates} "
         f"replicates, {horizon} months -> {folder}/forecast")
    fcurves = simulate(folder / "forecast", folder / "forecast_design.csv", problem, fx,
                       args.forecast_replicates, horizon, args)
    sim_share = fcurves[0][:, observed.months].mean(axis=0)  # the point, mean over its runs
    point_fit = goodness(observed.values, sim_share, k_min, k_max)
    scales = np.concatenate([[point_fit.scale], particles.loc[kept, "K"].to_numpy()])

    # 5: outputs
    years_all = observed.years[0] + np.arange(horizon // 12 + 1)
    year_months = 12 * np.arange(horizon // 12 + 1)
    table = forecast_table(observed, everything, years_all, fcurves[0][:, year_months] * point_fit.scale,
                           fcurves[1:, :, year_months] * scales[1:, None, None])
    fit = {
        "data": observed.source, "column": observed.column, "theme": args.theme,
        "years": [int(observed.years[0]), int(observed.years[-1])],
        "K": point_fit.scale, "K_bounds": [k_min, k_max], "nrmse": point_fit.nrmse, "rmse_share": point_fit.rmse,
        "epsilon": float(particles["nrmse"].iloc[kept].max()), "accepted": int(len(kept)),
        "particles": int(len(x)), "runs": int(len(x) * args.replicates + len(fx) * args.forecast_replicates),
        "point": point,
        "bass_observed": bass_parameters(observed.months, observed.values / point_fit.scale),
        "bass_simulated": bass_parameters(observed.months, sim_share),
        "overrides": list(args.overrides), "forecast_years": args.forecast_years,
        "held_out": held_out(table),
    }
    write_text_atomic(folder / "fit.json", json.dumps(fit, indent=2, default=float) + "\n")
    write_text_atomic(folder / "particles.csv", particles.to_csv(index=False))
    write_text_atomic(folder / "posterior.csv", posterior.to_csv(index=False))
    write_text_atomic(folder / "forecast.csv", table.to_csv(index=False))
    report.fit_figure(observed, table, fit, folder / "calibration.png")
    report.posterior_figure(particles, priors, folder / "posterior.png")
    write_text_atomic(folder / "scenario.yaml", report.scenario_yaml(fit, horizon))
    write_text_atomic(folder / "report.md", report.markdown(fit, posterior, table))
    _say(f"NRMSE {point_fit.nrmse:.3f} at K = {point_fit.scale:.0f}; report in {folder}/report.md, "
         f"calibrated scenario in {folder}/scenario.yaml")
    return 0


def simulate(folder: Path, design_path: Path, problem: Problem, x: np.ndarray, replicates: int,
             months: int, args, seeds: np.ndarray | None = None) -> np.ndarray:
    """Run every design row with `replicates` replicates for `months` months as one ensemble
    (sim/experiments/); return the share of villages with an organised collective of
    args.theme as an array row x replicate x month. `seeds` (one per row) gives each row its
    own random streams; without it every row runs with the configuration's seed. The design
    is also written to `design_path` for inspection."""
    from ..config.overrides import apply_overrides
    from ..experiments import Run, run_ensemble
    from ..experiments.flags import executor_from

    base = apply_overrides(load_config(list(args.overrides)), {"months": months})
    header = list(problem.names) + (["seed"] if seeds is not None else [])
    rows = [[repr(float(v)) for v in row] + ([str(int(seeds[i]))] if seeds is not None else [])
            for i, row in enumerate(x)]
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(design_path, lambda tmp: _write_csv(tmp, header, rows))
    runs = []
    for i, row in enumerate(x):
        values = dict(zip(problem.names, (float(v) for v in row), strict=True))
        seed = int(seeds[i]) if seeds is not None else base.seed
        params = {"design.row": str(i), **{k: repr(v) for k, v in values.items()}, "seed": str(seed)}
        for r in range(replicates):
            cfg = apply_overrides(base, {**values, "seed": seed, "replicate": r})
            runs.append(Run(cfg, scenario=f"particle {i}", params={**params, "replicate": str(r)}))
    result = run_ensemble(runs, folder, executor_from(args), collect_outputs=False,
                          manifest={"analysis": "calibration", "rows": len(x), "replicates": replicates})
    if result.failed:
        raise Failed(f"{len(result.failed)} run(s) failed (see {folder}/runs/*.failed.json); "
                         "rerun the same command to redo them")
    return theme_curves(folder / "runs", [r.key for r in runs], args.theme, len(x), replicates, months)


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def theme_curves(runs_dir: Path, keys: list[str], theme: str, rows: int, replicates: int, months: int) -> np.ndarray:
    """villages_share of `theme` from the runs' records (keys in row-major order: row, then
    replicate), as design row x replicate x month. Records are found by their key, which
    hashes the whole configuration and model version, so nothing of another design mixes in."""
    out = np.full((rows * replicates, months + 1), np.nan)
    for i, key in enumerate(keys):
        t = pq.read_table(runs_dir / f"{key}.parquet", columns=["month", "level", "unit", "villages_share"],
                          filters=[("level", "==", "theme"), ("unit", "==", theme)]).to_pandas()
        t = t[t["month"] <= months]
        out[i, t["month"].to_numpy()] = t["villages_share"].to_numpy()
    if np.isnan(out).any():
        missing = int(np.isnan(out).any(axis=1).sum())
        raise UserError(f"{runs_dir}: {missing} runs have no curve of {theme}; rerun the same command")
    return out.reshape(rows, replicates, months + 1)


def forecast_table(observed: Observed, everything: Observed, years: np.ndarray, point_runs: np.ndarray,
                   particle_runs: np.ndarray) -> pd.DataFrame:
    """Per year: the observed count (where known, held out or not), the calibrated point's median
    and 5-95 % band over seeds, and the band over accepted particles and seeds (parameter +
    chance uncertainty). `forecast`: beyond the fitted years."""
    known = dict(zip(everything.years.tolist(), everything.values.tolist()))
    flat = particle_runs.reshape(-1, particle_runs.shape[-1])
    return pd.DataFrame({
        "year": years.astype(int),
        "observed": [known.get(int(y), math.nan) for y in years],
        "point_median": np.median(point_runs, axis=0),
        "point_q05": np.quantile(point_runs, 0.05, axis=0),
        "point_q95": np.quantile(point_runs, 0.95, axis=0),
        "posterior_median": np.median(flat, axis=0),
        "posterior_q05": np.quantile(flat, 0.05, axis=0),
        "posterior_q95": np.quantile(flat, 0.95, axis=0),
        "forecast": years > observed.years[-1],
    })


def held_out(table: pd.DataFrame) -> list[dict]:
    """The observations beyond the fitted years that the forecast covers: are they inside its bands?"""
    rows = table[table["forecast"] & table["observed"].notna()]
    return [{"year": int(r["year"]), "observed": float(r["observed"]),
             "point_band": [float(r["point_q05"]), float(r["point_q95"])],
             "posterior_band": [float(r["posterior_q05"]), float(r["posterior_q95"])],
             "inside_point": bool(r["point_q05"] <= r["observed"] <= r["point_q95"]),
             "inside_posterior": bool(r["posterior_q05"] <= r["observed"] <= r["posterior_q95"])}
            for _, r in rows.iterrows()]


def _round(v: float, digits: int = 3) -> float:
    """v to `digits` significant digits (a calibrated value is not known to 16)."""
    return 0.0 if v == 0 else float(f"{v:.{digits}g}")

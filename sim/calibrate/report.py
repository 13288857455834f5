"""The calibration's figures, Markdown report and calibrated scenario file."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import yaml  # noqa: E402

from ..atomic import write_atomic  # noqa: E402
from .observed import Observed  # noqa: E402


def _save(fig, path: Path) -> None:
    write_atomic(path, lambda tmp: fig.savefig(tmp, dpi=120, bbox_inches="tight", format=path.suffix[1:]))
    plt.close(fig)


def fit_figure(observed: Observed, table: pd.DataFrame, fit: dict, path: Path) -> None:
    """Observed counts against the calibrated model (band over seeds) and the forecast."""
    fig, ax = plt.subplots(figsize=(7.5, 4.5))
    y = table["year"]
    fc = table["forecast"].to_numpy()
    ax.fill_between(y, table["posterior_q05"], table["posterior_q95"], color="tab:orange", alpha=0.18,
                    label="accepted parameter sets x seeds, 5-95 %")
    ax.fill_between(y, table["point_q05"], table["point_q95"], color="tab:blue", alpha=0.3,
                    label="calibrated point, 5-95 % over seeds")
    ax.plot(y, table["point_median"], color="tab:blue", lw=2, label="calibrated point, median")
    ax.plot(observed.years, observed.values, "ko", ms=5, label=f"observed ({observed.column}), fitted")
    held = table[fc & table["observed"].notna()]
    if len(held):
        ax.plot(held["year"], held["observed"], "o", mfc="white", mec="black", ms=6,
                label="observed, held out (not fitted)")
    if fc.any():
        ax.axvline(observed.years[-1] + 0.5, color="grey", ls=":", lw=1)
        ax.text(observed.years[-1] + 0.7, ax.get_ylim()[1] * 0.95, "forecast", color="grey", va="top")
    ax.set_xlabel("year")
    ax.set_ylabel(f"count (model: K x share of villages, K = {fit['K']:.0f})")
    ax.set_title(f"{fit['theme']} collectives: observed vs. calibrated model (NRMSE {fit['nrmse']:.3f})")
    secondary = ax.secondary_yaxis("right", functions=(lambda c: c / fit["K"], lambda s: s * fit["K"]))
    secondary.set_ylabel("share of villages with an organised collective")
    ax.legend(loc="upper left", fontsize=8)
    ax.grid(alpha=0.3)
    _save(fig, path)


def posterior_figure(particles: pd.DataFrame, priors, path: Path) -> None:
    """Each parameter (and K) against the distance: all particles grey, accepted ones coloured."""
    names = [p.key for p in priors] + ["K"]
    fig, axes = plt.subplots(1, len(names), figsize=(3.2 * len(names), 3.2), sharey=True)
    acc = particles["accepted"].to_numpy()
    for ax, name in zip(np.atleast_1d(axes), names):
        ax.scatter(particles.loc[~acc, name], particles.loc[~acc, "nrmse"], s=8, color="0.7", label="rejected")
        ax.scatter(particles.loc[acc, name], particles.loc[acc, "nrmse"], s=12, color="tab:red", label="accepted")
        ax.set_xlabel(name.rsplit(".", 1)[-1] if name != "K" else "K (saturation count)", fontsize=9)
        ax.grid(alpha=0.3)
    np.atleast_1d(axes)[0].set_ylabel("NRMSE")
    np.atleast_1d(axes)[0].legend(fontsize=8)
    finite = particles["nrmse"].replace(np.inf, np.nan).dropna()
    if len(finite):
        np.atleast_1d(axes)[0].set_ylim(0, min(float(finite.quantile(0.9)) * 1.2, float(finite.max()) * 1.05) or 1)
    fig.suptitle("ABC rejection: parameter values against distance to the data", fontsize=10)
    _save(fig, path)


def scenario_yaml(fit: dict, months: int) -> str:
    """The calibrated point as a scenario file (Hydra override file, `# @package _global_`)."""
    from ..config.compose import nested

    body = yaml.safe_dump(nested({**fit["point"], "months": months}), sort_keys=False)
    years = f"{fit['years'][0]}-{fit['years'][1]}"
    lines = [
        "# @package _global_",
        f"# Calibrated by vliegwiel-calibrate on {date.today().isoformat()} against {Path(fit['data']).name}",
        f"# ({fit['column']}, {years}): the share of villages with an organised {fit['theme']} collective",
        f"# against the observed count / K, K = {fit['K']:.0f} (free saturation level). NRMSE {fit['nrmse']:.3f};",
        f"# values are the medians of {fit['accepted']} accepted of {fit['particles']} ABC particles",
        "# (docs/ODD.md, Calibration). Month 0 is the end of the first observed year; the horizon",
        f"# runs {fit['forecast_years']} years beyond the data.",
    ]
    if fit.get("held_out"):
        lines.append(f"# A hindcast: observations after {fit['years'][1]} were held out, not fitted.")
    if fit["overrides"]:
        lines.append(f"# Calibrated with the overrides {' '.join(fit['overrides'])}: apply them too.")
    return "\n".join(lines) + "\n" + body


def _num(v: float) -> str:
    return "n/a" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.4g}"


def markdown(fit: dict, posterior: pd.DataFrame, table: pd.DataFrame) -> str:
    bo, bs = fit["bass_observed"], fit["bass_simulated"]
    lines = [
        f"# Calibration: {fit['theme']} collectives against {Path(fit['data']).name}",
        "",
        f"Observed: `{fit['column']}`, {fit['years'][0]}-{fit['years'][1]}. Model: share of villages with an "
        f"organised {fit['theme']} collective (month 0 = end of {fit['years'][0]}). Mapping: observed / K = model "
        f"share, K profiled for every simulated curve within [{fit['K_bounds'][0]:.0f}, {fit['K_bounds'][1]:.0f}].",
        "",
        f"ABC rejection: {fit['particles']} particles, {fit['accepted']} accepted (NRMSE <= {fit['epsilon']:.3f}); "
        f"{fit['runs']} model runs in all.",
        "",
        "## Fitted values (accepted particles)",
        "",
        "| parameter | prior (K: bounds) | mean | sd | 5 % | median | 95 % |",
        "|---|---|---|---|---|---|---|",
    ]
    for _, r in posterior.iterrows():
        lines.append(f"| `{r['parameter']}` | {_num(r['prior_low'])}-{_num(r['prior_high'])} | {_num(r['mean'])} | "
                     f"{_num(r['sd'])} | {_num(r['q05'])} | {_num(r['q50'])} | {_num(r['q95'])} |")
    lines += [
        "",
        "Calibrated point (posterior medians, in scenario.yaml): "
        + ", ".join(f"`{k}` = {v:g}" for k, v in fit["point"].items()) + ".",
        "",
        "## Goodness of fit (calibrated point)",
        "",
        f"- NRMSE {fit['nrmse']:.3f} (RMSE of the two share curves divided by the range of the observed one), "
        f"RMSE {fit['rmse_share']:.4f} in shares of villages, at K = {fit['K']:.0f}.",
        "",
        "| Bass fit | p (per year) | q (per year) | m | R^2 |",
        "|---|---|---|---|---|",
        f"| observed / K | {_num(bo['p'])} | {_num(bo['q'])} | {_num(bo['m'])} | {_num(bo['r2'])} |",
        f"| model (mean over seeds) | {_num(bs['p'])} | {_num(bs['q'])} | {_num(bs['m'])} | {_num(bs['r2'])} |",
        "",
        "Both fits start the curve at 0 in the first year (sim.metrics.fit_bass); m is bounded by 1. Over a "
        "window that ends before the inflection p, q and m trade off against each other, so compare them "
        "as a pair.",
        "",
        "![observed vs simulated](calibration.png)",
        "",
        "![posterior](posterior.png)",
        "",
        "## Forecast (counts: K x share of villages)",
        "",
        "| year | observed | calibrated point, median [5-95 % over its runs] | accepted particles x runs, median [5-95 %] |",
        "|---|---|---|---|",
    ]
    for _, r in table.iterrows():
        obs = "" if math.isnan(r["observed"]) else f"{r['observed']:.0f}" + (" (held out)" if r["forecast"] else "")
        mark = " (forecast)" if r["forecast"] else ""
        lines.append(f"| {int(r['year'])}{mark} | {obs} | {r['point_median']:.0f} [{r['point_q05']:.0f}-"
                     f"{r['point_q95']:.0f}] | {r['posterior_median']:.0f} [{r['posterior_q05']:.0f}-"
                     f"{r['posterior_q95']:.0f}] |")
    if fit.get("held_out"):
        ho = fit["held_out"]
        lines += [
            "",
            f"## Held out: the forecast against what followed {fit['years'][1]}",
            "",
            f"Observations after {fit['years'][1]} were not fitted. Inside the calibrated point's 5-95 % band over "
            f"seeds: {sum(h['inside_point'] for h in ho)} of {len(ho)}; inside the band with parameter uncertainty: "
            f"{sum(h['inside_posterior'] for h in ho)} of {len(ho)}.",
            "",
            "| year | observed | point band | with parameter uncertainty |",
            "|---|---|---|---|",
        ]
        for h in ho:
            lines.append(f"| {h['year']} | {h['observed']:.0f} | {h['point_band'][0]:.0f}-{h['point_band'][1]:.0f}"
                         f"{'' if h['inside_point'] else ' (outside)'} | {h['posterior_band'][0]:.0f}-"
                         f"{h['posterior_band'][1]:.0f}{'' if h['inside_posterior'] else ' (outside)'} |")
    lines += [
        "",
        "Limits: the band covers chance (seeds) and the spread of accepted parameter sets, not the mapping "
        "itself (K is profiled per curve, and the model's villages stand for all places that found a "
        "co-operative). A forecast is the model's continuation of a fitted shape, not a prediction of policy.",
        "",
    ]
    return "\n".join(lines)

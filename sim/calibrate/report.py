"""The calibration's tables, figures and Markdown report."""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from ..atomic import write_atomic, write_text_atomic  # noqa: E402

PANELS = (("count", "energy co-operatives"), ("members", "members of energy co-operatives"),
          ("per_coop", "members per co-operative"), ("founded", "new co-operatives per year"),
          ("care", "care initiatives"))


def _save(fig, path: Path) -> None:
    write_atomic(path, lambda tmp: fig.savefig(tmp, dpi=110, bbox_inches="tight", format=path.suffix[1:]))
    plt.close(fig)


def patterns_figure(band: pd.DataFrame, table: pd.DataFrame, fit: dict, path: Path) -> None:
    """One panel per pattern: observed (filled: fitted, open: held out) against the posterior
    predictive mean and 90 % band; the stopping share and Rogers' timing (early_lead) as bars
    with their bands."""
    panels = [(n, t) for n, t in PANELS if (band["series"] == n).any() and (table["pattern"] == n).any()]
    fig, axes = plt.subplots(2, 4, figsize=(17, 7))
    axes = axes.ravel()
    last = fit["fit_until"]
    for ax, (name, title) in zip(axes, panels):
        b = band[band["series"] == name]
        ax.fill_between(b["year"], b["q05"], b["q95"], color="tab:blue", alpha=0.25, label="90 % band (posterior draws)")
        ax.plot(b["year"], b["mean"], color="tab:blue", lw=2, label="mean over draws")
        obs = table[table["pattern"] == name]
        f, h = obs[obs["fitted"]], obs[~obs["fitted"]]
        ax.plot(f["year"], f["observed"], "ko", ms=4, label="observed, fitted")
        if len(h):
            ax.plot(h["year"], h["observed"], "o", mfc="white", mec="black", ms=5, label="observed, held out")
        ax.axvline(last + 0.5, color="grey", ls=":", lw=1)
        d = fit["patterns"].get(name, {}).get("distance_of_mean")
        ax.set_title(f"{title}" + (f"\nd = {d:.3f} (weight {fit['patterns'][name]['weight']:g})" if d is not None else ""),
                     fontsize=9)
        ax.grid(alpha=0.3)
        ax.tick_params(labelsize=8)
    axes[0].legend(fontsize=7, loc="upper left")
    used = len(panels)
    for name, scale, ylabel, title, floor_label in (
            ("stopped", 100, "%", f"co-operatives ever founded that stopped, {fit['first_year'] + 1}-{last}",
             "monitor: about 5 % of all ever founded"),
            ("rogers", 1, "x random order", "innovators + early adopters among a village's\nfirst 16 % of adopters",
             "random order")):
        rows = table[table["pattern"] == name]
        if not len(rows):
            continue
        ax, r = axes[used], rows.iloc[0]
        used += 1
        ax.bar([0], [scale * r["mean"]], color="tab:blue", alpha=0.5, width=0.5)
        ax.errorbar([0], [scale * r["mean"]], yerr=[[scale * max(r["mean"] - r["q05"], 0)],
                                                    [scale * max(r["q95"] - r["mean"], 0)]], color="tab:blue", capsize=6)
        if name == "stopped":
            ax.plot([0], [scale * r["observed"]], "ko", label=f"series: {100 * r['observed']:.1f} %")
            ax.axhline(5, color="grey", ls="--", lw=1, label=floor_label)
        else:
            ax.axhline(r["observed"], color="black", lw=1.5, label=f"floor: {r['observed']:g} x (assumption; one-sided)")
            ax.axhline(1, color="grey", ls="--", lw=1, label=floor_label)
        ax.set_xticks([])
        ax.set_ylabel(ylabel)
        d = fit["patterns"].get(name, {}).get("distance_of_mean")
        w = fit["patterns"].get(name, {}).get("weight")
        ax.set_title(title + (f"\nd = {d:.3f} (weight {w:g})" if d is not None else ""), fontsize=9)
        ax.legend(fontsize=7)
    for extra in axes[used:]:
        extra.axis("off")
    fig.suptitle(f"Posterior predictive of the calibrated model against every pattern ({fit['forecast_draws']} draws "
                 f"x {fit['replicates']} runs of {fit['villages']} villages, scaled to the Netherlands); "
                 f"fitted up to {last}", fontsize=10)
    fig.tight_layout()
    _save(fig, path)


def posterior_figure(post, priors, ident: pd.DataFrame, path: Path) -> None:
    """Each parameter: its prior range and the weighted posterior histogram."""
    fig, axes = plt.subplots(1, len(priors), figsize=(3.2 * len(priors), 3.0))
    for ax, p in zip(np.atleast_1d(axes), priors):
        v, w = post.frame[p.key].to_numpy(float), post.weights
        bins = np.geomspace(p.lo, p.hi, 21) if p.log else np.linspace(p.lo, p.hi, 21)
        ax.hist(v, bins=bins, weights=w, color="tab:blue", alpha=0.7, label="posterior")
        ax.axhline(1 / 20, color="grey", ls="--", lw=1, label="prior (per bin)")
        if p.log:
            ax.set_xscale("log")
        row = ident[ident["parameter"] == p.key].iloc[0]
        ax.set_title(f"{p.key.rsplit('.', 2)[-2] + '.' if p.key.count('.') > 1 else ''}{p.key.rsplit('.', 1)[-1]}\n"
                     f"width ratio {row['width_ratio']:.2f} ({row['identified']})", fontsize=8)
        ax.tick_params(labelsize=7)
    np.atleast_1d(axes)[0].legend(fontsize=7)
    fig.suptitle("ABC-SMC posterior (last generation, weighted) against the prior", fontsize=9)
    fig.tight_layout()
    _save(fig, path)


def generations_figure(gens: pd.DataFrame, path: Path) -> None:
    fig, ax = plt.subplots(figsize=(5, 3))
    g = gens[np.isfinite(gens["epsilon"])]
    ax.plot(g["generation"], g["epsilon"], "o-", label="tolerance epsilon")
    ax.set_xlabel("generation")
    ax.set_ylabel("epsilon (weighted distance)")
    ax2 = ax.twinx()
    ax2.plot(gens["generation"], gens["ess"], "s--", color="tab:orange", label="ESS (weights used)")
    if "ess_raw" in gens and np.isfinite(gens["ess_raw"]).any():
        ax2.plot(gens["generation"], gens["ess_raw"], "^:", color="tab:red", label="ESS (raw weights)")
    ax2.set_ylabel("effective sample size")
    ax2.set_ylim(bottom=0)
    lines = ax.get_lines() + ax2.get_lines()
    ax2.legend(lines, [ln.get_label() for ln in lines], fontsize=7, loc="lower left")
    ax.set_title("adaptive tolerances and ESS", fontsize=9)
    ax.grid(alpha=0.3)
    _save(fig, path)


def _n(v) -> str:
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return "n/a"
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.3g}"


def markdown(fit: dict, gens: pd.DataFrame, ident: pd.DataFrame, table: pd.DataFrame, band: pd.DataFrame,
             patterns, priors) -> str:
    lines = [f"# Calibration: energy co-operatives{' and care initiatives' if 'care' in fit['patterns'] else ''}, "
             f"fitted {fit['first_year']}-{fit['fit_until']}", "",
             f"ABC-SMC (pyabc): {fit['generations_done']} generations of {fit['population']} particles, each "
             f"{fit['replicates']} runs of {fit['villages']} villages; {fit['evaluated']} particles evaluated; final "
             f"tolerance {fit['epsilon']:.4g}, effective sample size {fit['ess']:.1f}. Fit {fit['seconds_fit']} s, "
             f"forecast {fit['seconds_forecast']} s.", "",
             f"Mapping: national = model x {fit['mapping']['nl_adults']:,.0f} adults / the run's adults (village of "
             f"{fit['mapping']['village_adults']:.0f} adults on average).", "",
             "## Generations", "", "Proposals: " + fit.get("sampler", "n/a") + ". ESS of the weights used (truncated) and of "
             "the raw importance weights.", "",
             "| generation | epsilon | evaluated | accepted | acceptance | ESS | ESS raw |", "|---|---|---|---|---|---|---|"]
    for _, r in gens.iterrows():
        lines.append(f"| {int(r['generation'])} | {r['epsilon']:.4g} | {int(r['evaluated'])} | {int(r['accepted'])} | "
                     f"{r['acceptance']:.2f} | {r['ess']:.1f} | {_n(r.get('ess_raw'))} |")
    lines += ["", "## Posterior and identifiability", "",
              "| parameter | prior | median | 5-95 % | width ratio (posterior / prior 5-95 %) | identified |",
              "|---|---|---|---|---|---|"]
    for _, r in ident.iterrows():
        lines.append(f"| `{r['parameter']}` | {r['prior']} | {r['median']:.3g} | {r['q05']:.3g}-{r['q95']:.3g} | "
                     f"{r['width_ratio']:.2f} | {r['identified']} |")
    lines += ["", "![posterior](posterior.png) ![generations](generations.png)", "",
              "## Fit per pattern (posterior predictive mean and 90 % band)", "",
              "| pattern | weight | distance of the mean | observed inside the band |", "|---|---|---|---|"]
    for name, p in fit["patterns"].items():
        lines.append(f"| {p['label']} | {p['weight']:g} | {_n(p['distance_of_mean'])} | {p['inside_band']} of {p['points']} |")
    if "rogers" in fit["patterns"]:
        lines += ["", "Rogers' timing is one-sided (innovators and early adopters at least twice as frequent among a "
                  "village's first 16 % of adopters as in random order; an assumption): it counts as inside when the "
                  "mean over draws is at or above that floor."]
    lines += ["", "![patterns](patterns.png)", "", "| pattern | year | observed | mean | 5 % | 95 % | fitted |",
              "|---|---|---|---|---|---|---|"]
    for _, r in table.iterrows():
        lines.append(f"| {r['pattern']} | {r['year']} | {_n(r['observed'])} | {_n(r['mean'])} | {_n(r['q05'])} | "
                     f"{_n(r['q95'])} | {'yes' if r['fitted'] else 'held out'} |")
    fc = band[(band["year"] > fit["fit_until"]) & band["series"].isin(["count", "members"])]
    if len(fc):
        lines += ["", "## Forecast (mean [5-95 %] over posterior draws)", "", "| year | co-operatives | members |", "|---|---|---|"]
        for y in sorted(fc["year"].unique()):
            c = fc[(fc["year"] == y) & (fc["series"] == "count")].iloc[0]
            m = fc[(fc["year"] == y) & (fc["series"] == "members")].iloc[0]
            lines.append(f"| {y} | {c['mean']:,.0f} [{c['q05']:,.0f}-{c['q95']:,.0f}] | "
                         f"{m['mean']:,.0f} [{m['q05']:,.0f}-{m['q95']:,.0f}] |")
    if fit.get("hindcast"):
        h = fit["hindcast"]
        lines += ["", "## Hindcast", "",
                  f"Held-out years {h['held_out_years']}: observed {h['held_out_observed']}, 90 % bands "
                  f"{[[round(a), round(b)] for a, b in h['band']]}, all inside: {h['inside']}. NRMSE of the mean over "
                  f"every observed count {h['nrmse_all_years']:.3f} (limit {h['limit']}), over the held-out years alone "
                  f"{h['nrmse_held_out']:.3f}. **{'pass' if h['passed'] else 'fail'}**."]
    lines += ["", "Bands: 5-95 % over posterior draws, each the mean of its runs scaled to the country; they hold the "
              "parameters' spread and the chance of a region of the runs' size, which is larger than the country's "
              "own (conservative). docs/ODD.md section 9 has the mapping, patterns, weights and limits.", ""]
    return "\n".join(lines)


def write_all(folder: Path, fit, post, gens, ident, table, band, patterns, priors, sampler) -> None:
    write_text_atomic(folder / "posterior.csv", post.frame.to_csv(index=False))
    write_text_atomic(folder / "generations.csv", gens.to_csv(index=False))
    write_text_atomic(folder / "identifiability.csv", ident.to_csv(index=False))
    write_text_atomic(folder / "fit_table.csv", table.to_csv(index=False))
    write_text_atomic(folder / "forecast.csv", band.to_csv(index=False))
    patterns_figure(band, table, fit, folder / "patterns.png")
    posterior_figure(post, priors, ident, folder / "posterior.png")
    generations_figure(gens, folder / "generations.png")
    write_text_atomic(folder / "report.md", markdown(fit, gens, ident, table, band, patterns, priors))

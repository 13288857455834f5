"""The comparison report: effect sizes at several horizons, figures, and a table of every
metric, from a collected ensemble.

    write_report(folder, metrics, curves, baseline=None)  ->  folder/report/{report.md,
        metrics_table.csv, effects.png, adoption_bands.png, rogers.png, vulnerable.png,
        villages.png}

stats.py (the baseline, pairing, bootstrap and Wilson intervals), tables.py, figures.py.
`curves` are the compact curves an ensemble returns (sim/experiments/collect.py: compact).
Called at the end of `vliegwiel -m ...` and by `vliegwiel-collect`.
"""

from __future__ import annotations

from concurrent.futures import BrokenExecutor, Executor
from pathlib import Path

import pandas as pd

from ..atomic import write_text_atomic
from . import figures, stats, tables, withdrawal


# the figures of the curves, in the report's order: {file name: (caption, how it is drawn)}
CURVE_FIGURES = {
    "adoption_bands.png": ("Adoption curves", figures.adoption_bands),
    "rogers.png": ("By Rogers category", figures.rogers_panels),
    "vulnerable.png": ("Vulnerable residents against everyone", figures.vulnerable_gap),
    "villages.png": ("By village", figures.villages_end),
}
# what a helper draws: about as long as this process's comparison, effects and Rogers panels
HELPER = ("adoption_bands.png", "vulnerable.png", "villages.png")


def write_report(folder: Path, metrics: pd.DataFrame, curves: pd.DataFrame, n_failed: int = 0,
                 baseline: stats.Baseline | str | None = None, helper: Executor | None = None) -> Path:
    """Write the report into folder/report/ and return the path of report.md.

    `helper`, a concurrent.futures executor of another process (a sweep starts one while its
    runs go on, sim/cli/report_helper.py), draws the HELPER figures while this process
    computes the comparison and draws the others; without one, or if it has died, they are
    drawn here. The files are the same either way."""
    out = Path(folder) / "report"
    out.mkdir(parents=True, exist_ok=True)
    has_curves = curves is not None and not curves.empty
    job = None
    if has_curves and helper is not None:
        try:
            job = helper.submit(curve_figures, curves, stats.baseline_label(metrics, baseline), out, HELPER)
        except (BrokenExecutor, RuntimeError):   # dead, or shut down: drawn here
            job = None
    table = stats.compare(metrics, baseline)
    base = table.attrs["baseline"]
    write_text_atomic(out / "metrics_table.csv", table.to_csv(index=False))
    drawn = []
    if figures.effects(table, out / "effects.png"):
        drawn.append(("effects.png", "Difference with the baseline at three horizons"))
    if has_curves:
        done = curve_figures(curves, base, out, [name for name in CURVE_FIGURES if name not in HELPER])
        theirs = _result(job) if job is not None else None
        done += theirs if theirs is not None else curve_figures(curves, base, out, HELPER)
        drawn += [(name, CURVE_FIGURES[name][0]) for name in CURVE_FIGURES if name in done]
    n = metrics.groupby("scenario").size()
    head = tables.headline(table)
    lines = [
        f"# Comparison: {Path(folder).resolve().name}", "",
        f"{_runs(len(metrics))}: {', '.join(f'{s} ({k})' for s, k in n.items())}."
        + (f" {_runs(n_failed)} failed (see failures.csv)." if n_failed else ""), "",
        _about(table), "",
    ]
    if head:
        lines += ["## Effects", "",
                  "Paired difference with the baseline at year 5, at the end (year 10 in a ten-year run), as "
                  "area under the participation curve, and in months to 2.5 % and 16 % taking part "
                  "(negative: sooner), each with its 95 % interval:", "", head, ""]
    phase_out = withdrawal.table(metrics, baseline) if withdrawal.applies(metrics) else pd.DataFrame()
    if not phase_out.empty:
        write_text_atomic(out / "phase_out.csv", phase_out.to_csv(index=False))
        lines += [withdrawal.markdown(phase_out), ""]
    lines += [*(line for name, what in drawn for line in (f"![{what}]({name})", "")),
              "## Every metric", "", tables.markdown(table)]
    path = out / "report.md"
    write_text_atomic(path, "\n".join(lines) + "\n")
    return path


def curve_figures(curves: pd.DataFrame, base: str, out: Path, names) -> list[str]:
    """Draw these figures of CURVE_FIGURES; the names of those drawn (the vulnerable gap and
    the villages need curves a run may not have)."""
    return [name for name in names if CURVE_FIGURES[name][1](curves, base, out / name) is not None]


def _result(job) -> list | None:
    """The helper's figures, or None when its process died (they are then drawn here)."""
    try:
        return job.result()
    except BrokenExecutor:
        return None


def _about(table: pd.DataFrame) -> str:
    spec, why = table.attrs.get("baseline_spec", ""), table.attrs.get("why", "")
    if not spec:
        return f"No baseline: {why}. Each scenario's level is shown with its 95 % interval; no differences."
    strata = [s for s in table.attrs.get("strata", []) if s]
    within = f", within each combination of the other swept parameters ({'; '.join(strata)})" if strata else ""
    return (f"Baseline: **{table.attrs['baseline']}** ({spec}). Replicate k of every scenario uses the same "
            f"random stream (common random numbers), so each difference is taken within a replicate{within}. "
            "Intervals are 95 % percentile bootstrap intervals over replicates (a share stays within 0-100 %, a "
            "difference of shares within +-100 pp); the share of runs in which the early majority follows has a "
            "Wilson interval. No p-values: with simulated data their size follows the number of runs "
            "(White et al. 2014).")


def _runs(k: int) -> str:
    return f"{k} run" if k == 1 else f"{k} runs"

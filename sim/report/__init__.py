"""The comparison report: figures and a table of every metric, from a collected sweep.

    write_report(folder, metrics, curves)  ->  folder/report/{report.md, metrics_table.csv,
        adoption_bands.png, rogers.png, vulnerable.png, villages.png, difference.png}

stats.py (paired differences and tests), figures.py, tables.py. Called by
`vliegwiel-collect` (sim/sweep/collect.py) and at the end of every multirun.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..atomic import write_text_atomic
from . import figures, stats, tables


def write_report(folder: Path, metrics: pd.DataFrame, curves: pd.DataFrame, n_failed: int = 0) -> Path:
    """Write the report into folder/report/ and return the path of report.md."""
    out = Path(folder) / "report"
    out.mkdir(parents=True, exist_ok=True)
    table = stats.compare(metrics)
    base = table.attrs["baseline"]
    write_text_atomic(out / "metrics_table.csv", table.to_csv(index=False))
    has_curves = not curves.empty   # runs of a test function have metrics only
    if has_curves:
        figures.adoption_bands(curves, base, out / "adoption_bands.png")
        figures.rogers_panels(curves, base, out / "rogers.png")
        figures.adoption_bands(curves, base, out / "vulnerable.png", "vulnerable_participation_share",
                               "Vulnerable residents taking part")
    if (curves["level"] == "village").any():
        figures.villages_end(curves, base, out / "villages.png")
    compared = "diff" in table.columns
    if compared:
        figures.differences(table, "participation_end", base, out / "difference.png", "taking part at the end")
    n = metrics.groupby("scenario").size().reindex(stats.order(metrics, base))
    lines = [
        f"# Comparison: {Path(folder).resolve().name}", "",
        f"{_runs(len(metrics))}: {', '.join(f'{s} ({k})' for s, k in n.items())}."
        + (f" {_runs(n_failed)} failed (see failures.csv)." if n_failed else ""),
        f"Baseline: **{base}**. Replicate k of every scenario uses the same random stream (common random",
        "numbers), so each difference is taken within a replicate (paired) and tested with the paired",
        "t-test and the Wilcoxon signed-rank test; * marks p < 0.05. Intervals are 95 % t-intervals of",
        "the mean; the cost per extra participant has a bootstrap interval over replicates.", "",
        *(["![Adoption curves](adoption_bands.png)", "", "![By Rogers category](rogers.png)", "",
           "![Vulnerable residents](vulnerable.png)", ""] if has_curves else []),
        *(["![By village](villages.png)", ""] if (curves["level"] == "village").any() else []),
        *(["![Difference with the baseline](difference.png)", ""] if compared else
          ["One scenario only: nothing to compare against a baseline.", ""]),
        "## Every metric", "",
        tables.markdown(table),
    ]
    path = out / "report.md"
    write_text_atomic(path, "\n".join(lines) + "\n")
    return path


def _runs(k: int) -> str:
    return f"{k} run" if k == 1 else f"{k} runs"

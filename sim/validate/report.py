"""Writing the validation report: report.md (a section per check), checks.csv, figures.

Every file is written under a temporary name and renamed (sim/atomic.py), so a reader never
sees half a report, and an interrupted run leaves the previous files whole.
"""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from ..atomic import write_atomic, write_text_atomic  # noqa: E402
from .registry import CheckResult  # noqa: E402

COLUMNS = ["name", "expected", "observed", "tolerance", "passed", "seconds"]


def save_figure(fig, path: Path) -> Path:
    """Save a matplotlib figure as PNG atomically and close it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, lambda tmp: fig.savefig(tmp, format="png", dpi=110, bbox_inches="tight"))
    plt.close(fig)
    return path


def checks_table(results: list[tuple[CheckResult, float]]) -> pd.DataFrame:
    """One row per check: name, expected, observed, tolerance, passed, seconds."""
    rows = [{"name": r.name, "expected": r.expected, "observed": r.observed, "tolerance": r.tolerance,
             "passed": bool(r.passed), "seconds": round(s, 2)} for r, s in results]
    return pd.DataFrame(rows, columns=COLUMNS)


def _cell(text: str) -> str:
    return str(text).replace("|", "/").replace("\n", " ")


def _details_markdown(df: pd.DataFrame) -> str:
    def fmt(v):
        if isinstance(v, float):
            return "" if math.isnan(v) else f"{v:.4g}"
        return _cell(v)

    head = "| " + " | ".join(_cell(c) for c in df.columns) + " |"
    rule = "|" + "---|" * len(df.columns)
    body = ["| " + " | ".join(fmt(v) for v in row) + " |" for row in df.itertuples(index=False)]
    return "\n".join([head, rule, *body])


def markdown(results: list[tuple[CheckResult, float]], header: dict[str, str]) -> str:
    """The whole report.md; figure links are relative to the report's folder (`figures/`)."""
    n_pass = sum(r.passed for r, _ in results)
    lines = ["# vliegwiel validation report", "",
             *[f"- {k}: {v}" for k, v in header.items()],
             f"- result: {n_pass} of {len(results)} checks passed", "",
             "| check | expected (literature) | observed (model) | tolerance | passed | seconds |",
             "|---|---|---|---|---|---:|"]
    for r, s in results:
        lines.append(f"| [{r.name}](#{r.name}) | {_cell(r.expected)} | {_cell(r.observed)} | {_cell(r.tolerance)} | "
                     f"{'yes' if r.passed else '**NO**'} | {s:.1f} |")
    for r, s in results:
        lines += ["", f"## {r.name}", "", f"**{r.title}** ({'passed' if r.passed else 'FAILED'}, {s:.1f} s)", "",
                  f"- source: {r.source}", f"- expected: {r.expected}", f"- observed: {r.observed}",
                  f"- tolerance: {r.tolerance}", ""]
        if r.figure is not None:
            lines += [f"![{r.name}](figures/{Path(r.figure).name})", ""]
        if r.notes:
            lines += [r.notes.strip(), ""]
        if r.details is not None and len(r.details):
            lines += [_details_markdown(r.details), ""]
    return "\n".join(lines).rstrip() + "\n"


def write_report(out: Path, results: list[tuple[CheckResult, float]], header: dict[str, str]) -> None:
    """Write report.md and checks.csv into `out` (figures are already in out/figures)."""
    out.mkdir(parents=True, exist_ok=True)
    write_text_atomic(out / "checks.csv", checks_table(results).to_csv(index=False))
    write_text_atomic(out / "report.md", markdown(results, header))

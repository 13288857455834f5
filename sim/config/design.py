"""Designed experiments: a run can take its parameter values from one row of a design file
(e.g. a Sobol or Morris design written by `vliegwiel-sensitivity`), and can evaluate a test
function with known sensitivity indices instead of the model (to check the machinery)."""

from __future__ import annotations

from dataclasses import dataclass

from .params import param

FUNCTIONS = ("model", "ishigami")


@dataclass
class DesignConfig:
    """Which row of a design this run takes, and what a run evaluates."""

    file: str = param("", unit="path", source="convention",
                      help="CSV design: a header of parameter keys, one row of values per run; empty = no design.")
    row: int = param(-1, unit="row", lo=-1, hi=10**9, source="convention",
                     help="Row of design.file whose values this run takes (0 = first data row; -1 = none).")
    function: str = param("model", unit="name", choices=FUNCTIONS, source="convention",
                          help="What a run evaluates: the model, or the Ishigami test function of x1, x2, x3.")
    x1: float = param(0.0, unit="-", lo=-1e6, hi=1e6, source="Ishigami & Homma (1990)",
                      help="First input of the test function.")
    x2: float = param(0.0, unit="-", lo=-1e6, hi=1e6, source="Ishigami & Homma (1990)",
                      help="Second input of the test function.")
    x3: float = param(0.0, unit="-", lo=-1e6, hi=1e6, source="Ishigami & Homma (1990)",
                      help="Third input of the test function.")

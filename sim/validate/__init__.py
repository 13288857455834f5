"""Validation suite: does the model reproduce what the literature expects? (`vliegwiel-validate`)

Each check runs the model, compares it with a published expectation, states its tolerance
and passes or fails; `vliegwiel-validate` runs them and writes results/validation/report.md
and checks.csv (see `cli.py`).

    textbook.py   the expectations as pure functions (Bass closed form, Watts' window,
                  Rogers' shares); the tests import them too
    setups.py     model set-ups (one-village configs, run to a fixed point, first months)
    registry.py   Context, CheckResult, @register_check and the list of check modules
    report.py     report.md, checks.csv, figures (atomic writes)
    bass.py, watts.py, rogers.py, scurve.py, energy.py   the checks, one module each

Adding a check: a new module here with a function decorated by `@register_check(name,
fast=...)` that returns a CheckResult, and its module name in `registry.CHECK_MODULES`.
"""

from .registry import CHECK_MODULES, Check, CheckResult, Context, load_checks, register_check
from .report import save_figure

__all__ = ["CHECK_MODULES", "Check", "CheckResult", "Context", "load_checks", "register_check", "save_figure"]

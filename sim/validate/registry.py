"""The registry of validation checks.

A check is a function `Context -> CheckResult`, registered under a name:

    from .registry import CheckResult, Context, register_check

    @register_check("my_check", fast=True)     # fast=True: also in `--fast`
    def my_check(ctx: Context) -> CheckResult:
        '''One line: what it compares (the title in the report and --list).'''
        ...                                     # run the model (smaller when ctx.fast)
        return CheckResult(name="my_check", ...)

Put it in its own module in this package and add the module's name to CHECK_MODULES below:
`load_checks()` imports those modules, which registers their checks, in that order (the
order of the report).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

CHECK_MODULES = ("bass", "watts", "rogers", "scurve", "energy")  # sim/validate/<module>.py, report order


@dataclass(frozen=True)
class Context:
    """What a check may use: the quick sizes or not, a base seed, the folder for figures."""

    fast: bool
    seed: int
    out: Path  # figures go here (save them with report.save_figure: atomic)

    def figure(self, name: str) -> Path:
        return self.out / f"{name}.png"


@dataclass(frozen=True)
class CheckResult:
    """What the literature expects next to what the model gives, the tolerance and the verdict.

    expected / observed / tolerance are short texts for the table; `notes` (Markdown) says
    how to read the result and its limits; `details` is the table behind the figure.
    """

    name: str
    title: str
    source: str
    expected: str
    observed: str
    tolerance: str
    passed: bool
    figure: Path | None = None
    details: pd.DataFrame | None = None
    notes: str = ""


@dataclass(frozen=True)
class Check:
    name: str
    run: Callable[[Context], CheckResult]
    fast: bool

    @property
    def title(self) -> str:
        return (self.run.__doc__ or self.name).strip().splitlines()[0]


CHECKS: dict[str, Check] = {}


def register_check(name: str, fast: bool = False) -> Callable:
    """Register `func(ctx) -> CheckResult` as check `name`; fast=True puts it in --fast."""

    def decorate(func: Callable[[Context], CheckResult]) -> Callable[[Context], CheckResult]:
        if name in CHECKS and CHECKS[name].run is not func:
            raise ValueError(f"validation check {name!r} is registered twice")
        CHECKS[name] = Check(name, func, fast)
        return func

    return decorate


def load_checks() -> dict[str, Check]:
    """Every registered check, by name, in report order (imports CHECK_MODULES)."""
    modules = [f"{__package__}.{m}" for m in CHECK_MODULES]
    for module in modules:
        importlib.import_module(module)

    def rank(check: Check) -> int:  # modules in CHECK_MODULES order, then any others; stable within one
        module = check.run.__module__
        return modules.index(module) if module in modules else len(modules)

    return {c.name: c for c in sorted(CHECKS.values(), key=rank)}

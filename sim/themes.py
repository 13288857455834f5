"""Theme parameters as arrays indexed by theme id, for array operations over collectives."""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from .config.collectives import ThemeConfig


@dataclass(frozen=True)
class ThemeTable:
    names: tuple[str, ...]
    appeal: np.ndarray
    project_cost: np.ndarray
    loan_share: np.ndarray
    member_investment: np.ndarray
    project_months: np.ndarray
    project_hours: np.ndarray
    failure_risk: np.ndarray
    revenue: np.ndarray
    liveability_weight: np.ndarray
    member_share: np.ndarray

    @classmethod
    def from_config(cls, themes: dict[str, ThemeConfig]) -> ThemeTable:
        names = tuple(themes)
        cols = {f.name: np.array([getattr(themes[t], f.name) for t in names]) for f in fields(ThemeConfig)}
        return cls(names=names, **cols)

    def index(self, name: str) -> int:
        return self.names.index(name)

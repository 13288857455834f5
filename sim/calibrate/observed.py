"""The observed series a calibration fits: one value per year, read from a CSV file."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import UserError

ENERGY_COOPERATIVES = Path(str(files("sim") / "data" / "energy_cooperatives_nl.csv"))
MIN_POINTS = 4  # a Bass curve has three parameters; fewer points cannot test its shape
MAX_VALUE = 1e12  # counts beyond any country's


@dataclass(frozen=True)
class Observed:
    """An observed cumulative series: values[k] at the end of years[k]."""

    years: np.ndarray   # [k] integer years, strictly increasing
    values: np.ndarray  # [k] cumulative counts (or any non-negative level)
    source: str
    column: str

    @property
    def months(self) -> np.ndarray:
        """Model months of the observations: the first year is month 0, then 12 a year."""
        return 12 * (self.years - self.years[0])

    def until(self, year: int) -> Observed:
        """The observations up to and including `year` (fit on these, hold out the rest to test
        the forecast against what followed)."""
        keep = self.years <= year
        if keep.sum() < MIN_POINTS:
            raise UserError(f"--fit-until {year}: leaves {int(keep.sum())} observations; need at least {MIN_POINTS}")
        if self.values[keep][-1] <= self.values[keep][0]:
            raise UserError(f"--fit-until {year}: the series does not grow until then; there is no curve to fit")
        return Observed(self.years[keep], self.values[keep], self.source, self.column)


def load_series(path: Path | str, column: str, time_column: str = "year") -> Observed:
    """Read `time_column` and `column` of a CSV file; clear errors for anything unusable."""
    path = Path(path)
    if not path.is_file():
        raise UserError(f"--data {path}: no such file")
    try:
        df = pd.read_csv(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise UserError(f"--data {path}: not a readable CSV file ({exc})") from None
    for name, flag in ((time_column, "--time-column"), (column, "--column")):
        if name not in df.columns:
            raise UserError(f"{flag} {name}: not a column of {path} (columns: {', '.join(map(str, df.columns))})")
    df = df[[time_column, column]].dropna()
    years = pd.to_numeric(df[time_column], errors="coerce")
    values = pd.to_numeric(df[column], errors="coerce")
    if years.isna().any() or values.isna().any():
        raise UserError(f"--data {path}: {time_column} and {column} must be numbers")
    if not (np.isfinite(years).all() and np.isfinite(values).all()):
        raise UserError(f"--data {path}: {time_column} and {column} must be finite numbers (no inf)")
    if (years != years.round()).any() or not years.is_monotonic_increasing or years.duplicated().any():
        raise UserError(f"--data {path}: {time_column} must be whole years, increasing, each once")
    if len(years) > 1 and (years.diff().iloc[1:] != 1).any():
        after = int(years[years.diff().shift(-1) != 1].iloc[0])
        raise UserError(f"--data {path}: {time_column} must be consecutive years ({after + 1} is missing)")
    if not 1900 <= years.iloc[0] and years.iloc[-1] <= 2200:
        raise UserError(f"--data {path}: {time_column} must be calendar years (1900-2200)")
    if (values < 0).any() or (values > MAX_VALUE).any():
        raise UserError(f"--data {path}: {column} must be between 0 and {MAX_VALUE:.0e}")
    if len(df) < MIN_POINTS:
        raise UserError(f"--data {path}: {len(df)} observations of {column}; need at least {MIN_POINTS}")
    if values.diff().iloc[1:].lt(0).any():
        raise UserError(f"--data {path}: {column} must be cumulative (never decreasing)")
    if values.iloc[-1] <= values.iloc[0]:
        raise UserError(f"--data {path}: {column} does not grow; there is no curve to fit")
    return Observed(years.to_numpy(np.int64), values.to_numpy(float), str(path), column)

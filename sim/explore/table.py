"""The uncertainty table: every parameter with a plausible range, and the calibration's posterior.

    table = uncertainty_table(base)          # one Uncertainty per plausible parameter
    post = Posterior.load(path)              # None when the file does not exist yet

The ranges are declared with the parameters (`param(..., plausible=(lo, hi),
plausible_reason=...)`, sim/config/params.py); instruments declare theirs in their own module
(sim/instruments/<name>.py). An uncertainty is *integer* when its parameter is (months,
members, winners): a drawn value is rounded.

The energy calibration (sim/calibrate/) fits a few parameters to the Dutch energy
co-operatives. Its posterior, when it exists, is a CSV file of weighted particles,
`sim/data/calibration/energy_posterior.csv`: a column per parameter key (as on the command
line) and `weight`. Those parameters are then drawn *jointly* from it, a whole particle at a
time with probability proportional to its weight, from each world's own random stream; the
others from their boxes. Until the file exists, the calibrated parameters (CALIBRATED) are
drawn from their plausible boxes like any other, and the report says which was used.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..calibrate.priors import ENERGY_PRIORS
from ..config.overrides import locate
from ..config.params import iter_plausible
from ..errors import UserError

POSTERIOR = Path(__file__).resolve().parents[1] / "data" / "calibration" / "energy_posterior.csv"
WEIGHT = "weight"
# the parameters the energy calibration fits (its default priors, sim/calibrate/priors.py)
CALIBRATED = tuple(p.key for p in ENERGY_PRIORS)


@dataclass(frozen=True)
class Uncertainty:
    """One uncertain parameter: its plausible range and why."""

    key: str
    lo: float
    hi: float
    default: float
    reason: str
    unit: str
    integer: bool = False
    valid: tuple[float | None, float | None] = (None, None)

    def value(self, u: float) -> float:
        """The parameter's value at quantile u in [0, 1] of its box (rounded if integer)."""
        x = self.lo + float(u) * (self.hi - self.lo)
        return float(round(x)) if self.integer else x


def uncertainty_table(base) -> list[Uncertainty]:
    """Every parameter of the configuration `base` that has a plausible range, in the order of
    the configuration (instruments' parameters under policy.<name>.*)."""
    out = []
    for key, value, (lo, hi), reason, meta in iter_plausible(base):
        out.append(Uncertainty(key, lo, hi, float(value), reason, meta.get("unit", ""),
                               isinstance(value, int) and not isinstance(value, bool),
                               (meta.get("lo"), meta.get("hi"))))
    return out


def check_table(table: list[Uncertainty]) -> list[str]:
    """What is wrong with the table (empty when nothing): a range outside its parameter's valid
    range, an empty range, a missing reason."""
    problems = []
    for u in table:
        vlo, vhi = u.valid
        if not u.lo < u.hi:
            problems.append(f"{u.key}: plausible range {u.lo}-{u.hi} is empty")
        if (vlo is not None and u.lo < vlo) or (vhi is not None and u.hi > vhi):
            problems.append(f"{u.key}: plausible range {u.lo}-{u.hi} leaves the valid range {vlo}-{vhi}")
        if not u.reason.strip():
            problems.append(f"{u.key}: plausible range without a reason")
    return problems


@dataclass(frozen=True)
class Posterior:
    """Weighted particles of the calibration: draw whole rows, by weight."""

    path: Path
    particles: pd.DataFrame      # a column per parameter key
    weights: np.ndarray          # normalised to sum 1

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(self.particles.columns)

    @classmethod
    def load(cls, path: Path | str = POSTERIOR, base=None) -> Posterior | None:
        """The posterior in `path`, or None if there is no such file. A file that is there but
        cannot be used is a UserError (one line)."""
        path = Path(path)
        if not path.exists():
            return None
        try:
            data = pd.read_csv(path)
        except (OSError, ValueError) as exc:
            raise UserError(f"{path}: not a readable posterior CSV ({str(exc).splitlines()[0]})") from None
        if WEIGHT not in data.columns or len(data.columns) < 2 or data.empty:
            raise UserError(f"{path}: a posterior needs a column per parameter key and a '{WEIGHT}' column, "
                            "and at least one particle")
        w = pd.to_numeric(data.pop(WEIGHT), errors="coerce").to_numpy(float)
        values = data.apply(pd.to_numeric, errors="coerce")
        if not np.isfinite(w).all() or (w < 0).any() or w.sum() <= 0 or not np.isfinite(values.to_numpy(float)).all():
            raise UserError(f"{path}: weights must be finite, >= 0 and not all 0; values finite numbers")
        if base is not None:
            for key in values.columns:
                locate(base, key)        # an unknown key: one line naming it
        return cls(path, values.astype(float), w / w.sum())

    def draw(self, rng: np.random.Generator) -> dict[str, float]:
        """One particle, chosen with probability proportional to its weight."""
        i = int(rng.choice(len(self.weights), p=self.weights))
        return {k: float(v) for k, v in self.particles.iloc[i].items()}


def as_value(x: float, integer: bool):
    return int(round(x)) if integer else float(x)


__all__ = ["CALIBRATED", "POSTERIOR", "Posterior", "Uncertainty", "as_value", "check_table", "instrument_parameters_without_range",
           "uncertainty_table"]


def instrument_parameters_without_range() -> list[str]:
    """policy.<name>.<key> of every numeric parameter an instrument declares itself (its
    effects, costs, burdens, selection; not who runs it, when, or its weight) that has no
    plausible range: each one is an assumption the advice would silently hold fixed."""
    from ..config.instruments import InstrumentConfig
    from ..instruments.registry import instruments

    common = {f.name for f in dataclasses.fields(InstrumentConfig)}
    out = []
    for name, cls in instruments().items():
        config = getattr(cls, "config", None)
        if config is None:
            continue
        defaults = config()
        for f in dataclasses.fields(config):
            value = getattr(defaults, f.name)
            numeric = isinstance(value, int | float) and not isinstance(value, bool)
            if f.name not in common and numeric and f.metadata.get("plausible") is None:
                out.append(f"policy.{name}.{f.name}")
    return out

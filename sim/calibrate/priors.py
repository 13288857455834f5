"""The calibration's priors: a stated prior per fitted parameter (uniform or log-uniform,
with its reason), the worked case's priors (ENERGY_PRIORS) and `--param` parsing. Light (no
pyabc): the exploration reads which parameters are calibrated from here."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..errors import UserError


@dataclass(frozen=True)
class Prior:
    """A stated prior: uniform (or log-uniform) between lo and hi, and why."""

    key: str
    lo: float
    hi: float
    log: bool = False
    reason: str = ""

    def rv(self):
        """pyabc's prior: uniform on the parameter, or (log-uniform) uniform on its log10."""
        import pyabc

        if self.log:
            return pyabc.RV("uniform", math.log10(self.lo), math.log10(self.hi) - math.log10(self.lo))
        return pyabc.RV("uniform", self.lo, self.hi - self.lo)

    @property
    def text(self) -> str:
        return f"{'log-uniform' if self.log else 'uniform'} {self.lo:g}-{self.hi:g}"

    def quantiles(self, qs=(0.05, 0.5, 0.95)) -> list[float]:
        if self.log:
            return [float(math.exp(math.log(self.lo) + q * (math.log(self.hi) - math.log(self.lo)))) for q in qs]
        return [self.lo + q * (self.hi - self.lo) for q in qs]


def parse_prior(text: str) -> Prior:
    """'key=lo:hi' (uniform) or 'key=log:lo:hi' (log-uniform)."""
    key, sep, rest = text.partition("=")
    parts = rest.split(":")
    log = parts[0] == "log"
    parts = parts[1:] if log else parts
    try:
        lo, hi = (float(x) for x in parts)
    except ValueError:
        raise UserError(f"--param {text}: give KEY=LOW:HIGH or KEY=log:LOW:HIGH") from None
    if not sep or not key or not math.isfinite(lo) or not math.isfinite(hi) or not lo < hi or (log and lo <= 0):
        raise UserError(f"--param {text}: give KEY=LOW:HIGH with LOW < HIGH (log: 0 < LOW)")
    return Prior(key.strip(), lo, hi, log)


# The priors of the worked case, each with its reason (docs/ODD.md s9)
ENERGY_PRIORS = (
    Prior("collectives.founding_rate", 0.0001, 0.02, log=True,
          reason="monthly founding rate of a theme of appeal 1 (energy) in a village with enough pioneers; "
                 "unknown within two orders of magnitude below twice the assumption 0.01 (every theme scales with "
                 "it: their appeals are relative to energy's)"),
    Prior("collectives.knowledge_founding", 0.0, 10.0,
          reason="R4, founding sped up by linked villages' knowledge; 0 (none) to 10 (eleven times faster)"),
    Prior("collectives.themes.care.appeal", 0.1, 10.0, log=True,
          reason="founding rate of care collectives relative to energy's: from a tenth to ten times"),
    Prior("adoption.max_join_rate", 0.02, 0.3,
          reason="monthly joining of a convinced resident: from once in four years to once in three months"),
    Prior("adoption.aware_base", 0.001, 0.05, log=True,
          reason="residents hearing of collectives unprompted: from one in 80 to one in two a year"),
    Prior("adoption.aware_innovativeness", 0.0, 1.0,
          reason="how much sooner innovators hear of collectives (mechanisms.alertness): from not at all to twice "
                 "the assumed 0.5 (at 1 an innovator, z = 2.3, hears 6 times as fast as the average resident)"),
    Prior("collectives.themes.energy.member_share", 0.03, 0.6,
          reason="room for members in one energy co-operative (mechanisms.member_room): from 3 % of its village's "
                 "residents (about 37 of 1,237) to 60 %"),
)
# added with the rogers pattern (vliegwiel-calibrate --rogers): the parameter that pattern informs
TIMING_PRIORS = (
    Prior("adoption.decide_innovativeness", 0.0, 1.0,
          reason="how much sooner innovators act once convinced (rules.adoption.decision_speed): from not at all to "
                 "an innovator, z = 2.3, joining 6 times as fast as the average resident; the counts leave it open, "
                 "Rogers' timing of adoption (the rogers pattern) informs it"),
)
PRIOR_BY_KEY = {p.key: p for p in (*ENERGY_PRIORS, *TIMING_PRIORS)}

"""Levers: what every policy instrument's parameters share (DOMAIN.md section 4).

Every instrument declares its own parameters next to its behaviour, in
sim/instruments/<name>.py, as a subclass of `InstrumentConfig` (who runs it, when, its weight
in the policy mix's one budget, which villages it serves). Values are *assumptions* unless a
source is given. `PolicyConfig` (sim/config/governance.py) holds one of each registered
instrument's configs under its name (policy.<name>.<key>).
"""

from __future__ import annotations

from dataclasses import dataclass

from .params import param

GOVERNMENTS = ("province", "municipality")


@dataclass
class InstrumentConfig:
    """What every instrument has: its government, its period and its share of the budget."""

    government: str = param("province", unit="name", choices=GOVERNMENTS, source="DOMAIN.md s4",
                            help="Who runs the instrument: the province, or each municipality for its villages.")
    start_month: int = param(0, unit="month", lo=0, hi=12_000, source="convention",
                             help="First month the instrument runs (0 = from the start).")
    stop_month: int = param(-1, unit="month", lo=-1, hi=12_000, source="convention",
                            help="Month the instrument stops (exclusive); -1 = runs to the horizon.")
    weight: float = param(1.0, unit="share", lo=0.0, hi=1e6, source="convention",
                          help="Share of the policy budget, relative to the other instruments in the mix.")
    villages: list[int] = param(default_factory=list, unit="village ids", source="convention",
                                help="Villages the instrument serves (pilots); empty = every village of its government.")

"""The instrument interface: one small class per instrument, run by a government.

An instrument is switched on between `start_month` (inclusive) and `stop_month`
(exclusive, None = never stops). Each month its government calls `apply(month)` while it is
active. It acts on the world only through public methods:

- `Government.grant(collective, amount)` pays from the government's budget;
- `Government.signal(villages, channel, amount)` adds to a channel of InstrumentEffects;
- `Collective.add_burden(hours)` and the other public methods of sim/agents/.

    >>> from sim import load_config, VillageModel
    >>> model = VillageModel(load_config(["world=small"]))
    >>> [type(i).__name__ for i in model.province.portfolio]
    ['NoInstrument']
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from ..agents.government import Government


class Instrument(ABC):
    """Base class of all instruments."""

    name: ClassVar[str]

    def __init__(self, government: Government, start_month: int = 0, stop_month: int | None = None) -> None:
        self.government = government
        self.start_month = start_month
        self.stop_month = stop_month

    def active(self, month: int) -> bool:
        return month >= self.start_month and (self.stop_month is None or month < self.stop_month)

    @abstractmethod
    def apply(self, month: int) -> None:
        """Act for one month through the government's and agents' public methods."""

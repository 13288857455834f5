"""The narrow channel through which instruments reach residents' decisions.

Instruments never touch residents' arrays. A government `signal()`s a channel for some
villages; the residents' and founding rules read the summed effects each month.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

CHANNELS = ("awareness", "mobilisation", "crowding", "founding", "outreach")


@dataclass
class InstrumentEffects:
    """Per-village effects this month (all zero under the `none` baseline)."""

    awareness: np.ndarray     # added hazard of becoming aware, 1/month
    mobilisation: np.ndarray  # added pull toward joining (share-of-ties units)
    crowding: np.ndarray      # crowding-out of intrinsic motivation (subtracted from pull)
    founding: np.ndarray      # relative boost of the founding rate
    outreach: np.ndarray      # awareness effort aimed at vulnerable residents (hazard per resident of the village,
                              # 1/month), concentrated on them (sim/rules/adoption.py: outreach_hazard)

    @classmethod
    def zeros(cls, n_villages: int) -> InstrumentEffects:
        return cls(*(np.zeros(n_villages) for _ in CHANNELS))

    def reset(self) -> None:
        for name in CHANNELS:  # the fields (dataclasses.fields would cost more than the zeroing)
            getattr(self, name).fill(0.0)

    def add(self, channel: str, villages: np.ndarray | list[int], amount: float) -> None:
        if channel not in CHANNELS:
            raise ValueError(f"unknown channel {channel!r}; channels: {', '.join(CHANNELS)}")
        np.add.at(getattr(self, channel), np.asarray(villages, dtype=np.int64), amount)

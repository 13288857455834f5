"""The baseline: no instrument. Villages are left to their own community power."""

from __future__ import annotations

from .base import Instrument
from .registry import register_instrument


@register_instrument
class NoInstrument(Instrument):
    """Does nothing: spends no money, costs no hours, changes no channel."""

    name = "none"
    labels = {"en": "none (baseline)", "nl": "geen (vergelijkingsbasis)"}
    order = 0

    def apply(self, month: int) -> None:
        return None

"""Policy instruments behind one interface (base.py); selected by name (registry.py)."""

from .base import Instrument
from .effects import CHANNELS, InstrumentEffects
from .registry import get_instrument, instrument_names, register_instrument

__all__ = ["CHANNELS", "Instrument", "InstrumentEffects", "get_instrument", "instrument_names", "register_instrument"]

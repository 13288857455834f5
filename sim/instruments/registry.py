"""Instruments by name. Config (and later the browser) selects names from this fixed registry."""

from __future__ import annotations

INSTRUMENTS: dict[str, type] = {}


def register_instrument(cls: type) -> type:
    """Class decorator: make an Instrument subclass selectable by its `name`."""
    if cls.name in INSTRUMENTS and INSTRUMENTS[cls.name] is not cls:
        raise ValueError(f"an instrument named {cls.name!r} is already registered")
    INSTRUMENTS[cls.name] = cls
    return cls


def instrument_names() -> tuple[str, ...]:
    from . import (  # noqa: F401  registers the built-in instruments
        dialogue, learning_network, none, prize, right_to_challenge, shareholding, subsidy, tender,
    )

    return tuple(INSTRUMENTS)


def get_instrument(name: str) -> type:
    instrument_names()
    return INSTRUMENTS[name]

"""Instruments by name: a registry of self-describing plugins.

An instrument is one module: a subclass of `Instrument` (sim/instruments/base.py) decorated
with `@register_instrument`, which carries its name, its parameters (`config`, a subclass of
`InstrumentConfig` with a `param()` per field: unit, range, source), its labels in English
and Dutch and its place in lists (`order`). Everything else reads them from here: the
configuration (`policy.<name>.*`, sim/config/governance.py), `vliegwiel --help`, the ODD's
parameter table, the browser page and the tests. docs/EXTENDING.md shows how to add one.

Where instruments come from: every module of this package (found, not listed), and any
installed package that names a module in the entry-point group `vliegwiel.instruments`
(importing it registers its instruments). Lists follow `(order, name)`, never the order of
imports. Configuration only ever selects a *name* from this registry: nothing a user or a
browser sends can name a Python class.
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
import re

INSTRUMENTS: dict[str, type] = {}
ENTRY_POINTS = "vliegwiel.instruments"
LANGUAGES = ("en", "nl")
_state = {"discovered": False, "version": 0}


def register_instrument(cls: type) -> type:
    """Class decorator: make an Instrument subclass selectable by its `name`."""
    from ..config.instruments import InstrumentConfig

    name = getattr(cls, "name", None)
    if not isinstance(name, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise ValueError(f"{cls.__name__}: an instrument's name is lower_case_with_underscores, got {name!r}")
    if name in INSTRUMENTS and INSTRUMENTS[name] is not cls:
        raise ValueError(f"an instrument named {name!r} is already registered")
    labels = getattr(cls, "labels", None)
    if not isinstance(labels, dict) or any(not str(labels.get(lang, "")).strip() for lang in LANGUAGES):
        raise ValueError(f"{cls.__name__}: labels needs a text for each of {', '.join(LANGUAGES)}")
    config = getattr(cls, "config", None)
    if config is not None and not (dataclasses.is_dataclass(config) and issubclass(config, InstrumentConfig)):
        raise ValueError(f"{cls.__name__}: config must be a dataclass derived from InstrumentConfig")
    if name in ("instruments", "budget"):
        raise ValueError(f"{cls.__name__}: {name!r} is taken by policy.{name}")
    INSTRUMENTS[name] = cls
    _state["version"] += 1
    return cls


def unregister_instrument(name: str) -> None:
    """Remove an instrument (tests that register a toy one clean up with this)."""
    if INSTRUMENTS.pop(name, None) is not None:
        _state["version"] += 1


def discover() -> None:
    """Import every module of this package and every entry point, once."""
    if _state["discovered"]:
        return
    _state["discovered"] = True
    from importlib.metadata import entry_points

    package = importlib.import_module(__package__)
    for info in pkgutil.iter_modules(package.__path__):
        if not info.name.startswith("_") and info.name not in ("base", "effects", "registry"):
            importlib.import_module(f"{__package__}.{info.name}")
    for ep in entry_points(group=ENTRY_POINTS):
        ep.load()


def instruments() -> dict[str, type]:
    """{name: class} of every instrument, in (order, name) order."""
    discover()
    return dict(sorted(INSTRUMENTS.items(), key=lambda kv: (getattr(kv[1], "order", 100), kv[0])))


def instrument_names() -> tuple[str, ...]:
    return tuple(instruments())


def get_instrument(name: str) -> type:
    discover()
    return INSTRUMENTS[name]


def label(name: str, lang: str = "en") -> str:
    """An instrument's label in `lang` (en or nl); the name itself if it is not registered."""
    cls = instruments().get(name)
    return cls.labels.get(lang, cls.labels["en"]) if cls is not None else name


def version() -> int:
    """Changes whenever an instrument is registered or removed."""
    discover()
    return _state["version"]

"""The `param()` helper: one declaration per model parameter.

Every parameter of the model is a dataclass field declared with `param(...)`. The field's
metadata carries the unit, the allowed range, the source (or the word *assumption*) and a
one-line help text. The CLI's `--help`, the range validation, docs/ODD.md's parameter table
and (later) the browser controls all read this metadata, so a default lives in exactly one
place.

A parameter whose true value is uncertain also carries a *plausible range*
(`plausible=(lo, hi)`, with `plausible_reason`: a source, or "assumption: " and why this range).
It is not the valid range `lo`/`hi` (what the model accepts) but what one may reasonably
believe; exploratory modelling (sim/explore/) draws its worlds from these ranges, and
docs/ODD.md lists them. For the fields of a theme (one class, six themes) `plausible` may be a
{theme: (lo, hi)} mapping: only the themes named are uncertain.
"""

from __future__ import annotations

import dataclasses
from dataclasses import field
from collections.abc import Callable
from typing import Any


def param(
    default: Any = dataclasses.MISSING,
    *,
    unit: str,
    source: str,
    help: str,
    lo: float | None = None,
    hi: float | None = None,
    choices: tuple[str, ...] | Callable[[], tuple[str, ...]] | None = None,
    default_factory: Any = dataclasses.MISSING,
    plausible: tuple[float, float] | dict[str, tuple[float, float]] | None = None,
    plausible_reason: str | None = None,
) -> Any:
    """Declare a model parameter with its unit, range, source and help text.

    `lo`/`hi` are inclusive bounds checked by `sim.config.validate`; `choices` lists the
    allowed names of a string parameter (or is a function returning them, for registries). `source` is a citation or starts with "assumption".
    `plausible` (lo, hi) is the range exploratory modelling draws from, inside lo/hi, and
    `plausible_reason` says why (a source, or "assumption: ..."); one needs the other.
    """
    if (plausible is None) != (plausible_reason is None):
        raise ValueError("param(): give plausible and plausible_reason together")
    meta = {"unit": unit, "source": source, "help": help, "lo": lo, "hi": hi, "choices": choices}
    if plausible is not None:
        meta.update(plausible=plausible, plausible_reason=plausible_reason)
    if default_factory is not dataclasses.MISSING:
        return field(default_factory=default_factory, metadata=meta)
    return field(default=default, metadata=meta)


def iter_params(obj: Any, prefix: str = ""):
    """Yield (dotted key, value, field metadata) for every parameter in a config tree.

    Nested dataclasses are walked; dict-valued fields of dataclasses (the themes) are walked
    with their keys as path parts.
    """
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        key = f"{prefix}{f.name}"
        if dataclasses.is_dataclass(value):
            yield from iter_params(value, key + ".")
        elif isinstance(value, dict) and value and all(dataclasses.is_dataclass(v) for v in value.values()):
            for name, sub in value.items():
                yield from iter_params(sub, f"{key}.{name}.")
        else:
            yield key, value, f.metadata


def iter_plausible(obj: Any):
    """Yield (dotted key, default, (lo, hi), reason, field metadata) for every parameter of a
    config tree that has a plausible range: the uncertainty table of exploratory modelling.
    A {theme: range} mapping gives a range only for the themes it names."""
    for key, value, meta in iter_params(obj):
        rng = meta.get("plausible")
        if isinstance(rng, dict):
            rng = rng.get(key.split(".")[-2])
        if rng is not None:
            yield key, value, (float(rng[0]), float(rng[1])), meta["plausible_reason"], meta

"""The `param()` helper: one declaration per model parameter.

Every parameter of the model is a dataclass field declared with `param(...)`. The field's
metadata carries the unit, the allowed range, the source (or the word *assumption*) and a
one-line help text. The CLI's `--help`, the range validation, docs/ODD.md's parameter table
and (later) the browser controls all read this metadata, so a default lives in exactly one
place.
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
) -> Any:
    """Declare a model parameter with its unit, range, source and help text.

    `lo`/`hi` are inclusive bounds checked by `sim.config.validate`; `choices` lists the
    allowed names of a string parameter (or is a function returning them, for registries). `source` is a citation or starts with "assumption".
    """
    meta = {"unit": unit, "source": source, "help": help, "lo": lo, "hi": hi, "choices": choices}
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

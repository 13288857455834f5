"""What the browser sends, checked before the page uses it. Pure code (no Solara).

A browser can send any JSON value for any input, whatever the page drew: strings of any
length or script, huge or negative numbers, NaN and Infinity (Python's JSON reader takes
them), null, lists, objects. Choices from a list (a village, a comparison, an outcome, the
number of replicates or months, a language) pass only if they are one of the list's items,
of the same type; the page then uses its own item, never the browser's object. Anything
else raises `Refused`, which the page turns into a message in its language
(sim/viz/boundary.py). Numbers typed in the settings are read by sim/viz/controls.py.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, TypeVar

T = TypeVar("T")
SHORT = 40  # characters of a refused value shown back on the page


class Refused(ValueError):
    """A browser value the page does not use; `reason` is a text key of sim/viz/i18n.py."""

    def __init__(self, reason: str = "input.refused") -> None:
        super().__init__(reason)
        self.reason = reason


def one_of(value: Any, allowed: Sequence[T]) -> T:
    """The item of `allowed` equal to `value` and of the same type (True is not 1, 1.0 is not 1)."""
    for item in allowed:
        if type(value) is type(item) and value == item:
            return item
    raise Refused()


def index(value: Any, n: int) -> int:
    """A position 0 ... n-1: an int (not a bool), nothing else."""
    if type(value) is int and 0 <= value < n:
        return value
    raise Refused()


def clamp_int(value: Any, lo: int, hi: int, fallback: int) -> int:
    """An int within [lo, hi] from a number (a float is rounded down); `fallback` for
    anything that is not a finite number."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return fallback
    if isinstance(value, float) and not math.isfinite(value):
        return fallback
    return min(max(int(value), lo), hi)


def short(value: Any, n: int = SHORT) -> str:
    """`value` as text for a message, at most `n` characters and never an exception
    (str() of an int with more than 4300 digits raises, a crafted object's __str__ may)."""
    try:
        s = value if isinstance(value, str) else str(value)
    except Exception:  # noqa: BLE001  a value that cannot be shown is shown as '...'
        return "..."
    return s if len(s) <= n else s[:n] + "..."

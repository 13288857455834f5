"""The live model's extra settings: which parameters, how a browser value becomes an override.

Pure code (no Solara): tested in tests/test_viz_unit.py. The question (instruments,
programme, budget, horizon, region) is sim/viz/question.py; these are the few parameters a
curious visitor may turn in the live model (sim/viz/live_view.py).

- Each control names a config key. Its unit, range, help text and default are read from the
  schema (`param()` metadata, the same the CLI's `--help` shows) and from the composed
  default config; nothing here repeats them.
- A browser value is parsed into a Python value first (numbers with sim/viz/numbers.py, in
  the page's language), so no browser text reaches the override grammar, and no input can
  name a Python class or a path.
- `overrides_from_controls` checks the values against the question's configuration with
  the CLI's validation. A value that validation rejects is dropped (the default is used)
  and reported as a `Problem` for the page to show.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from ..config.compose import load_config
from ..config.overrides import apply_overrides, locate
from ..config.params import iter_params
from ..config.schema import Config
from ..errors import UserError
from . import numbers
from .i18n import has, text
from .inputs import short

CONTROL_KEYS = ("governments.attitude_mean", "residents.trust_mean", "network.mean_degree", "seed")
MAX_TEXT = numbers.MAX_TEXT


@dataclass(frozen=True)
class ControlSpec:
    """One control as the page draws it."""

    key: str
    kind: str                  # "slider" | "number"
    default: Any
    unit: str
    help: str                  # English help from the parameter metadata
    lo: float | None = None
    hi: float | None = None
    integer: bool = False
    choices: tuple[str, ...] = ()      # a choice's names (the instruments: from the registry)


@dataclass(frozen=True)
class Problem:
    """A browser value that was not used: `reason` is a text key of sim/viz/i18n.py or,
    from the config validation, an English explanation."""

    key: str
    value: Any
    reason: str


@functools.cache
def _metadata(registry_version: int) -> dict[str, tuple[Any, Any]]:
    """key -> (default value in the composed default config, param metadata)."""
    return {key: (value, meta) for key, value, meta in iter_params(load_config([]))}


def spec(key: str) -> ControlSpec:
    """Everything the page needs to know of parameter `key` (read again when an instrument is
    registered: the instruments' names and parameters come from the registry)."""
    from ..instruments.registry import version

    return _spec(key, version())


@functools.cache
def _spec(key: str, registry_version: int) -> ControlSpec:
    default, meta = _metadata(registry_version)[key]
    lo, hi = meta.get("lo"), meta.get("hi")
    choices = meta.get("choices")
    if callable(choices):
        choices = choices()
    if choices:
        first = default[0] if isinstance(default, list) else default
        return ControlSpec(key, "choice", first, meta.get("unit", ""), meta.get("help", ""), choices=tuple(choices))
    kind = "slider" if lo is not None and hi is not None and hi - lo <= 1 else "number"
    return ControlSpec(key, kind, default, meta.get("unit", ""), meta.get("help", ""), lo, hi,
                       integer=locate(Config(), key)[2] is int)


def specs() -> tuple[ControlSpec, ...]:
    return tuple(spec(k) for k in CONTROL_KEYS)


def default_values(lang: str = "nl") -> dict[str, Any]:
    """What every control shows at first: numbers as text in the page's language."""
    return {s.key: show(s.default, s, lang) for s in specs()}


def show(value: Any, s: ControlSpec, lang: str) -> str:
    if s.integer or (isinstance(value, float) and value.is_integer()):
        return str(int(value)) if s.key == "seed" else numbers.number(value, lang)
    return numbers.plain(value, lang, 4)


def parse_number(raw: Any, integer: bool = False, lang: str = "nl") -> int | float:
    """A number from what a browser sends (sim/viz/numbers.py); ValueError(text key)."""
    return numbers.parse(raw, lang, integer)


def to_value(key: str, raw: Any, lang: str = "nl") -> int | float:
    """The typed value of one control; ValueError(text key) if it is not a number of its kind."""
    if key not in CONTROL_KEYS:
        raise ValueError("unknown_choice")
    return parse_number(raw, spec(key).integer, lang)


def overrides_from_controls(values: dict[str, Any], base: Config | None = None,
                            lang: str = "nl") -> tuple[dict[str, Any], list[Problem]]:
    """{key: value} for every usable control value (checked against `base` with the CLI's
    validation), and a Problem for every other one. Keys that are not controls are ignored:
    the browser cannot reach other parameters."""
    base = base if base is not None else load_config([])
    out, problems = {}, []
    for key in CONTROL_KEYS:
        if key not in values:
            continue
        try:
            value = to_value(key, values[key], lang)
        except ValueError as exc:
            problems.append(Problem(key, values[key], str(exc)))
            continue
        try:
            apply_overrides(base, {key: value})
        except UserError as exc:
            problems.append(Problem(key, values[key], getattr(exc, "allowed", None) or str(exc)))
            continue
        out[key] = value
    return out, problems


# --- wording on the page (pure; the texts are in texts_nl.py and texts_en.py) -----------------

def label(s: ControlSpec, lang: str) -> str:
    """'Vertrouwen in de overheid (0 tot 1)': the plain label and the metadata's unit."""
    unit = text(f"unit.{s.unit}", lang) if has(f"unit.{s.unit}") else s.unit
    return f"{text(f'label.{s.key}', lang)} ({unit})"


def help_text(s: ControlSpec, lang: str) -> str:
    """Help under the control: in the page's language, with the allowed range."""
    words = text(f"help.{s.key}", lang) if has(f"help.{s.key}") else s.help
    if s.lo is not None and s.hi is not None and s.key != "seed":
        return f"{words} [{numbers.plain(s.lo, lang)} – {numbers.plain(s.hi, lang)}]"
    return words


def problem_message(p: Problem, lang: str) -> str:
    """'Vertrouwen in de overheid (0 tot 1): '3' moet tussen 0 en 1 liggen'."""
    what = label(spec(p.key), lang) if p.key in CONTROL_KEYS else p.key or "?"
    return f"{what}: '{short(p.value, MAX_TEXT)}' {reason_text(p.reason, lang)}"


# the validation's range messages (sim/config/validate.py), so they can be said in Dutch
_REASONS = (
    (re.compile(r"must be a finite number"), "reason.finite"),
    (re.compile(r"must be between (?P<lo>\S+) and (?P<hi>\S+)"), "reason.between"),
    (re.compile(r"must be at least (?P<lo>\S+)"), "reason.at_least"),
    (re.compile(r"must be at most (?P<hi>\S+)"), "reason.at_most"),
)


def reason_text(reason: str, lang: str) -> str:
    """A Problem's reason in `lang`: a text key, one of the validation's range messages, or
    (any other validation message) the validation's English words."""
    if has(reason):
        return text(reason, lang)
    for pattern, key in _REASONS:
        m = pattern.search(reason)
        if m:
            fields = {k: numbers.plain(float(v), lang, 6) for k, v in m.groupdict().items()}
            return text(key, lang, **fields)
    return reason

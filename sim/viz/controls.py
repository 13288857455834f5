"""The page's controls: which parameters, how a browser value becomes a config override.

Pure code (no Solara): tested in tests/test_viz_unit.py.

- Each control names a config key (or a config group such as `world`). Its unit, range,
  choices, help text and default are read from the schema (`param()` metadata, the same the
  CLI's `--help` shows) and from the composed default config; nothing here repeats them.
- A browser value is parsed into a Python value first (numbers with `parse_number`, names
  checked against a fixed list), so no browser text ever reaches Hydra's override grammar,
  and no input can name a Python class or a path.
- `config_from_controls` builds the config through `load_config` (the CLI's composition and
  validation). A value that validation rejects is dropped (the default is used instead) and
  reported as a `Problem` for the page to show.
"""

from __future__ import annotations

import functools
import re
import sys
from dataclasses import dataclass
from typing import Any


from ..config.compose import CONFIG_DIR, default_choices, groups, load_config
from ..config.overrides import locate
from ..config.schema import Config
from ..config.params import iter_params
from ..errors import UserError
from .i18n import table, text
from .inputs import short

CONTROL_KEYS = (
    "world",
    "policy.instruments",
    "policy.budget",
    "governments.attitude_mean",
    "residents.trust_mean",
    "network.mean_degree",
    "seed",
)
MAX_TEXT = 40  # characters: longer text in a number field is not a number
_LARGEST = int(sys.float_info.max)
# fullmatch only; ASCII: \d alone would also take other scripts' digits ('١٢٣', '𝟓'), which float() reads
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|[+-]?inf|nan", re.I | re.A)


@dataclass(frozen=True)
class ControlSpec:
    """One control as the page draws it."""

    key: str
    kind: str                  # "group" | "choice" | "slider" | "number"
    default: Any
    unit: str
    help: str                  # English help from the parameter metadata
    lo: float | None = None
    hi: float | None = None
    choices: tuple[str, ...] = ()
    integer: bool = False


@dataclass(frozen=True)
class Problem:
    """A browser value that was not used: `reason` is a text key of sim/viz/i18n.py or,
    from the config validation, an English explanation."""

    key: str
    value: Any
    reason: str


def _metadata() -> dict[str, tuple[Any, Any]]:
    """key -> (default value in the composed default config, param metadata)."""
    from ..instruments.registry import version

    return _metadata_of(version())


@functools.cache
def _metadata_of(registry_version: int) -> dict[str, tuple[Any, Any]]:
    return {key: (value, meta) for key, value, meta in iter_params(load_config([]))}


@functools.cache
def _default_groups() -> dict[str, str]:
    """Config group -> option chosen by configs/config.yaml (e.g. world -> province)."""
    return default_choices(CONFIG_DIR)


def spec(key: str) -> ControlSpec:
    """Everything the page needs to draw the control for `key` (read again when an
    instrument is registered: its choices come from the registry)."""
    from ..instruments.registry import version

    return _spec(key, version())


@functools.cache
def _spec(key: str, registry_version: int) -> ControlSpec:
    options = groups(CONFIG_DIR)
    if key in options:
        return ControlSpec(key, "group", _default_groups()[key], "name", "", choices=tuple(options[key]))
    default, meta = _metadata()[key]
    choices = meta.get("choices")
    if callable(choices):
        choices = choices()
    common = dict(unit=meta.get("unit", ""), help=meta.get("help", ""), lo=meta.get("lo"), hi=meta.get("hi"))
    if choices:
        first = default[0] if isinstance(default, list) else default
        return ControlSpec(key, "choice", first, choices=tuple(choices), **common)
    lo, hi = meta.get("lo"), meta.get("hi")
    kind = "slider" if lo is not None and hi is not None and hi - lo <= 1 else "number"
    return ControlSpec(key, kind, default, integer=locate(Config(), key)[2] is int, **common)


def specs() -> tuple[ControlSpec, ...]:
    return tuple(spec(k) for k in CONTROL_KEYS)


def default_values() -> dict[str, Any]:
    """The value every control shows at first: text for number fields, as the browser sends it."""
    return {s.key: _show(s.default) if s.kind == "number" else s.default for s in specs()}


def _show(value: Any) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def parse_number(raw: Any, integer: bool = False) -> int | float:
    """A number from what a browser sends: '1500000', '1 500 000', '0,35', 0.35.

    Raises ValueError with a text key of sim/viz/i18n.py ('not_a_number', 'not_a_whole_number').
    """
    if isinstance(raw, bool):
        raise ValueError("not_a_number")
    if isinstance(raw, int | float):
        if isinstance(raw, int) and abs(raw) > _LARGEST:   # beyond float's range: float(raw) would raise
            raise ValueError("not_a_number")
        x = raw
    elif not isinstance(raw, str):                          # null, lists, objects
        raise ValueError("not_a_number")
    else:
        s = raw.strip().replace(" ", "").replace("_", "").replace("\u00a0", "")
        if len(s) > MAX_TEXT or ("," in s and "." in s) or not _NUMBER.fullmatch(s.replace(",", ".")):
            raise ValueError("not_a_number")
        x = float(s.replace(",", "."))
    if integer:
        if not float(x).is_integer():
            raise ValueError("not_a_whole_number")
        return int(x)
    return float(x)


def to_override(key: str, raw: Any) -> str:
    """The Hydra override for one control value; raises ValueError(text key) if unusable."""
    s = spec(key)
    if s.kind in ("group", "choice"):
        if not isinstance(raw, str) or raw not in s.choices:
            raise ValueError("unknown_choice")
        return f"{key}={raw}" if s.kind == "group" else f"{key}=[{raw}]"
    value = parse_number(raw, s.integer)
    return f"{key}={value!r}"


def to_overrides(values: dict[str, Any]) -> tuple[dict[str, str], list[Problem]]:
    """Overrides (by control key) for every usable value, and a Problem for every other one.

    Keys that are not controls are ignored: the browser cannot reach other parameters.
    """
    overrides, problems = {}, []
    for key in CONTROL_KEYS:
        if key not in values:
            continue
        try:
            overrides[key] = to_override(key, values[key])
        except ValueError as exc:
            problems.append(Problem(key, values[key], str(exc)))
    return overrides, problems


def config_from_controls(values: dict[str, Any]) -> tuple[Config, list[Problem]]:
    """A validated Config from the controls' values; rejected values fall back to defaults.

    Validation is `load_config`'s (type and range checks of the CLI). A rejected override is
    dropped and reported; if an error cannot be pinned on one control, all are dropped.
    """
    overrides, problems = to_overrides(values)
    while True:
        try:
            return load_config(list(overrides.values())), problems
        except UserError as exc:
            key = _blame(exc, overrides)
            value = values.get(key) if key else None
            problems.append(Problem(key or "", value, getattr(exc, "allowed", None) or str(exc)))
            if key is None:
                return load_config([]), problems
            del overrides[key]


def _blame(exc: UserError, overrides: dict[str, str]) -> str | None:
    """The control whose override the error is about, if any."""
    key = getattr(exc, "key", None)
    if key in overrides:
        return key
    if key:
        for k in overrides:
            if key.startswith(k + "."):
                return k
    return None


# --- wording on the page (pure; the texts are in sim/viz/i18n.py) ----------------------------

def label(s: ControlSpec, lang: str) -> str:
    """'Budget (euro over de looptijd)': the plain label and the metadata's unit."""
    unit = text(f"unit.{s.unit}", lang) if f"unit.{s.unit}" in table(lang) else s.unit
    name = text(f"label.{s.key}", lang)
    return name if s.kind in ("group", "choice") else f"{name} ({unit})"


def help_text(s: ControlSpec, lang: str) -> str:
    """Help under the control: the metadata's help (English) or its Dutch translation, the
    allowed range from the metadata, and the config key the CLI uses."""
    words = text(f"help.{s.key}", lang) or s.help
    bounds = f" [{_show(s.lo)} - {_show(s.hi)}]" if s.lo is not None and s.hi is not None else ""
    return f"{words}{bounds} ({s.key})"


def choice_text(s: ControlSpec, name: str, lang: str) -> str:
    prefix = "world" if s.key == "world" else "instrument"
    return text(f"{prefix}.{name}", lang)


def problem_message(p: Problem, lang: str) -> str:
    """'Budget: -5 must be between 0 and 1e+12; the model uses the default value'."""
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
    if reason in table(lang):
        return text(reason, lang)
    for pattern, key in _REASONS:
        m = pattern.fullmatch(reason)
        if m:
            return text(key, lang, **m.groupdict())
    return reason

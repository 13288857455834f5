"""Overrides on a typed configuration, without Hydra: `apply_overrides(cfg, ["a.b=1", ...])`.

One pure function applies `KEY=VALUE` texts (or a {key: value} mapping, e.g. a design row)
to a copy of a typed `Config`, converts each value to the field's declared type, and
validates the result. Tests, the browser page, design rows, calibration, sensitivity and
exploration all use it; the command line composes the same way (sim/config/compose.py adds
config groups such as `world=small`).

Every mistake ends in one `ConfigError` line naming the key, the value and what is allowed:
an unknown key (with the closest known one), a value of the wrong type, a deletion
(`~key`), an addition (`+key`) or a sweep (`a,b`) where one value is expected.
"""

from __future__ import annotations

import copy
import dataclasses
import difflib
import functools
import math
import typing
from collections.abc import Iterable, Mapping
from typing import Any

from ..errors import ConfigError, UserError
from .validate import validate

SWEEP_HINT = "a comma list sweeps several values: add -m for a multirun"


@dataclasses.dataclass(frozen=True)
class Override:
    """One `KEY=VALUE` text, split."""

    key: str
    text: str          # the value as written (quotes kept)
    plus: bool = False  # written +key=value (Hydra's "add a key")

    @property
    def raw(self) -> str:
        return f"{'+' if self.plus else ''}{self.key}={self.text}"


def split(item: str) -> Override:
    """'a.b=1' -> Override('a.b', '1'); refuses what a single configuration cannot take."""
    if isinstance(item, str) and item.startswith("~"):
        raise ConfigError(item.split("=", 1)[0], item.partition("=")[2], "model parameters cannot be deleted; set a value instead")
    if not isinstance(item, str) or "=" not in item:
        raise UserError(f"{item!r}: an override is KEY=VALUE (e.g. seed=7 or world=small)")
    key, text = item.split("=", 1)
    key = key.strip()
    if key.startswith("~"):
        raise ConfigError(key, text, "model parameters cannot be deleted; set a value instead")
    plus = key.startswith("+")
    key = key.lstrip("+")
    if not key or any(c.isspace() for c in key):
        raise UserError(f"{item!r}: cannot read this override (a key has no spaces)")
    return Override(key, text.strip(), plus)


def apply_overrides(cfg, overrides: Iterable[str] | Mapping[str, Any], *, check: bool = True):
    """A validated copy of `cfg` with each override set (KEY=VALUE texts or {key: value}).

    Mapping values may be texts (read as on the command line) or Python values (a design
    row of floats); either is converted to the field's declared type.
    """
    out = set_values(copy.deepcopy(cfg), overrides)
    return validate(out) if check else out


def set_values(cfg, overrides: Iterable[str] | Mapping[str, Any]):
    """apply_overrides in place and without validating (for a configuration of one's own,
    e.g. the fresh one sim/config/compose.py builds). Returns `cfg`."""
    if isinstance(overrides, Mapping):
        for key, value in overrides.items():
            set_value(cfg, key, value)
    else:
        for o in map(split, overrides):
            if o.plus:
                locate(cfg, o.key, o.text)     # an unknown key says so; a known one needs no '+'
                raise ConfigError("+" + o.key, o.text, f"'{o.key}' exists already; drop the '+'")
            set_value(cfg, o.key, o.text)
    return cfg


def set_value(root, key: str, value: Any) -> None:
    """Set dotted `key` of the configuration tree `root` (in place) to `value`, typed."""
    parent, name, kind = locate(root, key, value)
    current = _get(parent, name)
    if dataclasses.is_dataclass(current) or isinstance(current, dict):
        try:
            parsed = parse_value(value) if isinstance(value, str) else value
        except ValueSyntax as exc:
            raise ConfigError(key, value, str(exc)) from None
        if not isinstance(parsed, Mapping):
            raise ConfigError(key, value, f"is a group of parameters; set one of its keys, e.g. {key}.<name>=...")
        for sub, sub_value in parsed.items():
            set_value(root, f"{key}.{sub}", sub_value)
        return
    _set(parent, name, coerce(key, value, kind))


def locate(root, key: str, value: Any = "") -> tuple[Any, str, Any]:
    """(the node holding the last part of `key`, that part, its declared type); `value` is
    only named in the error for an unknown key."""
    parts = key.split(".")
    node = root
    for depth, part in enumerate(parts):
        names = children(node)
        if part not in names:
            raise ConfigError(key, value, unknown_key_message(root, parts[:depth], part))
        if depth == len(parts) - 1:
            return node, part, names[part]
        node = _get(node, part)
    raise AssertionError("unreachable")


def children(node) -> dict[str, Any]:
    """{child name: declared type} of a dataclass node, or of a dict of dataclasses (the themes)."""
    if dataclasses.is_dataclass(node):
        return dict(_fields(type(node)))
    if isinstance(node, dict):
        return {k: type(v) for k, v in node.items()}
    return {}


@functools.cache
def _fields(cls: type) -> tuple[tuple[str, Any], ...]:
    """(name, declared type) of a dataclass's fields, read once per class: resolving the
    annotations (typing.get_type_hints) costs ~0.5 ms a node, and composing a configuration
    visits some 30 nodes."""
    hints = typing.get_type_hints(cls)
    return tuple((f.name, hints[f.name]) for f in dataclasses.fields(cls))


def _get(node, name: str):
    return node[name] if isinstance(node, dict) else getattr(node, name)


def _set(node, name: str, value) -> None:
    if isinstance(node, dict):
        node[name] = value
    else:
        setattr(node, name, value)


def unknown_key_message(root, parents: list[str], leaf: str) -> str:
    node = root
    for part in parents:
        node = _get(node, part)
    candidates = list(children(node))
    prefix = ".".join(parents)
    close = difflib.get_close_matches(leaf, candidates, n=1)
    hint = f"did you mean {prefix + '.' if prefix else ''}{close[0]}? " if close else ""
    return f"unknown key; {hint}allowed{' in ' + prefix if prefix else ''}: " + ", ".join(sorted(candidates))


# --- values -------------------------------------------------------------------------------
class ValueSyntax(ValueError):
    """A value text that cannot be read (the caller names its key)."""


def parse_value(text: str) -> Any:
    """A command-line value as Hydra's grammar reads it, for the values a model takes:
    quoted strings, lists [a,b], mappings {a: 1}, true/false, numbers, plain words.
    A top-level comma is a sweep and refused here (ValueSyntax)."""
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    if text.startswith("[") and text.endswith("]"):
        inner = text[1:-1].strip()
        return [parse_value(t) for t in _split_top(inner)] if inner else []
    if text.startswith("{") and text.endswith("}"):
        inner = text[1:-1].strip()
        out = {}
        for item in _split_top(inner) if inner else []:
            k, sep, v = item.partition(":")
            if not sep:
                raise ValueSyntax("cannot read this mapping (write {key: value, ...})")
            out[k.strip()] = parse_value(v)
        return out
    if len(_split_top(text)) > 1 or text.startswith(("range(", "choice(", "interval(", "glob(")):
        raise ValueSyntax(SWEEP_HINT)
    if text.startswith("${"):
        raise ValueSyntax("interpolations are not supported in overrides")
    low = text.lower()
    if low in ("true", "false"):
        return low == "true"
    if low in ("null", "none~"):
        return None
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def _split_top(text: str) -> list[str]:
    """Split at commas outside brackets and quotes."""
    out, depth, quote, start = [], 0, "", 0
    for i, c in enumerate(text):
        if quote:
            quote = "" if c == quote else quote
        elif c in "'\"":
            quote = c
        elif c in "[{(":
            depth += 1
        elif c in "]})":
            depth -= 1
        elif c == "," and depth == 0:
            out.append(text[start:i].strip())
            start = i + 1
    out.append(text[start:].strip())
    return out


NAMES = {bool: "true or false", int: "an integer", float: "a number", str: "a text"}


def coerce(key: str, value: Any, kind: Any) -> Any:
    """`value` (a text or a Python value) as the declared type `kind`, or a ConfigError."""
    if isinstance(value, str):
        try:
            parsed = parse_value(value)
        except ValueSyntax as exc:
            raise ConfigError(key, value, str(exc)) from None
        if kind is not str:
            value = parsed
    origin = typing.get_origin(kind)
    if origin is list:
        (item,) = typing.get_args(kind) or (str,)
        if isinstance(value, tuple):
            value = list(value)
        if not isinstance(value, list):
            raise ConfigError(key, value, "expected a list, e.g. [a,b]")
        return [coerce(key, v, item) for v in value]
    if kind is str:
        if isinstance(value, str):
            text = value.strip()
            return text[1:-1] if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"" else value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(key, value, "expected a text")
        return str(value)
    if kind is bool:
        if isinstance(value, bool):
            return value
        raise ConfigError(key, value, "expected true or false")
    if isinstance(value, bool) or value is None:
        raise ConfigError(key, value, f"expected {NAMES.get(kind, kind)}")
    if kind is int:
        if isinstance(value, int):
            return value
        if isinstance(value, float) and math.isfinite(value) and value == int(value):
            return int(value)
        raise ConfigError(key, value, "expected an integer")
    if kind is float:
        if isinstance(value, int | float):
            return float(value)
        if hasattr(value, "__float__") and not isinstance(value, str):
            return float(value)
        raise ConfigError(key, value, "expected a number")
    raise ConfigError(key, value, f"cannot set a value of type {getattr(kind, '__name__', kind)} here")

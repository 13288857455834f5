"""Check command-line overrides against the schema before Hydra sees them.

Hydra reports an unknown key or a wrong type in several lines and lets `+new_key=...` slip
past a structured schema. Here each override is checked for a known key (with a suggestion
for a misspelling), a known group option, and a value of the right type, so every mistake
ends in one line naming the key, the value and what is allowed.
"""

from __future__ import annotations

import dataclasses
import difflib
import typing
from pathlib import Path

from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.core.override_parser.types import Override
from hydra.errors import HydraException

from ..errors import ConfigError, UserError
from .collectives import ThemeConfig
from .schema import Config


def groups(config_dir: Path) -> dict[str, list[str]]:
    """Config groups (sub-folders of configs/) and their options. configs/hydra/ holds presets
    for Hydra's own groups (hydra/launcher=slurm), not the model's."""
    out = {}
    for sub in sorted(p for p in config_dir.iterdir()
                      if p.is_dir() and not p.name.startswith(("_", ".")) and p.name != "hydra"):
        out[sub.name] = sorted(f.stem for f in sub.glob("*.yaml"))
    return out


def check_overrides(overrides: list[str], config_dir: Path) -> None:
    """Raise UserError/ConfigError for the first override that cannot be right."""
    try:
        parsed = OverridesParser.create().parse_overrides(overrides)
    except HydraException as exc:
        line = str(exc).splitlines()[0]
        raise UserError(f"{line.split(': ', 1)[-1] if 'Exception' in line else line}: "
                        "cannot read this override (check quotes, brackets and commas)") from exc
    known_groups = groups(config_dir)
    for o in parsed:
        key = o.key_or_group
        if key == "hydra" or key.startswith(("hydra.", "hydra/")):
            continue
        values = _values(o)
        if key in known_groups:
            for v in values:
                if v not in known_groups[key]:
                    raise ConfigError(key, v, "unknown option; allowed: " + ", ".join(known_groups[key]))
            continue
        if o.is_delete():
            raise ConfigError("~" + key, o.input_line, "model parameters cannot be deleted; set a value instead")
        kind = schema_type(key)
        if kind is None:
            raise ConfigError(key, _raw(o), _unknown_key_message(key, known_groups))
        if o.is_add() or o.is_force_add():
            raise ConfigError("+" + key, _raw(o), f"'{key}' already exists; drop the '+'")
        for v in values:
            _check_type(key, v, kind)


def _raw(o: Override) -> str:
    return o.input_line.split("=", 1)[1] if o.input_line and "=" in o.input_line else ""


def _values(o: Override) -> list:
    """The concrete values of an override (each element of a comma sweep)."""
    if o.is_sweep_override():
        try:
            return list(o.sweep_iterator())
        except Exception:  # range/interval sweeps: types are checked by Hydra per job
            return []
    v = o.value()
    return [v]


def schema_type(key: str):
    """The declared type of a dotted key in the Config schema, or None if there is none."""
    node: typing.Any = Config
    hints = typing.get_type_hints(Config)
    parts = key.split(".")
    for i, part in enumerate(parts):
        if dataclasses.is_dataclass(node):
            hints = typing.get_type_hints(node)
            if part not in hints:
                return None
            node = hints[part]
        elif typing.get_origin(node) is dict:
            from .collectives import THEMES
            if part not in THEMES:
                return None
            node = ThemeConfig
        else:
            return None
    return node


def _check_type(key: str, value, kind) -> None:
    if dataclasses.is_dataclass(kind) or typing.get_origin(kind) is dict:
        if not isinstance(value, dict):
            raise ConfigError(key, value, "is a group of parameters; set one of its keys, e.g. " + key + ".<name>=...")
        for sub, sub_value in value.items():
            sub_key = f"{key}.{sub}"
            sub_kind = schema_type(sub_key)
            if sub_kind is None:
                raise ConfigError(sub_key, sub_value, _unknown_key_message(sub_key, {}))
            _check_type(sub_key, sub_value, sub_kind)
        return
    if typing.get_origin(kind) is list:
        if not isinstance(value, list):
            raise ConfigError(key, value, "expected a list, e.g. [a,b]")
        return
    ok = {
        bool: lambda v: isinstance(v, bool),
        int: lambda v: isinstance(v, int) and not isinstance(v, bool),
        float: lambda v: isinstance(v, int | float) and not isinstance(v, bool),
        str: lambda v: isinstance(v, str | int | float) and not isinstance(v, bool),
    }[kind](value)
    if not ok:
        names = {bool: "true or false", int: "an integer", float: "a number", str: "a text"}
        raise ConfigError(key, value, f"expected {names[kind]}")


def _unknown_key_message(key: str, known_groups: dict[str, list[str]]) -> str:
    parts = key.split(".")
    depth = len(parts) - 1
    while depth > 0 and _keys_under(".".join(parts[:depth])) is None:
        depth -= 1  # the deepest prefix that names a group of parameters
    parent, leaf = ".".join(parts[:depth]), parts[depth]
    candidates = _keys_under(parent) if parent else list(typing.get_type_hints(Config)) + list(known_groups)
    close = difflib.get_close_matches(leaf, candidates, n=1)
    hint = f"did you mean {parent + '.' if parent else ''}{close[0]}? " if close else ""
    return f"unknown key; {hint}allowed{' in ' + parent if parent else ''}: " + ", ".join(sorted(set(candidates)))


def _keys_under(parent: str):
    kind = schema_type(parent)
    if kind is not None and dataclasses.is_dataclass(kind):
        return list(typing.get_type_hints(kind))
    if kind is not None and typing.get_origin(kind) is dict:
        from .collectives import THEMES
        return list(THEMES)
    return None

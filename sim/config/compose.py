"""Compose `configs/` into a validated `Config`, without Hydra: `load_config(overrides)`.

The config tree is Hydra's layout (the command line composes it with Hydra, see
sim/cli/hydra_config.py): `configs/config.yaml` lists config groups and their default
options; each option is a YAML file `configs/<group>/<option>.yaml` whose values land under
`<group>` or, with a `# @package _global_` header, at the top; scenarios are the group
`scenario` (files in scenarios/). This module reads the same files in the same order:

    typed defaults (sim/config/schema.py) -> each group's chosen option, in the order of
    config.yaml's defaults list -> the scenario -> the KEY=VALUE overrides, in order

and gives the same `Config` as Hydra does (tests/test_configs.py checks every option and
scenario against Hydra), in about a millisecond instead of a tenth of a second. A file's
`hydra:` node (a scenario's sweep) is the command line's business and is skipped here.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import yaml

from ..errors import ConfigError, UserError
from .files import CONFIG_DIR, ROOT, default_choices, groups, package, read_yaml, scenario_hydra  # noqa: F401
from .overrides import set_value, set_values, split
from .schema import Config
from .validate import validate


def load_config(overrides: Iterable[str] = (), config_dir: Path = CONFIG_DIR) -> Config:
    """The typed, validated `Config` for these overrides: KEY=VALUE (any parameter) and
    GROUP=OPTION (world=small, scenario=compare_instruments, programme=pilots_2019, ...)."""
    overrides = [split(o) for o in overrides]
    known = groups(config_dir)
    choices = default_choices(config_dir)
    values = []
    for o in overrides:
        if o.key == "hydra" or o.key.startswith(("hydra.", "hydra/")):
            raise UserError(f"{o.raw}: a setting of the command line (Hydra), not of the model")
        if o.key in known:
            option = o.text.strip("'\"")
            if option not in known[o.key]:
                raise ConfigError(o.key, option, "unknown option; allowed: " + ", ".join(known[o.key]))
            choices[o.key] = option
        else:
            values.append(o.raw)
    cfg = Config()
    for group, option in choices.items():
        apply_file(cfg, Path(config_dir) / group / f"{option}.yaml", group)
    return validate(set_values(cfg, values))   # cfg is this call's own: no copy needed


def apply_file(cfg: Config, path: Path, group: str) -> None:
    """Merge one option file into `cfg` (in place), at its package: `group`, or the top
    with `# @package _global_`."""
    data = read_yaml(path)
    if data is None:
        return
    if not isinstance(data, dict):
        raise UserError(f"{path}: a config file holds a mapping of keys to values")
    prefix = "" if package(path) == "_global_" else f"{group}."
    for key, value in data.items():
        if key in ("hydra", "defaults") and not prefix:
            continue
        try:
            set_value(cfg, f"{prefix}{key}", value)
        except ConfigError as exc:
            raise ConfigError(exc.key, exc.value, f"{exc.allowed} (in {path.name})") from None


def nested(values: dict) -> dict:
    """{'a.b': 1, 'c': 2} -> {'a': {'b': 1}, 'c': 2} (what an override file holds)."""
    out: dict = {}
    for key, value in values.items():
        node = out
        *path, leaf = key.split(".")
        for part in path:
            node = node.setdefault(part, {})
        node[leaf] = value
    return out


def override_file(values: dict, comments: list[str] = ()) -> str:
    """A scenario file (`# @package _global_`) setting these dotted keys: what
    `vliegwiel scenario=<name>` applies when the file is in scenarios/."""
    head = ["# @package _global_", *(f"# {c}" if c else "#" for c in comments)]
    body = yaml.safe_dump(nested(values), sort_keys=False, allow_unicode=True) if values else ""
    return "\n".join(head) + "\n" + body

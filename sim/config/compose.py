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

import functools
import os
from collections.abc import Iterable
from pathlib import Path

import yaml

from ..errors import ConfigError, UserError
from .overrides import set_value, set_values, split
from .schema import Config
from .validate import validate

ROOT = Path(__file__).resolve().parents[2]
CONFIG_DIR = ROOT / "configs"
PRIMARY = "config.yaml"


def groups(config_dir: Path = CONFIG_DIR) -> dict[str, list[str]]:
    """Config groups (sub-folders of configs/) and their options. configs/hydra/ holds the
    command line's presets (hydra/launcher=slurm), not the model's."""
    subs = []
    try:
        with os.scandir(config_dir) as entries:
            for e in entries:
                if e.is_dir() and not e.name.startswith(("_", ".")) and e.name != "hydra":
                    subs.append((e.name, e.stat().st_mtime_ns))
    except OSError:
        subs = []
    # a folder's time changes when a file is added, removed or renamed in it: the listing is
    # read again then, and otherwise reused (a sweep composes hundreds of configurations)
    listing = _listing(str(config_dir), tuple(sorted(subs)))
    return {name: list(options) for name, options in listing}


@functools.lru_cache(maxsize=32)
def _listing(config_dir: str, subs: tuple) -> tuple:
    return tuple((name, tuple(sorted(f.stem for f in (Path(config_dir) / name).glob("*.yaml")))) for name, _ in subs)


def default_choices(config_dir: Path = CONFIG_DIR) -> dict[str, str]:
    """{group: default option} in the order of config.yaml's defaults list."""
    data = _yaml(Path(config_dir) / PRIMARY) or {}
    known = groups(config_dir)
    out = {}
    for entry in data.get("defaults", []):
        if isinstance(entry, dict) and len(entry) == 1:
            (group, option), = entry.items()
            if group in known:
                out[group] = str(option)
    return out


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
    data = _yaml(path)
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


def package(path: Path) -> str:
    """The `# @package X` of a config file's header comment ('' if none). Read again only when
    the file has changed, like its values (_yaml): a sweep composes hundreds of configurations."""
    try:
        stamp = os.stat(path)
    except OSError as exc:
        raise UserError(f"{path}: cannot read this config file ({exc.strerror})") from None
    return _read_package(str(path), stamp.st_mtime_ns, stamp.st_size)


@functools.lru_cache(maxsize=256)
def _read_package(path: str, mtime_ns: int, size: int) -> str:
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line.startswith("#"):
            break
        if line.lstrip("# ").startswith("@package"):
            return line.split("@package", 1)[1].strip()
    return ""


def _yaml(path: Path):
    try:
        stamp = os.stat(path)
    except OSError as exc:
        raise UserError(f"{path}: cannot read this config file ({exc.strerror})") from None
    return _read_yaml(str(path), stamp.st_mtime_ns, stamp.st_size)


@functools.lru_cache(maxsize=256)
def _read_yaml(path: str, mtime_ns: int, size: int):
    try:
        with open(path, encoding="utf-8") as f:
            return yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as exc:
        raise UserError(f"{path}: not a readable YAML file ({str(exc).splitlines()[0]})") from None


def scenario_hydra(name: str, config_dir: Path = CONFIG_DIR) -> dict:
    """A scenario file's `hydra:` node (its sweep), as plain data; {} if it has none."""
    options = groups(config_dir).get("scenario", [])
    if name not in options:
        raise ConfigError("scenario", name, "unknown option; allowed: " + ", ".join(options))
    data = _yaml(Path(config_dir) / "scenario" / f"{name}.yaml") or {}
    node = data.get("hydra") if isinstance(data, dict) else None
    return node if isinstance(node, dict) else {}


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

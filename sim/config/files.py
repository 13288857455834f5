"""Reading configs/ (and scenarios/): the config groups and their options, each file's values
and `@package` header, a scenario's `hydra:` node. Plain YAML, each file read again only when
it has changed (a sweep composes hundreds of configurations).

Apart from composition (compose.py), which needs the typed schema and so numpy and every
instrument: the command line reads a scenario's `hydra:` node with this alone, to know it is
a sweep and start the workers' server before those are imported (sim/cli/main.py).
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import yaml

from ..errors import ConfigError, UserError

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
    data = read_yaml(Path(config_dir) / PRIMARY) or {}
    known = groups(config_dir)
    out = {}
    for entry in data.get("defaults", []):
        if isinstance(entry, dict) and len(entry) == 1:
            (group, option), = entry.items()
            if group in known:
                out[group] = str(option)
    return out


def package(path: Path) -> str:
    """The `# @package X` of a config file's header comment ('' if none; cached until the file
    changes)."""
    return _read_package(*_stamped(path))


@functools.lru_cache(maxsize=256)
def _read_package(path: str, mtime_ns: int, size: int) -> str:
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line.startswith("#"):
            break
        if line.lstrip("# ").startswith("@package"):
            return line.split("@package", 1)[1].strip()
    return ""


def read_yaml(path: Path):
    """A config file's data (cached until the file changes)."""
    return _read_yaml(*_stamped(path))


def _stamped(path: Path) -> tuple[str, int, int]:
    """(path, modification time, size): the key under which a file's reading is cached."""
    try:
        stamp = os.stat(path)
    except OSError as exc:
        raise UserError(f"{path}: cannot read this config file ({exc.strerror})") from None
    return str(path), stamp.st_mtime_ns, stamp.st_size


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
    data = read_yaml(Path(config_dir) / "scenario" / f"{name}.yaml") or {}
    node = data.get("hydra") if isinstance(data, dict) else None
    return node if isinstance(node, dict) else {}

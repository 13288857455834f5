"""Hydra at the edge: compose `configs/` into a validated `Config`.

`load_config(overrides)` is what tests, notebooks and the browser use; the CLI composes the
same tree through `@hydra.main`. Both end in `to_config`, which runs OmegaConf's type checks
and then `validate`'s range checks.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import os
import threading
from pathlib import Path

import yaml
from hydra import compose, initialize_config_dir
from hydra.core.config_store import ConfigStore
from hydra.errors import HydraException
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from ..errors import ConfigError, UserError
from .overrides import check_overrides
from .schema import Config
from .validate import validate

ROOT = Path(__file__).resolve().parents[2]
CONFIG_DIR = ROOT / "configs"
_lock = threading.Lock()  # Hydra's global state: compose one at a time


def register_schema() -> None:
    """Make the dataclass schema available to Hydra as `base_config`."""
    ConfigStore.instance().store(name="base_config", node=Config)


register_schema()


def compose_dictconfig(overrides: list[str] | tuple[str, ...] = ()) -> DictConfig:
    """Compose configs/config.yaml with overrides (after checking their keys and types)."""
    overrides = list(overrides)
    check_overrides(overrides, CONFIG_DIR)
    with _lock:
        try:
            with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
                return compose(config_name="config", overrides=overrides)
        except (HydraException, OmegaConfBaseException) as exc:
            line = first_line(exc)
            if "Ambiguous value" in line:
                line += " (a comma list sweeps several values: add -m for a multirun)"
            raise UserError(line) from exc


def hydra_settings(overrides: list[str] | tuple[str, ...] = ()) -> DictConfig:
    """The `hydra` node for these overrides (mode, sweeper params, sweep dir), as a scenario
    file may set them."""
    overrides = [o for o in overrides]
    with _lock:
        try:
            with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
                return compose(config_name="config", overrides=overrides, return_hydra_config=True).hydra
        except (HydraException, OmegaConfBaseException) as exc:
            line = first_line(exc)
            if "Could not find 'hydra/launcher/ray" in line:
                line += " (the Ray launcher is an optional extra: pip install -e '.[ray]')"
            raise UserError(line) from exc


def design_table(path: str) -> tuple[dict[str, str], ...]:
    """Every row of a design CSV, read once per process and file version (a packed job
    reads thousands of rows of one file)."""
    key = "design.file"
    try:
        stamp = os.stat(path)
    except OSError as exc:
        raise ConfigError(key, path, f"must be a readable CSV design ({exc.strerror})") from exc
    return _read_design(path, stamp.st_mtime_ns, stamp.st_size)


@functools.lru_cache(maxsize=8)
def _read_design(path: str, mtime_ns: int, size: int) -> tuple[dict[str, str], ...]:
    import csv

    try:
        with open(path, newline="", encoding="utf-8") as f:
            return tuple(csv.DictReader(f))
    except OSError as exc:
        raise ConfigError("design.file", path, f"must be a readable CSV design ({exc.strerror})") from exc


def design_row(path: str, row: int) -> dict[str, str]:
    """Row `row` of a design CSV as {parameter key: value text}."""
    rows = design_table(path)
    if not 0 <= row < len(rows):
        raise ConfigError("design.row", row, f"must be a row of {path}: 0 to {len(rows) - 1}")
    return dict(rows[row])


def apply_design(node: DictConfig) -> DictConfig:
    """Set the values of the design row this run takes (design.file, design.row); the
    schema's types and the validation then check them like any override."""
    design = node.get("design")
    if design is None or not design.get("file") or design.get("row", -1) < 0:
        return node
    node = OmegaConf.create(OmegaConf.to_container(node))  # a plain copy we may change
    node = OmegaConf.merge(OmegaConf.structured(Config), node)
    for key, text in design_row(design.file, design.row).items():
        if OmegaConf.select(node, key, default="__missing__") == "__missing__":
            raise ConfigError(key, text, f"is not a parameter (a column of the design {design.file})")
        try:
            OmegaConf.update(node, key, yaml_value(text), merge=False)
        except OmegaConfBaseException as exc:
            raise ConfigError(key, text, f"{first_line(exc)} (row {design.row} of {design.file})") from exc
    return node


def with_design_row(cfg: Config, row: int) -> Config:
    """`cfg` with design.row set to `row` and that row's values applied and validated, as
    if `design.row=<row>` had been given on the command line (set on a copy of the typed
    config: OmegaConf would take ~0.1 s a run, too slow for designs of thousands of rows)."""
    out = copy.deepcopy(cfg)
    out.design.row = row
    for key, text in design_row(cfg.design.file, row).items():
        *path, name = key.split(".")
        node = out
        for part in path:
            node = node.get(part) if isinstance(node, dict) else getattr(node, part, None)
        fields = {f.name: f for f in dataclasses.fields(node)} if dataclasses.is_dataclass(node) else {}
        if name not in fields:
            raise ConfigError(key, text, f"is not a parameter (a column of the design {cfg.design.file})")
        setattr(node, name, _typed(key, text, type(getattr(node, name)), row, cfg.design.file))
    return validate(out)


def _typed(key: str, text: str, kind: type, row: int, file: str):
    """A design cell converted to the field's type (int, float, bool or str)."""
    value = yaml_value(text)
    try:
        if kind is bool:
            if not isinstance(value, bool):
                raise ValueError
            return value
        if kind is int:
            if float(value) != int(float(value)):
                raise ValueError
            return int(float(value))
        return kind(value)
    except (TypeError, ValueError):
        raise ConfigError(key, text, f"must be a {kind.__name__} (row {row} of {file})") from None


def yaml_value(text: str):
    """A design cell as YAML reads it (numbers as numbers)."""
    return yaml.safe_load(text) if text.strip() else text


def to_config(dictcfg: DictConfig) -> Config:
    """Turn a composed DictConfig into a typed, validated `Config`."""
    try:
        node = OmegaConf.masked_copy(dictcfg, [k for k in dictcfg if k != "hydra"]) if "hydra" in dictcfg else dictcfg
        node = apply_design(node)
        cfg = OmegaConf.to_object(node)
    except OmegaConfBaseException as exc:
        raise UserError(first_line(exc)) from exc
    if not isinstance(cfg, Config):
        raise UserError("configuration does not follow the vliegwiel schema (base_config missing from defaults)")
    return validate(cfg)


def load_config(overrides: list[str] | tuple[str, ...] = ()) -> Config:
    """Compose, type-check and validate: the typed `Config` for these overrides."""
    return to_config(compose_dictconfig(overrides))


def first_line(exc: BaseException) -> str:
    """The first non-empty line of an exception's message."""
    for line in str(exc).splitlines():
        if line.strip():
            return line.strip()
    return type(exc).__name__

"""Hydra at the edge: compose `configs/` into a validated `Config`.

`load_config(overrides)` is what tests, notebooks and the browser use; the CLI composes the
same tree through `@hydra.main`. Both end in `to_config`, which runs OmegaConf's type checks
and then `validate`'s range checks.
"""

from __future__ import annotations

import threading
from pathlib import Path

from hydra import compose, initialize_config_dir
from hydra.core.config_store import ConfigStore
from hydra.errors import HydraException
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from ..errors import UserError
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


def to_config(dictcfg: DictConfig) -> Config:
    """Turn a composed DictConfig into a typed, validated `Config`."""
    try:
        node = OmegaConf.masked_copy(dictcfg, [k for k in dictcfg if k != "hydra"]) if "hydra" in dictcfg else dictcfg
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

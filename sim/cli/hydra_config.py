"""Hydra's composition, for what only the command line needs: `--cfg`, `--info` and a
sweep's settings (`hydra.mode`, `hydra.sweep.dir`, a scenario's `hydra.sweeper.params`,
the `hydra/launcher` preset).

The model's configuration itself is composed without Hydra (sim/config/compose.py: the same
files, the same order, the same result; tests/test_configs.py checks they agree), so that
building thousands of configurations costs milliseconds and nothing below the command line
imports Hydra.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from hydra import compose, initialize_config_dir
from hydra.core.config_store import ConfigStore
from hydra.errors import HydraException
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from ..config.compose import CONFIG_DIR
from ..config.schema import Config
from ..errors import UserError
from .settings import OutputSettings

_lock = threading.Lock()  # Hydra's global state: compose one at a time


@dataclass
class CommandConfig(Config):
    """What Hydra composes for `vliegwiel`: the model's Config and the command's settings."""

    output: OutputSettings = field(default_factory=OutputSettings)


ConfigStore.instance().store(name="base_config", node=CommandConfig)


def compose_all(overrides: list[str], with_hydra: bool = True) -> DictConfig:
    """Compose configs/config.yaml with these (single-valued) overrides."""
    with _lock:
        try:
            with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
                return compose(config_name="config", overrides=list(overrides), return_hydra_config=with_hydra)
        except (HydraException, OmegaConfBaseException) as exc:
            raise UserError(_hydra_line(exc)) from None


@dataclass(frozen=True)
class SweepSettings:
    """A multirun's settings, as Hydra composes them."""

    multirun: bool
    dir: str
    params: dict[str, str]          # a scenario's hydra.sweeper.params
    launcher: dict                  # the hydra/launcher preset, with its overrides


def sweep_settings(overrides: list[str]) -> SweepSettings:
    node = compose_all(overrides).hydra
    try:
        launcher = OmegaConf.to_container(node.launcher, resolve=True) if node.get("launcher") is not None else {}
        sweep_dir = str(OmegaConf.select(node, "sweep.dir"))
        params = node.sweeper.get("params") or {}
        params = {str(k): str(v) for k, v in params.items()}
    except OmegaConfBaseException as exc:
        raise UserError(_hydra_line(exc)) from None
    mode = str(node.get("mode") or "")
    return SweepSettings(mode.endswith("MULTIRUN"), sweep_dir, params, dict(launcher or {}))


def show(overrides: list[str], what: str, package: str | None, resolve: bool) -> str:
    """`--cfg job|hydra|all`: the composed configuration as YAML."""
    cfg = compose_all(overrides, with_hydra=what in ("hydra", "all"))
    if what == "job" and "hydra" in cfg:
        cfg = OmegaConf.masked_copy(cfg, [k for k in cfg if k != "hydra"])
    elif what == "hydra":
        cfg = cfg.hydra
    if package:
        cfg = OmegaConf.select(cfg, package)
        if cfg is None:
            raise UserError(f"--package {package}: no such node in the configuration")
    try:
        if not isinstance(cfg, DictConfig):
            return f"{cfg}\n"
        return OmegaConf.to_yaml(cfg, resolve=resolve)
    except OmegaConfBaseException as exc:
        raise UserError(_hydra_line(exc)) from None


def _hydra_line(exc: BaseException) -> str:
    for line in str(exc).splitlines():
        if line.strip():
            line = line.strip()
            if "Ambiguous value" in line:
                line += " (a comma list sweeps several values: add -m for a multirun)"
            return line
    return type(exc).__name__

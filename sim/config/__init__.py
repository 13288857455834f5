"""Configuration: the typed schema with every default (schema.py and friends), validation,
overrides and composition of configs/ (all pure Python: Hydra stays in sim/cli/).

`Config` and `load_config` are imported on first use (PEP 562): the schema brings numpy and
every instrument (a fifth of a second), and the command line reads a scenario's file
(files.py) before it needs them, to start a sweep's workers' server first (sim/cli/main.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .files import CONFIG_DIR, groups
from .overrides import apply_overrides
from .params import iter_params, param
from .validate import validate

if TYPE_CHECKING:
    from .compose import load_config
    from .schema import Config

__all__ = ["CONFIG_DIR", "Config", "apply_overrides", "groups", "iter_params", "load_config", "param", "validate"]


def __getattr__(name: str):
    if name == "Config":
        from .schema import Config

        return Config
    if name == "load_config":
        from .compose import load_config

        return load_config
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

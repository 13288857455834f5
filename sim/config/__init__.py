"""Configuration: the typed schema with every default (schema.py and friends), validation,
overrides and composition of configs/ (all pure Python: Hydra stays in sim/cli/)."""

from .compose import CONFIG_DIR, groups, load_config
from .overrides import apply_overrides
from .params import iter_params, param
from .schema import Config
from .validate import validate

__all__ = ["CONFIG_DIR", "Config", "apply_overrides", "groups", "iter_params", "load_config", "param", "validate"]

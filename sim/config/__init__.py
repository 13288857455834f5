"""Configuration: typed schema with every default (schema.py and friends), validation, Hydra glue."""

from .compose import CONFIG_DIR, compose_dictconfig, load_config, to_config
from .params import iter_params, param
from .schema import Config
from .validate import validate

__all__ = ["CONFIG_DIR", "Config", "compose_dictconfig", "iter_params", "load_config", "param", "to_config", "validate"]

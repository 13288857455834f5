"""The world: villages (villages.py), residents' attributes (population.py), networks (networks.py)."""

from .build import World, build_world

__all__ = ["World", "build_world"]

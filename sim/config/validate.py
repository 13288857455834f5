"""Range, choice and consistency checks on a typed `Config` (after Hydra's type checks)."""

from __future__ import annotations

import dataclasses
import functools
import math
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ConfigError
from .collectives import THEMES

if TYPE_CHECKING:
    from .schema import Config


MAX_RESIDENTS = 5_000_000  # a generous bound: 200,000 residents take ~330 MB (benchmarks/)
MAX_DEGREE = 1_000          # ties per resident; a complete graph of a large village would not fit
MAX_TIES = 100_000_000      # residents x mean degree: ~40 bytes a tie while the network is built (4 GB)


def validate(cfg: Config) -> Config:
    """Check every parameter against its declared range and choices, then cross-field rules.

    Raises ConfigError naming the first offending key. Returns cfg for chaining.
    """
    _check_tree(cfg, "")
    _check_consistency(cfg)
    return cfg


def _check_tree(obj, prefix: str) -> None:
    """_check_one for every parameter of a config tree, in iter_params' order, with the
    fields' ranges read once per class and a parameter's key spelled out only when it is
    checked the slow way (validate runs for every composed configuration and every run)."""
    for name, lo, hi, choices, meta in _specs(type(obj)):
        value = getattr(obj, name)
        kind = type(value)
        if hasattr(kind, "__dataclass_fields__"):
            _check_tree(value, f"{prefix}{name}.")
        elif isinstance(value, dict) and value and all(hasattr(type(v), "__dataclass_fields__") for v in value.values()):
            for sub_name, sub in value.items():
                _check_tree(sub, f"{prefix}{name}.{sub_name}.")
        elif choices is None and (kind is int or kind is float):
            if (kind is float and not math.isfinite(value)) or (lo is not None and value < lo) \
                    or (hi is not None and value > hi):
                _check_one(prefix + name, value, meta)   # raises, naming the key
        elif choices is not None or kind is not str:
            _check_one(prefix + name, value, meta)


@functools.cache
def _specs(cls: type) -> tuple:
    """(name, lo, hi, choices, metadata) of each field of a config class."""
    return tuple((f.name, f.metadata.get("lo"), f.metadata.get("hi"), f.metadata.get("choices"), f.metadata)
                 for f in dataclasses.fields(cls))


def _check_one(key: str, value: object, meta) -> None:
    lo, hi, choices = meta.get("lo"), meta.get("hi"), meta.get("choices")
    if callable(choices):
        choices = choices()
    if choices is not None:
        items = value if isinstance(value, list) else [value]
        for item in items:
            if item not in choices:
                raise ConfigError(key, item, "allowed: " + ", ".join(choices))
    if isinstance(value, bool) or not isinstance(value, int | float):
        return
    if isinstance(value, float) and not math.isfinite(value):
        raise ConfigError(key, value, "must be a finite number")
    if lo is not None and hi is not None and not lo <= value <= hi:
        raise ConfigError(key, value, f"must be between {_num(lo)} and {_num(hi)}")
    if lo is not None and value < lo:
        raise ConfigError(key, value, f"must be at least {_num(lo)}")
    if hi is not None and value > hi:
        raise ConfigError(key, value, f"must be at most {_num(hi)}")


def _num(x: float) -> str:
    return format(x, ".12g")


def _check_consistency(cfg: Config) -> None:
    r, w, n = cfg.residents, cfg.world, cfg.network
    if r.share_young + r.share_senior > 1.0 + 1e-9:
        raise ConfigError("residents.share_senior", r.share_senior,
                          f"share_young + share_senior must be at most 1 (share_young is {r.share_young})")
    if w.min_population > w.max_population:
        raise ConfigError("world.min_population", w.min_population,
                          f"must be at most world.max_population ({w.max_population})")
    unknown = sorted(set(cfg.collectives.themes) - set(THEMES))
    if unknown:
        raise ConfigError(f"collectives.themes.{unknown[0]}", unknown[0], "allowed themes: " + ", ".join(THEMES))
    if not cfg.collectives.themes:
        raise ConfigError("collectives.themes", {}, "needs at least one theme")
    if n.homophily > 0 and n.kind != "watts_strogatz":
        raise ConfigError("network.homophily", n.homophily,
                          f"places residents on a ring: only with network.kind=watts_strogatz (not {n.kind})")
    if n.kind == "edge_list":
        _check_file("network.edge_list_file", n.edge_list_file, "an existing edge-list file (needed by network.kind=edge_list)")
    if w.villages_file:
        _check_file("world.villages_file", w.villages_file, "an existing CSV file with name,municipality,population,x_km,y_km")
    if w.villages_file:
        most = int(_villages_file_residents(w.villages_file))
        if most > MAX_RESIDENTS:
            raise ConfigError("world.villages_file", w.villages_file,
                              f"holds {most:,} residents; at most {MAX_RESIDENTS:,} fit in memory here")
    else:
        most = w.n_villages * w.max_population
        if most > MAX_RESIDENTS:
            raise ConfigError("world.n_villages", w.n_villages,
                              f"world.n_villages x world.max_population ({w.max_population}) may give {most:,} "
                              f"residents; at most {MAX_RESIDENTS:,} fit in memory here")
    if n.mean_degree > MAX_DEGREE:
        raise ConfigError("network.mean_degree", n.mean_degree, f"must be at most {MAX_DEGREE:,} ties per resident")
    if n.kind != "edge_list" and most * n.mean_degree > MAX_TIES:
        raise ConfigError("network.mean_degree", n.mean_degree,
                          f"with up to {most:,} residents gives up to {most * n.mean_degree:,.0f} ties; at most "
                          f"{MAX_TIES:,} fit in memory here (fewer residents or fewer ties per resident)")
    for inst in cfg.policy.instruments:
        icfg = getattr(cfg.policy, inst, None)
        if icfg is not None and 0 <= icfg.stop_month <= icfg.start_month:
            raise ConfigError(f"policy.{inst}.stop_month", icfg.stop_month,
                              f"must be -1 (never stops) or after policy.{inst}.start_month ({icfg.start_month})")
        start = icfg.start_month if icfg is not None else 0
        if (icfg is None or icfg.stop_month < 0) and 0 <= cfg.policy.stop_month <= start:
            raise ConfigError("policy.stop_month", cfg.policy.stop_month,
                              f"must be -1 or after policy.{inst}.start_month ({start})")
        n_villages = w.n_villages if not w.villages_file else None
        bad = [v for v in (icfg.villages if icfg is not None else []) if v < 0 or (n_villages is not None and v >= n_villages)]
        if bad:
            raise ConfigError(f"policy.{inst}.villages", bad[0],
                              f"must be village ids from 0 to world.n_villages - 1 ({(n_villages or 0) - 1})")
    n_villages = w.n_villages if not w.villages_file else None
    bad = [v for v in w.pilot_villages if v < 0 or (n_villages is not None and v >= n_villages)]
    if bad:
        raise ConfigError("world.pilot_villages", bad[0],
                          f"must be village ids from 0 to world.n_villages - 1 ({(n_villages or 0) - 1})")
    if not cfg.policy.instruments:
        raise ConfigError("policy.instruments", [], "needs at least one instrument (use none for the baseline)")


def _villages_file_residents(path: str) -> int:
    """Residents a villages file gives (the file is read and checked: sim/world/villages.py)."""
    from ..world.villages import village_table

    return int(village_table(path)[2].sum())


def estimate_bytes(cfg: Config) -> int:
    """A rough upper estimate of a run's peak memory, in bytes: about 1 kB a resident and 40
    bytes a tie while the world is built (benchmarks/bench_model.py: 200,000 residents with 10
    ties each peak at ~330 MB including the interpreter)."""
    w, n = cfg.world, cfg.network
    residents = _villages_file_residents(w.villages_file) if w.villages_file else w.n_villages * w.max_population
    return int(200e6 + residents * (1_000 + 40 * n.mean_degree))


def _check_file(key: str, path: str, allowed: str) -> None:
    if not path or not Path(path).is_file():
        raise ConfigError(key, path, f"must be {allowed}")


def check_value(key: str, value: object, like: object) -> object:
    """A top-level parameter's value (text or number) as the type of `like`, range-checked:
    what a sweep sets on a copy of a composed configuration (seed, replicate)."""
    import dataclasses

    from .overrides import coerce
    from .schema import Config

    meta = {f.name: f.metadata for f in dataclasses.fields(Config)}[key]
    typed = coerce(key, value, type(like))
    _check_one(key, typed, meta)
    return typed

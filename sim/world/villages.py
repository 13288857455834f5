"""Villages and municipalities: sizes, positions and starting liveability.

Either generated from `WorldConfig` (lognormal sizes, villages scattered around municipality
centres) or read from a CSV file. All randomness comes from the generator passed in.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..config.world import WorldConfig
from ..errors import ConfigError

MAX_VILLAGE = 1_000_000  # residents in one village read from a file


@dataclass(frozen=True)
class Villages:
    """Per-village arrays (index = village id)."""

    name: tuple[str, ...]
    municipality: np.ndarray  # int, municipality id of each village
    population: np.ndarray    # int, residents (adults) per village
    x_km: np.ndarray
    y_km: np.ndarray
    liveability0: np.ndarray  # starting liveability, 0-1

    @property
    def n(self) -> int:
        return len(self.population)

    @property
    def n_municipalities(self) -> int:
        return int(self.municipality.max()) + 1 if self.n else 0

    def distances(self) -> np.ndarray:
        """Village-to-village distance matrix in km."""
        dx = self.x_km[:, None] - self.x_km[None, :]
        dy = self.y_km[:, None] - self.y_km[None, :]
        return np.hypot(dx, dy)


def make_villages(cfg: WorldConfig, rng: np.random.Generator) -> Villages:
    """Villages from the file named in cfg, or generated."""
    if cfg.villages_file:
        return read_villages(Path(cfg.villages_file), cfg, rng)
    n = cfg.n_villages
    muni = np.arange(n) // cfg.villages_per_municipality
    n_muni = int(muni.max()) + 1
    cx = rng.uniform(0.0, cfg.width_km, n_muni)
    cy = rng.uniform(0.0, cfg.height_km, n_muni)
    x = np.clip(cx[muni] + rng.normal(0.0, cfg.municipality_radius_km, n), 0.0, cfg.width_km)
    y = np.clip(cy[muni] + rng.normal(0.0, cfg.municipality_radius_km, n), 0.0, cfg.height_km)
    pop = np.exp(rng.normal(np.log(cfg.median_population), cfg.population_sigma, n))
    pop = np.clip(np.rint(pop), cfg.min_population, cfg.max_population).astype(np.int64)
    live = _liveability(cfg, rng, n)
    names = tuple(f"village-{i:03d}" for i in range(n))
    return Villages(names, muni.astype(np.int64), pop, x, y, live)


def _liveability(cfg: WorldConfig, rng: np.random.Generator, n: int) -> np.ndarray:
    return np.clip(rng.normal(cfg.liveability_mean, cfg.liveability_sd, n), 0.0, 1.0)


def read_villages(path: Path, cfg: WorldConfig, rng: np.random.Generator) -> Villages:
    """Read name,municipality,population,x_km,y_km; municipalities are renumbered 0..M-1."""
    names, munis, pop, x, y = village_table(path)
    _, muni = np.unique(munis, return_inverse=True)
    return Villages(names, muni.astype(np.int64), pop.copy(), x.copy(), y.copy(), _liveability(cfg, rng, len(names)))


def village_table(path: Path | str) -> tuple[tuple[str, ...], tuple[str, ...], np.ndarray, np.ndarray, np.ndarray]:
    """(names, municipalities, populations, x_km, y_km) of a villages file, checked; read once
    per file version (the configuration's validation reads it too, before any run)."""
    path = Path(path)
    try:
        stamp = path.stat()
    except OSError as exc:
        raise ConfigError("world.villages_file", str(path), f"must be a readable CSV file ({exc.strerror})") from None
    return _village_table(str(path), stamp.st_mtime_ns, stamp.st_size)


@functools.lru_cache(maxsize=16)
def _village_table(path_text: str, mtime_ns: int, size: int):
    key, path = "world.villages_file", Path(path_text)
    try:
        with path.open(newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
    except OSError as exc:
        raise ConfigError(key, str(path), f"must be a readable CSV file ({exc.strerror})") from exc
    except (UnicodeDecodeError, csv.Error) as exc:
        raise ConfigError(key, str(path), f"must be a UTF-8 CSV file ({exc})") from exc
    need = {"name", "municipality", "population", "x_km", "y_km"}
    if not rows or not need <= set(rows[0]):
        raise ConfigError(key, str(path), "needs a header with columns " + ",".join(sorted(need)) + " and at least one row")
    try:
        pop = np.array([int(r["population"]) for r in rows], dtype=np.int64)
        x = np.array([float(r["x_km"]) for r in rows])
        y = np.array([float(r["y_km"]) for r in rows])
    except (ValueError, TypeError, OverflowError) as exc:
        raise ConfigError(key, str(path), f"every row needs an integer population and numbers x_km, y_km ({exc})") from exc
    if (pop < 2).any() or (pop > MAX_VILLAGE).any():
        raise ConfigError(key, str(path), f"every village needs a population between 2 and {MAX_VILLAGE:,}")
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        raise ConfigError(key, str(path), "x_km and y_km must be finite numbers")
    for a in (pop, x, y):
        a.setflags(write=False)
    return tuple(r["name"] for r in rows), tuple(r["municipality"] for r in rows), pop, x, y

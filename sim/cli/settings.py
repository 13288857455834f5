"""Settings of the `vliegwiel` command that are not the model's: where a single run writes.

They are set like parameters (`output.dir=...`), listed by --help, and never part of the
model's `Config` (so they never change a run's key or numbers).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..config.params import param
from ..errors import ConfigError


@dataclass
class OutputSettings:
    """Where and what a single run writes."""

    dir: str = param("results/runs", unit="path", source="convention",
                     help="Folder under which each run gets its own folder.")
    name: str = param("", unit="name", source="convention",
                      help="Name of the run folder; empty gives <date>_<time>_seed<seed>.")
    plot: bool = param(True, unit="switch", source="convention",
                       help="Write the adoption curve by Rogers category as PNG.")


def check(output: OutputSettings) -> OutputSettings:
    if not output.dir.strip():
        raise ConfigError("output.dir", output.dir, "must name a folder (default results/runs)")
    name = output.name
    if name and (name in (".", "..") or name.startswith(".") or "/" in name or "\\" in name or "\0" in name):
        raise ConfigError("output.name", name, "must be a plain folder name (no '/', not starting with '.')")
    return output


@dataclass
class _Command:
    output: OutputSettings = field(default_factory=OutputSettings)


def output_settings(overrides: list[str]) -> OutputSettings:
    """The `output.*` overrides applied to the defaults, checked (ConfigError otherwise)."""
    from ..config.overrides import apply_overrides

    return check(apply_overrides(_Command(), overrides, check=False).output)

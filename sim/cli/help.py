"""`vliegwiel --help`: every parameter, read from the schema's metadata (never repeated)."""

from __future__ import annotations

import textwrap

from ..config.compose import CONFIG_DIR, groups, load_config
from ..config.params import iter_params
from .settings import OutputSettings

HEADER = """\
vliegwiel - agent-based model of community-power flywheels in small villages

Usage:
  vliegwiel [KEY=VALUE ...] [GROUP=OPTION ...]       one run; results in results/runs/<name>/
  vliegwiel -m KEY=A,B replicate=range(0,10) ...    a sweep: one run per combination, in parallel
  vliegwiel scenario=compare_instruments             a scenario file (scenarios/), maybe a sweep
  vliegwiel --cfg job [overrides]                    show the composed configuration
  vliegwiel --hydra-help                             sweep settings (hydra.*) and launchers

Examples:
  vliegwiel seed=7
  vliegwiel world=small months=60
  vliegwiel adoption=bass mechanisms=none            the textbook Bass model
  vliegwiel network=edge_list network.edge_list_file=edges.txt
"""


def help_text(overrides: list[str] | None = None) -> str:
    """The help page, with the values that these overrides give."""
    cfg = load_config(overrides or [])
    lines = [HEADER, "Config groups (GROUP=OPTION):"]
    for group, options in groups(CONFIG_DIR).items():
        lines.append(f"  {group:<12} {', '.join(options)}")
    lines += ["", "Parameters (KEY=VALUE; current value, unit, allowed values, source):"]
    lines += _params(cfg)
    lines += ["", "", "Settings of a single run (not the model's; KEY=VALUE):"]
    lines += _params(OutputSettings(), "output.")
    return "\n".join(lines)


def _params(cfg, prefix: str = "") -> list[str]:
    lines = []
    section = None
    for key, value, meta in iter_params(cfg, prefix):
        top = key.split(".")[0] if "." in key else "(top level)"
        if top != section:
            section = top
            lines.append(f"\n [{section}]")
        lines.append(f"  {key} = {_show(value)}   [{meta.get('unit', '')}]{_range(meta)}")
        lines.extend(textwrap.wrap(f"{meta.get('help', '')} Source: {meta.get('source', '')}.",
                                   width=92, initial_indent="      ", subsequent_indent="      "))
    return lines


def _show(value) -> str:
    return "''" if value == "" else str(value)


def _range(meta) -> str:
    choices = meta.get("choices")
    if callable(choices):
        choices = choices()
    if choices:
        return "  one of: " + ", ".join(choices)
    lo, hi = meta.get("lo"), meta.get("hi")
    if lo is not None and hi is not None:
        return f"  {lo:g}..{hi:g}"
    if lo is not None:
        return f"  >= {lo:g}"
    return ""

"""`vliegwiel --info`: where the configuration comes from, and what a sweep would run."""

from __future__ import annotations

from ..config.compose import CONFIG_DIR, default_choices, groups


def info_text(overrides: list[str], fixed: list[str], multirun: bool) -> str:
    choices = default_choices()
    for o in fixed:
        key, _, value = o.partition("=")
        if key in choices:
            choices[key] = value
    lines = [f"Config folder: {CONFIG_DIR}", "", "Config groups (chosen option; all options):"]
    for group, options in groups().items():
        lines.append(f"  {group:<12} {choices.get(group, '-'):<22} {', '.join(options)}")
    lines.append("")
    if multirun:
        from .hydra_config import sweep_settings
        from .hydra_sweep import executor_of, for_hydra, sweep_lists
        from .main import _split

        settings = sweep_settings(for_hydra(fixed))
        lists = sweep_lists(_split(overrides)[0], settings.params)
        runs = 1
        for c in lists:
            runs *= len(c)
        lines += ["Mode: a sweep (multirun)", f"Sweep folder: {settings.dir}",
                  f"Runs: {runs:,} (" + " x ".join(f"{len(c)} {c[0][0]}" for c in lists if len(c) > 1) + ")",
                  f"Launcher: {executor_of(settings.launcher).describe()}"]
    else:
        lines.append("Mode: a single run (results/runs/<name>/, or output.dir)")
    return "\n".join(lines)

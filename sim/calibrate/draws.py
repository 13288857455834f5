"""`posterior=replicate`: replicate r runs with draw r of the calibration's posterior.

The calibrated default (`calibration=energy`, configs/calibration/) sets the posterior
medians. A comparison that should carry the calibration's uncertainty adds

    posterior=replicate          (scenarios/compare_instruments.yaml does)

and replicate r of every scenario then runs with the parameter values of draw r of the fixed
weighted draw of the chosen calibration's posterior (sim/data/calibration/<name>_posterior.csv,
sim/calibrate/posterior.py): the values are set in the run's configuration, so its run key
hashes them (a changed posterior gives new runs, never old records), and every instrument at
replicate r meets the same parameter values as well as the same random streams (paired
comparisons stay paired). `posterior=median` (the default) leaves the medians.
"""

from __future__ import annotations

from ..config.files import default_choices
from ..errors import ConfigError

KEY = "posterior"
CHOICES = ("median", "replicate")


def split_posterior(overrides: list[str]) -> tuple[list[str], str]:
    """(the overrides without posterior=..., its value: median or replicate)."""
    rest, mode = [], "median"
    for o in overrides:
        key, _, value = o.partition("=")
        if key.lstrip("+~") == KEY:
            mode = value.strip().strip("'\"")
            if mode not in CHOICES:
                raise ConfigError(KEY, mode, "one of " + ", ".join(CHOICES))
        else:
            rest.append(o)
    return rest, mode


def calibration_of(overrides: list[str]) -> str:
    """The calibration option these overrides choose (or the default of configs/config.yaml)."""
    chosen = default_choices().get("calibration", "none")
    for o in overrides:
        key, _, value = o.partition("=")
        if key == "calibration":
            chosen = value.strip().strip("'\"")
    return chosen


def draw_overrides(overrides: list[str], replicate: int,
                   loaded: dict | None = None) -> tuple[list[str], dict[str, str]]:
    """The overrides that set draw `replicate` of the chosen calibration's posterior, and the
    labels a run carries for it ({posterior_draw: particle index}). `loaded`, a dict the
    caller keeps for one sweep, holds each posterior read so far (a sweep of 180 runs reads
    its CSV file once, not 180 times)."""
    from .posterior import load_posterior

    name = calibration_of(overrides)
    if name == "none":
        raise ConfigError(KEY, "replicate", "needs a calibration (calibration=energy); calibration=none has no posterior")
    if loaded is None:
        post = load_posterior(name)
    else:
        post = loaded[name] if name in loaded else loaded.setdefault(name, load_posterior(name))
    return post.overrides(post.draw(replicate)), {"posterior_draw": str(post.index_of_draw(replicate))}

"""What an ensemble is made of: runs, each a configuration with a label, and its key.

A `Run` is one evaluation: the model on a typed `Config` (or a registered test function on
named inputs, to check the machinery against known answers), with the labels that place it
in its ensemble (its scenario and the parameter values it was given). Its key is a hash of
everything that determines its numbers:

    key = sha256({config (or function and inputs), model version})[:16]

so a rerun finds what it already has, packs and launchers never change a key, and results
of other code (another model version) are never taken for this code's.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property

from ..config.schema import Config
from ..metrics import stop_month
from ..version import model_version

MODEL = "model"


@dataclass(frozen=True)
class Run:
    """One run of an ensemble.

    config:   the model's configuration (seed and replicate included);
    scenario: the run's scenario label (what is compared: e.g. the instrument);
    params:   {key: value text} of what was set for this run (swept values, design row);
    function: MODEL, or the name of a test function in sim/experiments/testfunctions.py;
    inputs:   a test function's inputs, by name.
    """

    config: Config
    scenario: str = "all"
    params: dict[str, str] = field(default_factory=dict)
    function: str = MODEL
    inputs: dict[str, float] = field(default_factory=dict)

    @cached_property
    def key(self) -> str:
        return run_key(self.config, self.function, self.inputs)

    @property
    def stop_month(self) -> int | None:
        return stop_month(self.config)


def run_key(cfg: Config, function: str = MODEL, inputs: dict[str, float] | None = None) -> str:
    """16 hex characters identifying (configuration or test inputs, model version)."""
    if function == MODEL:
        data = {"config": dataclasses.asdict(cfg), "model_version": model_version()}
    else:
        data = {"function": function, "inputs": dict(sorted((inputs or {}).items())),
                "seed": cfg.seed, "replicate": cfg.replicate, "model_version": model_version()}
    text = json.dumps(data, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def scenario_label(params: dict[str, str], swept: list[str]) -> str:
    """A short name for a run's scenario: its swept parameters other than the seeds (just the
    value when one parameter is swept); the instruments of a mix joined by '+'."""
    parts = []
    for key in swept:
        value = params.get(key, "")
        if key == "policy.instruments":
            value = value.strip("[]").replace(",", "+").replace(" ", "") or "none"
        parts.append(value if len(swept) == 1 else f"{key.rsplit('.', 1)[-1]}={value}")
    return ", ".join(parts) or "all"

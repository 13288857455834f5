"""The model the page runs: a VillageModel built from the page's control values.

Mesa's SolaraViz rebuilds the model on Reset as `type(model)(**model_params)`; the page
passes `controls`, a function returning the session's current control values, so Reset
always uses what the visitor set. Values that validation rejects do not stop the model:
the default is used and `problems` says what was not used (the page shows it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..model import VillageModel
from .controls import Problem, config_from_controls


class LiveModel(VillageModel):
    """`LiveModel(controls=lambda: {"policy.instruments": "subsidy", ...})`."""

    def __init__(self, controls: Callable[[], dict[str, Any]] | dict[str, Any] | None = None) -> None:
        values = controls() if callable(controls) else dict(controls or {})
        cfg, problems = config_from_controls(values)
        super().__init__(cfg)
        self.controls: dict[str, Any] = dict(values)
        self.problems: list[Problem] = problems

"""Uitdaagrecht: Right to Challenge, residents take over a public task and its budget.

Run by: each municipality by default (`policy.right_to_challenge.government`).
Eligibility: organised collectives with at least `min_members` members and no task; each
challenges with probability `challenge_rate` a month (residents take the initiative).
Selection: a challenge is accepted while the budget can carry the whole task.
Money: the task's budget, `task_budget` a month for `task_months` (stable revenue).
Volunteer hours: `challenge_hours` to prepare, `task_hours` a month to carry it out.
Horizon: long. Channels: ownership (extra pull in the village while it holds the task),
stable revenue, trust with the municipality.
"""

from __future__ import annotations

from ..state import Stage
from .base import Instrument
from .registry import register_instrument

TRUST_GAIN = 0.01  # monthly share of the gap to full trust closed while holding a task (assumption)


@register_instrument
class RightToChallenge(Instrument):
    name = "right_to_challenge"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.tasks: dict[int, int] = {}  # collective id -> months left
        self.challenges = 0

    def apply(self, month: int) -> None:
        cfg = self.cfg
        for c in self.serve(self.tasks, cfg.task_budget, cfg.task_hours, month):
            c.raise_trust(TRUST_GAIN)
            self.government.signal([c.village], "mobilisation", cfg.ownership)
        for c in self.collectives(Stage.ORGANISED):
            if c.cid in self.tasks or c.n_members < cfg.min_members or self.model.rng.random() >= cfg.challenge_rate:
                continue
            self.challenges += 1
            c.add_burden(cfg.challenge_hours)
            if self._affordable():
                self.tasks[c.cid] = cfg.task_months

    def _affordable(self) -> bool:
        return self.fits(self.tasks, self.cfg.task_budget, self.cfg.task_months)

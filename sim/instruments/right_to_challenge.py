"""Uitdaagrecht: Right to Challenge, residents take over a public task and its budget.

Run by: each municipality by default (`policy.right_to_challenge.government`).
Eligibility: organised collectives with at least `min_members` members and no task; each
challenges with probability `challenge_rate` a month (residents take the initiative).
Selection: a challenge is accepted while the budget can carry the whole task.
Money: the task's budget, `task_budget` a month for `task_months` (stable revenue).
Unspent money: the budget is that of public tasks open to challenge; what collectives do
not hold, the municipality spends delivering those tasks itself (public money that builds
no community power), as in a tender a business wins.
Volunteer hours: `challenge_hours` to prepare, `task_hours` a month to carry it out.
Horizon: long. Channels: ownership (extra pull in the village while it holds the task),
stable revenue, trust with the municipality.
"""

from __future__ import annotations

from ..state import Stage
from .base import Commitment, Instrument
from .registry import register_instrument

TRUST_GAIN = 0.01  # monthly share of the gap to full trust closed while holding a task (assumption)


@register_instrument
class RightToChallenge(Instrument):
    name = "right_to_challenge"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.tasks: dict[int, Commitment] = {}  # collective id -> its task
        self.challenges = 0

    def apply(self, month: int) -> None:
        cfg = self.cfg
        for c in self.serve(self.tasks, cfg.task_hours, month):
            c.raise_trust(TRUST_GAIN)
            self.government.signal([c.village], "mobilisation", cfg.ownership)
        for c in self.collectives(Stage.ORGANISED):
            if c.cid in self.tasks or c.n_members < cfg.min_members or self.model.rng.random() >= cfg.challenge_rate:
                continue
            self.challenges += 1
            c.add_burden(cfg.challenge_hours)
            if self.fits(self.tasks, cfg.task_budget, cfg.task_months, month):
                self.tasks[c.cid] = Commitment(cfg.task_months, cfg.task_budget)
        self.deliver_rest(month)

    def deliver_rest(self, month: int) -> None:
        """The tasks nobody challenged: the municipality delivers them itself, spending what
        the monthly rate leaves after the collectives' tasks and their running terms."""
        horizon = self.stop_month - month
        reserved = sum(min(t.months_left, horizon) * t.monthly for t in self.tasks.values())
        free = self.allocation - self.spent - reserved
        rest = min(free / max(horizon, 1), self.monthly_rate(month) - sum(t.monthly for t in self.tasks.values()))
        if rest > 0:
            self.pay_service(self.villages, rest, month)

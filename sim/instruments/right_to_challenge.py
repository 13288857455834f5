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
Under the province's room to deviate (`governments.room_to_deviate`, docs/ODD.md 7.7) its
hours are lighter, and so are the admin hours of the collectives it asks them of that month
(applied by `Government.step`, sim/agents/government.py, as for tenders).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..state import Stage
from ..config.instruments import GOVERNMENTS, InstrumentConfig
from ..config.params import param
from .base import Commitment, Instrument
from .registry import register_instrument

TRUST_GAIN = 0.01  # monthly share of the gap to full trust closed while holding a task (assumption)


@dataclass
class RightToChallengeConfig(InstrumentConfig):
    """Uitdaagrecht: residents take over a public task and its budget."""

    government: str = param("municipality", unit="name", choices=GOVERNMENTS, source="DOMAIN.md s6: 70-100 municipalities",
                            help="Who runs the instrument: the province, or each municipality for its villages.")
    task_budget: float = param(1_000.0, unit="EUR/month", lo=0.0, hi=1e9, source="assumption",
                               plausible=(500.0, 3000.0), plausible_reason="assumption: a small public task (green maintenance, a community centre)",
                               help="Budget of the public task that moves to the collective.")
    task_months: int = param(60, unit="months", lo=1, hi=600, source="DOMAIN.md s4: long horizon",
                             plausible=(36.0, 96.0), plausible_reason="assumption: DOMAIN.md s4 calls the horizon long; three to eight years",
                             help="How long the collective holds the task.")
    min_members: int = param(20, unit="members", lo=0, hi=1_000_000, source="DOMAIN.md s4: needs an organised collective",
                             plausible=(10.0, 40.0), plausible_reason="assumption: half to twice the default",
                             help="Members a collective needs to challenge.")
    challenge_rate: float = param(0.05, unit="probability/month", lo=0.0, hi=1.0, source="assumption",
                                  plausible=(0.005, 0.06), plausible_reason="EVIDENCE.md s2-3: challenges are rare (29 successes among 79 answering municipalities, about 0.37 each in total); down to a tenth of the default",
                                  help="Monthly chance that an eligible collective challenges.")
    challenge_hours: float = param(60.0, unit="hours", lo=0.0, hi=1e5, source="DOMAIN.md s4: burden medium",
                                   plausible=(30.0, 120.0), plausible_reason="assumption: DOMAIN.md s4 calls the burden medium; half to twice the default",
                                   help="Volunteer hours of preparing the challenge.")
    task_hours: float = param(40.0, unit="hours/month", lo=0.0, hi=1e5, source="assumption",
                              plausible=(20.0, 80.0), plausible_reason="assumption: half to twice the default",
                              help="Volunteer hours of carrying out the task.")
    ownership: float = param(0.02, unit="pull", lo=0.0, hi=10.0, source="DOMAIN.md s4: ownership",
                             plausible=(0.0, 0.05), plausible_reason="assumption: no measured effect; from none to 2.5x the default",
                             help="Extra pull toward joining in the village while it holds the task.")


@register_instrument
class RightToChallenge(Instrument):
    name = "right_to_challenge"
    config = RightToChallengeConfig
    labels = {"en": "Right to Challenge", "nl": "Right to Challenge (uitdaagrecht)"}
    order = 50

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

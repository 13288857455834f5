"""Dorpsdialoog: a facilitated village dialogue, held periodically (DOMAIN.md section 4).

Run by: each municipality by default (`policy.dialogue.government`).
Eligibility: every village of the government; the village that waited longest goes first,
then the one with the least participation. Money: `cost` per dialogue (facilitation), as
many as the paced budget allows (so the budget sets how often a village holds one), each
village at most once every `period_months`. Volunteer hours: residents' evening time
(not counted as collectives' hours). Selection: none. Horizon: periodic. Channels:
awareness (a hazard in the month of the dialogue), cohesion and trust (extra pull for a
year), surfaced needs that lead to new initiatives (a founding boost for a year).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config.instruments import GOVERNMENTS, InstrumentConfig
from ..config.params import param
from .base import Instrument
from .registry import register_instrument

AFTERGLOW_MONTHS = 12


@dataclass
class DialogueConfig(InstrumentConfig):
    """Dorpsdialoog: a facilitated village dialogue, repeated periodically."""

    government: str = param("municipality", unit="name", choices=GOVERNMENTS, source="DOMAIN.md s1",
                            help="Who runs the instrument: the province, or each municipality for its villages.")
    cost: float = param(5_000.0, unit="EUR per dialogue", lo=0.0, hi=1e9, source="assumption: facilitation",
                        plausible=(2000.0, 20000.0), plausible_reason="assumption: from one facilitated evening to a series of sessions with a professional (a village agenda); no cost published (Movisie 2011)",
                        help="Cost of one dialogue; the budget sets how many are held.")
    period_months: int = param(6, unit="months", lo=1, hi=600, source="assumption",
                               plausible=(6.0, 24.0), plausible_reason="assumption: from twice a year to once every two years",
                               help="Fewest months between two dialogues in a village (the budget sets how often).")
    awareness: float = param(0.1, unit="1/month", lo=0.0, hi=100.0, source="DOMAIN.md s4: awareness",
                             plausible=(0.0, 0.2), plausible_reason="EVIDENCE.md s3: village dialogues have no quantified effect; from none to twice the default",
                             help="Extra hazard of becoming aware in the month of the dialogue.")
    founding: float = param(0.5, unit="founding boost", lo=0.0, hi=100.0, source="DOMAIN.md s4: surfaced needs -> new initiatives",
                            plausible=(0.0, 1.0), plausible_reason="EVIDENCE.md s3: village dialogues have no quantified effect; from none to twice the default",
                            help="Relative boost of founding in the village for a year after a dialogue.")
    cohesion: float = param(0.01, unit="pull", lo=0.0, hi=10.0, source="DOMAIN.md s4: cohesion, trust",
                            plausible=(0.0, 0.02), plausible_reason="EVIDENCE.md s3: village dialogues have no quantified effect; from none to twice the default",
                            help="Extra pull toward joining in the village for a year after a dialogue.")


@register_instrument
class Dialogue(Instrument):
    name = "dialogue"
    config = DialogueConfig
    labels = {"en": "village dialogue", "nl": "dorpsdialoog"}
    order = 60

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.next_due: dict[int, int] = {int(v): self.start_month for v in self.villages}
        self.afterglow: dict[int, int] = {}
        self.held: list[tuple[int, int]] = []  # (month, village)

    def apply(self, month: int) -> None:
        cfg, gov = self.cfg, self.government
        share = self.model.villages.participation
        for v in sorted((v for v, due in self.next_due.items() if due <= month), key=lambda v: (self.next_due[v], share[v], v)):
            if self.allowance(month) < cfg.cost:
                break
            self.pay_service([v], cfg.cost, month)
            gov.signal([v], "awareness", cfg.awareness)
            self.next_due[v] = month + cfg.period_months
            self.afterglow[v] = month + AFTERGLOW_MONTHS
            self.held.append((month, v))
        for v, until in self.afterglow.items():
            if month < until:
                gov.signal([v], "founding", cfg.founding)
                gov.signal([v], "mobilisation", cfg.cohesion)

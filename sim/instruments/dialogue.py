"""Dorpsdialoog: a facilitated village dialogue, held periodically (DOMAIN.md section 4).

Run by: each municipality by default (`policy.dialogue.government`).
Eligibility: every village of the government; the village that waited longest goes first,
then the one with the least participation. Money: `cost` per dialogue (facilitation), as
many as the paced budget allows (so the budget sets how often a village holds one), each
village at most once every `period_months`. Volunteer hours: residents' evening time
(not counted as collectives' hours). Selection: none. Horizon: periodic. Channels:
awareness (a hazard in the month of the dialogue; with `outreach` > 0 that share of it is
aimed at vulnerable residents through the outreach channel), cohesion and trust (extra pull
for a year), surfaced needs that lead to new initiatives (a founding boost for a year).

Consequences (mechanisms.agreements, mechanisms.village_coops; docs/ODD.md section 7.8): a
dialogue ends in a village agreement (dorpsafspraak) with probability min(1, 2
`agreement_probability` A), A the attitude the village's collectives meet (0.5 with
mechanisms.attitude off): its `agreement_themes` most-needed themes become priorities the
municipality commits to for `agreement_months` (founding, trust and lighter procedures in
those themes; a later agreement replaces it). Under an agreement the village's collectives
can form a village co-operative (dorpscoöperatie) that shares core hours and capital. The
rules are in sim/rules/agreements.py; the parameters of what a dialogue leads to are here.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config.instruments import GOVERNMENTS, InstrumentConfig
from ..config.params import param
from ..rules import agreements as A
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
    # what a dialogue can lead to: a village agreement (dorpsafspraak) and a village co-operative
    agreement_probability: float = param(
        0.3, unit="probability per dialogue", lo=0.0, hi=1.0,
        source="assumption; Movisie (2011) dorpsagenda: positive, not quantified",
        plausible=(0.1, 0.6), plausible_reason="assumption: some, not most, dialogues end in commitments",
        help="Chance that a dialogue ends in a village agreement, at a neutral attitude (x 2 attitude with mechanisms.attitude).")
    agreement_themes: int = param(
        2, unit="themes", lo=0, hi=100, source="assumption: a dorpsagenda names a few priorities (Movisie 2011)",
        plausible=(1, 3), plausible_reason="assumption: a village agenda names one to three priorities",
        help="Priority themes an agreement names: the village's most-needed (largest liveability gap).")
    agreement_months: int = param(
        48, unit="months", lo=1, hi=600, source="assumption: a council term",
        plausible=(24, 72), plausible_reason="assumption: from two years to a term and a half",
        help="How long an agreement stays in force (a new one replaces it).")
    agreement_founding: float = param(
        1.0, unit="founding boost", lo=0.0, hi=100.0, source="assumption",
        plausible=(0.0, 2.0), plausible_reason="assumption: from no effect to a founding hazard three times as high",
        help="Relative boost of the founding hazard in the priority themes while the agreement is in force.")
    agreement_trust: float = param(
        0.3, unit="share of gap", lo=0.0, hi=1.0, source="assumption; Movisie (2011): better relations, not quantified",
        plausible=(0.0, 0.6), plausible_reason="assumption",
        help="Share of the gap to full trust added to where priority-theme collectives' trust drifts to.")
    agreement_burden_cut: float = param(
        0.3, unit="share of admin hours", lo=0.0, hi=1.0, source="assumption: the municipality commits to lighter procedures",
        plausible=(0.0, 0.6), plausible_reason="assumption",
        help="Share of the admin hours of priority-theme collectives dropped while the agreement is in force.")
    coop_rate: float = param(
        0.05, unit="probability/month", lo=0.0, hi=1.0, source="assumption: a dorpscoöperatie takes a year or two to set up",
        plausible=(0.01, 0.2), plausible_reason="assumption: from months to about eight years",
        help="Monthly chance that a village with an agreement and enough organised collectives forms a village co-operative.")
    coop_min_themes: int = param(
        2, unit="collectives", lo=2, hi=100, source="assumption: a co-operative runs several themes",
        plausible=(2, 4), plausible_reason="assumption: two themes at least, at most most of a village's themes",
        help="Organised collectives (themes) a village co-operative needs to form; it ends with fewer living ones.")
    coop_hours_share: float = param(
        0.3, unit="share of core hours", lo=0.0, hi=1.0, source="assumption",
        plausible=(0.0, 0.6), plausible_reason="assumption: volunteers stay mostly with their own theme",
        help="Share of each member collective's core hours the co-operative hands out by workload.")
    coop_capital_share: float = param(
        0.5, unit="share of surplus", lo=0.0, hi=1.0, source="assumption",
        plausible=(0.0, 1.0), plausible_reason="assumption",
        help="Share of each member's capital beyond its own next project that the co-operative lends to members short of theirs.")

    outreach: float = param(0.0, unit="share of the awareness push", lo=0.0, hi=1.0,
                            source="assumption; DOMAIN.md s1: reaching vulnerable groups (outreach, as Zorgbelang "
                                   "Inclusief's part in the programme)",
                            plausible=(0.0, 0.5), plausible_reason="assumption: from no aimed outreach to half of the push",
                            help="Share of the dialogue's awareness push aimed at vulnerable residents: the village's "
                                 "effort stays the same, concentrated on them (the outreach channel).")


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
        self.agreements: list[tuple[int, int]] = []  # (month, village) of the agreements it led to

    def apply(self, month: int) -> None:
        cfg, gov = self.cfg, self.government
        share = self.model.villages.participation
        for v in sorted((v for v, due in self.next_due.items() if due <= month), key=lambda v: (self.next_due[v], share[v], v)):
            if self.allowance(month) < cfg.cost:
                break
            self.pay_service([v], cfg.cost, month)
            self.raise_awareness(v)
            self.next_due[v] = month + cfg.period_months
            self.afterglow[v] = month + AFTERGLOW_MONTHS
            self.held.append((month, v))
            if self.model.cfg.mechanisms.agreements:
                self.conclude(v, month)
        for v, until in self.afterglow.items():
            if month < until:
                gov.signal([v], "founding", cfg.founding)
                gov.signal([v], "mobilisation", cfg.cohesion)

    def conclude(self, village: int, month: int) -> None:
        """The dialogue ends in a village agreement with probability min(1, 2 p0 A): its
        priorities are the village's `agreement_themes` most-needed themes, in force for
        `agreement_months` (sim/rules/agreements.py)."""
        cfg, model = self.cfg, self.model
        attitude = self.government.attitude_in([village])[0] if model.cfg.mechanisms.attitude else 0.5
        if model.rng.random() >= A.agreement_probability(cfg.agreement_probability, attitude):
            return
        vs = model.villages
        priorities = A.priority_themes(vs.successes[village], model.theme_table.liveability_weight,
                                       model.cfg.collectives.visibility_scale, cfg.agreement_themes)[0]
        self.government.make_agreement(village, priorities, month + cfg.agreement_months)
        self.agreements.append((month, village))

    def raise_awareness(self, village: int) -> None:
        """The dialogue's awareness push in a village: a share `outreach` of it aimed at the
        vulnerable residents (outreach channel, concentrated on them), the rest at everyone."""
        aimed = self.cfg.outreach * self.cfg.awareness
        self.government.signal([village], "awareness", self.cfg.awareness - aimed)
        if aimed > 0:
            self.government.signal([village], "outreach", aimed)


"""Levers: the parameters of each policy instrument (DOMAIN.md section 4).

Every instrument shares the fields of `InstrumentConfig` (who runs it, when, and its weight
in the policy mix's one budget) and adds its own. Values are *assumptions* unless a source
is given; the behaviour they drive is in sim/instruments/<name>.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from .params import param

GOVERNMENTS = ("province", "municipality")


@dataclass
class InstrumentConfig:
    """What every instrument has: its government, its period and its share of the budget."""

    government: str = param("province", unit="name", choices=GOVERNMENTS, source="DOMAIN.md s4",
                            help="Who runs the instrument: the province, or each municipality for its villages.")
    start_month: int = param(0, unit="month", lo=0, hi=12_000, source="convention",
                             help="First month the instrument runs (0 = from the start).")
    stop_month: int = param(-1, unit="month", lo=-1, hi=12_000, source="convention",
                            help="Month the instrument stops (exclusive); -1 = runs to the horizon.")
    weight: float = param(1.0, unit="share", lo=0.0, hi=1e6, source="convention",
                          help="Share of the policy budget, relative to the other instruments in the mix.")
    villages: list[int] = param(default_factory=list, unit="village ids", source="convention",
                                help="Villages the instrument serves (pilots); empty = every village of its government.")


@dataclass
class SubsidyConfig(InstrumentConfig):
    """Subsidie: a grant covering part of a project's cost."""

    cost_share: float = param(0.5, unit="share of project cost", lo=0.0, hi=1.0, source="assumption",
                              help="Part of the project cost a grant covers.")
    max_grant: float = param(25_000.0, unit="EUR", lo=0.0, hi=1e9, source="assumption",
                             help="Largest grant per project.")
    approval: float = param(0.35, unit="probability", lo=0.0, hi=1.0,
                            source="DOMAIN.md s6: about two thirds of grant applications fail",
                            help="Chance that an eligible application is granted.")
    application_hours: float = param(40.0, unit="hours", lo=0.0, hi=1e5,
                                     source="DOMAIN.md s6: applying costs ~38% of grant income for small charities",
                                     help="Volunteer hours an application takes (in the month of applying).")
    report_hours: float = param(4.0, unit="hours/month", lo=0.0, hi=1e5, source="assumption",
                                help="Accountability hours per month while a granted project runs.")
    reapply_months: int = param(12, unit="months", lo=0, hi=600, source="assumption",
                                help="Months a collective waits before applying again.")
    crowding: float = param(0.05, unit="pull per share", lo=0.0, hi=10.0,
                            source="Frey & Jegen (2001); Koirala et al. (2018): money is a weak lever on willingness",
                            help="Crowding-out in a village per unit of government share in its collectives' funding.")
    cliff: float = param(0.5, unit="failure signal", lo=0.0, hi=100.0, source="assumption (DOMAIN.md: cliff when it ends)",
                         help="Disappointment added to grant-dependent collectives when the subsidy stops.")


@dataclass
class PrizeConfig(InstrumentConfig):
    """Prijsvraag: rounds in which many groups enter and a few win the pot."""

    round_months: int = param(12, unit="months", lo=1, hi=600, source="assumption",
                              help="Months between rounds.")
    winners: int = param(3, unit="collectives", lo=1, hi=10_000,
                         source="Nesta Big Green Challenge: 355 entries, 10 finalists, 4 winners",
                         help="Winners per round; the round's pot is split equally among them.")
    proposal_hours: float = param(30.0, unit="hours", lo=0.0, hi=1e5, source="assumption",
                                  help="Volunteer hours every entrant spends on its proposal.")
    mobilisation: float = param(0.5, unit="founding boost", lo=0.0, hi=100.0,
                                source="Nesta: challenge prizes mobilise many new groups",
                                help="Relative boost of founding in every village in the month a round opens.")
    visibility: float = param(0.05, unit="pull", lo=0.0, hi=10.0, source="assumption",
                              help="Extra pull toward joining in a winner's village for a year.")
    loser_discouragement: float = param(0.3, unit="failure signal", lo=0.0, hi=100.0,
                                        source="Nesta: over half of the non-finalists carried on",
                                        help="Disappointment added to each losing entrant.")


@dataclass
class TenderConfig(InstrumentConfig):
    """Aanbesteding: a contract for a public service, won against businesses."""

    themes: list[str] = param(default_factory=lambda: ["care", "mobility"], unit="themes",
                              source="assumption: public services collectives can deliver",
                              help="Themes whose collectives may bid.")
    contract_months: int = param(36, unit="months", lo=1, hi=600, source="assumption",
                                 help="Length of a contract.")
    contract_value: float = param(3_000.0, unit="EUR/month", lo=0.0, hi=1e9, source="assumption",
                                  help="What a contract pays each month.")
    bid_hours: float = param(80.0, unit="hours", lo=0.0, hi=1e5, source="DOMAIN.md s4: burden high",
                             help="Volunteer hours a bid takes.")
    service_hours: float = param(40.0, unit="hours/month", lo=0.0, hi=1e5, source="assumption",
                                 help="Volunteer hours delivering the contracted service takes.")
    business_strength: float = param(100.0, unit="core hours x (1 + knowledge)", lo=0.0, hi=1e6, source="assumption",
                                     help="Price/quality score of the competing business, in the units of a collective's capacity.")


@dataclass
class ShareholdingConfig(InstrumentConfig):
    """Maatschappelijk aandeelhouderschap: long-term equity on equal footing."""

    stake: float = param(50_000.0, unit="EUR", lo=0.0, hi=1e9, source="assumption",
                         help="Patient capital invested in each selected collective.")
    min_members: int = param(30, unit="members", lo=0, hi=1_000_000, source="assumption: selects fewer, more mature",
                             help="Members a collective needs to be selected.")
    min_knowledge: float = param(0.2, unit="index 0-1", lo=0.0, hi=1.0, source="assumption",
                                 help="Knowledge a collective needs to be selected (it must be realising projects).")
    loss_share: float = param(0.5, unit="share of loss", lo=0.0, hi=1.0, source="DOMAIN.md s4: shares losses",
                              help="Share of a failed project's own cost the shareholder absorbs.")
    entry_hours: float = param(40.0, unit="hours", lo=0.0, hi=1e5, source="DOMAIN.md s4: low burden after entry",
                               help="Volunteer hours of entering the coalition.")
    trust_gain: float = param(0.02, unit="1/month", lo=0.0, hi=1.0, source="DOMAIN.md s4: equal footing raises trust",
                              help="Monthly share of the gap to full trust closed.")
    knowledge_gain: float = param(0.02, unit="1/month", lo=0.0, hi=1.0, source="DOMAIN.md s4: knowledge transfer",
                                  help="Monthly share of the gap to full knowledge closed.")
    exit_months: int = param(24, unit="months", lo=1, hi=600, source="DOMAIN.md s4: gradual exit",
                             help="Months a collective stays self-sustaining before the shareholder exits.")


@dataclass
class RightToChallengeConfig(InstrumentConfig):
    """Uitdaagrecht: residents take over a public task and its budget."""

    government: str = param("municipality", unit="name", choices=GOVERNMENTS, source="DOMAIN.md s6: 70-100 municipalities",
                            help="Who runs the instrument: the province, or each municipality for its villages.")
    task_budget: float = param(1_000.0, unit="EUR/month", lo=0.0, hi=1e9, source="assumption",
                               help="Budget of the public task that moves to the collective.")
    task_months: int = param(60, unit="months", lo=1, hi=600, source="DOMAIN.md s4: long horizon",
                             help="How long the collective holds the task.")
    min_members: int = param(20, unit="members", lo=0, hi=1_000_000, source="DOMAIN.md s4: needs an organised collective",
                             help="Members a collective needs to challenge.")
    challenge_rate: float = param(0.05, unit="probability/month", lo=0.0, hi=1.0, source="assumption",
                                  help="Monthly chance that an eligible collective challenges.")
    challenge_hours: float = param(60.0, unit="hours", lo=0.0, hi=1e5, source="DOMAIN.md s4: burden medium",
                                   help="Volunteer hours of preparing the challenge.")
    task_hours: float = param(40.0, unit="hours/month", lo=0.0, hi=1e5, source="assumption",
                              help="Volunteer hours of carrying out the task.")
    ownership: float = param(0.02, unit="pull", lo=0.0, hi=10.0, source="DOMAIN.md s4: ownership",
                             help="Extra pull toward joining in the village while it holds the task.")


@dataclass
class DialogueConfig(InstrumentConfig):
    """Dorpsdialoog: a facilitated village dialogue, repeated periodically."""

    government: str = param("municipality", unit="name", choices=GOVERNMENTS, source="DOMAIN.md s1",
                            help="Who runs the instrument: the province, or each municipality for its villages.")
    cost: float = param(5_000.0, unit="EUR per dialogue", lo=0.0, hi=1e9, source="assumption: facilitation",
                        help="Cost of one dialogue; the budget sets how many are held.")
    period_months: int = param(6, unit="months", lo=1, hi=600, source="assumption",
                               help="Fewest months between two dialogues in a village (the budget sets how often).")
    awareness: float = param(0.1, unit="1/month", lo=0.0, hi=100.0, source="DOMAIN.md s4: awareness",
                             help="Extra hazard of becoming aware in the month of the dialogue.")
    founding: float = param(0.5, unit="founding boost", lo=0.0, hi=100.0, source="DOMAIN.md s4: surfaced needs -> new initiatives",
                            help="Relative boost of founding in the village for a year after a dialogue.")
    cohesion: float = param(0.01, unit="pull", lo=0.0, hi=10.0, source="DOMAIN.md s4: cohesion, trust",
                            help="Extra pull toward joining in the village for a year after a dialogue.")


@dataclass
class LearningNetworkConfig(InstrumentConfig):
    """Regionaal lerend netwerk: knowledge sharing between villages' collectives."""

    learning_rate: float = param(0.05, unit="1/month at full funding", lo=0.0, hi=1.0, source="DOMAIN.md s4: knowledge spill-over",
                                 help="Share of the gap to the region's best knowledge of a theme closed each month.")
    cost_per_member: float = param(100.0, unit="EUR/month per collective", lo=0.0, hi=1e9, source="assumption: coordination",
                                   help="Coordination cost per participating collective; the budget caps how many take part.")
    hours: float = param(2.0, unit="hours/month", lo=0.0, hi=1e5, source="DOMAIN.md s4: burden small",
                         help="Volunteer hours per month of taking part.")
    coaching_cost: float = param(5_000.0, unit="EUR per coaching", lo=0.0, hi=1e9, source="assumption: a few days of a regional coach",
                                 help="Cost of one coaching trajectory for a member collective, bought with money the membership leaves over.")
    coaching_gain: float = param(0.1, unit="share of gap", lo=0.0, hi=1.0, source="assumption",
                                 help="Share of its gap to full knowledge a coached collective closes.")
    coaching_hours: float = param(16.0, unit="hours", lo=0.0, hi=1e5, source="assumption",
                                  help="Volunteer hours a coaching takes.")
    coaching_months: int = param(12, unit="months", lo=1, hi=600, source="assumption",
                                 help="Fewest months between two coachings of the same collective.")

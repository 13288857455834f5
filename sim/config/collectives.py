"""Uncertainties about collectives (bewonerscollectieven): themes, projects, loops."""

from __future__ import annotations

from dataclasses import dataclass

from .params import param

THEMES = ("energy", "care", "food", "biodiversity", "housing", "mobility")


@dataclass
class ThemeConfig:
    """What a typical project of one theme costs, asks and returns (all *assumptions*)."""

    appeal: float = param(1.0, unit="factor (energy = 1)", lo=0.0, hi=100.0,
                          source="assumption, relative to energy (the reference theme, 1); calibration=energy (the "
                                 "default) sets care's to 0.594 (5-95 % 0.151-1.55), fitted to the Dutch care "
                                 "initiatives 2012-2016 with the energy co-operatives (docs/ODD.md s9); the "
                                 "other themes keep their assumed appeal relative to energy, and the calibrated "
                                 "collectives.founding_rate sets the level of every theme",
                          plausible={"care": (0.1, 10.0)},
                          plausible_reason="care: the calibration's prior (0.1-10 times energy's rate; sim/calibrate/), "
                                           "drawn from its posterior when that file exists",
                          help="Rate at which pioneers found a collective of this theme, relative to energy's.")
    project_cost: float = param(10_000.0, unit="EUR", lo=0.0, hi=1e9, source="assumption",
                                help="Cost of one project.")
    loan_share: float = param(0.0, unit="share of cost", lo=0.0, hi=1.0, source="assumption",
                              help="Part of the cost financed by loans or national schemes, outside the collective's own money (repayments are netted out of revenue).")
    member_investment: float = param(0.0, unit="EUR/member", lo=0.0, hi=1e6, source="assumption",
                                     help="What each member puts into a project (shares, bonds).")
    project_months: int = param(6, unit="months", lo=1, hi=600, source="assumption",
                                help="Duration of one project.")
    project_hours: float = param(60.0, unit="hours/month", lo=0.0, hi=1e5, source="assumption",
                                 help="Volunteer hours a running project needs.")
    failure_risk: float = param(0.2, unit="probability/project", lo=0.0, hi=1.0, source="assumption",
                                help="Chance that a project fails, before knowledge lowers it.")
    revenue: float = param(0.0, unit="EUR/month", lo=0.0, hi=1e8, source="assumption",
                           help="Net monthly revenue of a successful project.")
    liveability_weight: float = param(0.05, unit="index 0-1", lo=0.0, hi=1.0, source="assumption",
                                      help="Liveability a village gains at saturation of this theme's successes.")
    member_share: float = param(
        1.0, unit="share of the village's residents", lo=0.001, hi=1.0,
        source="Bass (1969): a market potential m caps adoption; its size is an assumption (1 = the whole village) "
               "for every theme under calibration=none; calibration=energy (the default) sets energy's to 0.281 (5-95 % "
               "0.159-0.526), fitted with the members per co-operative of 2016-2019 (docs/ODD.md s9)",
        plausible={"energy": (0.03, 0.6)},
        plausible_reason="energy: the calibration's prior (0.03-0.6; sim/calibrate/), drawn from its posterior when "
                         "that file exists",
        help="With mechanisms.member_room: the members one collective of this theme can hold, as a share of its "
             "village's residents (what it offers: roofs, shares, places). Joining slows as it fills.")


def default_themes() -> dict[str, ThemeConfig]:
    """Six themes of DOMAIN.md s1. Energy is the best-documented and the one with revenue."""
    return {
        "energy": ThemeConfig(appeal=1.0, project_cost=100_000.0, loan_share=0.7, member_investment=500.0,
                              project_months=18, project_hours=80.0, failure_risk=0.15, revenue=1_200.0,
                              liveability_weight=0.05),
        "care": ThemeConfig(appeal=0.8, project_cost=10_000.0, loan_share=0.0, member_investment=0.0,
                            project_months=6, project_hours=150.0, failure_risk=0.15, revenue=400.0,
                            liveability_weight=0.10),
        "food": ThemeConfig(appeal=0.5, project_cost=5_000.0, loan_share=0.0, member_investment=50.0,
                            project_months=6, project_hours=60.0, failure_risk=0.2, revenue=200.0,
                            liveability_weight=0.05),
        "biodiversity": ThemeConfig(appeal=0.6, project_cost=3_000.0, loan_share=0.0, member_investment=0.0,
                                    project_months=4, project_hours=40.0, failure_risk=0.1, revenue=0.0,
                                    liveability_weight=0.05),
        "housing": ThemeConfig(appeal=0.3, project_cost=300_000.0, loan_share=0.8, member_investment=1_000.0,
                               project_months=36, project_hours=120.0, failure_risk=0.3, revenue=1_500.0,
                               liveability_weight=0.10),
        "mobility": ThemeConfig(appeal=0.4, project_cost=15_000.0, loan_share=0.3, member_investment=100.0,
                                project_months=9, project_hours=60.0, failure_risk=0.2, revenue=300.0,
                                liveability_weight=0.05),
    }


@dataclass
class CollectivesConfig:
    """Founding, running and ending of collectives; the flywheel's loops."""

    themes: dict[str, ThemeConfig] = param(
        unit="per theme", source="assumption (see ThemeConfig)", default_factory=default_themes,
        help="Project economics per theme: energy, care, food, biodiversity, housing, mobility.")
    founders: int = param(
        5, unit="residents", lo=1, hi=1000,
        source="Loomans (TU/e) energy-community ABM: about 5 initiators found a community",
        help="Pioneers needed to found a collective; they form its first core group.")
    founding_rate: float = param(
        0.01, unit="probability/month", lo=0.0, hi=1.0,
        source="assumption (calibration=none); Ghorbani et al. (2020): initiators are the bottleneck; "
               "calibration=energy (the default) sets 0.000485 (5-95 % 0.000265-0.00074), ABC-SMC posterior median, "
               "Dutch energy co-operatives 2009-2019 (docs/ODD.md s9)",
        plausible=(0.0001, 0.02),
        plausible_reason="the calibration's prior (0.0001-0.02; sim/calibrate/), drawn from its posterior when that "
                         "file exists",
        help="Monthly chance that available pioneers found a collective of a theme of appeal 1 (energy) in their village.")
    initial_share: float = param(
        0.2, unit="share of villages", lo=0.0, hi=1.0,
        source="assumption (calibration=none); calibration=energy (the default) sets 0.0498: the 560 co-"
               "operatives of 2019 through the calibration's mapping (13.9 million adults, villages of "
               "1,237 adults), so the default world starts at the end of 2019 (docs/ODD.md s9)",
        plausible=(0.04, 0.3), plausible_reason="assumption: from the calibrated default's 2019 state (0.0498: 560 co-operatives, LEM, through the calibration's mapping) to several times it",
        help="Share of villages that start with an organised energy collective.")
    idea_months: int = param(
        3, unit="months", lo=0, hi=600, source="assumption",
        help="Months the founders prepare before the collective recruits members.")
    min_members_organised: int = param(
        15, unit="members", lo=0, hi=100_000, source="assumption",
        help="Members a collective needs to become organised (legal entity).")
    months_to_organise: int = param(
        12, unit="months", lo=0, hi=600, source="assumption",
        help="Months from founding before a collective can be organised.")
    min_core: int = param(
        2, unit="residents", lo=1, hi=1000, source="assumption",
        help="Fewer core volunteers than this for dissolve_after months ends the collective.")
    dissolve_after: int = param(
        6, unit="months", lo=1, hi=600, source="assumption",
        help="Months a collective survives with too small a core or negative capital.")
    core_hours: float = param(
        8.0, unit="hours/month", lo=0.0, hi=300.0, source="assumption",
        help="Free time a resident needs to become a core volunteer.")
    base_hours: float = param(
        20.0, unit="hours/month", lo=0.0, hi=1e5, source="assumption",
        help="Volunteer hours running a collective takes, projects aside.")
    admin_hours: float = param(
        15.0, unit="hours/month", lo=0.0, hi=1e5,
        source="assumption; DOMAIN.md balancing loop: administrative burden",
        help="Hours of procedures with government at zero trust; trust and a co-creating attitude lower them.")
    running_cost: float = param(
        20.0, unit="EUR/month", lo=0.0, hi=1e8, source="assumption: insurance, bank, website ~250 EUR a year",
        help="Fixed costs of an organised collective (a legal entity); none before.")
    member_fee: float = param(
        5.0, unit="EUR/month per member", lo=0.0, hi=1e5,
        source="assumption: a fee of ~25 EUR a year plus donations, events and local sponsors",
        help="Money each member brings in per month: contribution and fundraising.")
    recruit_rate: float = param(
        0.1, unit="probability/month", lo=0.0, hi=1.0, source="assumption",
        help="Monthly chance that a member with time becomes core when the core is short.")
    burnout_rate: float = param(
        0.2, unit="1/month per overload", lo=0.0, hi=10.0,
        source="assumption; DOMAIN.md balancing loop: volunteer workload",
        help="Growth of burnout per unit of relative overload of the core.")
    burnout_recovery: float = param(
        0.1, unit="1/month", lo=0.0, hi=1.0, source="assumption",
        help="Share of burnout that fades in a month without overload.")
    burnout_exit: float = param(
        0.15, unit="probability/month per burnout", lo=0.0, hi=1.0, source="assumption",
        help="Extra monthly chance that a core volunteer quits, per unit of burnout.")
    knowledge_success: float = param(
        0.2, unit="index 0-1", lo=0.0, hi=1.0, source="assumption",
        help="Knowledge gained from a successful project (of the gap to 1).")
    knowledge_failure: float = param(
        0.1, unit="index 0-1", lo=0.0, hi=1.0, source="assumption",
        help="Knowledge gained from a failed project (of the gap to 1).")
    learning_rate: float = param(
        0.05, unit="1/month", lo=0.0, hi=1.0,
        source="assumption; DOMAIN.md loop 4: reproduce regionally",
        help="Share of the knowledge gap to linked collectives closed each month.")
    knowledge_risk_cut: float = param(
        0.6, unit="share of risk", lo=0.0, hi=1.0, source="assumption",
        help="Share of a project's failure risk removed at full knowledge.")
    knowledge_founding: float = param(
        1.0, unit="factor", lo=0.0, hi=100.0,
        source="assumption; Ghorbani et al. (2020); calibration=energy (the default) sets 4.9 (5-95 % "
               "0.785-9.5), ABC-SMC posterior median (docs/ODD.md s9)",
        plausible=(0.0, 10.0), plausible_reason="the energy calibration's prior (0-10; sim/calibrate/), which the data leave open; drawn from its posterior when that file exists",
        help="Founding rate is multiplied by 1 + this x regional knowledge of the theme.")
    fund_share: float = param(
        0.3, unit="share of revenue", lo=0.0, hi=1.0,
        source="assumption; DOMAIN.md loop 2: revenue to a community fund",
        help="Share of revenue paid into the village fund by every living collective with revenue and positive capital.")
    trust_start: float = param(
        0.5, unit="index 0-1", lo=0.0, hi=1.0, source="assumption",
        help="Trust between a new collective and its municipality.")
    trust_success: float = param(
        0.05, unit="index 0-1", lo=0.0, hi=1.0, source="assumption; DOMAIN.md loop 3",
        help="Trust gained from a successful project.")
    trust_failure: float = param(
        0.1, unit="index 0-1", lo=0.0, hi=1.0, source="assumption",
        help="Trust lost from a failed project.")
    trust_drift: float = param(
        0.02, unit="1/month", lo=0.0, hi=1.0, source="assumption",
        help="Monthly drift of trust toward the municipality's attitude.")
    failure_memory: float = param(
        0.9, unit="factor/month", lo=0.0, hi=1.0, source="assumption",
        help="Monthly persistence of the members' memory of a failure.")
    visibility_scale: float = param(
        5.0, unit="successful projects", lo=0.001, hi=1e6, source="assumption",
        help="Successful projects in a village that make collectives 63% visible.")
    self_sustaining_share: float = param(
        0.5, unit="share of funding", lo=0.0, hi=1.0, source="assumption",
        help="A collective is self-sustaining when revenue covers costs and government paid less than this share of its funding.")

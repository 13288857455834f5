"""Uncertainties about residents: who lives in the villages and how they decide."""

from __future__ import annotations

from dataclasses import dataclass

from ..rules.registry import adoption_rule_names
from .params import param


@dataclass
class ResidentConfig:
    """Adult residents (18+), one agent each: demography, time, trust, innovativeness."""

    share_young: float = param(
        0.35, unit="share of adults", lo=0.0, hi=1.0,
        source="assumption: CBS age profile of small villages, adults 18-39",
        help="Share of residents aged 18-39.")
    share_senior: float = param(
        0.25, unit="share of adults", lo=0.0, hi=1.0,
        source="DOMAIN.md s6: 65+ rising from 16% towards 25%, in many villages one in three",
        help="Share of residents aged 65+ (the rest are 40-64).")
    leave_young: float = param(
        0.04, unit="1/year", lo=0.0, hi=12.0,
        source="assumption: young adults leave small villages for study and work (CBS regional migration)",
        help="Yearly hazard that a resident aged 18-39 moves away (with mechanisms.demography).")
    leave_middle: float = param(
        0.015, unit="1/year", lo=0.0, hi=12.0, source="assumption",
        help="Yearly hazard that a resident aged 40-64 moves away or dies (with mechanisms.demography).")
    leave_senior: float = param(
        0.045, unit="1/year", lo=0.0, hi=12.0,
        source="assumption: CBS mortality of the 65+ averages about 4 % a year, plus moves to care",
        help="Yearly hazard that a resident aged 65+ dies or moves away (with mechanisms.demography).")
    newcomers: float = param(
        0.75, unit="share of departures", lo=0.0, hi=1.0,
        source="assumption: shrinking rural regions lose a few % of residents a decade (CBS/PBL regional forecasts)",
        help="Share of residents who leave that a newcomer (aged 18-39, unaware of the collectives) replaces in the same home and ties.")
    age_young: float = param(
        1.0 / 22.0, unit="1/year", lo=0.0, hi=12.0, source="the age band 18-39 spans 22 years",
        help="Yearly hazard that a resident aged 18-39 turns 40 (with mechanisms.demography).")
    age_middle: float = param(
        1.0 / 25.0, unit="1/year", lo=0.0, hi=12.0, source="the age band 40-64 spans 25 years",
        help="Yearly hazard that a resident aged 40-64 turns 65 (with mechanisms.demography).")
    share_vulnerable: float = param(
        0.15, unit="share of adults", lo=0.0, hi=1.0,
        source="assumption: residents with poor health or few resources",
        help="Share of residents counted as vulnerable.")
    vulnerable_senior_ratio: float = param(
        2.0, unit="ratio", lo=0.0, hi=100.0,
        source="assumption: poor health and frailty are more common after 65 (DOMAIN.md s1: ageing, health gaps)",
        help="With mechanisms.vulnerability: how many times as likely a resident aged 65+ is vulnerable as a younger "
             "one (the expected share of all residents stays residents.share_vulnerable).",
        plausible=(1.0, 3.0),
        plausible_reason="assumption: from no age gradient to a clearly older vulnerable group")
    vulnerable_hours_factor: float = param(
        0.6, unit="factor", lo=0.0, hi=10.0,
        source="assumption; direction: CBS, volunteering is less common among residents in poor health or "
               "with less education",
        help="With mechanisms.vulnerability: a vulnerable resident's free time for community work is this factor "
             "times the free time drawn for its age group.",
        plausible=(0.3, 1.0),
        plausible_reason="assumption: from a third of the time left (illness, care duties, insecure work) to no difference")
    vulnerable_trust_gap: float = param(
        0.1, unit="index 0-1", lo=0.0, hi=1.0,
        source="assumption; direction: CBS and SCP, trust in institutions is lower among residents with less "
               "education or income",
        help="With mechanisms.vulnerability: how much lower a vulnerable resident's trust in government is drawn "
             "(its mean; the spread is residents.trust_sd).",
        plausible=(0.0, 0.2),
        plausible_reason="assumption: up to about one spread (residents.trust_sd) lower")
    income_sigma: float = param(
        0.5, unit="log-units", lo=0.0, hi=3.0,
        source="CBS: Gini of standardised disposable household income about 0.29; a lognormal with sigma 0.5 has "
               "Gini 2 Phi(sigma / sqrt 2) - 1 = 0.28 (derived)",
        help="With mechanisms.vulnerability: spread of log income (relative disposable income, median of residents "
             "who are not vulnerable = 1).")
    vulnerable_income_factor: float = param(
        0.6, unit="factor", lo=0.01, hi=10.0,
        source="assumption: vulnerable means poor health or few resources (low income)",
        help="With mechanisms.vulnerability: median income of vulnerable residents relative to the others'.",
        plausible=(0.4, 0.9),
        plausible_reason="assumption: from near the low-income line (about half the median) to a small difference")
    vulnerable_tie_loss: float = param(
        0.3, unit="share of ties", lo=0.0, hi=1.0,
        source="assumption; direction: CBS and RIVM, loneliness and social isolation are more common with poor "
               "health and low income",
        help="With mechanisms.vulnerability: share of a vulnerable resident's generated ties that do not exist "
             "(each end that is vulnerable removes a tie with this probability; not applied to network.kind=edge_list).",
        plausible=(0.0, 0.5),
        plausible_reason="assumption: from as many ties as others to half as many")
    hours_young: float = param(
        6.0, unit="hours/month", lo=0.0, hi=300.0,
        source="assumption: CBS, 40-50% of adults volunteer a few hours a week",
        help="Mean free time for community work of a resident aged 18-39.")
    hours_middle: float = param(
        5.0, unit="hours/month", lo=0.0, hi=300.0,
        source="assumption: CBS volunteering rates; working age has least time",
        help="Mean free time for community work of a resident aged 40-64.")
    hours_senior: float = param(
        12.0, unit="hours/month", lo=0.0, hi=300.0,
        source="assumption; DOMAIN.md s6: care initiatives are often run by people aged 60+",
        help="Mean free time for community work of a resident aged 65+.")
    hours_shape: float = param(
        1.5, unit="gamma shape", lo=0.01, hi=100.0,
        source="assumption: right-skewed free time",
        help="Shape of the gamma distribution of free time (lower is more unequal).")
    trust_mean: float = param(
        0.55, unit="index 0-1", lo=0.0, hi=1.0,
        source="assumption: roughly half of residents trust local government",
        help="Mean trust in government.")
    trust_sd: float = param(
        0.15, unit="index 0-1", lo=0.0, hi=1.0,
        source="assumption",
        help="Spread of trust in government between residents.")
    threshold_mean: float = param(
        0.3, unit="share of ties", lo=0.0, hi=1.0,
        source="assumption; Granovetter (1978) thresholds, Watts (2002) phi",
        plausible=(0.2, 0.4), plausible_reason="assumption: 0.1 either side of the default; Watts (2002): whether cascades occur at about 10 ties turns on thresholds in this range (Morris: the strongest behavioural input)",
        help="Mean adoption threshold; each resident's is threshold_mean - threshold_sd * z.")
    threshold_sd: float = param(
        0.1, unit="share of ties", lo=0.0, hi=1.0,
        source="assumption: spread mapping Rogers' categories (z cut-offs at 1 and 2 sd) to thresholds",
        help="Spread of thresholds; 0 gives every resident the same threshold.")
    health_mean: float = param(
        0.7, unit="index 0-1", lo=0.0, hi=1.0,
        source="assumption",
        help="Mean wellbeing of residents who are not vulnerable.")
    health_gap: float = param(
        0.2, unit="index 0-1", lo=0.0, hi=1.0,
        source="assumption: health gaps between groups (DOMAIN.md s1)",
        help="How much lower vulnerable residents' wellbeing starts.")
    health_participation: float = param(
        0.05, unit="index 0-1", lo=0.0, hi=1.0,
        source="assumption: taking part supports health and vitality (DOMAIN.md s1)",
        help="Wellbeing gained by taking part in a collective.")
    health_care: float = param(
        0.1, unit="index 0-1", lo=0.0, hi=1.0,
        source="assumption: care collectives reach vulnerable residents (DOMAIN.md s6)",
        help="Wellbeing a vulnerable resident gains when the village has a successful care collective.")


@dataclass
class AdoptionConfig:
    """The rule by which residents decide to take part, and its parameters."""

    rule: str = param(
        "flywheel", unit="name", choices=adoption_rule_names,
        source="Granovetter (1978); Bass (1969); this model (docs/ODD.md)",
        help="Decision rule for joining a collective, by name from sim/rules/registry.py (flywheel is the default).")
    bass_p: float = param(
        0.03, unit="1/year", lo=0.0, hi=10.0,
        source="Sultan, Farley & Lehmann (1990) meta-analysis mean p ~ 0.03",
        help="Bass coefficient of innovation.")
    bass_q: float = param(
        0.38, unit="1/year", lo=0.0, hi=10.0,
        source="Sultan, Farley & Lehmann (1990) meta-analysis mean q ~ 0.38",
        help="Bass coefficient of imitation (well mixed within a village).")
    contagion_k: int = param(
        2, unit="ties", lo=1, hi=10_000,
        source="Centola & Macy (2007, AJS 113(3)): a complex contagion needs at least two sources",
        help="Participating ties a resident needs before joining under the complex_contagion rule (a count, not a share).")
    seeds_per_village: int = param(
        0, unit="residents", lo=0, hi=1_000_000,
        source="Watts (2002): cascades from a single seed",
        help="Residents per village seeded at month 0 (threshold experiments): they take part, or with mechanisms.collectives on join the village's open collective if it has one and otherwise only become aware.")
    w_social: float = param(
        1.0, unit="per share of ties", lo=0.0, hi=10.0,
        source="assumption; Centola (2010): peers drive costly behaviour",
        plausible=(0.5, 1.5), plausible_reason="assumption: half to 1.5x the default; Centola (2010): peers drive costly behaviour (a direction, no size)",
        help="Weight of the share of one's ties who take part (reinforcing loop 1).")
    w_success: float = param(
        0.15, unit="per visibility", lo=0.0, hi=10.0,
        source="assumption: visible success draws residents in (DOMAIN.md loop 1)",
        plausible=(0.05, 0.3), plausible_reason="assumption: a third to twice the default; DOMAIN.md loop 1 names the effect, no size known",
        help="Weight of the visible success of collectives in the village.")
    w_trust: float = param(
        0.2, unit="per trust", lo=0.0, hi=10.0,
        source="assumption; direction from Koirala et al. (2018): trust drives willingness",
        help="Weight of the resident's trust in government, centred on 0.5.")
    w_time: float = param(
        0.2, unit="per time share", lo=0.0, hi=10.0,
        source="assumption: volunteering competes with scarce free time",
        plausible=(0.1, 0.4), plausible_reason="assumption: half to twice the default",
        help="Weight of the share of free time that membership would take.")
    w_income: float = param(
        0.05, unit="per log-unit of income", lo=0.0, hi=10.0,
        source="assumption; direction: SCP (2014, Burgermacht op eigen kracht?) and Koirala et al. (2018): residents "
               "with more education and income take part more",
        help="With mechanisms.vulnerability: weight of log income (relative to the median, so 0 there) in the pull "
             "toward joining: taking part costs money (fees, shares, outings).",
        plausible=(0.0, 0.15),
        plausible_reason="assumption: from no income effect to about three times the trust term's spread")
    w_inspiration: float = param(
        0.05, unit="per inspiration", lo=0.0, hi=10.0,
        source="assumption: success seen in nearby villages draws residents in, less than success in their own "
               "village (adoption.w_success); DOMAIN.md s1: inspire locally, reproduce regionally",
        help="With mechanisms.inspiration: weight of the inspiration from nearby villages' visible success in the "
             "pull toward joining.",
        plausible=(0.0, 0.15),
        plausible_reason="assumption: from none to as much as the village's own visible success (adoption.w_success)")
    member_hours: float = param(
        2.0, unit="hours/month", lo=0.0, hi=300.0,
        source="assumption",
        help="Time an ordinary member gives to the collective.")
    softness: float = param(
        0.05, unit="share of ties", lo=0.0, hi=1.0,
        source="assumption; 0 gives a hard threshold",
        help="Width of the logistic step around the threshold.")
    max_join_rate: float = param(
        0.1, unit="probability/month", lo=0.0, hi=1.0,
        source="assumption: a resident convinced takes ~10 months on average to join; calibration=energy"
               " (the default) sets 0.226 (5-95 % 0.141-0.29), ABC-SMC posterior median (docs/ODD.md "
               "s9)",
        plausible=(0.02, 0.3), plausible_reason="the energy calibration's prior (0.02-0.3; sim/calibrate/); drawn from its posterior when that file exists",
        help="Monthly probability of joining when the pull far exceeds the threshold.")
    rejoin_factor: float = param(
        0.2, unit="factor", lo=0.0, hi=1.0,
        source="assumption",
        help="Residents who dropped out join again at this fraction of the usual rate.")
    aware_base: float = param(
        0.01, unit="1/month", lo=0.0, hi=10.0,
        source="assumption: about one resident in eight hears of collectives each year unprompted; "
               "calibration=energy (the default) sets 0.0124 (5-95 % 0.00196-0.0411), ABC-SMC posterior"
               " median (docs/ODD.md s9)",
        plausible=(0.001, 0.05), plausible_reason="the calibration's prior (0.001-0.05; sim/calibrate/); drawn from its "
                                                  "posterior when that file exists",
        help="Hazard of becoming aware without any contact.")
    aware_social: float = param(
        0.5, unit="1/month per share of ties", lo=0.0, hi=100.0,
        source="assumption",
        help="Hazard of becoming aware per share of one's ties who take part.")
    aware_visible: float = param(
        0.1, unit="1/month per visibility", lo=0.0, hi=100.0,
        source="assumption",
        help="Hazard of becoming aware per unit of visible success in the village.")
    aware_innovativeness: float = param(
        0.5, unit="per sd of innovativeness (log hazard)", lo=0.0, hi=3.0,
        source="assumption (calibration=none), direction from Rogers (2003) ch. 7: earlier adopters have more "
               "exposure to mass media and interpersonal channels, seek information about innovations more actively "
               "and know of them sooner; calibration=energy (the default) sets 0.58 (5-95 % 0.139-0.926), ABC-SMC "
               "posterior median, not identified by the Dutch data (docs/ODD.md s9)",
        plausible=(0.0, 1.0), plausible_reason="the energy calibration's prior (0-1; sim/calibrate/), which the data "
                                               "leave open; drawn from its posterior when that file exists. At 0.5 an "
                                               "innovator (z = 2.3) hears of collectives 2.8 times as fast as the "
                                               "average resident, a laggard (z = -1.5) 0.4 times",
        help="With mechanisms.alertness: how much faster more innovative residents become aware; the awareness "
             "hazard is multiplied by exp(b z - b^2 / 2) (mean 1 over residents); 0 gives every resident the same "
             "hazard.")
    decide_innovativeness: float = param(
        0.0, unit="per sd of innovativeness (log rate)", lo=0.0, hi=3.0,
        source="assumption: 0, every resident acts on the pull at the same rate (the shipped calibration leaves the "
               "mechanism unused; vliegwiel-calibrate --rogers fits it, prior 0-1, docs/ODD.md s9); direction from "
               "Rogers (2003) ch. 5: earlier adopters have a shorter innovation-decision period than later adopters. "
               "At 1 an innovator (z = 2.3) joins 6 times as fast as the average resident once convinced, a laggard "
               "(z = -1.5) 0.14 times",
        help="With mechanisms.alertness: how much faster more innovative residents act once the pull exceeds their "
             "threshold; the adoption rule's probability is multiplied by exp(c z - c^2 / 2) (mean 1 over "
             "residents), capped at 1; 0 gives every resident the same rate.")
    dropout_base: float = param(
        0.004, unit="probability/month", lo=0.0, hi=1.0,
        source="assumption: ~5% of members leave a year for ordinary reasons",
        plausible=(0.002, 0.018), plausible_reason="EVIDENCE.md s1, s3: energy co-operatives lose a few members a year (Deltawind); volunteer programmes keep a median 80 % a year (Hager & Brudney 2004: ~0.018 a month)",
        help="Monthly probability that a member leaves.")
    dropout_failure: float = param(
        0.05, unit="probability/month per failure", lo=0.0, hi=1.0,
        source="assumption",
        help="Extra monthly leaving probability per unit of the collective's recent failure.")


@dataclass
class MechanismsConfig:
    """Switches for the model's mechanisms; all off gives the textbook diffusion models."""

    awareness: bool = param(True, unit="switch", source="this model",
                            help="Residents must become aware before they can join.")
    collectives: bool = param(True, unit="switch", source="this model",
                              help="Joining needs a collective in the village; collectives are founded, run projects and dissolve.")
    dropout: bool = param(True, unit="switch", source="this model",
                          help="Members leave (ordinary churn, failures, burnout).")
    burnout: bool = param(True, unit="switch", source="DOMAIN.md balancing loop: volunteer workload",
                          help="Core volunteers accumulate burnout when overloaded.")
    learning: bool = param(True, unit="switch", source="DOMAIN.md reinforcing loop 4",
                           help="Knowledge spills over between linked collectives in the region.")
    cross_theme: bool = param(True, unit="switch", source="DOMAIN.md reinforcing loop 2",
                              help="Surplus revenue flows to a village fund for collectives of other themes.")
    trust: bool = param(True, unit="switch", source="DOMAIN.md reinforcing loop 3",
                        help="Trust between collectives and government changes with success and attitude.")
    vulnerability: bool = param(True, unit="switch", source="DOMAIN.md s1, s5: reaching vulnerable groups",
                                help="Vulnerable residents differ: more often 65+, less free time, lower trust and "
                                     "income, fewer ties (residents.vulnerable_*); off: vulnerability is a coin "
                                     "independent of everything but health.")
    inspiration: bool = param(True, unit="switch", source="DOMAIN.md s1: inspire locally, reproduce regionally",
                              help="Visible success inspires nearby villages: founding and joining rise with it, "
                                   "decaying with distance (world.inspiration_*, adoption.w_inspiration).")
    demography: bool = param(False, unit="switch", source="DOMAIN.md s6: ageing, shrinking villages",
                             help="Residents age, move away and die (residents.leave_*, residents.age_*); off: a static population.")
    agreements: bool = param(True, unit="switch", source="DOMAIN.md s1: dialogues lead to village agreements; Movisie (2011)",
                             help="A village dialogue can end in a village agreement: priority themes the municipality commits to (policy.dialogue.agreement_*).")
    village_coops: bool = param(True, unit="switch", source="DOMAIN.md s1: dialogues lead to village co-operatives",
                                help="Under an agreement a village's collectives can form a village co-operative that pools core hours and capital (policy.dialogue.coop_*).")
    attitude: bool = param(True, unit="switch", source="DOMAIN.md s3: attitude shapes procedures",
                           help="Attitudes act: the province's counts with the municipality's in trust and procedures, procedures scale with attitude, agreements follow it.")
    province_roles: bool = param(True, unit="switch", source="DOMAIN.md s1: the province strengthens rather than replaces",
                                 help="The province's roles as co-funder (governments.cofunding) and giver of room to deviate (governments.room_to_deviate) apply.")
    equity: bool = param(True, unit="switch", source="DOMAIN.md s4: shareholding is equity / patient capital",
                         help="Social shareholding buys shares (equity, dividends, buy-back, a revolving fund) "
                              "instead of paying its stake as a grant.")
    member_room: bool = param(
        True, unit="switch", source="Bass (1969): market potential; members per Dutch energy co-operative stayed "
                                    "near 160 in 2016-2019 (Lokale Energie Monitor)",
        help="A collective holds at most collectives.themes.<theme>.member_share of its village's residents as "
             "members: a joiner is accepted with the room left, 1 - members / (share x residents).")
    alertness: bool = param(
        True, unit="switch", source="Rogers (2003) ch. 7: earlier adopters seek information about innovations more "
                                    "actively and know of them sooner; ch. 5: they have a shorter "
                                    "innovation-decision period",
        help="More innovative residents become aware sooner and, once convinced, join sooner: the awareness hazard "
             "is multiplied by exp(b z - b^2 / 2), b = adoption.aware_innovativeness, and the joining probability by "
             "exp(c z - c^2 / 2), c = adoption.decide_innovativeness (each mean 1 over residents).")
    voluntary_applications: bool = param(
        True, unit="switch", source="DOMAIN.md s2: the burden of applying costs the hours the project needs",
        help="Collectives apply for subsidies, enter prize rounds and bid for tenders only when the expected gain "
             "is worth the hours (applications.*); off: every eligible collective always applies.")

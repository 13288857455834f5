"""Residents' decisions as pure functions: arrays in, monthly probabilities out.

Each adoption rule maps `AdoptionInputs` to the probability that a resident who does not
take part joins this month. The model draws the uniform numbers; the rules stay pure.
Village-level inputs are passed per village with the residents' village index, so a rule
combines them at village level and gathers once.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ..config.people import AdoptionConfig
from .registry import register_adoption_rule

EPS = 1e-6  # tolerance when comparing a share of ties with a threshold (float32 shares)


@dataclass(frozen=True)
class AdoptionInputs:
    """What a resident can see when deciding (index i = resident, v = village)."""

    neighbour_share: np.ndarray  # [i] share of one's ties who take part, 0-1
    neighbour_count: np.ndarray  # [i] number of one's ties who take part
    threshold: np.ndarray        # [i] adoption threshold phi, 0-1
    trust: np.ndarray            # [i] trust in government, 0-1
    hours: np.ndarray            # [i] free time, hours/month
    village: np.ndarray          # [i] village index
    village_share: np.ndarray    # [v] share of the village taking part, 0-1
    visibility: np.ndarray       # [v] visible success of the village's collectives, 0-1
    mobilisation: np.ndarray     # [v] instruments' push toward joining (pull units)
    crowding: np.ndarray         # [v] instruments' crowding-out of intrinsic motivation (pull units)
    dt_years: float = 1.0 / 12.0  # length of a step in years
    village_sizes: np.ndarray | None = None  # [v] residents per village, if stored grouped by village
    income: np.ndarray | None = None       # [i] relative income, 1 = median (mechanisms.vulnerability; None: not used)
    inspiration: np.ndarray | None = None  # [v] inspiration from nearby villages, 0-1 (mechanisms.inspiration; None: not used)

    def per_resident(self, values: np.ndarray) -> np.ndarray:
        """Village-level values for every resident (v -> i)."""
        return per_resident(values, self.village, self.village_sizes)

    def subset(self, idx: np.ndarray) -> AdoptionInputs:
        """The same inputs for residents idx only (village-level inputs unchanged)."""
        return replace(self, neighbour_share=self.neighbour_share[idx], neighbour_count=self.neighbour_count[idx],
                       threshold=self.threshold[idx], trust=self.trust[idx], hours=self.hours[idx],
                       village=self.village[idx], village_sizes=None,
                       income=None if self.income is None else self.income[idx])


def per_resident(values: np.ndarray, village: np.ndarray, village_sizes: np.ndarray | None = None) -> np.ndarray:
    """values[village], computed as a repeat when residents are stored grouped by village
    (`village_sizes` given), which is several times faster than a gather."""
    if village_sizes is not None:
        return np.repeat(values, village_sizes)
    return values[village]


@register_adoption_rule("threshold")
def threshold_rule(x: AdoptionInputs, p: AdoptionConfig) -> np.ndarray:
    """Granovetter (1978) / Watts (2002) threshold rule.

    P(join) = 1 if f_i >= phi_i else 0, with f_i the share of i's ties who take part and
    phi_i i's threshold. Deterministic; residents without ties have f_i = 0.
    """
    return (x.neighbour_share >= x.threshold - EPS).astype(np.float32)


def _bass_ceiling(p: AdoptionConfig, dt_years: float) -> float:
    return 1.0 - np.exp(-(p.bass_p + p.bass_q) * dt_years)  # F_v <= 1


@register_adoption_rule("bass", ceiling=_bass_ceiling)
def bass_rule(x: AdoptionInputs, p: AdoptionConfig) -> np.ndarray:
    """Bass (1969) rule, well mixed within each village.

    Hazard h = p + q F_v (per year), F_v the share of the village taking part. Over one step
    of dt years: P(join) = 1 - exp(-(p + q F_v) dt). Its mean-field solution is the closed
    form F(t) = (1 - e^{-(p+q)t}) / (1 + (q/p) e^{-(p+q)t}).
    """
    per_village = 1.0 - np.exp(-(p.bass_p + p.bass_q * x.village_share) * x.dt_years)
    return x.per_resident(per_village.astype(np.float32))


def flywheel_pull(x: AdoptionInputs, p: AdoptionConfig) -> np.ndarray:
    """The pull toward joining (in units of 'share of ties').

    pull_i = w_social f_i + w_success V_v + w_trust (trust_i - 0.5) + M_v - X_v
             - w_time * h_m / (h_m + hours_i)
             [+ w_income ln(income_i)]        (mechanisms.vulnerability)
             [+ w_inspiration I_v]            (mechanisms.inspiration)

    f_i: share of ties taking part (loop 1, social influence); V_v: visible success;
    trust (Koirala et al. 2018); M_v, X_v: instruments' mobilisation and crowding-out;
    h_m / (h_m + hours_i): the share of free time membership would take (member_hours h_m);
    income_i relative to the median (ln 1 = 0: taking part costs money, felt more with less
    of it; assumption, direction SCP 2014); I_v: inspiration by nearby villages' visible
    success (sim/rules/villages.py: inspiration; assumption). A term whose input is None
    is left out.
    """
    village = p.w_success * x.visibility + x.mobilisation - x.crowding
    if x.inspiration is not None:
        village = village + p.w_inspiration * x.inspiration
    village_term = village.astype(np.float32)
    time_cost = p.member_hours / (p.member_hours + x.hours + 1e-9)
    pull = (p.w_social * x.neighbour_share + x.per_resident(village_term)
            + p.w_trust * (x.trust - 0.5) - p.w_time * time_cost)
    if x.income is not None:
        pull = pull + (p.w_income * np.log(x.income)).astype(pull.dtype)
    return pull


@register_adoption_rule("flywheel", ceiling=lambda p, dt_years: p.max_join_rate)
def flywheel_rule(x: AdoptionInputs, p: AdoptionConfig) -> np.ndarray:
    """The default rule: a soft threshold on the flywheel's pull.

    P(join) = r_max * sigmoid((pull_i - phi_i) / s), with r_max = max_join_rate and
    s = softness; s = 0 gives the hard step r_max * 1[pull_i >= phi_i]. With w_social = 1,
    the other weights 0, r_max = 1 and s = 0 it is exactly the threshold rule.
    """
    gap = flywheel_pull(x, p) - x.threshold
    if p.softness <= 0:
        return (p.max_join_rate * (gap >= -EPS)).astype(np.float32)
    return (p.max_join_rate / (1.0 + np.exp(-gap / p.softness))).astype(np.float32)


def alertness(z: np.ndarray, b: float) -> np.ndarray:
    """How readily each resident hears of collectives, relative to the average resident:

        m_i = exp(b z_i - b^2 / 2)

    z_i: innovativeness (standard normal), b: adoption.aware_innovativeness. E[exp(b z)] =
    exp(b^2 / 2) for standard normal z, so the mean over residents is 1: the awareness
    hazard is redistributed toward more innovative residents, not raised. Rogers (2003,
    ch. 7): earlier adopters have more exposure to mass media and interpersonal channels and
    seek information about innovations more actively (the direction; the size b is an
    assumption). b = 0 gives m_i = 1 for everyone."""
    return _mean_one_tilt(z, b)


def _mean_one_tilt(z: np.ndarray, k: float) -> np.ndarray:
    """exp(k z - k^2 / 2) in float32: for standard normal z its mean is 1 (E exp(k z) = exp(k^2 / 2))."""
    return np.exp(k * z.astype(np.float64) - 0.5 * k * k).astype(np.float32)


def decision_speed(z: np.ndarray, c: float) -> np.ndarray:
    """How fast each resident, once the pull exceeds the threshold, acts on it, relative to
    the average resident (a factor on the adoption rule's monthly probability):

        s_i = exp(c z_i - c^2 / 2),    P_i = min(1, s_i P_rule,i)

    z_i: innovativeness (standard normal), c: adoption.decide_innovativeness. As for
    alertness, E[exp(c z)] = exp(c^2 / 2), so the mean over residents is 1. Rogers (2003,
    ch. 5, the innovation-decision period): earlier adopters take a shorter time from
    knowing of an innovation to deciding on it than later adopters (the direction; the size
    c is an assumption, informed by the calibration's `rogers` pattern). c = 0 gives s_i = 1."""
    return _mean_one_tilt(z, c)


def awareness_probability(
    neighbour_share: np.ndarray, village: np.ndarray, visibility: np.ndarray, push: np.ndarray, p: AdoptionConfig,
    village_sizes: np.ndarray | None = None, targeted: np.ndarray | None = None, alert: np.ndarray | float | None = None,
) -> np.ndarray:
    """Monthly probability that an unaware resident becomes aware of the collectives.

    P = 1 - exp(-(m_i (a_0 + a_s f_i + a_v V_v + A_v) [+ O_i])), with A_v the instruments'
    awareness push (e.g. a village dialogue), m_i the resident's alertness (`alert`, see
    alertness; None: 1) and O_i an outreach hazard aimed at resident i (`targeted`, per
    resident; see outreach_hazard: outreach finds whom it aims at, however alert).
    Assumption: awareness spreads by contact and by visibility.
    """
    village_term = (p.aware_base + p.aware_visible * visibility + push).astype(np.float32)
    hazard = p.aware_social * neighbour_share + per_resident(village_term, village, village_sizes)
    if alert is not None:
        hazard = hazard * alert
    if targeted is not None:
        hazard = hazard + targeted.astype(hazard.dtype)
    return 1.0 - np.exp(-hazard)


def outreach_hazard(effort: np.ndarray, residents: np.ndarray, vulnerable: np.ndarray) -> np.ndarray:
    """Awareness hazard outreach adds for each vulnerable resident of a village, per village:

        O_v = E_v N_v / N_vul,v    (0 where the village has no vulnerable residents)

    E_v: outreach effort (the `outreach` channel, in awareness hazard per resident of the
    village, 1/month); N_v residents, N_vul,v vulnerable residents. The effort an instrument
    aims at vulnerable residents is concentrated on them: the hazard summed over the village
    is E_v N_v, as it would be spread over everyone (assumption: outreach, *outreachend
    werken*, finds the residents it aims at).
    """
    vul = np.asarray(vulnerable, dtype=float)
    return np.divide(effort * residents, vul, out=np.zeros(len(effort)), where=vul > 0)


def dropout_probability(
    failure_signal: np.ndarray, burnout: np.ndarray, is_core: np.ndarray,
    base: float, per_failure: float, burnout_exit: float,
) -> np.ndarray:
    """Monthly probability that a member (or core volunteer) leaves.

    P = clip(d_0 + d_f * failure_signal_c + [core] * b_x * burnout_c, 0, 1): ordinary churn,
    disappointment after the collective's failures, and burnout of the core group
    (DOMAIN.md balancing loop: volunteer workload).
    """
    return np.clip(base + per_failure * failure_signal + is_core * (burnout_exit * burnout), 0.0, 1.0)

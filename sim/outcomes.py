"""Outcomes, declared once: name, unit, scale, labels (en, nl), direction and how each is
computed. The recorder, the metrics, the records, the report and the page all read them here
(as EMA Workbench's outcomes or Mesa's DataCollector reporters), so an outcome is added in
one place.

- SERIES: region-level numbers recorded every month (`sim/recorder.py`: the `region` table);
  `record` ones also go into every ensemble record's curves (`sim/experiments/records.py`).
  Each is computed from `Snapshot`, the month's counts the recorder takes once.
- METRICS: one number per run (`sim/metrics.py: run_metrics`), from the run's tidy tables;
  by-theme metrics (`founded_<theme>`, ...) follow from THEME_METRICS; WITHDRAWAL_METRICS
  and SPILLOVER_METRICS only for runs where every instrument stops early or that name pilot
  villages; PAIRED ones need a baseline and are computed by the report.

`scale` says how a value is read and summarised: "share" (0-1, shown in %, intervals that stay
within 0-100 %), "count", "months", "EUR", "rate" (per year), "index" (0-1), "ratio", "none".
`better` is +1 when more is better for the province's aims, -1 when less is, 0 when neither
(robustness and regret use it).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .state import APPLICATION_KINDS


@dataclass(frozen=True)
class Outcome:
    name: str
    unit: str
    scale: str
    en: str
    nl: str
    compute: Callable | None = None
    better: int = 0
    record: bool = False        # series: also in ensemble records

    def label(self, lang: str = "en") -> str:
        return self.nl if lang == "nl" else self.en


@dataclass
class Snapshot:
    """A month's counts, taken once by the recorder; the series are computed from it."""

    residents: int
    taking_part: int
    unaware: int
    core: int
    dropped: int
    vulnerable_taking_part: int
    vulnerable: int
    alive: int
    founded: int
    self_sustaining: int
    liveability_mean: float
    liveability_sd: float
    wellbeing_gap: float
    spend: float
    spent: float
    gov_funding: float
    own_funding: float
    capital: float
    # governments' role (sim/dynamics/governance.py: counts): agreements, co-operatives, trust
    agreements: int = 0            # village agreements in force
    agreements_made: int = 0       # concluded so far (renewals included)
    coops: int = 0                 # village co-operatives now
    coops_formed: int = 0          # formed so far
    coop_collectives: int = 0      # living collectives run by a co-operative
    trust_mean: float = 0.0        # mean trust of living collectives with their municipality
    knowledge_mean: float = 0.0    # mean knowledge of living collectives
    province_spent: float = 0.0    # the province's spend so far, co-funding included
    equity_funding: float = 0.0     # living collectives: EUR governments paid for shares
    equity: float = 0.0             # living collectives: EUR of shares governments hold now
    returned: float = 0.0           # every collective ever: EUR paid back to government shareholders
    applications: dict[str, float] = field(default_factory=dict)  # every collective ever: applied_subsidy, ...,
                                                                  # application_hours (sim/state.py)

    @property
    def funding(self) -> float:
        """All funding living collectives received: grants, own money and equity."""
        return self.gov_funding + self.own_funding + self.equity_funding

    @property
    def n(self) -> int:
        return max(self.residents, 1)


SERIES: tuple[Outcome, ...] = (
    Outcome("residents", "residents", "count", "residents", "inwoners", lambda s: s.residents,
            record=True),   # in records: a calibration scales the region's counts to a country by it
    Outcome("participation_share", "share of residents", "share", "residents taking part", "inwoners die meedoen",
            lambda s: s.taking_part / s.n, better=1, record=True),
    Outcome("aware_share", "share of residents", "share", "residents aware of collectives",
            "inwoners die collectieven kennen", lambda s: 1.0 - s.unaware / s.n, better=1, record=True),
    Outcome("members", "residents", "count", "members", "leden", lambda s: s.taking_part - s.core, better=1,
            record=True),
    Outcome("core", "residents", "count", "core volunteers", "kernvrijwilligers", lambda s: s.core, better=1,
            record=True),
    Outcome("dropped", "residents", "count", "residents who dropped out", "inwoners die afhaakten",
            lambda s: s.dropped, better=-1),
    Outcome("vulnerable_participation_share", "share of vulnerable residents", "share",
            "vulnerable residents taking part", "kwetsbare inwoners die meedoen",
            lambda s: s.vulnerable_taking_part / max(s.vulnerable, 1), better=1, record=True),
    Outcome("rest_participation_share", "share of residents who are not vulnerable", "share",
            "residents who are not vulnerable taking part", "niet-kwetsbare inwoners die meedoen",
            lambda s: (s.taking_part - s.vulnerable_taking_part) / max(s.residents - s.vulnerable, 1), better=1,
            record=True),
    Outcome("collectives_alive", "collectives", "count", "collectives alive", "bestaande collectieven",
            lambda s: s.alive, better=1, record=True),
    Outcome("collectives_founded", "collectives", "count", "collectives founded so far",
            "collectieven opgericht tot nu", lambda s: s.founded, better=1),
    Outcome("collectives_dissolved", "collectives", "count", "collectives dissolved so far",
            "collectieven opgeheven tot nu", lambda s: s.founded - s.alive, better=-1),
    Outcome("self_sustaining", "collectives", "count", "self-sustaining collectives", "zelfstandige collectieven",
            lambda s: s.self_sustaining, better=1, record=True),
    Outcome("liveability_mean", "index 0-1", "index", "liveability, mean of villages",
            "leefbaarheid, gemiddelde van de dorpen", lambda s: s.liveability_mean, better=1, record=True),
    Outcome("liveability_sd", "index 0-1", "index", "liveability, spread between villages (sd)",
            "leefbaarheid, spreiding tussen dorpen (sd)", lambda s: s.liveability_sd, better=-1, record=True),
    Outcome("wellbeing_gap", "index 0-1", "index", "wellbeing gap (others minus vulnerable)",
            "verschil in welzijn (anderen min kwetsbaren)", lambda s: s.wellbeing_gap, better=-1),
    Outcome("public_spend", "EUR/month", "EUR", "public spend this month", "publiek geld deze maand",
            lambda s: s.spend, record=True),
    Outcome("public_spend_cumulative", "EUR", "EUR", "public spend so far", "publiek geld tot nu",
            lambda s: s.spent, record=True),
    Outcome("government_funding_share", "share of funding", "share", "dependence on government grants",
            "afhankelijkheid van overheidssubsidie",
            lambda s: s.gov_funding / s.funding if s.funding > 0 else 0.0, better=-1, record=True),
    Outcome("capital_total", "EUR", "EUR", "collectives' capital", "vermogen van collectieven",
            lambda s: s.capital, better=1),
    Outcome("agreements_in_force", "villages", "count", "village agreements in force", "dorpsafspraken die gelden",
            lambda s: s.agreements, better=1, record=True),
    Outcome("agreements_made", "agreements", "count", "village agreements made so far",
            "dorpsafspraken gemaakt tot nu", lambda s: s.agreements_made),
    Outcome("village_coops", "villages", "count", "village co-operatives", "dorpscoöperaties",
            lambda s: s.coops, better=1, record=True),
    Outcome("village_coops_formed", "co-operatives", "count", "village co-operatives formed so far",
            "dorpscoöperaties opgericht tot nu", lambda s: s.coops_formed),
    Outcome("coop_collectives", "collectives", "count", "collectives run by a village co-operative",
            "collectieven in een dorpscoöperatie", lambda s: s.coop_collectives, better=1, record=True),
    Outcome("trust_mean", "index 0-1", "index", "trust between collectives and municipality (mean)",
            "vertrouwen tussen collectieven en gemeente (gemiddeld)", lambda s: s.trust_mean, better=1, record=True),
    Outcome("knowledge_mean", "index 0-1", "index", "collectives' know-how (mean)",
            "kennis van collectieven (gemiddeld)", lambda s: s.knowledge_mean, better=1, record=True),
    Outcome("province_spend_cumulative", "EUR", "EUR", "province's spend so far (co-funding included)",
            "uitgaven van de provincie tot nu (cofinanciering inbegrepen)", lambda s: s.province_spent, record=True),
    # social shareholding as equity (sim/rules/equity.py): apart from grants
    Outcome("equity_funding_share", "share of funding", "share", "government shares in collectives' funding",
            "overheidsaandelen in de financiering van collectieven",
            lambda s: s.equity_funding / s.funding if s.funding > 0 else 0.0),
    Outcome("equity_outstanding", "EUR", "EUR", "government shares outstanding", "uitstaande overheidsaandelen",
            lambda s: s.equity),
    Outcome("capital_returned", "EUR", "EUR", "capital returned to government so far (dividends, buy-backs)",
            "kapitaal terug naar de overheid tot nu (dividend, terugkoop)", lambda s: s.returned, better=1),
)

# applying (mechanisms.voluntary_applications, sim/rules/applications.py): per kind, so far
_KIND_LABELS = {"subsidy": ("subsidy", "subsidie"), "prize": ("prize competition", "prijsvraag"),
                "tender": ("tender", "aanbesteding")}
_APPLYING = (  # (count, en, nl, better)
    ("applied", "applications made", "aanvragen gedaan", 0),
    ("declined", "chose not to apply", "besloten niet aan te vragen", 0),
    ("won", "applications won", "aanvragen toegekend of gewonnen", 1),
)
assert set(_KIND_LABELS) == set(APPLICATION_KINDS)


def _count(key: str):
    return lambda s: s.applications.get(key, 0.0)


SERIES += tuple(
    Outcome(f"{what}_{kind}", "applications", "count", f"{en} so far: {_KIND_LABELS[kind][0]}",
            f"{nl} tot nu: {_KIND_LABELS[kind][1]}", _count(f"{what}_{kind}"), better=better)
    for kind in APPLICATION_KINDS for what, en, nl, better in _APPLYING
) + (Outcome("application_hours", "hours", "none", "volunteer hours spent on applications so far",
             "vrijwilligersuren besteed aan aanvragen tot nu", _count("application_hours"), better=-1),)

SERIES_NAMES = tuple(o.name for o in SERIES)
RECORD_SERIES = tuple(o.name for o in SERIES if o.record)
INTEGER_SERIES = tuple(o.name for o in SERIES if o.scale == "count")


# --- one number per run -------------------------------------------------------------------
ROGERS_LEVELS = (0.025, 0.16)  # innovators; innovators + early adopters (Rogers 2003)
FAR_MORE = 2.0  # assumption: innovators + early adopters lead "far more" than random order = at least twice
CHASM_SHARE = 0.16  # assumption: the early majority "follows" once 16 % of it takes part
YEAR_5 = 60


def _at(month: int):
    return lambda r: float(r.share[month]) if month < len(r.share) else math.nan


METRICS: tuple[Outcome, ...] = (
    Outcome("participation_end", "share of residents", "share", "residents taking part at the end",
            "inwoners die meedoen aan het eind", lambda r: float(r.end["participation_share"]), better=1),
    Outcome("participation_y5", "share of residents", "share", "residents taking part at year 5",
            "inwoners die meedoen na 5 jaar", _at(YEAR_5), better=1),
    Outcome("participation_auc", "share x years", "rate", "taking part, area under the curve (share-years)",
            "meedoen, oppervlak onder de curve (aandeel-jaren)",
            lambda r: float(np.sum(r.share[1:]) / 12.0), better=1),
    Outcome("vulnerable_participation_end", "share of vulnerable residents", "share",
            "vulnerable residents taking part at the end", "kwetsbare inwoners die meedoen aan het eind",
            lambda r: float(r.end["vulnerable_participation_share"]), better=1),
    Outcome("vulnerable_gap_end", "share of vulnerable minus share of the rest", "share",
            "gap in taking part at the end: vulnerable residents minus the rest (below 0: left behind)",
            "verschil in meedoen aan het eind: kwetsbare inwoners min de rest (onder 0: achtergebleven)",
            lambda r: float(r.end["vulnerable_participation_share"] - r.end["rest_participation_share"]), better=1),
    Outcome("vulnerable_gap_auc", "share x years", "rate",
            "gap in taking part, area under the curve: vulnerable minus the rest (share-years)",
            "verschil in meedoen, oppervlak onder de curve: kwetsbaren min de rest (aandeel-jaren)",
            lambda r: float(np.sum(r.vulnerable_gap[1:]) / 12.0), better=1),
    Outcome("months_to_2_5", "months", "months", "months to 2.5 % taking part", "maanden tot 2,5 % meedoet",
            lambda r: months_to_reach(r.month, r.share, ROGERS_LEVELS[0]), better=-1),
    Outcome("months_to_16", "months", "months", "months to 16 % taking part", "maanden tot 16 % meedoet",
            lambda r: months_to_reach(r.month, r.share, ROGERS_LEVELS[1]), better=-1),
    Outcome("early_majority_share_end", "share of the early majority", "share",
            "early majority taking part at the end", "vroege meerderheid die meedoet aan het eind",
            lambda r: r.early_majority_end, better=1),
    Outcome("chasm_crossed", "share of runs", "share", "early majority follows (>= 16 % of it)",
            "vroege meerderheid volgt (>= 16 % ervan)", lambda r: float(r.early_majority_end >= CHASM_SHARE),
            better=1),
    Outcome("early_lead", "ratio", "ratio", "pioneers lead: innovators + early adopters among a village's first 16 % "
            "of adopters, x random order", "pioniers voorop: innovators + vroege adopters onder de eerste 16 % van "
            "de deelnemers van een dorp, x willekeurige volgorde", lambda r: r.early_lead),
    Outcome("bass_p", "1/year", "rate", "Bass p (innovation)", "Bass p (vernieuwing)", lambda r: r.bass["bass_p"]),
    Outcome("bass_q", "1/year", "rate", "Bass q (imitation)", "Bass q (navolging)", lambda r: r.bass["bass_q"]),
    Outcome("bass_m", "share", "share", "Bass m (final share)", "Bass m (uiteindelijk deel)",
            lambda r: r.bass["bass_m"]),
    Outcome("bass_r2", "-", "none", "Bass fit R^2", "Bass-fit R^2", lambda r: r.bass["bass_r2"]),
    Outcome("bass_rmse", "share", "none", "Bass fit error (RMSE)", "Bass-fit fout (RMSE)",
            lambda r: r.bass["bass_rmse"]),
    Outcome("collectives_founded", "collectives", "count", "collectives founded", "collectieven opgericht",
            lambda r: float(len(r.final)), better=1),
    Outcome("collectives_surviving", "collectives", "count", "collectives alive at the end",
            "collectieven die aan het eind nog bestaan", lambda r: float(r.end["collectives_alive"]), better=1),
    Outcome("self_sustaining_end", "collectives", "count", "self-sustaining collectives at the end",
            "zelfstandige collectieven aan het eind", lambda r: float(r.end["self_sustaining"]), better=1),
    Outcome("liveability_mean_end", "index 0-1", "index", "liveability, mean of villages",
            "leefbaarheid, gemiddelde van de dorpen", lambda r: float(r.end["liveability_mean"]), better=1),
    Outcome("liveability_spread_end", "index 0-1", "index", "liveability, spread between villages (sd)",
            "leefbaarheid, spreiding tussen dorpen (sd)", lambda r: float(r.end["liveability_sd"]), better=-1),
    Outcome("wellbeing_gap_end", "index 0-1", "index", "gap in wellbeing at the end",
            "verschil in welzijn aan het eind", lambda r: float(r.end["wellbeing_gap"]), better=-1),
    Outcome("public_spend_total", "EUR", "EUR", "public spend", "publiek geld uitgegeven",
            lambda r: float(r.end["public_spend_cumulative"])),
    Outcome("dependence_end", "share of funding", "share", "dependence on government grants at the end",
            "afhankelijkheid van overheidssubsidie aan het eind", lambda r: float(r.end["government_funding_share"]),
            better=-1),
    Outcome("equity_share_end", "share of funding", "share", "government shares in collectives' funding at the end",
            "overheidsaandelen in de financiering aan het eind", lambda r: float(r.end["equity_funding_share"])),
    Outcome("equity_outstanding_end", "EUR", "EUR", "government shares outstanding at the end",
            "uitstaande overheidsaandelen aan het eind", lambda r: float(r.end["equity_outstanding"])),
    Outcome("capital_returned", "EUR", "EUR", "capital returned to government (dividends, buy-backs)",
            "kapitaal terug naar de overheid (dividend, terugkoop)", lambda r: float(r.end["capital_returned"]),
            better=1),
    Outcome("participants_end", "residents", "count", "residents taking part at the end",
            "aantal inwoners dat meedoet aan het eind", lambda r: float(r.end["members"] + r.end["core"]), better=1),
    Outcome("agreements_end", "villages", "count", "village agreements in force at the end",
            "dorpsafspraken die aan het eind gelden", lambda r: float(r.end["agreements_in_force"]), better=1),
    Outcome("agreements_made_total", "agreements", "count", "village agreements made",
            "dorpsafspraken gemaakt", lambda r: float(r.end["agreements_made"])),
    Outcome("village_coops_end", "co-operatives", "count", "village co-operatives at the end",
            "dorpscoöperaties aan het eind", lambda r: float(r.end["village_coops"]), better=1),
    Outcome("coop_collectives_end", "collectives", "count", "collectives run by a village co-operative at the end",
            "collectieven in een dorpscoöperatie aan het eind", lambda r: float(r.end["coop_collectives"]), better=1),
    Outcome("coop_survival", "share of co-operatives formed", "share", "village co-operatives still there at the end",
            "dorpscoöperaties die aan het eind nog bestaan",
            lambda r: (float(r.end["village_coops"]) / float(r.end["village_coops_formed"])
                       if r.end["village_coops_formed"] > 0 else math.nan), better=1),
    Outcome("trust_mean_end", "index 0-1", "index", "trust between collectives and municipality at the end",
            "vertrouwen tussen collectieven en gemeente aan het eind", lambda r: float(r.end["trust_mean"]), better=1),
    Outcome("knowledge_mean_end", "index 0-1", "index", "collectives' know-how at the end",
            "kennis van collectieven aan het eind", lambda r: float(r.end["knowledge_mean"]), better=1),
    Outcome("province_spend_total", "EUR", "EUR", "province's spend (co-funding included)",
            "uitgaven van de provincie (cofinanciering inbegrepen)",
            lambda r: float(r.end["province_spend_cumulative"])),
)

# when the run has pilot villages (world.pilot_villages, or instruments' villages lists;
# sim/metrics.py: pilot_villages): what spreads to the other villages
SPILLOVER_METRICS: tuple[Outcome, ...] = (
    Outcome("spillover_participation_end", "share of residents outside the pilots", "share",
            "taking part at the end outside the pilot villages (spill-over)",
            "meedoen aan het eind buiten de pilotdorpen (uitstraling)",
            lambda r: outside_share(r.village, r.pilots), better=1),
    Outcome("spillover_founded", "collectives", "count", "collectives founded outside the pilot villages (spill-over)",
            "collectieven opgericht buiten de pilotdorpen (uitstraling)",
            lambda r: outside_founded(r.final, r.pilots), better=1),
)

# applying, at the end of the run (per kind: applied_subsidy, declined_subsidy, won_subsidy, ...)
METRICS += tuple(
    Outcome(f"{what}_{kind}", "applications", "count", f"{en}: {_KIND_LABELS[kind][0]}", f"{nl}: {_KIND_LABELS[kind][1]}",
            (lambda key: lambda r: float(r.end[key]))(f"{what}_{kind}"), better=better)
    for kind in APPLICATION_KINDS for what, en, nl, better in _APPLYING
) + (Outcome("application_hours", "hours", "none", "volunteer hours spent on applications",
             "vrijwilligersuren besteed aan aanvragen", lambda r: float(r.end["application_hours"]), better=-1),)

# when every instrument of the mix stops before the horizon (sim/metrics.py: stop_month)
WITHDRAWAL_METRICS: tuple[Outcome, ...] = (
    Outcome("participation_at_stop", "share of residents", "share", "taking part when the instruments stop",
            "meedoen bij het stoppen van de instrumenten", lambda r: float(r.share[r.stop_month]), better=1),
    Outcome("persistence", "ratio", "ratio", "what persists after the instruments stop (end / at stop)",
            "wat blijft na het stoppen (eind / bij stop)",
            lambda r: (float(r.end["participation_share"]) / float(r.share[r.stop_month])
                       if r.share[r.stop_month] > 0 else math.nan), better=1),
)

# per theme t: name f"{prefix}{t}", counted in the run's final table of collectives
THEME_METRICS: tuple[Outcome, ...] = (
    Outcome("founded_", "collectives", "count", "collectives founded", "collectieven opgericht",
            lambda rows: float(len(rows)), better=1),
    Outcome("surviving_", "collectives", "count", "collectives alive at the end",
            "collectieven die aan het eind nog bestaan", lambda rows: float((rows["stage"] != "dissolved").sum()),
            better=1),
    Outcome("self_sustaining_", "collectives", "count", "self-sustaining collectives at the end",
            "zelfstandige collectieven aan het eind",
            lambda rows: float((rows["stage"] == "self_sustaining").sum()), better=1),
)

# against a baseline, computed by the report (sim/report/stats.py)
PAIRED: tuple[Outcome, ...] = (
    Outcome("cost_per_extra_participant", "EUR per resident", "EUR", "public spend per extra resident taking part",
            "publiek geld per extra inwoner die meedoet", better=-1),
)

_ALL = {o.name: o for o in (*METRICS, *WITHDRAWAL_METRICS, *SPILLOVER_METRICS, *PAIRED)}


def pilot_villages(cfg) -> np.ndarray | None:
    """The pilot villages of a run: world.pilot_villages, or else every village named in an
    instrument's `villages` list; None when there are none (spill-over is then undefined).
    A comparison names world.pilot_villages so that every scenario counts the same villages."""
    named = list(cfg.world.pilot_villages)
    if not named:
        for name in dict.fromkeys(cfg.policy.instruments):
            named += list(getattr(getattr(cfg.policy, name, None), "villages", None) or [])
    return np.unique(np.asarray(named, dtype=np.int64)) if named else None


def outside_share(village, pilots: np.ndarray | None) -> float:
    """Share of residents taking part at the last month in the villages that are not pilots
    (from the run's village table), NaN without pilots or residents outside them."""
    if pilots is None:
        return math.nan
    last = village[village["month"] == village["month"].iloc[-1]]
    rest = last[~last["village"].isin(pilots)]
    residents = float(rest["population"].sum())
    return float((rest["participation_share"] * rest["population"]).sum() / residents) if residents > 0 else math.nan


def outside_founded(final, pilots: np.ndarray | None) -> float:
    """Collectives founded during the run (month >= 0; not those the world starts with) in the
    villages that are not pilots, NaN without pilots."""
    if pilots is None:
        return math.nan
    return float(((final["founded"] >= 0) & ~final["village"].isin(pilots)).sum())


def months_to_reach(month: np.ndarray, share: np.ndarray, level: float) -> float:
    """First month at which the share reaches `level` (NaN if it never does)."""
    hit = np.flatnonzero(np.asarray(share) >= level)
    return float(month[hit[0]]) if hit.size else math.nan


def outcome(name: str) -> Outcome | None:
    """The declaration of a metric by name (by-theme ones included; a bare prefix such as
    'founded_' gives its template), or None."""
    if name in _ALL:
        return _ALL[name]
    for template in THEME_METRICS:
        if name == template.name:
            return template
    for template in THEME_METRICS:
        if name.startswith(template.name) and name != template.name:
            theme = name.removeprefix(template.name)
            return Outcome(name, template.unit, template.scale, f"{template.en}: {theme}",
                           f"{template.nl}: {theme}", template.compute, template.better)
    for series in SERIES:
        if series.name == name:
            return series
    return None


def label(name: str, lang: str = "en") -> str:
    o = outcome(name)
    return o.label(lang) if o is not None else name.replace("_", " ")


def unit(name: str) -> str:
    o = outcome(name)
    return o.unit if o is not None else "-"


def scale(name: str) -> str:
    o = outcome(name)
    return o.scale if o is not None else "none"

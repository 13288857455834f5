"""Outcomes, declared once: name, unit, scale, labels (en, nl), direction and how each is
computed. The recorder, the metrics, the records, the report and the page all read them here
(as EMA Workbench's outcomes or Mesa's DataCollector reporters), so an outcome is added in
one place.

- SERIES: region-level numbers recorded every month (`sim/recorder.py`: the `region` table);
  `record` ones also go into every ensemble record's curves (`sim/experiments/records.py`).
  Each is computed from `Snapshot`, the month's counts the recorder takes once.
- METRICS: one number per run (`sim/metrics.py: run_metrics`), from the run's tidy tables;
  by-theme metrics (`founded_<theme>`, ...) follow from THEME_METRICS; PAIRED ones need a
  baseline and are computed by the report; DERIVED ones follow from a run's other metrics
  (the vulnerable residents' gap) and are computed by the analyses that use them.

`scale` says how a value is read and summarised: "share" (0-1, shown in %, intervals that stay
within 0-100 %), "count", "months", "EUR", "rate" (per year), "index" (0-1), "ratio", "none".
`better` is +1 when more is better for the province's aims, -1 when less is, 0 when neither
(robustness and regret use it).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


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

    @property
    def n(self) -> int:
        return max(self.residents, 1)


SERIES: tuple[Outcome, ...] = (
    Outcome("residents", "residents", "count", "residents", "inwoners", lambda s: s.residents),
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
    Outcome("government_funding_share", "share of funding", "share", "dependence on government money",
            "afhankelijkheid van overheidsgeld",
            lambda s: s.gov_funding / (s.gov_funding + s.own_funding) if s.gov_funding + s.own_funding > 0 else 0.0,
            better=-1, record=True),
    Outcome("capital_total", "EUR", "EUR", "collectives' capital", "vermogen van collectieven",
            lambda s: s.capital, better=1),
)

SERIES_NAMES = tuple(o.name for o in SERIES)
RECORD_SERIES = tuple(o.name for o in SERIES if o.record)
INTEGER_SERIES = tuple(o.name for o in SERIES if o.scale == "count")


# --- one number per run -------------------------------------------------------------------
ROGERS_LEVELS = (0.025, 0.16)  # innovators; innovators + early adopters (Rogers 2003)
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
    Outcome("dependence_end", "share of funding", "share", "dependence on government money at the end",
            "afhankelijkheid van overheidsgeld aan het eind", lambda r: float(r.end["government_funding_share"]),
            better=-1),
    Outcome("participants_end", "residents", "count", "residents taking part at the end",
            "aantal inwoners dat meedoet aan het eind", lambda r: float(r.end["members"] + r.end["core"]), better=1),
)

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

# computed from a run's other metrics (a row of metrics.parquet, or the dict of run_metrics) by
# those who need them (exploration, sim/explore/); not recorded, so records stay as they are
DERIVED: tuple[Outcome, ...] = (
    Outcome("vulnerable_gap_end", "share of residents", "share",
            "vulnerable residents' gap at the end (vulnerable minus all taking part)",
            "achterstand van kwetsbare inwoners aan het eind (kwetsbaren min iedereen die meedoet)",
            lambda m: m["vulnerable_participation_end"] - m["participation_end"], better=1),
)

_ALL = {o.name: o for o in (*METRICS, *WITHDRAWAL_METRICS, *PAIRED, *DERIVED)}


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

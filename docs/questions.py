"""The province's questions: run each question's command, and write what it says.

    .venv/bin/python docs/questions.py                  every command (resumes), then the texts
    .venv/bin/python docs/questions.py --no-run         only the texts, from the reports in results/
    .venv/bin/python docs/questions.py --workers 1      the sweeps' workers (0: one per core)
    make questions ARGS="--workers 1"                   the same

The ten questions of the programme (../shared/DOMAIN.md, issue 12) each name a command, a
comparison of scenarios/ run by `vliegwiel` exactly as a reader would type it. Each command
writes its report (sim/report/) into its scenario's folder under results/comparisons/; this
script reads the report's tables (report/report.md, report/metrics_table.csv,
report/phase_out.csv) and, where a question needs another baseline or the pilot villages,
the runs' metrics.parquet and dataset.parquet, and writes

- docs/QUESTIONS.md: per question the command, excerpts of its report (effects with 95 %
  intervals at year 5, year 10, as area under the curve and in months to 2.5 % and 16 %),
  the key numbers, the assumptions it rests on (default and plausible range of each, read
  from the parameters' declarations) and what the model cannot answer;
- README.md between `<!-- questions:start -->` and `<!-- questions:end -->`: a short
  section per question with its key number and a link;
- README.md between `<!-- compare:start -->` and `<!-- compare:end -->`: the default
  comparison's (make compare) effects, and its figure copied to docs/img/compare_instruments.png.

After a new calibration (make calibrate) one command refreshes every number: the runs'
keys hash their parameter values, so nothing of before is reused.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import math
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.atomic import write_text_atomic  # noqa: E402
from sim.report import stats, tables  # noqa: E402

VLIEGWIEL = ".venv/bin/vliegwiel"
QUESTIONS_MD = ROOT / "docs" / "QUESTIONS.md"
README = ROOT / "README.md"
FIGURE = ROOT / "docs" / "img" / "compare_instruments.png"
TIMINGS = ROOT / "results" / "questions_timings.json"   # the last measured run of each command (not committed)
PILOTS = (0, 6, 12, 18, 24)   # world.pilot_villages of scenarios/programme_2019.yaml and right_to_challenge_pilot.yaml


# --- commands -------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Command:
    """A comparison as a reader types it: `.venv/bin/vliegwiel scenario=<scenario> <args>`."""

    scenario: str
    args: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return self.scenario

    @property
    def text(self) -> str:
        words = self.argv(None)[1:-1]
        return " ".join([VLIEGWIEL, *(f"'{a}'" if any(c in a for c in "[]()") else a for a in words)])

    @property
    def path(self) -> Path:
        return ROOT / "scenarios" / f"{self.scenario}.yaml"

    @property
    def folder(self) -> Path:
        spec = yaml.safe_load(self.path.read_text(encoding="utf-8"))
        return ROOT / spec["hydra"]["sweep"]["dir"]

    def argv(self, workers: int | None) -> list[str]:
        """The command's words, its options (--baseline) first: overrides may not follow an option."""
        options = [a for i, a in enumerate(self.args) if a.startswith("--") or (i and self.args[i - 1].startswith("--"))]
        overrides = [a for a in self.args if a not in options]
        return [str(ROOT / VLIEGWIEL), *options, f"scenario={self.scenario}", *overrides,
                f"hydra.launcher.workers={workers}"]


TEN = ("posterior=replicate", "replicate=range(0,10)")   # existing scenarios: 10 replicates on posterior draws
COMPARE = Command("compare_instruments")
COMMANDS = {c.key: c for c in (
    COMPARE,
    Command("province_roles", TEN),
    Command("ageing_villages", TEN),
    Command("shareholding_long"),
    Command("right_to_challenge_pilot"),
    Command("dialogues"),
    Command("withdrawal", TEN),
    Command("outreach", ("--baseline", "policy.instruments=[none]")),
    Command("learning_across_themes"),
    Command("programme_2019", TEN),
)}


@dataclasses.dataclass
class Timing:
    seconds: float
    load: str
    line: str
    workers: int


def run(cmd: Command, workers: int) -> Timing:
    """Run one command; its wall time, the load average at its start and end, and its last line."""
    load0 = _load()
    t = time.time()
    proc = subprocess.run(cmd.argv(workers), cwd=ROOT, capture_output=True, text=True)
    seconds = time.time() - t
    last = [ln for ln in proc.stderr.splitlines() if ln.strip()][-1:] or [""]
    if proc.returncode != 0:
        raise SystemExit(f"questions: {cmd.text} ended with status {proc.returncode}: {last[0]}")
    return Timing(seconds, f"{load0}-{_load()}", last[0], workers)


def _load() -> str:
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "?"


# --- reading a report -----------------------------------------------------------------------

class Result:
    """A comparison's report: its table of every metric, its Markdown, its runs' metrics."""

    def __init__(self, folder: Path, table: pd.DataFrame | None = None):
        self.folder = folder
        self.table = table if table is not None else pd.read_csv(
            folder / "report" / "metrics_table.csv", keep_default_na=False, na_values=[""], dtype={"stratum": str})
        self.table["stratum"] = self.table["stratum"].fillna("").astype(str)

    def against(self, baseline: str) -> Result:
        """The same runs compared with another baseline (KEY=VALUE), as `--baseline` would."""
        table = stats.compare(self.metrics(), baseline)
        return Result(self.folder, table.reset_index(drop=True))

    def metrics(self) -> pd.DataFrame:
        return pd.read_parquet(self.folder / "metrics.parquet")

    def row(self, compared: str, metric: str, stratum: str = "") -> pd.Series:
        t = self.table
        hit = t[(t["compared"] == compared) & (t["metric"] == metric) & (t["stratum"] == stratum)]
        if hit.empty:
            raise KeyError(f"{self.folder.name}: no row {compared} / {metric} / {stratum!r}")
        return hit.iloc[0]

    def diff(self, compared: str, metric: str, stratum: str = "") -> str:
        """The paired difference [95 % interval]; marked where the interval includes 0."""
        r = self.row(compared, metric, stratum)
        text = tables.difference(r, metric)
        return f"{text} (its interval includes 0)" if _holds_zero(r) else text

    def level(self, compared: str, metric: str, stratum: str = "") -> str:
        r = self.row(compared, metric, stratum)
        if metric in GAPS:            # a gap is a difference of shares: in pp
            return tables.difference(pd.Series({"diff": r["mean"], "diff_lo": r["lo"], "diff_hi": r["hi"]}), metric)
        return tables.value(r, metric)

    def mean_diff(self, compared: str, metric: str, stratum: str = "") -> float:
        return float(self.row(compared, metric, stratum)["diff"])

    def scenarios(self, stratum: str = "") -> list[str]:
        t = self.table
        return list(dict.fromkeys(t.loc[t["stratum"] == stratum, "compared"]))

    def section(self, heading: str) -> str:
        """The first Markdown table under `## heading` in report.md, verbatim."""
        text = (self.folder / "report" / "report.md").read_text(encoding="utf-8")
        part = text.split(f"## {heading}", 1)[1]
        return "\n".join(ln for ln in _first_table(part))

    def runs_line(self) -> str:
        text = (self.folder / "report" / "report.md").read_text(encoding="utf-8")
        return text.split("\n")[2]


def _holds_zero(r: pd.Series) -> bool:
    lo, hi = r.get("diff_lo"), r.get("diff_hi")
    return not (pd.isna(lo) or pd.isna(hi)) and lo <= 0 <= hi and not lo == hi == 0


def _first_table(text: str) -> list[str]:
    lines, started = [], False
    for ln in text.split("\n"):
        if ln.startswith("|"):
            lines.append(ln)
            started = True
        elif started:
            break
    return lines


def grid(res: Result, metrics: list[str], rows: list[tuple[str, str, str]]) -> str:
    """A table: a row per (label, compared, stratum), a column per metric; the baseline's row
    gives its level [95 % interval], every other row its paired difference [95 % interval]."""
    head = "| | " + " | ".join(SHORT.get(m) or f"{stats.label(m)[0]} ({stats.label(m)[1]})" for m in metrics) + " |"
    out = [head, "|---|" + "---|" * len(metrics)]
    for name, compared, stratum in rows:
        cells = []
        for m in metrics:
            try:
                r = res.row(compared, m, stratum)
            except KeyError:      # e.g. no cost per extra participant for the baseline itself
                cells.append("-")
                continue
            is_base = pd.isna(r.get("diff")) and m != "cost_per_extra_participant"
            if m in GAPS and is_base:
                cells.append(res.level(compared, m, stratum))
            else:
                cells.append(tables.value(r, m) if (is_base or m in LEVELS) else tables.difference(r, m))
        out.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(out)


SHORT = {   # column heads where the report's label is long (sim/outcomes.py has the full ones)
    "participation_end": "taking part at the end",
    "participation_auc": "taking part, area (share-years)",
    "vulnerable_gap_end": "gap at the end: vulnerable minus the rest",
    "vulnerable_gap_auc": "gap, area (share-years)",
    "vulnerable_participation_end": "vulnerable residents taking part at the end",
    "spillover_participation_end": "taking part outside the pilots at the end",
    "spillover_founded": "collectives founded outside the pilots",
    "dependence_end": "dependence on grants at the end",
    "equity_share_end": "government shares in funding at the end",
    "capital_returned": "capital returned (EUR)",
    "cost_per_extra_participant": "EUR per extra resident taking part",
    "chasm_crossed": "share of runs where the early majority follows",
    "early_majority_share_end": "early majority taking part at the end",
    "knowledge_mean_end": "know-how at the end (0-1)",
    "trust_mean_end": "trust at the end (0-1)",
    "liveability_spread_end": "liveability spread between villages (sd)",
    "province_spend_total": "province's spend (EUR)",
    "public_spend_total": "public spend (EUR)",
}
LEVELS = {"chasm_crossed", "cost_per_extra_participant"}   # shown as levels in every row
GAPS = {"vulnerable_gap_end"}                                # levels that are differences of shares


def pilot_share(res: Result, villages=PILOTS) -> pd.DataFrame:
    """Per run: the unweighted mean over `villages` of each one's share taking part at the end
    (dataset.parquet, level village), with the run's scenario, seed, replicate and parameters."""
    import pyarrow.dataset as ds

    d = ds.dataset(res.folder / "dataset.parquet")
    cols = ["run", "month", "unit", "participation_share"]
    t = d.to_table(columns=cols, filter=ds.field("level") == "village").to_pandas()
    t = t[t["month"] == t.groupby("run")["month"].transform("max")]
    t = t[t["unit"].astype(int).isin(villages)]
    share = t.groupby("run")["participation_share"].mean().rename("pilot_share")
    return res.metrics().merge(share, left_on="run", right_index=True)


def pilot_effect(res: Result, compared: str, stratum_key: str | None = None, stratum_value: str | None = None,
                 key: str = "policy.instruments", base: str = "[none]") -> str:
    """The paired difference in the pilot villages' mean share with its 95 % bootstrap interval."""
    m = pilot_share(res)
    if stratum_key:
        m = m[m[f"param:{stratum_key}"] == stratum_value]
    mine = m[m[f"param:{key}"] == compared].set_index(["seed", "replicate"])["pilot_share"]
    ref = m[m[f"param:{key}"] == base].set_index(["seed", "replicate"])["pilot_share"]
    common = mine.index.intersection(ref.index)
    d = (mine.loc[common] - ref.loc[common]).to_numpy(float)[:, None]
    mean, lo, hi = stats.bootstrap_means(d, np.random.default_rng(stats.SEED))
    r = pd.Series({"diff": mean[0], "diff_lo": lo[0], "diff_hi": hi[0]})
    text = tables.difference(r, "participation_end")
    return f"{text} (its interval includes 0)" if _holds_zero(r) else text


def pilot_level(res: Result, value: str, key: str = "policy.instruments") -> str:
    m = pilot_share(res)
    x = m.loc[m[f"param:{key}"] == value, "pilot_share"].to_numpy(float)[:, None]
    mean, lo, hi = stats.bootstrap_means(x, np.random.default_rng(stats.SEED))
    return tables.value(pd.Series({"mean": mean[0], "lo": lo[0], "hi": hi[0]}), "participation_end")


# --- assumptions ----------------------------------------------------------------------------

def assumption(key: str) -> str:
    """`key` = default unit; its plausible range and why (or its source), from the parameter's
    declaration, as docs/ODD.md lists them; a calibrated parameter says so."""
    from sim.calibrate.posterior import load_posterior
    from sim.config import load_config
    from sim.config.params import iter_params

    meta = {k: (v, m) for k, v, m in iter_params(load_config([]))}
    value, m = meta[key]
    rng = m.get("plausible")
    if isinstance(rng, dict):
        rng = rng.get(key.split(".")[-2])
    try:
        calibrated = key in load_posterior("energy").keys
    except (OSError, ValueError):
        calibrated = False
    shown = _num(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)
    text = f"`{key}` = {shown} {m.get('unit', '')}".rstrip()
    if calibrated:
        text += " (calibrated: the posterior's median; drawn per replicate here)"
    if rng:
        return f"{text}; plausible {_num(rng[0])}-{_num(rng[1])}: {m['plausible_reason']}"
    return f"{text}; no plausible range declared; source: {m.get('source', 'assumption')}"


def _num(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.3g}"


# --- the questions --------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Question:
    """A question of the programme: its words, its commands, what to show of their reports,
    the assumptions it rests on and what the model cannot say."""

    number: int
    nl: str
    en: str
    commands: tuple[str, ...]
    answer: Callable[[dict[str, Result]], tuple[str, str]]   # (excerpt, key numbers), Markdown
    assumptions: tuple[str, ...]
    cannot: str

    @property
    def anchor(self) -> str:
        return f"q{self.number}"


def effects(res: Result, heading: str = "Effects") -> str:
    return f"{res.runs_line()}\n\n{res.section(heading)}"


def q1(r: dict[str, Result]) -> tuple[str, str]:
    res = r["province_roles"]
    alone = res.against("programme=municipalities_alone")
    rows = [(s, s, "") for s in res.scenarios()]
    extra = grid(res, ["self_sustaining_end", "knowledge_mean_end", "trust_mean_end", "dependence_end",
                       "province_spend_total"], rows)
    vs = grid(alone, ["participation_end", "participation_auc", "self_sustaining_end"],
              [(s, s, "") for s in ("province_funder", "province_broker", "province_room")])
    excerpt = (f"{effects(res)}\n\nOther outcomes at year 10 against the baseline:\n\n{extra}\n\n"
               f"The same runs against the municipalities alone (`--baseline programme=municipalities_alone`):\n\n{vs}")
    key = (f"Against the municipalities alone (dialogues and Right to Challenge, EUR 750,000), residents taking "
           f"part at year 10: the province as co-funder (matching that money) "
           f"{alone.diff('province_funder', 'participation_end')}, as broker (the same EUR 750,000 on links "
           f"between collectives) {alone.diff('province_broker', 'participation_end')}, giving room to deviate "
           f"(no money) {alone.diff('province_room', 'participation_end')}. Dependence on grants at year 10: "
           f"{res.level('province_funder', 'dependence_end')} with co-funding, "
           f"{res.level('province_broker', 'dependence_end')} with the broker.")
    return excerpt, key


def q2(r: dict[str, Result]) -> tuple[str, str]:
    res, old = r["compare_instruments"], r["ageing_villages"]
    names = [s for s in res.scenarios() if s != "none"]
    extra = grid(res, ["vulnerable_gap_end", "liveability_spread_end", "cost_per_extra_participant"],
                 [(s, s, "") for s in res.scenarios()])
    excerpt = (f"{effects(res)}\n\nFor whom, at year 10 (the gap of vulnerable residents: their share taking "
               f"part minus the rest's; the spread of liveability between villages; EUR per extra resident "
               f"taking part):\n\n{extra}\n\nOlder, shrinking villages (`scenario=ageing_villages`, 10 replicates):"
               f"\n\n{effects(old)}")
    best = max(names, key=lambda s: res.mean_diff(s, "participation_end"))
    rest = sorted(res.mean_diff(s, "participation_end") for s in names if s != best)
    best_old = max([s for s in old.scenarios() if s != "none"], key=lambda s: old.mean_diff(s, "participation_end"))
    key = (f"Largest effect at year 10: {best}, {res.diff(best, 'participation_end')} residents taking part "
           f"(baseline {res.level('none', 'participation_end')}; the other instruments "
           f"{100 * rest[0]:+.1f} to {100 * rest[-1]:+.1f} pp), at EUR "
           f"{res.level(best, 'cost_per_extra_participant')} per extra resident; the vulnerable residents' gap "
           f"changes by {res.diff(best, 'vulnerable_gap_end')}. In older, shrinking villages the largest effect "
           f"is {best_old}'s, {old.diff(best_old, 'participation_end')}.")
    return excerpt, key


FUNDING = ["participation_end", "self_sustaining_end", "dependence_end", "equity_share_end", "capital_returned",
           "cost_per_extra_participant"]


def q3(r: dict[str, Result]) -> tuple[str, str]:
    ten, twenty = r["compare_instruments"], r["shareholding_long"]
    rows = [(s, s, "") for s in ("none", "subsidy", "prize", "tender", "shareholding")]
    excerpt = (f"Ten years (`scenario=compare_instruments`, 20 replicates), at year 10:\n\n{grid(ten, FUNDING, rows)}"
               f"\n\nTwenty years, the same money a year (`scenario=shareholding_long`):\n\n{effects(twenty)}\n\n"
               f"At year 20:\n\n{grid(twenty, FUNDING, rows)}")
    key = (f"Shareholding: {ten.diff('shareholding', 'participation_end')} residents taking part at year 10 and "
           f"{twenty.diff('shareholding', 'participation_end')} at year 20; EUR "
           f"{ten.level('shareholding', 'capital_returned')} came back by year 10 and EUR "
           f"{twenty.level('shareholding', 'capital_returned')} by year 20 (budgets EUR 1.5 M and 3 M; what comes "
           f"back is invested again), while "
           f"grants leave a dependence of {ten.level('subsidy', 'dependence_end')} (subsidy) and "
           f"{ten.level('prize', 'dependence_end')} (prize) at year 10.")
    return excerpt, key


def q4(r: dict[str, Result]) -> tuple[str, str]:
    res = r["right_to_challenge_pilot"]
    strata = ("governments.room_to_deviate=0", "governments.room_to_deviate=0.5")
    rows = [(f"{s} ({st.split('=')[1]})", s, st) for st in strata for s in ("none", "right_to_challenge")]
    extra = grid(res, ["spillover_participation_end", "spillover_founded", "trust_mean_end", "self_sustaining_end",
                       "public_spend_total"], rows)
    inside = {v: pilot_effect(res, "[right_to_challenge]", "governments.room_to_deviate", v) for v in ("0", "0.5")}
    excerpt = (f"{effects(res)}\n\nOutside the five pilot villages, and other outcomes, at year 10:\n\n{extra}\n\n"
               f"In the pilot villages (unweighted mean of their five shares taking part at year 10, paired, 95 % "
               f"bootstrap interval; baseline {pilot_level(res, '[none]')}): Right to Challenge {inside['0']}, with "
               f"room to deviate {inside['0.5']}.")
    key = (f"Right to Challenge in five pilot villages (EUR 250,000 over ten years): taking part in the pilot "
           f"villages {inside['0']} at year 10 ({inside['0.5']} with room to deviate), outside them "
           f"{res.diff('right_to_challenge', 'spillover_participation_end', strata[0])}.")
    return excerpt, key


def q5(r: dict[str, Result]) -> tuple[str, str]:
    res = r["dialogues"]
    costs = ("2000", "5000", "20000")
    rows = [(f"{s} (EUR {int(c):,})", s, f"policy.dialogue.cost={c}") for c in costs for s in ("none", "dialogue")]
    extra = grid(res, ["agreements_made_total", "village_coops_end", "coop_collectives_end", "vulnerable_gap_end",
                       "cost_per_extra_participant"], rows)
    excerpt = f"{effects(res)}\n\nWhat the dialogues lead to, at year 10:\n\n{extra}"
    parts = [f"EUR {int(c):,} a dialogue {res.diff('dialogue', 'participation_end', f'policy.dialogue.cost={c}')}"
             for c in costs]
    key = (f"Residents taking part at year 10 with EUR 1.5 M of village dialogues: {'; '.join(parts)}; at EUR "
           f"5,000, {res.level('dialogue', 'agreements_made_total', 'policy.dialogue.cost=5000')} village "
           f"agreements made and {res.level('dialogue', 'village_coops_end', 'policy.dialogue.cost=5000')} "
           f"village co-operatives at the end.")
    return excerpt, key


def q6(r: dict[str, Result]) -> tuple[str, str]:
    res = r["withdrawal"]
    phase = pd.read_csv(res.folder / "report" / "phase_out.csv")
    on, off = "policy.stop_month=-1", "policy.stop_month=48"
    dep = ["dependence_end", "participation_end"]
    granting = [x for x in phase.sort_values("dependence_continued", ascending=False).itertuples()
                if x.dependence_continued > 0.01]
    rows = [(f"{x.instrument} ({what})", x.instrument, st) for x in granting for what, st in (("goes on", on),
                                                                                          ("stops", off))]
    excerpt = (f"{res.runs_line()}\n\n{res.section('Phase-out')}\n\nDependence on grants (grants over all funding "
               f"collectives received) and taking part at year 10, for the instruments that give grants, against the "
               f"baseline:\n\n{grid(res, dep, rows)}")
    top = phase.sort_values("effect_end_continued", ascending=False).head(2)
    kept = "; ".join(f"{x.instrument} {100 * x.effect_end_stopped:+.1f} pp against {100 * x.effect_end_continued:+.1f}"
                     f" pp had it gone on (kept {x.kept:.2f} [{x.kept_lo:.2f}, {_hi(x.kept_hi)}])"
                     for x in top.itertuples())
    falls = "; ".join(f"{x.instrument} {res.level(x.instrument, 'dependence_end', on)} going on, "
                      f"{res.level(x.instrument, 'dependence_end', off)} stopped" for x in granting)
    key = (f"Stopped after year 4 (the same EUR 1.5 M spent in four years instead of ten), residents taking part at "
           f"year 10 against the baseline: {kept}. Dependence on grants at year 10: {falls or 'none above 1 %'}.")
    return excerpt, key


def _hi(x: float) -> str:
    return "unbounded" if math.isinf(x) else f"{x:.2f}"


def q7(r: dict[str, Result]) -> tuple[str, str]:
    res = r["outreach"]
    vs = res.against("programme=none")
    gap = ["vulnerable_gap_end", "vulnerable_gap_auc", "vulnerable_participation_end", "participation_end"]
    rows = [(f"{s} ({'as now' if p == 'none' else 'reaching out'})", s, f"programme={p}")
            for p in ("none", "reach_out") for s in ("none", "dialogue", "subsidy")]
    own = [(f"{s}: with outreach against without", "reach_out", f"policy.instruments=[{s}]")
           for s in ("dialogue", "subsidy")]
    excerpt = (f"{effects(res)}\n\nThe vulnerable residents' gap (their share taking part minus the rest's) at "
               f"year 10 and its area over ten years, against no instrument:\n\n{grid(res, gap, rows)}\n\n"
               f"The same runs, outreach against the same instrument without it (`--baseline programme=none`):\n\n"
               f"{grid(vs, gap, own)}")
    d, s = "policy.instruments=[dialogue]", "policy.instruments=[subsidy]"
    key = (f"Without an instrument vulnerable residents' share taking part at year 10 differs from the rest's by "
           f"{res.level('none', 'vulnerable_gap_end', 'programme=none')}. Outreach changes the gap's area "
           f"(positive: narrower) by "
           f"{vs.diff('reach_out', 'vulnerable_gap_auc', d)} share-years in dialogues (everyone's participation "
           f"{vs.diff('reach_out', 'participation_end', d)}) and by {vs.diff('reach_out', 'vulnerable_gap_auc', s)} "
           f"with a subsidy's inclusion plan.")
    return excerpt, key


def q8(r: dict[str, Result]) -> tuple[str, str]:
    res = r["learning_across_themes"]
    fund = res.against("mechanisms.cross_theme=False")
    on, off = "mechanisms.cross_theme=True", "mechanisms.cross_theme=False"
    out = ["participation_end", "knowledge_mean_end", "collectives_founded", "self_sustaining_end"]
    rows = [(f"{s} ({'with' if st == on else 'without'} the fund)", s, st) for st in (on, off)
            for s in ("none", "learning_network", "broker")]
    fund_rows = [(f"village fund, {s}", "True", f"policy.instruments=[{s}]")
                 for s in ("none", "learning_network", "broker")]
    excerpt = (f"{effects(res)}\n\nKnow-how and collectives at year 10, with and without the village fund "
               f"(`mechanisms.cross_theme`):\n\n{grid(res, out, rows)}\n\nThe same runs, the village fund against "
               f"none (`--baseline mechanisms.cross_theme=False`):\n\n{grid(fund, out, fund_rows)}")
    key = (f"Collectives' know-how at year 10 (index 0-1): broker {res.diff('broker', 'knowledge_mean_end', on)}, "
           f"learning network {res.diff('learning_network', 'knowledge_mean_end', on)}; residents taking part: "
           f"broker {res.diff('broker', 'participation_end', on)}, learning network "
           f"{res.diff('learning_network', 'participation_end', on)}. Without an instrument, the village fund that "
           f"carries revenue across themes changes the self-sustaining collectives at year 10 by "
           f"{fund.diff('True', 'self_sustaining_end', 'policy.instruments=[none]')}.")
    return excerpt, key


def q9(r: dict[str, Result]) -> tuple[str, str]:
    res = r["programme_2019"]
    rows = [(s, s, "") for s in ("none", "pilots_2019", "even_2019")]
    extra = grid(res, ["spillover_participation_end", "spillover_founded", "collectives_founded"], rows)
    inside = {p: pilot_effect(res, p, key="programme", base="none") for p in ("pilots_2019", "even_2019")}
    excerpt = (f"{effects(res)}\n\nOutside the five pilot villages, at year 10:\n\n{extra}\n\nIn the pilot villages "
               f"(unweighted mean of their five shares taking part at year 10, paired; baseline "
               f"{pilot_level(res, 'none', key='programme')}): pilots {inside['pilots_2019']}, the same money spread "
               f"evenly {inside['even_2019']}.")
    key = (f"The 2019 programme (five pilots for two years, then a learning network) against the same money spread "
           f"over every village, residents taking part at year 10 outside the pilots: "
           f"{res.diff('pilots_2019', 'spillover_participation_end')} against "
           f"{res.diff('even_2019', 'spillover_participation_end')}; in the pilots {inside['pilots_2019']} against "
           f"{inside['even_2019']}.")
    return excerpt, key


def q10(r: dict[str, Result]) -> tuple[str, str]:
    res = r["compare_instruments"]
    out = ["chasm_crossed", "early_majority_share_end", "months_to_2_5", "months_to_16"]
    excerpt = (f"At year 10 (the share of runs in which at least 16 % of the early majority takes part, with a "
               f"Wilson interval; the early majority's share taking part; months to 2.5 % and 16 % of everyone):\n\n"
               f"{grid(res, out, [(s, s, '') for s in res.scenarios()])}")
    names = [s for s in res.scenarios() if s != "none"]
    best = max(names, key=lambda s: res.mean_diff(s, "early_majority_share_end"))
    key = (f"Without an instrument the early majority follows (16 % of it taking part) by year 10 in "
           f"{res.level('none', 'chasm_crossed')} of the runs, with "
           f"{res.level('none', 'early_majority_share_end')} of it taking part; {best} changes that share by "
           f"{res.diff(best, 'early_majority_share_end')} and the months until 16 % of everyone takes part by "
           f"{res.diff(best, 'months_to_16')}.")
    return excerpt, key


NOT_FINDINGS = ("Each is an *assumption* unless a source is named (docs/ODD.md, section 11 lists every plausible "
                "range and why): what the model says follows from them, it is not a measured effect. How the "
                "answer moves over these ranges: `make run` (README, \"Robust advice\").")

QUESTIONS = (
    Question(1, "Hoe versterkt de provincie als middenbestuur gemeenschapskracht, zonder die te vervangen?",
             "How does the province, as the middle tier of government, strengthen community power rather than "
             "replace it?", ("province_roles",), q1,
             ("governments.province_weight", "governments.attitude_burden", "governments.cocreation_risk",
              "policy.broker.learning_rate", "policy.broker.inspiration", "policy.broker.link_cost",
              "policy.dialogue.awareness", "policy.right_to_challenge.challenge_rate"),
             "The model has one province, so learning between provinces, one of the roles the programme names, "
             "is not in it. Co-funding assumes the matched money is spent by the municipalities' own rules; the "
             "province's attitude acts only through procedures, trust and co-creation (docs/ODD.md s7.7), with "
             "assumed sizes. Whether municipalities and villages accept a role of the province is outside the "
             "model. Room to deviate costs no money here, so it is not at equal cost with the other roles."),
    Question(2, "Welk instrument werkt het best, en voor wie?", "Which instrument works best, and for whom?",
             ("compare_instruments", "ageing_villages"), q2,
             ("policy.dialogue.awareness", "policy.dialogue.cost", "policy.prize.mobilisation",
              "policy.subsidy.crowding", "policy.right_to_challenge.ownership", "policy.learning_network.learning_rate",
              "residents.threshold_mean", "adoption.w_social"),
             "The ranking is that of one world, the default values; most instruments' effect sizes are assumed, "
             "and across their plausible ranges (make run) no instrument wins everywhere. \"For whom\" covers "
             "vulnerable residents, villages (the report's by-village figure) and older, shrinking villages; not "
             "income groups, nor health, which is a stylised wellbeing index."),
    Question(3, "Maatschappelijk aandeelhouderschap naast prijsvragen, subsidies en aanbestedingen",
             "Social shareholding next to prize competitions, subsidies and tenders",
             ("compare_instruments", "shareholding_long"), q3,
             ("policy.shareholding.stake", "policy.shareholding.annual_return", "policy.shareholding.dividend_share",
              "policy.shareholding.buyback_share", "policy.shareholding.grace_months", "policy.shareholding.loss_share",
              "policy.shareholding.trust_gain", "policy.shareholding.pressure_hours", "policy.subsidy.crowding",
              "policy.prize.mobilisation", "policy.tender.business_strength"),
             "Co-investors other than governments (housing corporations, care insurers, local business; "
             "DOMAIN.md s3) are not in the model, nor the legal form of shares, taxes, or a shareholder's say "
             "beyond the assumed gains in trust and know-how and the pressure for return. The return and "
             "buy-back rules are assumptions around the UK community-share average of 4.8 % a year."),
    Question(4, "Een pilot met het uitdaagrecht (Right to Challenge)", "A Right to Challenge pilot",
             ("right_to_challenge_pilot",), q4,
             ("policy.right_to_challenge.challenge_rate", "policy.right_to_challenge.task_budget",
              "policy.right_to_challenge.task_months", "policy.right_to_challenge.task_hours",
              "policy.right_to_challenge.ownership", "policy.right_to_challenge.min_members",
              "world.inspiration_km", "world.inspiration_founding"),
             "Which public tasks are open to challenge, and whether a municipality accepts one, are not modelled: "
             "an organised collective challenges at an assumed monthly rate and is accepted while the budget "
             "carries the task (challenges are rare in practice: EVIDENCE.md s2-3). The five pilot villages are "
             "placeholders, one in each part of the generated province, not real villages."),
    Question(5, "Dorpsdialogen, en wat ze opleveren: dorpsafspraken en dorpscoöperaties",
             "Village dialogues, and what they lead to: village agreements and village co-operatives",
             ("dialogues",), q5,
             ("policy.dialogue.cost", "policy.dialogue.awareness", "policy.dialogue.founding", "policy.dialogue.cohesion",
              "policy.dialogue.agreement_probability", "policy.dialogue.agreement_founding", "policy.dialogue.coop_rate",
              "policy.dialogue.coop_hours_share"),
             "No study quantifies what a dialogue does (Movisie 2011 is qualitative): its awareness push, founding "
             "boost and cohesion are assumed, and they make dialogues the model's strongest lever because "
             "awareness is what limits taking part in this model. Who comes to a dialogue, its quality and what "
             "is agreed beyond two priority themes are not modelled."),
    Question(6, "Afbouwen van afhankelijkheid van de overheid", "Reducing dependence on government",
             ("withdrawal",), q6,
             ("policy.subsidy.cliff", "policy.subsidy.crowding", "policy.shareholding.buyback_share",
              "policy.shareholding.grace_months", "collectives.self_sustaining_share", "adoption.dropout_base"),
             "Dependence is measured in money only: grants as a share of all funding a collective received "
             "(government shares apart). Dependence in motivation shows only through the assumed crowding-out "
             "and the cliff when a subsidy ends. One stop month (48) is compared; how gradual a phase-out should "
             "be is not asked here."),
    Question(7, "Kwetsbare groepen bereiken", "Reaching vulnerable groups", ("outreach",), q7,
             ("residents.vulnerable_senior_ratio", "residents.vulnerable_hours_factor", "residents.vulnerable_trust_gap",
              "residents.vulnerable_income_factor", "residents.vulnerable_tie_loss", "adoption.w_income",
              "policy.dialogue.outreach", "policy.subsidy.outreach", "policy.subsidy.outreach_hours"),
             "Vulnerability is one flag with assumed differences in free time, trust, income and ties (directions "
             "from CBS, SCP and RIVM; sizes assumed). Outreach is assumed to find whom it looks for, and "
             "collectives do not choose whom they recruit. Health gaps are a stylised wellbeing index, not a "
             "measured outcome."),
    Question(8, "Leren en delen over thema's heen", "Learning and sharing across themes",
             ("learning_across_themes",), q8,
             ("collectives.learning_rate", "collectives.fund_share", "collectives.knowledge_founding",
              "policy.learning_network.learning_rate", "policy.learning_network.coaching_gain",
              "policy.broker.learning_rate", "policy.broker.inspiration"),
             "Learning is one number per collective (know-how: codified lessons); tacit knowledge and trust "
             "between people are not modelled. Across themes the model has the village fund, village "
             "co-operatives, learning between a village's own collectives and the broker's links; the learning "
             "network works within a theme, and learning between provinces is not in the model."),
    Question(9, "Lokaal inspireren, regionaal reproduceren", "Inspire locally, reproduce regionally",
             ("programme_2019",), q9,
             ("world.inspiration_km", "world.inspiration_founding", "adoption.w_inspiration",
              "collectives.visibility_scale", "policy.learning_network.learning_rate"),
             "How far a success inspires is an assumed distance-decayed kernel (docs/ODD.md s7.10) with no Dutch "
             "data behind its size; the five pilots are placeholders. The model does not tell a village that "
             "builds its own wheel from one that copies a neighbour's."),
    Question(10, "Van pioniers en vroege gebruikers naar de vroege meerderheid",
             "Pioneers and early adopters crossing to the early majority", ("compare_instruments",), q10,
             ("residents.threshold_mean", "residents.threshold_sd", "adoption.w_social", "adoption.w_success",
              "adoption.max_join_rate", "adoption.aware_base", "network.mean_degree"),
             "No Dutch series says who joined first: the validation check rogers_timing fails (the categories "
             "join in Rogers' order, but more loosely than his definition), and the members of Dutch energy "
             "co-operatives show no S-bend by 2019 (README, \"Validation\"). The mark of 16 % of the early "
             "majority is a convention (the \"chasm\"), not an observed threshold."),
)


# --- writing --------------------------------------------------------------------------------

def timing_of(cmd: Command, measured: dict[str, Timing]) -> str:
    """A row of the run-time table: runs, run now, wall time, load average."""
    info = _ensemble(cmd)
    t = measured.get(cmd.key)
    wall = f"{t.seconds:.0f} s" if t else f"{info['timings']['total']:.0f} s (ensemble)"
    load = t.load if t else "-"
    return f"| `{cmd.text}` | {info['runs']} | {info['ran']} | {wall} | {load} |"


def _ensemble(cmd: Command) -> dict:
    import json

    return json.loads((cmd.folder / "ensemble.json").read_text(encoding="utf-8"))


def check_made_by(cmd: Command) -> None:
    """The report in the folder is the command's (not another sweep's into the same folder)."""
    info = _ensemble(cmd)
    made = [a for a in info["command"][1:] if not a.startswith("hydra.launcher.")]
    args = list(cmd.args)
    baseline = args[args.index("--baseline") + 1] if "--baseline" in args else None
    want = [f"scenario={cmd.scenario}", *(a for a in args if a not in ("--baseline", baseline))]
    if made != want or info.get("baseline") != baseline:
        raise SystemExit(f"questions: {cmd.folder} holds the report of `vliegwiel {' '.join(made)}`, not of "
                         f"`{cmd.text}`; run docs/questions.py without --no-run")


def header(measured: dict[str, Timing]) -> str:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip() or "?"
    post = ROOT / "sim" / "data" / "calibration" / "energy_posterior.csv"
    digest = hashlib.sha256(post.read_bytes()).hexdigest()[:12] if post.exists() else "none"
    versions = sorted({_ensemble(c)["model_version"] for c in COMMANDS.values()})
    rows = "\n".join(timing_of(c, measured) for c in COMMANDS.values())
    runs = sum(_ensemble(c)["runs"] for c in COMMANDS.values())
    if len(measured) == len(COMMANDS):
        total = sum(t.seconds for t in measured.values())
        workers = {t.workers for t in measured.values()}
        rows += (f"\n| all | {runs} | | {total // 60:.0f} min {total % 60:.0f} s | |\n\n(Measured by "
                 f"`docs/questions.py --workers {'/'.join(map(str, sorted(workers)))}` (0: one worker per core), "
                 f"one command after the other, on a 2-core machine shared with other work; \"run now\" below "
                 f"\"runs\" means records were found done.)")
    else:
        rows += (f"\n| all | {runs} | | | |\n\n(Not every command measured by the script: those without a load "
                 f"average give their ensemble's time from its ensemble.json.)")
    return f"""# The province's questions

Written by `docs/questions.py` (`make questions`; do not edit by hand) from the reports of the commands below,
at commit {commit}, model version {', '.join(versions)}, calibration posterior
`sim/data/calibration/energy_posterior.csv` (sha256 {digest}). README.md, "The province's questions", has the key
number of each.

Every command is a paired comparison on the default province (30 villages, about 34,000 adults, ten years unless
said otherwise): each scenario meets the same replicates, replicate r running draw r of the calibration's
posterior (`posterior=replicate`), so the intervals carry both chance and the calibration's spread. The default
comparison has 20 replicates, every other command 10. Effects are paired differences with the baseline named in
each report, with 95 % percentile bootstrap intervals over replicates (shares stay within 0-100 %; the share of
runs in which the early majority follows has a Wilson interval); no p-values. Numbers are copied from each
command's report, `results/comparisons/<scenario>/report/report.md` and the `metrics_table.csv` beside it.

| command | runs | run now | wall time | load average (start-end) |
|---|---|---|---|---|
{rows}
"""


def section(q: Question, res: dict[str, Result]) -> tuple[str, str]:
    """(the question's section of docs/QUESTIONS.md, its short section for README)."""
    excerpt, key = q.answer(res)
    cmds = "\n".join(COMMANDS[c].text for c in q.commands)
    rests = "\n".join(f"- {assumption(k)}" for k in q.assumptions)
    full = f"""<a id="{q.anchor}"></a>
## ({q.number}) {q.en}

*{q.nl}*

```bash
{cmds}
```

**What the model says.** {key}

{excerpt}

**On which assumptions.** {NOT_FINDINGS}

{rests}

**What the model cannot answer.** {q.cannot}
"""
    names = ", ".join(f"`{k}`" for k in q.assumptions[:4])
    short = f"""**({q.number}) {q.en}** (*{q.nl}*)

```bash
{cmds}
```

{key} Rests on assumed parameters such as {names} (ranges and the rest: [docs/QUESTIONS.md](docs/QUESTIONS.md#{q.anchor})).
"""
    return full, short


def compare_block(res: Result, measured: dict[str, Timing]) -> str:
    """README's excerpt of the default comparison (make compare) and its figure."""
    info = _ensemble(COMPARE)
    t = measured.get(COMPARE.key)
    who = "one worker per core" if t and t.workers == 0 else f"{t.workers} worker{'s' if t.workers != 1 else ''}" if t else ""
    took = f"{t.seconds:.0f} s with {who} at load average {t.load}" if t else \
        f"{info['timings']['total']:.0f} s for the ensemble"
    return (f"From the default scenario (`make compare`: {info['runs']} runs, 20 paired replicates per policy, "
            f"replicate r on draw r of the calibration's posterior; {took} on this 2-core machine shared with "
            f"other work), an excerpt of `results/comparisons/compare_instruments/report/report.md`:\n\n"
            f"{res.section('Effects')}\n\n"
            f"![Adoption curves per instrument, with 95 % bands](docs/img/compare_instruments.png)\n")


def replace_block(text: str, name: str, body: str) -> str:
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    if start not in text or end not in text:
        raise SystemExit(f"questions: README.md has no {start} ... {end} block")
    before, rest = text.split(start, 1)
    return f"{before}{start}\n{body.rstrip()}\n{end}{rest.split(end, 1)[1]}"


def write(measured: dict[str, Timing]) -> None:
    for cmd in COMMANDS.values():
        check_made_by(cmd)
    res = {k: Result(c.folder) for k, c in COMMANDS.items()}
    parts = [section(q, res) for q in QUESTIONS]
    write_text_atomic(QUESTIONS_MD, header(measured) + "\n" + "\n".join(full for full, _ in parts))
    text = README.read_text(encoding="utf-8")
    text = replace_block(text, "questions", "\n".join(short for _, short in parts))
    text = replace_block(text, "compare", compare_block(res[COMPARE.key], measured))
    write_text_atomic(README, text)
    shutil.copyfile(COMPARE.folder / "report" / "adoption_bands.png", FIGURE)


def keep_timings(measured: dict[str, Timing]) -> None:
    import json

    TIMINGS.parent.mkdir(exist_ok=True)
    TIMINGS.write_text(json.dumps({k: {**dataclasses.asdict(t), "started": _ensemble(COMMANDS[k])["started"]}
                                   for k, t in measured.items()}, indent=1), encoding="utf-8")


def kept_timings() -> dict[str, Timing]:
    """The timings of the last run of every command whose ensemble is still the one measured."""
    import json

    if not TIMINGS.exists():
        return {}
    kept = json.loads(TIMINGS.read_text(encoding="utf-8"))
    return {k: Timing(**{f: v[f] for f in ("seconds", "load", "line", "workers")}) for k, v in kept.items()
            if k in COMMANDS and (COMMANDS[k].folder / "ensemble.json").exists()
            and _ensemble(COMMANDS[k])["started"] == v["started"]}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="docs/questions.py", description=__doc__.split("\n\n")[0])
    p.add_argument("--no-run", action="store_true", help="only write the texts, from the reports in results/")
    p.add_argument("--workers", type=int, default=0, help="worker processes per sweep (0: one per core)")
    args = p.parse_args(argv)
    measured: dict[str, Timing] = {}
    if args.no_run:
        measured = kept_timings()
    else:
        for cmd in COMMANDS.values():
            print(f"questions: {cmd.text}", file=sys.stderr, flush=True)
            measured[cmd.key] = run(cmd, args.workers)
            print(f"questions:   {measured[cmd.key].seconds:.0f} s, load {measured[cmd.key].load}: "
                  f"{measured[cmd.key].line}", file=sys.stderr, flush=True)
        keep_timings(measured)
    write(measured)
    print(f"questions: wrote {QUESTIONS_MD.relative_to(ROOT)}, README.md's questions and compare blocks, "
          f"{FIGURE.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

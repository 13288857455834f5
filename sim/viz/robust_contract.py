"""The robust analysis as the page reads it: `results/explore/<name>/robustness/summary.json`.

This is the one place that knows the field names of vliegwiel-explore's summary (the
contract, written by sim/explore/summary.py, whose docstring lists the fields) and of the two
files beside it the page reads (explore.json: the exploration's settings; ensemble.json: the
model version its runs were made with): when those change, this module changes and nothing
else (tests/test_viz_robust.py reads a summary the exploration's own code writes). It reads defensively: a missing folder, a file that
is not JSON, an older or newer version, a field that is absent or of the wrong type gives
`RobustError` (a text key of i18n.py for the page) or a value of None, never an exception
the page has to know about.

The page only ever sends a folder *name*: `resolve` refuses anything that is not a direct
child of the explore folder holding robustness/summary.json.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import comparisons

# --- the contract: paths and field names ------------------------------------------------------
EXPLORE = "explore"                     # under the results folder
SUMMARY = ("robustness", "summary.json")
SETTINGS = "explore.json"               # the exploration's settings (overrides, function), if present
ENSEMBLE = "ensemble.json"              # the ensemble's record of its runs (model_version)
REPORT = "report.md"
FIGURES = "robustness"                  # PNG figures in this sub-folder
KNOWN_VERSIONS = (1,)
MAX_BYTES = 20_000_000

F_VERSION, F_WORLDS, F_REPLICATES, F_RUNS = "version", "worlds", "replicates", "runs"
F_BASELINE, F_POLICIES, F_OUTCOMES, F_ROBUSTNESS = "baseline", "policies", "outcomes", "robustness"
F_BOXES, F_NOTES, F_INPUTS, F_POINT, F_SAMPLER = "boxes", "notes", "inputs", "point", "sampler"
F_NAME, F_LABEL, F_UNIT, F_BETTER = "name", "label", "unit", "better"
F_MARGIN, F_MARGIN_TEXT, F_TARGET, F_TARGET_TEXT = "margin", "margin_text", "target", "target_text"
F_BEATS, F_BEST, F_REGRET, F_SATISFICING = "beats_baseline", "best", "regret", "satisficing"
F_LEVEL, F_BASELINE_LEVEL = "level", "baseline_level"
F_SHARE, F_LO, F_HI = "share", "lo", "hi"
F_MEAN, F_P90, F_MAX = "mean", "p90", "max"
F_MEDIAN, F_P5, F_P95 = "median", "p5", "p95"
F_POLICY, F_OUTCOME, F_KIND = "policy", "outcome", "kind"
F_COVERAGE, F_DENSITY, F_SENTENCE, F_LIMITS = "coverage", "density", "sentence", "limits"
F_KEY, F_DEFAULT = "key", "default"
F_OVERRIDES, F_FUNCTION, F_MODEL_VERSION = "overrides", "function", "model_version"
MODEL_FUNCTION = "model"                # explore.json's function for the model (not the toy)
KIND_BEST, KIND_NO_GAIN = "best", "no_gain"

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


class RobustError(ValueError):
    """Why an analysis cannot be shown; `reason` is a text key of i18n.py."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason, self.detail = reason, detail


# --- what the page uses -----------------------------------------------------------------------

@dataclass(frozen=True)
class Interval:
    value: float | None
    lo: float | None = None
    hi: float | None = None


@dataclass(frozen=True)
class Row:
    """One policy on one outcome across the worlds."""

    beats: Interval            # share of worlds where it beats the baseline by the margin
    best: Interval             # share of worlds where it is the best policy
    regret: tuple[float | None, float | None, float | None]   # mean, p90, max (outcome units)
    satisficing: Interval      # share of worlds where it meets the target
    level: Interval            # median, p5, p95 over worlds
    baseline_level: Interval


@dataclass(frozen=True)
class Outcome:
    name: str
    label: dict[str, str]
    unit: str
    better: int
    margin_text: str
    target_text: str
    margin: float | None = None
    target: float | None = None


@dataclass(frozen=True)
class Box:
    policy: str
    outcome: str
    kind: str                  # KIND_BEST or KIND_NO_GAIN
    coverage: float | None
    density: float | None
    sentence: dict[str, str]
    keys: tuple[str, ...]


@dataclass
class Robust:
    name: str
    folder: Path
    version: int | None
    worlds: int | None
    replicates: int | None
    runs: int | None
    sampler: str
    baseline: str
    policies: list[str]
    policy_labels: dict[str, dict[str, str]]
    outcomes: list[Outcome]
    rows: dict[str, dict[str, Row]]            # policy -> outcome -> Row
    boxes: list[Box]
    notes: list[str]
    inputs: dict[str, dict]                    # key -> {lo, hi, unit}
    overrides: list[str] | None                # the exploration's settings (explore.json); None: unknown
    function: str = MODEL_FUNCTION             # what was explored (explore.json): the model, or a test function
    model_version: str = ""                    # the model's version its runs were made with ("": unknown)
    figures: list[str] = field(default_factory=list)   # PNG file names in robustness/
    has_report: bool = False
    newer: bool = False                        # a version this page does not know

    def row(self, policy: str, outcome: str) -> Row | None:
        return self.rows.get(policy, {}).get(outcome)

    def outcome(self, name: str) -> Outcome | None:
        return next((o for o in self.outcomes if o.name == name), None)

    def boxes_for(self, policy: str, outcome: str) -> list[Box]:
        return [b for b in self.boxes if b.policy == policy and b.outcome == outcome]


# --- reading, defensively ---------------------------------------------------------------------

def explore_dir(results: Path | None = None) -> Path:
    return Path(comparisons.RESULTS if results is None else results) / EXPLORE


def list_names(root: Path | None = None) -> list[str]:
    """Analyses (folders with robustness/summary.json) under the explore folder, newest first."""
    root = explore_dir() if root is None else root
    if not root.is_dir():
        return []
    found = []
    for p in root.iterdir():
        s = p.joinpath(*SUMMARY)
        if p.is_dir() and NAME.fullmatch(p.name) and s.is_file():
            found.append((s.stat().st_mtime, p.name))
    return [n for _, n in sorted(found, reverse=True)]


def resolve(root: Path, name: object) -> Path:
    if not isinstance(name, str) or not NAME.fullmatch(name):
        raise RobustError("robust.bad_name")
    base = root.resolve()
    folder = (root / name).resolve()
    if folder.parent != base or not folder.is_dir():
        raise RobustError("robust.not_found", name)
    if not folder.joinpath(*SUMMARY).is_file():
        raise RobustError("robust.no_summary", name)
    return folder


def _num(x) -> float | None:
    if isinstance(x, bool) or not isinstance(x, int | float):
        return None
    x = float(x)
    return x if math.isfinite(x) else None


def _int(x) -> int | None:
    v = _num(x)
    return int(v) if v is not None and v.is_integer() else None


def _text(x, n: int = 2000) -> str:
    return x[:n] if isinstance(x, str) else ""


def _dict(x) -> dict:
    return x if isinstance(x, dict) else {}


def _list(x) -> list:
    return x if isinstance(x, list) else []


def _labels(x, n: int = 300) -> dict[str, str]:
    d = _dict(x)
    return {lang: _text(d.get(lang), n) for lang in ("en", "nl") if _text(d.get(lang), n)}


def _interval(d, value_key: str = F_SHARE, lo: str = F_LO, hi: str = F_HI) -> Interval:
    d = _dict(d)
    return Interval(_num(d.get(value_key)), _num(d.get(lo)), _num(d.get(hi)))


def _row(d) -> Row:
    d = _dict(d)
    regret = _dict(d.get(F_REGRET))
    return Row(_interval(d.get(F_BEATS)), _interval(d.get(F_BEST)),
               (_num(regret.get(F_MEAN)), _num(regret.get(F_P90)), _num(regret.get(F_MAX))),
               _interval(d.get(F_SATISFICING)), _interval(d.get(F_LEVEL), F_MEDIAN, F_P5, F_P95),
               _interval(d.get(F_BASELINE_LEVEL), F_MEDIAN, F_P5, F_P95))


def _outcome(d) -> Outcome | None:
    d = _dict(d)
    name = _text(d.get(F_NAME), 100)
    if not name:
        return None
    better = _int(d.get(F_BETTER))
    return Outcome(name, _labels(d.get(F_LABEL)), _text(d.get(F_UNIT), 100), better if better in (-1, 1) else 1,
                   _text(d.get(F_MARGIN_TEXT), 500), _text(d.get(F_TARGET_TEXT), 500), _num(d.get(F_MARGIN)),
                   _num(d.get(F_TARGET)))


def _box(d) -> Box | None:
    d = _dict(d)
    policy, outcome, kind = _text(d.get(F_POLICY), 100), _text(d.get(F_OUTCOME), 100), _text(d.get(F_KIND), 20)
    sentence = _labels(d.get(F_SENTENCE), 3000)
    if not (policy and outcome and kind and sentence):
        return None
    return Box(policy, outcome, kind, _num(d.get(F_COVERAGE)), _num(d.get(F_DENSITY)), sentence,
               tuple(k for k in _dict(d.get(F_LIMITS)) if isinstance(k, str)))


def _json(path: Path) -> dict:
    try:
        if path.stat().st_size > MAX_BYTES:
            return {}
        return _dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, UnicodeDecodeError):
        return {}


def _overrides(settings: dict) -> list[str] | None:
    items = settings.get(F_OVERRIDES)
    return [str(o)[:200] for o in items] if isinstance(items, list) else None


def read(folder: Path) -> Robust:
    """The analysis in `folder` (one `resolve` returned); RobustError if it cannot be used."""
    path = folder.joinpath(*SUMMARY)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise RobustError("robust.unreadable", "summary.json is too large")
        data = json.loads(path.read_text(encoding="utf-8"))
    except RobustError:
        raise
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise RobustError("robust.unreadable", f"summary.json: {str(exc)[:120]}") from None
    if not isinstance(data, dict):
        raise RobustError("robust.unreadable", "summary.json holds no object")
    version = _int(data.get(F_VERSION))
    policies, labels = [], {}
    for p in _list(data.get(F_POLICIES)):
        name = _text(_dict(p).get(F_NAME), 100) if isinstance(p, dict) else _text(p, 100)
        if name:
            policies.append(name)
            labels[name] = _labels(_dict(p).get(F_LABEL))
    outcomes = [o for o in map(_outcome, _list(data.get(F_OUTCOMES))) if o is not None]
    rows = {}
    for policy, per in _dict(data.get(F_ROBUSTNESS)).items():
        if isinstance(policy, str):
            rows[policy] = {o: _row(v) for o, v in _dict(per).items() if isinstance(o, str)}
    if not rows or not outcomes:
        raise RobustError("robust.old", "summary.json has no robustness table")
    policies = policies or list(rows)
    known = {o.name for o in outcomes}
    for per in rows.values():
        for name in per:
            if name not in known:
                known.add(name)
                outcomes.append(Outcome(name, {}, "", 1, "", ""))
    inputs = {}
    for i in _list(data.get(F_INPUTS)):
        key = _text(_dict(i).get(F_KEY), 200)
        if key:
            inputs[key] = {"lo": _num(i.get(F_LO)), "hi": _num(i.get(F_HI)), "unit": _text(i.get(F_UNIT), 100),
                           "default": _num(i.get(F_DEFAULT))}
    figures = sorted(p.name for p in folder.joinpath(FIGURES).glob("*.png") if p.is_file())[:20]
    settings = _json(folder / SETTINGS)
    return Robust(folder.name, folder, version, _int(data.get(F_WORLDS)), _int(data.get(F_REPLICATES)),
                  _int(data.get(F_RUNS)), _text(data.get(F_SAMPLER), 40), _text(data.get(F_BASELINE), 100) or "none",
                  policies, labels, outcomes, rows, [b for b in map(_box, _list(data.get(F_BOXES))) if b],
                  [_text(n, 1000) for n in _list(data.get(F_NOTES)) if _text(n)], inputs, _overrides(settings),
                  _text(settings.get(F_FUNCTION), 100) or MODEL_FUNCTION,
                  _text(_json(folder / ENSEMBLE).get(F_MODEL_VERSION), 100), figures,
                  folder.joinpath(REPORT).is_file(), version is not None and version not in KNOWN_VERSIONS)


def open_named(name: object, root: Path | None = None) -> Robust:
    root = explore_dir() if root is None else root
    return read(resolve(root, name))


def file_bytes(robust: Robust, name: str) -> bytes:
    """A figure (one of robust.figures) or the report, by name from fixed lists only."""
    if name == REPORT and robust.has_report:
        return robust.folder.joinpath(REPORT).read_bytes()
    if name in robust.figures:
        return robust.folder.joinpath(FIGURES, name).read_bytes()
    raise RobustError("robust.bad_name")

"""How sure the answer is, in words, from the robust analysis (sim/viz/robust_contract.py).
Pure code: used by the start view and the brief.

The robust analysis runs every instrument alone (and, with `--mixes`, every programme) over
many plausible worlds at its own settings (vliegwiel-explore, `make run`; by default the
page's defaults: EUR 1.5 M, 10 years, the example province). For a policy it covers it
gives: the share of worlds where it beats the baseline by the stated margin, the share where
it is the best, the range of its level over the worlds, and the conditions
(scenario-discovery boxes) under which it does not help. A policy it does not cover (a mix,
a programme without `--mixes`, an instrument added after the analysis was made), or an
analysis made with another model (its code, or its calibrated defaults, changed since), is
said in words, and its range over worlds is not put next to this model's answer.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from pathlib import Path

from . import numbers, robust_contract as rc, sentences
from .i18n import text
from .question import Question, default_budget, default_world

OUTCOME = "participation_end"
MIX = "mix:"          # vliegwiel-explore's name for a programme (sim/explore/design.py: policies)


@dataclass
class Sure:
    lines: list[str] = field(default_factory=list)          # sentences
    fails: list[str] = field(default_factory=list)          # conditions under which it does not help
    wins: list[str] = field(default_factory=list)           # conditions under which it is the best
    worlds: tuple[float, float, float | None] | None = None  # p5, p95 and median of the policy's level over worlds
    source: str = ""


def pick(name: str | None = None, root: Path | None = None) -> rc.Robust | None:
    """The named analysis, or the newest one of the model (not of a test function); None if
    there is none that reads."""
    names = rc.list_names(root)
    for n in ([name] if name in names else []) + names:
        try:
            robust = rc.open_named(n, root)
        except rc.RobustError:
            continue
        if robust.function == rc.MODEL_FUNCTION:
            return robust
    return None


def policy_key(question: Question) -> str:
    """The question's policy as the robust analysis names it ('' for a mix of instruments)."""
    if question.programme:
        return MIX + question.programme
    return question.instruments[0] if len(question.instruments) == 1 else ""


def matches(robust: rc.Robust, question: Question) -> bool | None:
    """Whether the analysis was made at the question's settings: True, False, or None (unknown)."""
    if robust.overrides is None:
        return None
    if robust.overrides:
        return False
    budget = question.fixed_budget or question.budget == default_budget()   # a programme's own budget: as explored
    return budget and question.years == 10 and question.world == default_world()


@functools.cache
def _current_defaults() -> dict[str, float]:
    from ..config.compose import load_config
    from ..config.params import iter_plausible

    return {key: float(value) for key, value, *_ in iter_plausible(load_config([]))}


def other_model(robust: rc.Robust) -> bool | None:
    """Whether the analysis was made with another model than this page runs: its runs' model
    version (the code) differs, or an input's default (e.g. a calibrated parameter, after a new
    calibration) does. None when the folder does not say."""
    from ..version import model_version

    if robust.model_version and robust.model_version != model_version():
        return True
    now = _current_defaults()
    known = [(k, i["default"]) for k, i in robust.inputs.items() if i.get("default") is not None]
    if robust.overrides == [] and known:
        return any(k not in now or not math.isclose(v, now[k], rel_tol=1e-6, abs_tol=1e-12) for k, v in known)
    return None if not robust.model_version else False


def assess(question: Question, robust: rc.Robust | None, lang: str, replicates: int, folder: Path) -> Sure:
    out = Sure()
    if robust is None:
        out.lines.append(text("sure.none", lang, folder=folder, n=replicates))
        return out
    out.source = text("sure.source", lang, name=robust.name, worlds=robust.worlds or "?",
                      replicates=robust.replicates or "?")
    baseline = question.is_baseline
    policy = robust.baseline if baseline else policy_key(question)
    row = robust.row(policy, OUTCOME) if policy else None
    name = sentences.policy_name(question, lang)
    if row is None:
        key = ("sure.mix" if not policy else "sure.programme_missing" if question.programme
               else "sure.instrument_missing")
        out.lines.append(text(key, lang, name=robust.name, policy=name))
        return out
    outcome = robust.outcome(OUTCOME)
    b, best, lv, base = row.beats, row.best, row.level, row.baseline_level
    if b.value is not None and not baseline:
        out.lines.append(text("sure.beats", lang, share=numbers.pct(b.value, lang), worlds=robust.worlds or "?",
                              lo=numbers.pct(b.lo, lang), hi=numbers.pct(b.hi, lang), policy=name,
                              margin=sentences.margin_text(outcome, outcome.margin if outcome else None, lang)))
    if best.value is not None:
        out.lines.append(text("sure.best.baseline" if baseline else "sure.best", lang,
                              share=numbers.pct(best.value, lang), worlds=robust.worlds or "?"))
    if None not in (lv.value, lv.lo, lv.hi) and (baseline or base.value is not None):
        out.lines.append(text("sure.level.baseline" if baseline else "sure.level", lang,
                              median=numbers.pct(lv.value, lang), lo=numbers.pct(lv.lo, lang),
                              hi=numbers.pct(lv.hi, lang), base=numbers.pct(base.value, lang)))
    same, other = matches(robust, question), other_model(robust)
    if other:
        out.lines.append(text("sure.other_model", lang))
    elif same is False:
        out.lines.append(text("sure.settings_differ", lang, money=numbers.money(default_budget(), lang)))
    elif same is None:
        out.lines.append(text("sure.settings_unknown", lang))
    if same and not other and lv.lo is not None and lv.hi is not None:
        out.worlds = (lv.lo, lv.hi, lv.value)
    for box in robust.boxes_for(policy, OUTCOME):
        line = sentences.plain(box.sentence.get(lang) or box.sentence.get("en", ""), lang)
        (out.fails if box.kind == rc.KIND_NO_GAIN else out.wins if box.kind == rc.KIND_BEST else []).append(line)
    return out


def assumptions(question: Question, lang: str) -> list[str]:
    out = [text("sure.assumption.effects", lang), text("sure.assumption.budget", lang)]
    if question.world == "utrecht":
        out.append(text("sure.assumption.adults", lang))
    elif question.world == "province":
        out.append(text("sure.assumption.world", lang))
    return out

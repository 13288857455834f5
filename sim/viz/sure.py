"""How sure the answer is, in words, from the robust analysis (sim/viz/robust_contract.py).
Pure code: used by the start view and the brief.

The robust analysis runs every instrument alone over many plausible worlds at its own
settings (vliegwiel-explore; by default the page's defaults: EUR 1.5 M, 10 years, the example
province). For a single instrument it gives: the share of worlds where it beats the
baseline by the stated margin, the share where it is the best, the range of its level over
the worlds, and the conditions (scenario-discovery boxes) under which it does not help. A
mix or a programme is not covered, and the page says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import numbers, robust_contract as rc, sentences
from .i18n import text
from .question import Question, default_budget, default_world

OUTCOME = "participation_end"


@dataclass
class Sure:
    lines: list[str] = field(default_factory=list)          # sentences
    fails: list[str] = field(default_factory=list)          # conditions under which it does not help
    wins: list[str] = field(default_factory=list)           # conditions under which it is the best
    worlds: tuple[float, float] | None = None               # p5-p95 of the policy's level over worlds
    source: str = ""


def pick(name: str | None = None, root: Path | None = None) -> rc.Robust | None:
    """The named analysis, or the newest one; None if there is none that reads."""
    names = rc.list_names(root)
    for n in ([name] if name in names else []) + names:
        try:
            return rc.open_named(n, root)
        except rc.RobustError:
            continue
    return None


def matches(robust: rc.Robust, question: Question) -> bool | None:
    """Whether the analysis was made at the question's settings: True, False, or None (unknown)."""
    if robust.overrides is None:
        return None
    if robust.overrides:
        return False
    return (question.budget == default_budget() and question.years == 10 and question.world == default_world())


def assess(question: Question, robust: rc.Robust | None, lang: str, replicates: int, folder: Path) -> Sure:
    out = Sure()
    if robust is None:
        out.lines.append(text("sure.none", lang, folder=folder, n=replicates))
        return out
    out.source = text("sure.source", lang, name=robust.name, worlds=robust.worlds or "?",
                      replicates=robust.replicates or "?")
    single = not question.programme and len(question.instruments) == 1 and not question.is_baseline
    policy = question.instruments[0] if single else ""
    row = robust.row(policy, OUTCOME) if single else None
    if row is None:
        out.lines.append(text("sure.not_covered", lang, name=robust.name))
        return out
    outcome = robust.outcome(OUTCOME)
    margin = _margin(robust, outcome)
    name = sentences.policy_name(question, lang)
    b = row.beats
    if b.value is not None:
        out.lines.append(text("sure.beats", lang, share=numbers.pct(b.value, lang), worlds=robust.worlds or "?",
                              lo=numbers.pct(b.lo, lang), hi=numbers.pct(b.hi, lang), policy=name,
                              margin=sentences.margin_text(outcome, margin, lang)))
    if row.best.value is not None:
        out.lines.append(text("sure.best", lang, share=numbers.pct(row.best.value, lang)))
    same = matches(robust, question)
    if same is False:
        out.lines.append(text("sure.settings_differ", lang, money=numbers.money(default_budget(), lang)))
    elif same is None:
        out.lines.append(text("sure.settings_unknown", lang))
    if same and row.level.lo is not None and row.level.hi is not None:
        out.worlds = (row.level.lo, row.level.hi)
    for box in robust.boxes_for(policy, OUTCOME):
        line = sentences.plain(box.sentence.get(lang) or box.sentence.get("en", ""), lang)
        (out.fails if box.kind == rc.KIND_NO_GAIN else out.wins if box.kind == rc.KIND_BEST else []).append(line)
    return out


def _margin(robust: rc.Robust, outcome) -> float | None:
    return outcome.margin if outcome is not None else None


def assumptions(question: Question, lang: str) -> list[str]:
    out = [text("sure.assumption.effects", lang), text("sure.assumption.budget", lang)]
    if question.world == "utrecht":
        out.append(text("sure.assumption.adults", lang))
    elif question.world == "province":
        out.append(text("sure.assumption.world", lang))
    return out

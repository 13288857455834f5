"""The answer in words: what happened, why, how sure, in Dutch or English. Pure code.

Every number is formatted for its reader (sim/viz/numbers.py); every name comes from where
it is declared (instrument labels from the registry, outcomes from sim/outcomes.py, texts
from texts_nl.py / texts_en.py). Shares are rounded to whole per cents: the model's numbers
rest on assumptions that do not carry a decimal.
"""

from __future__ import annotations

import math
import re

from . import numbers
from .i18n import has, text
from .question import BASELINE, Question

FLAT = 0.01            # a gain under 1 percentage point, or an interval that holds 0, is "hardly changes"
SMALL_PART = 0.02      # loops that moved the gain by less than 2 pp are named together
GENERATED = re.compile(r"village-(\d+)")
_KEY = re.compile(r"\b[a-z_]+(?:\.[a-z0-9_]+)+\b")


# --- names ------------------------------------------------------------------------------------

def instrument_name(name: str, lang: str) -> str:
    return text(f"instrument.{name}", lang)


def policy_name(question: Question, lang: str) -> str:
    if question.programme:
        return text("a.policy.programme", lang, name=programme_name(question.programme, lang))
    names = [instrument_name(i, lang) for i in question.instruments]
    if len(names) == 1:
        return names[0]
    return text("a.policy.mix", lang, first=", ".join(names[:-1]), last=names[-1])


def programme_name(name: str, lang: str) -> str:
    return text(f"programme.{name}", lang) if has(f"programme.{name}") else name.replace("_", " ")


def world_name(name: str, lang: str) -> str:
    return text(f"world.{name}", lang) if has(f"world.{name}") else name


def region_name(name: str, lang: str) -> str:
    """'de provincie Utrecht' / 'the province of Utrecht': a region inside a sentence."""
    return text(f"region.{name}", lang) if has(f"region.{name}") else world_name(name, lang)


def village_name(name: str, lang: str) -> str:
    """A generated village ('village-004') as 'Dorp 5' / 'Village 5'; real names as they are."""
    m = GENERATED.fullmatch(name)
    return text("village.n", lang, n=int(m.group(1)) + 1) if m else name


def municipality_name(name: str, index: int, lang: str) -> str:
    return text("municipality.n", lang, n=index + 1) if name.startswith("municipality-") or not name else name


def input_label(key: str, lang: str) -> str:
    """A plain name for an uncertain input of the robust analysis; the key if none is known."""
    if has(f"input.{key}"):
        return text(f"input.{key}", lang)
    parts = key.split(".")
    if len(parts) == 3 and parts[0] == "policy" and has(f"param.{parts[2]}"):
        return f"{instrument_name(parts[1], lang)}: {text(f'param.{parts[2]}', lang)}"
    return key


def plain(sentence: str, lang: str) -> str:
    """A sentence of vliegwiel-explore with its parameter keys in plain words."""
    return _KEY.sub(lambda m: input_label(m.group(0), lang) if _known(m.group(0)) else m.group(0), sentence)


def _known(key: str) -> bool:
    parts = key.split(".")
    return has(f"input.{key}") or (len(parts) == 3 and parts[0] == "policy" and has(f"param.{parts[2]}"))


def money(q: Question, lang: str) -> str:
    """The question's public money: the budget, and what the province adds to it as co-funder."""
    if q.cofunded:
        return text("a.money.cofunded", lang, money=numbers.money(q.budget, lang), extra=numbers.money(q.cofunded, lang))
    return numbers.money(q.budget, lang)


def capital(s: str) -> str:
    return s[:1].upper() + s[1:]


# --- the answer -------------------------------------------------------------------------------

def direction(diff: tuple[float, float, float] | None) -> str:
    """'up', 'down' or 'flat' from the paired difference and its interval."""
    if diff is None or not all(math.isfinite(x) for x in diff[:1]):
        return "flat"
    mean, lo, hi = diff
    if abs(mean) < FLAT or (math.isfinite(lo) and math.isfinite(hi) and lo <= 0 <= hi):
        return "flat"
    return "up" if mean > 0 else "down"


def answer_sentence(answer, lang: str, worlds: tuple[float, float] | None = None) -> str:
    """The headline: 'With EUR 1.5 M over 10 years, village dialogue raises ... (range ...).'"""
    q = answer.question
    n = answer.replicates
    own = answer.end[q.label if not q.is_baseline else BASELINE]
    ranges = [text("a.range.runs", lang, n=n, lo=numbers.pct(own[1], lang), hi=numbers.pct(own[2], lang))]
    if worlds is not None:       # p5, p95 and (if known) the median over the robust analysis's worlds
        median = worlds[2] if len(worlds) > 2 else None
        ranges.append(text("a.range.worlds" if median is None else "a.range.worlds.median", lang,
                           lo=numbers.pct(worlds[0], lang), hi=numbers.pct(worlds[1], lang),
                           median=numbers.pct(median, lang)))
    tail = f" ({'; '.join(ranges)})."
    if q.is_baseline:
        return capital(text("a.sentence.baseline", lang, years=q.years, own=numbers.pct(own[0], lang))) + tail
    base = answer.end[BASELINE]
    key = {"up": "a.sentence.up", "down": "a.sentence.down", "flat": "a.sentence.flat"}[direction(answer.diff)]
    return text(key, lang, money=money(q, lang), years=q.years, policy=policy_name(q, lang),
                base=numbers.pct(base[0], lang), own=numbers.pct(own[0], lang)) + tail


def detail_sentences(answer, lang: str) -> list[str]:
    """The difference with its interval, the vulnerable residents, the cost per extra participant."""
    q = answer.question
    if q.is_baseline or answer.diff is None:
        return []
    d, lo, hi = answer.diff
    out = [text("a.diff", lang, diff=numbers.pp(d, lang), lo=numbers.signed(100 * lo, lang),
                hi=numbers.signed(100 * hi, lang))]
    vb, vo = answer.value("vulnerable_participation_end", "baseline"), answer.value("vulnerable_participation_end")
    if math.isfinite(vb[0]) and math.isfinite(vo[0]):
        out.append(text("a.vulnerable", lang, base=numbers.pct(vb[0], lang), own=numbers.pct(vo[0], lang)))
    cost = answer.value("cost_per_extra_participant")
    if math.isfinite(cost[0]) and direction(answer.diff) == "up":
        out.append(text("a.cost", lang, money=numbers.money(round(cost[0], -1), lang)))
    return out


def basis(answer, lang: str) -> str:
    q = answer.question
    when = (text("a.basis.cached", lang, date=answer.made.strftime("%d-%m-%Y %H:%M" if lang == "nl" else "%Y-%m-%d %H:%M"))
            if answer.cached else text("a.basis.fresh", lang, seconds=numbers.plain(answer.seconds, lang, 1)))
    return text("a.basis", lang, n=answer.replicates, pairs=answer.replicates, world=world_name(q.world, lang), when=when)


# --- why --------------------------------------------------------------------------------------

def _clear_plus(p) -> bool:
    lo = p.carried[1]
    return p.carried[0] >= SMALL_PART and (not math.isfinite(lo) or lo > 0)


def _clear_minus(p) -> bool:
    hi = p.carried[2]
    return p.carried[0] <= -SMALL_PART and (not math.isfinite(hi) or hi < 0)


def _part(p, gain: float, lang: str, sign: int = 1) -> str:
    """The share of the gain a loop carried (or held back), rounded to 5 %."""
    if not gain or not math.isfinite(gain):
        return numbers.pp(sign * p.carried[0], lang, sign=False)
    share = min(max(sign * p.carried[0] / abs(gain), 0.0), 5.0)
    return numbers.pct(round(share * 20) / 20, lang)


def why_sentences(why, lang: str) -> list[str]:
    """Which loops carried the gain (their interval above 0), which held it back (below 0),
    and which made no clear difference."""
    q, gain = why.question, why.gain
    helped = sorted((p for p in why.parts if p.kind == "loop" and _clear_plus(p)), key=lambda p: -p.carried[0])
    braked = [p for p in why.parts if _clear_minus(p)]
    unclear = [p for p in why.parts if p.kind == "loop" and p not in helped and p not in braked]
    out = []
    if helped:
        main = helped[0]
        out.append(text("why.main", lang, loop=text(f"loop.{main.loop}", lang), share=_part(main, gain, lang)))
        out += [text("why.also", lang, loop=text(f"loop.{p.loop}", lang), share=_part(p, gain, lang))
                for p in helped[1:]]
    else:
        out.append(text("why.none", lang, channels=channels(q, lang)))
    out += [text("why.brake", lang, loop=text(f"loop.{p.loop}", lang), share=_part(p, gain, lang, -1))
            for p in braked]
    if unclear and helped:
        out.append(text("why.small", lang, loops=", ".join(text(f"loop.{p.loop}", lang) for p in unclear)))
    if helped:
        out.append(text("why.rest", lang, channels=channels(q, lang)))
    return out


def channels(q: Question, lang: str) -> str:
    names = list(q.instruments) if not q.programme else list(q.config().policy.instruments)
    parts = [text(f"channels.{n}", lang) for n in dict.fromkeys(names) if has(f"channels.{n}")]
    return "; ".join(parts) or text("channels.none", lang)


# --- how sure ---------------------------------------------------------------------------------

def margin_text(outcome, margin: float | None, lang: str) -> str:
    if margin is None:
        return "–"
    unit = (outcome.unit if outcome is not None else "") or ""
    if "share" in unit:
        return text("margin.share", lang, value=numbers.pp(margin, lang, sign=False))
    if "month" in unit:
        return text("margin.months", lang, value=numbers.plain(margin, lang, 1))
    return text("margin.other", lang, value=numbers.plain(margin, lang, 2))

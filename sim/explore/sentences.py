"""Every discovery box as one sentence in English and Dutch, for the report and the page.

    sentences(box, kind="best", policy_labels={"en": "village dialogue", "nl": "dorpsdialoog"},
              outcome_labels={...}, units={key: unit})   ->  {"en": ..., "nl": ...}

e.g. "Village dialogue stays the best choice for residents taking part at the end as long as
policy.dialogue.cost is under EUR 8,300 per dialogue and adoption.w_social is over 0.82: inside
these conditions it is the best in 78 % of the worlds, and they hold 64 % of the worlds where
it is the best." Conditions name the parameter keys (as on the command line) with their units;
numbers have three significant digits, in each language's notation.
"""

from __future__ import annotations

import math

COUNT_UNITS = ("months", "hours", "hours/month", "members", "collectives", "residents", "ties")


def number(x: float, lang: str) -> str:
    """Three significant digits; thousands separated; Dutch with a decimal comma."""
    if x == 0 or not math.isfinite(x):
        return "0" if x == 0 else str(x)
    digits = 2 - int(math.floor(math.log10(abs(x))))
    text = f"{round(x, digits):,.{max(digits, 0)}f}"
    if lang == "nl":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    return text


def value(x: float, unit: str, lang: str) -> str:
    """A number with its unit where the unit reads well in a sentence."""
    n = number(x, lang)
    if unit.startswith("EUR"):
        rest = unit[3:].strip()
        return f"EUR {n}" + (f" {rest}" if rest and not rest.startswith("/") else rest)
    if unit in COUNT_UNITS:
        return f"{n} {unit}" if lang == "en" else f"{n} {DUTCH_UNITS.get(unit, unit)}"
    return n


DUTCH_UNITS = {"months": "maanden", "hours": "uur", "hours/month": "uur per maand", "members": "leden",
               "collectives": "collectieven", "residents": "inwoners", "ties": "contacten"}
WORDS = {"en": {"under": "is under {a}", "over": "is over {a}", "between": "is between {a} and {b}", "and": "and"},
         "nl": {"under": "onder {a} ligt", "over": "boven {a} ligt", "between": "tussen {a} en {b} ligt", "and": "en"}}


def condition(key: str, lims: tuple[float, float], full: tuple[float, float], unit: str, lang: str) -> str:
    lo, hi = lims
    w = WORDS[lang]
    low_cut = lo > full[0] + 1e-9 * max(1.0, abs(full[0]))
    high_cut = hi < full[1] - 1e-9 * max(1.0, abs(full[1]))
    if low_cut and high_cut:
        text = w["between"].format(a=value(lo, unit, lang), b=value(hi, unit, lang))
    elif high_cut:
        text = w["under"].format(a=value(hi, unit, lang))
    else:
        text = w["over"].format(a=value(lo, unit, lang))
    return f"{key} {text}"


def join(parts: list[str], lang: str) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + f" {WORDS[lang]['and']} " + parts[-1]


def pct(x: float) -> str:
    return f"{100 * x:.0f} %"


def sentences(box, kind: str, policy: dict[str, str], outcome: dict[str, str], units: dict[str, str]) -> dict[str, str]:
    """{"en": ..., "nl": ...} for a box of `kind` "best" (the policy is the best) or
    "no_gain" (it does not beat the baseline by the stated margin)."""
    out = {}
    for lang in ("en", "nl"):
        conds = join([condition(k, lims, box.ranges[k], units.get(k, ""), lang) for k, lims in box.limits.items()], lang)
        name = policy[lang][:1].upper() + policy[lang][1:]
        out[lang] = TEMPLATES[(kind, lang, bool(conds))].format(
            name=name, outcome=outcome[lang], conds=conds, density=pct(box.density), coverage=pct(box.coverage))
    return out


TEMPLATES = {
    ("best", "en", True): "{name} stays the best choice for {outcome} as long as {conds}: inside these conditions it "
                          "is the best in {density} of the worlds, and they hold {coverage} of the worlds where it is "
                          "the best.",
    ("best", "nl", True): "{name} blijft de beste keuze voor {outcome} zolang {conds}: binnen deze grenzen is het in "
                          "{density} van de werelden de beste, en ze omvatten {coverage} van de werelden waarin het de "
                          "beste is.",
    ("no_gain", "en", True): "{name} does not beat the baseline by the stated margin for {outcome} when {conds}: "
                             "inside these conditions that happens in {density} of the worlds, and they hold "
                             "{coverage} of all worlds where it happens.",
    ("no_gain", "nl", True): "{name} doet het voor {outcome} niet met de gestelde marge beter dan geen instrument "
                             "wanneer {conds}: binnen deze grenzen gebeurt dat in {density} van de werelden, en ze "
                             "omvatten {coverage} van alle werelden waarin het gebeurt.",
    ("best", "en", False): "{name} is the best choice for {outcome} in {density} of the worlds, and no condition "
                           "sets those worlds apart.",
    ("best", "nl", False): "{name} is in {density} van de werelden de beste keuze voor {outcome}, en geen voorwaarde "
                           "onderscheidt die werelden.",
    ("no_gain", "en", False): "{name} does not beat the baseline by the stated margin for {outcome} in {density} of "
                              "the worlds, and no condition sets those worlds apart.",
    ("no_gain", "nl", False): "{name} doet het voor {outcome} in {density} van de werelden niet met de gestelde marge "
                              "beter dan geen instrument, en geen voorwaarde onderscheidt die werelden.",
}

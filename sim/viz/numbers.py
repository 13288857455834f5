"""Numbers as a Dutch or English reader writes them, in and out. Pure code.

Out: `number(1500000, "nl")` -> '1.500.000', `"en"` -> '1,500,000'; `pct(0.2234, "nl")` ->
'22 %'; `money(1.5e6, "nl")` -> '€ 1,5 mln', `"en"` -> 'EUR 1.5 M'; `pp(0.29, "nl")` ->
'+29 procentpunt'.

In: `parse(text, lang)` reads what a visitor types, in either language's habit: '1.500.000',
'1,500,000', '1 500 000', '1500000', '1,5 mln', '1.5 M', '€ 1.500.000,00', '250k', '0,35'.
Where a text means different numbers in the two languages ('1,500': one and a half in Dutch,
fifteen hundred in English; '1.500' the other way round) the page's language decides. What
is not a number raises ValueError('not_a_number'); the message is a text key of i18n.py.
"""

from __future__ import annotations

import math
import re
import sys
from typing import Any

MAX_TEXT = 40   # characters: longer text in a number field is not a number
_LARGEST = int(sys.float_info.max)
SUFFIXES = {"k": 1e3, "duizend": 1e3, "m": 1e6, "mln": 1e6, "mio": 1e6, "miljoen": 1e6, "million": 1e6,
            "mld": 1e9, "miljard": 1e9, "bn": 1e9, "billion": 1e9}
_PARTS = re.compile(r"(?P<sign>[+-]?)(?P<body>[0-9][0-9.,]*|[.,][0-9]+)(?:[eE](?P<exp>[+-]?[0-9]{1,3}))?"
                    r"(?P<suffix>[a-z]*)", re.A)
def _grouped(body: str, sep: str) -> bool:
    """'1.500.000' with sep '.': digits in groups of three after the first."""
    return re.fullmatch(r"[0-9]{1,3}(?:" + re.escape(sep) + r"[0-9]{3})+", body, re.A) is not None


def _body(body: str, lang: str) -> float:
    """'1.500.000,5' (nl) or '1,500,000.5' (en) or '1500000' -> float."""
    dots, commas = body.count("."), body.count(",")
    if dots and commas:                      # both: the last one is the decimal mark
        dec = "," if body.rfind(",") > body.rfind(".") else "."
        group = "." if dec == "," else ","
        whole, _, frac = body.rpartition(dec)
        if not _grouped(whole, group) and group in whole or not frac.isdigit():
            raise ValueError("not_a_number")
        return float(whole.replace(group, "") + "." + frac)
    sep = "." if dots else "," if commas else ""
    if not sep:
        return float(body)
    n = dots or commas
    whole, _, frac = body.partition(sep)
    if n > 1:                                # several: thousands groups only
        if not _grouped(body, sep):
            raise ValueError("not_a_number")
        return float(body.replace(sep, ""))
    thousands_sep = "." if lang == "nl" else ","
    if sep == thousands_sep and _grouped(body, sep):   # '1.500' in Dutch, '1,500' in English
        return float(body.replace(sep, ""))
    if not frac.isdigit() and frac != "" or whole == "" and frac == "":
        raise ValueError("not_a_number")
    return float((whole or "0") + "." + (frac or "0"))


def parse(raw: Any, lang: str = "nl", integer: bool = False) -> int | float:
    """A number from what a browser sends (text in either language's format, or a JSON number)."""
    if isinstance(raw, bool):
        raise ValueError("not_a_number")
    if isinstance(raw, int | float):
        if isinstance(raw, int) and abs(raw) > _LARGEST:
            raise ValueError("not_a_number")
        x = float(raw)
    elif not isinstance(raw, str):
        raise ValueError("not_a_number")
    else:
        x = _parse_text(raw, lang)
    if not math.isfinite(x):
        raise ValueError("not_a_number")
    if integer:
        if not x.is_integer():
            raise ValueError("not_a_whole_number")
        return int(x)
    return x


def _parse_text(raw: str, lang: str) -> float:
    s = raw.strip().lower()
    for token in ("€", "euro", "eur"):
        s = s.removeprefix(token).strip() if s.startswith(token) else s
    s = s.removesuffix("euro").removesuffix("eur").strip()
    s = s.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("_", "").replace("'", "")
    if not s or len(s) > MAX_TEXT:
        raise ValueError("not_a_number")
    m = _PARTS.fullmatch(s)
    if m is None or (m["suffix"] and m["suffix"] not in SUFFIXES):
        raise ValueError("not_a_number")
    try:
        x = _body(m["body"], lang) * (10.0 ** int(m["exp"]) if m["exp"] else 1.0)
    except OverflowError:
        raise ValueError("not_a_number") from None
    x *= SUFFIXES.get(m["suffix"], 1.0)
    return -x if m["sign"] == "-" else x


# --- out ------------------------------------------------------------------------------------

def number(x: float, lang: str, decimals: int = 0) -> str:
    """1500000 -> '1.500.000' (nl) or '1,500,000' (en); NaN -> '–'."""
    if x is None or not math.isfinite(float(x)):
        return "–"
    s = f"{float(x):,.{decimals}f}"
    if lang == "nl":
        s = s.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")
    return s


def pct(share: float, lang: str, decimals: int = 0) -> str:
    """0.2234 -> '22 %' (a share 0-1 as per cent; both languages put a space before %)."""
    if share is None or not math.isfinite(float(share)):
        return "–"
    return f"{number(100 * float(share), lang, decimals)} %"


def pp(diff: float, lang: str, decimals: int = 0, sign: bool = True) -> str:
    """0.29 -> '+29 procentpunt' / '+29 percentage points' (a difference of shares)."""
    if diff is None or not math.isfinite(float(diff)):
        return "–"
    v = round(100 * float(diff), decimals)
    body = number(abs(v), lang, decimals)
    mark = ("+" if v > 0 else "−" if v < 0 else "±") if sign else ("−" if v < 0 else "")
    unit = "procentpunt" if lang == "nl" else ("percentage point" if abs(v) == 1 else "percentage points")
    return f"{mark}{body} {unit}"


def signed(x: float, lang: str, decimals: int = 0) -> str:
    """+18 / −3 / ±0: a number with its sign (differences, interval bounds)."""
    if x is None or not math.isfinite(float(x)):
        return "–"
    v = round(float(x), decimals)
    mark = "+" if v > 0 else "−" if v < 0 else "±"
    return mark + number(abs(v), lang, decimals)


def money(x: float, lang: str) -> str:
    """1.5e6 -> '€ 1,5 mln' / 'EUR 1.5 M'; 250000 -> '€ 250.000' / 'EUR 250,000'."""
    if x is None or not math.isfinite(float(x)):
        return "–"
    x = float(x)
    cur = "€" if lang == "nl" else "EUR"
    if abs(x) >= 1e6:
        v = x / 1e6
        body = number(v, lang, 0 if v.is_integer() else 2 if abs(v * 10 - round(v * 10)) > 1e-9 else 1)
        return f"{cur} {body} {'mln' if lang == 'nl' else 'M'}"
    return f"{cur} {number(x, lang)}"


def plain(x: float, lang: str, decimals: int = 2) -> str:
    """A number with at most `decimals` decimals, trailing zeros dropped: 0.35 -> '0,35'."""
    if x is None or not math.isfinite(float(x)):
        return "–"
    s = number(x, lang, decimals)
    if decimals:
        dec = "," if lang == "nl" else "."
        s = s.rstrip("0").rstrip(dec)
    return s


def metric(x: float, scale: str, lang: str, difference: bool = False) -> str:
    """A value of an outcome (sim/outcomes.py `scale`) for its reader: shares in per cent
    (differences in percentage points), money in euro, months and counts as numbers."""
    if x is None or not math.isfinite(float(x)):
        return "–" if x is None or math.isnan(float(x)) else ("onbegrensd" if lang == "nl" else "unbounded")
    x = float(x)
    if scale == "share":
        v = 100 * x
        return f"{signed(v, lang, 1)} pp" if difference else f"{number(v, lang, 1)} %"
    if scale == "EUR":
        body = money(abs(x), lang)
        return (("+" if x > 0 else "−" if x < 0 else "±") + body) if difference else body
    digits = 0 if abs(x) >= 100 or float(x).is_integer() else 2 if abs(x) < 10 else 1
    return signed(x, lang, digits) if difference else number(x, lang, digits)

"""Every text of the browser page, in Dutch and English: one dict per language, texts_nl.py
and texts_en.py, with the same keys (tests/test_viz_unit.py checks it, and that every key
the page's code names exists).

`text(key, lang)` looks a text up. Names that come with the model are not repeated here: an
instrument's label comes from its registry entry, an outcome's from sim/outcomes.py.
"""

from __future__ import annotations

from .texts_en import EN
from .texts_nl import NL

LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"
TEXTS: dict[str, dict[str, str]] = {"nl": NL, "en": EN}


def table(lang: object) -> dict[str, str]:
    """The texts of `lang`; unknown languages, of any type, fall back to the default."""
    return TEXTS.get(lang, TEXTS[DEFAULT_LANGUAGE]) if isinstance(lang, str) else TEXTS[DEFAULT_LANGUAGE]


def text(key: str, lang: str, **fields: object) -> str:
    """The text for `key` in `lang` (unknown languages fall back to the default). An
    instrument's name (`instrument.<name>`) comes from its own labels (the registry)."""
    out = table(lang).get(key)
    if out is None and key.startswith("instrument."):
        from ..instruments.registry import label

        out = label(key.removeprefix("instrument."), lang if lang in TEXTS else DEFAULT_LANGUAGE)
    out = key if out is None else out
    return out.format(**fields) if fields else out


def has(key: str) -> bool:
    return key in NL


def other_language(lang: str) -> str:
    return "en" if lang == "nl" else "nl"

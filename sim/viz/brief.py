"""A one-page brief of the current answer, as PDF, made on the server with reportlab.

A4, portrait: the question, the answer in a sentence and its figure, why (which loops did
the work), how sure (the robust analysis), the assumptions, the date, the model version and a
link that reopens the page with the same settings. Dutch or English. Fonts: DejaVu Sans,
which matplotlib ships, so every character (€, ‘’, −) prints and nothing depends on the
system's fonts. tests/test_viz_brief.py renders the page with pdftoppm and checks it.
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import matplotlib
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Image, KeepInFrame, Paragraph, SimpleDocTemplate, Spacer
from xml.sax.saxutils import escape

from . import answer_figures, sentences, sure
from .i18n import text

FONT, BOLD = "VliegwielSans", "VliegwielSans-Bold"
_FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
MARGIN = 16 * mm


def _register() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(_FONTS / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, str(_FONTS / "DejaVuSans-Bold.ttf")))
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=FONT, fontSize=9.5, leading=12.5, alignment=TA_LEFT, spaceAfter=3)
    return {
        "base": base,
        "title": ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=16, leading=20, spaceAfter=2),
        "sub": ParagraphStyle("sub", parent=base, fontSize=9, textColor=colors.HexColor("#555555"), spaceAfter=8),
        "h": ParagraphStyle("h", parent=base, fontName=BOLD, fontSize=11, leading=14, spaceBefore=6, spaceAfter=2,
                            textColor=colors.HexColor("#1f5fa8")),
        "lead": ParagraphStyle("lead", parent=base, fontName=BOLD, fontSize=11, leading=14.5),
        "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=9.5, textColor=colors.HexColor("#555555")),
        "bullet": ParagraphStyle("bullet", parent=base, leftIndent=10, bulletIndent=0),
    }


def _p(s: str, style) -> Paragraph:
    return Paragraph(escape(s), style)


def make(answer, lang: str, why=None, sure_: sure.Sure | None = None, link: str = "",
         made: datetime | None = None) -> bytes:
    """The brief as PDF bytes."""
    from ..version import model_version

    _register()
    st = _styles()
    q = answer.question
    made = made or datetime.now()
    policy = sentences.policy_name(q, lang)
    story = [
        _p(text("brief.title", lang, policy=sentences.capital(policy)), st["title"]),
        _p(text("subtitle", lang), st["sub"]),
        _p(text("brief.question", lang), st["h"]),
        _p(text("brief.question.text", lang, policy=policy, money=sentences.money(q, lang), years=q.years,
                world=sentences.region_name(q.world, lang)), st["base"]),
        _p(text("brief.answer", lang), st["h"]),
        _p(sentences.answer_sentence(answer, lang, sure_.worlds if sure_ else None), st["lead"]),
    ]
    story += [_p(s, st["base"]) for s in sentences.detail_sentences(answer, lang)]
    fig = answer_figures.answer_figure(answer, lang, size=(8.0, 3.1), dpi=150)
    width = A4[0] - 2 * MARGIN
    story.append(Image(io.BytesIO(answer_figures.png(fig)), width=width, height=width * 3.1 / 8.0))
    story.append(_p(sentences.basis(answer, lang) + " " + text("a.baseline_named", lang), st["small"]))
    story.append(_p(text("brief.why", lang), st["h"]))
    if why is not None:
        story += [_p(s, st["base"]) for s in sentences.why_sentences(why, lang)]
    else:
        story.append(_p(text("why.baseline", lang) if q.is_baseline else text("brief.pending", lang), st["base"]))
    story.append(_p(text("brief.sure", lang), st["h"]))
    if sure_ is not None:
        story += [_p(s, st["base"]) for s in sure_.lines]
        if sure_.fails:
            story.append(_p(text("sure.fails", lang), st["base"]))
            story += [Paragraph(escape(s), st["bullet"], bulletText="•") for s in sure_.fails[:2]]
        if sure_.source:
            story.append(_p(sure_.source, st["small"]))
    story.append(_p(text("brief.assumptions", lang), st["h"]))
    story += [Paragraph(escape(s), st["bullet"], bulletText="•") for s in sure.assumptions(q, lang)]
    story.append(Spacer(1, 4))
    date = made.strftime("%d-%m-%Y %H:%M" if lang == "nl" else "%Y-%m-%d %H:%M")
    story.append(_p(text("brief.footer", lang, version=model_version(), date=date, runs=answer.runs, link=link),
                    st["small"]))
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=14 * mm,
                            bottomMargin=12 * mm, title=text("brief.title", lang, policy=policy), author="vliegwiel",
                            lang=lang)
    frame_h = A4[1] - 26 * mm
    doc.build([KeepInFrame(width, frame_h, story, mode="shrink")])   # always one page
    return buf.getvalue()


def filename(answer, lang: str) -> str:
    q = answer.question
    word = "notitie" if lang == "nl" else "brief"
    return f"vliegwiel_{word}_{q.scenario_name().removeprefix('page_')}.pdf"

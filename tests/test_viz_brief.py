"""The one-page brief (sim/viz/brief.py): a PDF that renders, on one page, in both languages."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from sim.experiments.executors import Serial
from sim.viz import answers, brief, comparisons, robust_contract as rc, sure, why
from sim.viz.question import Question

FIXTURE = Path(__file__).parent / "fixtures" / "explore" / "demo"
NEEDS = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")


@pytest.fixture(scope="module")
def answered(tmp_path_factory):
    folder = tmp_path_factory.mktemp("results")
    mp = pytest.MonkeyPatch()
    mp.setattr(comparisons, "RESULTS", folder)
    mp.setattr(answers, "executor", lambda: Serial())
    mp.setenv("VLIEGWIEL_PAGE_REPLICATES", "2")
    mp.setenv("VLIEGWIEL_PAGE_WHY_REPLICATES", "1")
    q = Question(("dialogue",), world="small", years=2)
    a = answers.compute(q)
    w = why.compute(q, a)
    yield a, w
    mp.undo()


def pages(pdf: bytes, tmp_path: Path, name: str) -> list[Path]:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(path), str(tmp_path / name)], check=True, timeout=60)
    return sorted(tmp_path.glob(f"{name}*.png"))


@NEEDS
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_brief_is_one_page_that_renders_with_its_figure_and_words(answered, tmp_path, lang):
    a, w = answered
    assessed = sure.assess(a.question, rc.read(FIXTURE), lang, a.replicates, FIXTURE.parent)
    pdf = brief.make(a, lang, w, assessed, link="http://127.0.0.1:8765/?instruments=dialogue&lang=" + lang)
    assert pdf.startswith(b"%PDF") and len(pdf) > 20_000
    (png,) = pages(pdf, tmp_path, lang)               # one page
    pixels = np.asarray(Image.open(png).convert("RGB")).astype(int)
    assert pixels.shape[0] > pixels.shape[1] > 350    # A4 portrait at 50 dpi: 413 x 585
    blue = (np.abs(pixels - [31, 95, 168]).sum(axis=2) < 60).sum()
    assert blue > 200                                 # the policy's curve and the headings
    ink = (pixels.sum(axis=2) < 300).mean()
    assert 0.01 < ink < 0.3                           # text on the page, not a blank or black page
    text = subprocess.run(["pdftotext", str(tmp_path / f"{lang}.pdf"), "-"], capture_output=True, text=True).stdout
    words = ("Notitie", "Antwoord", "Waarom", "Hoe zeker", "Aannames", "€") if lang == "nl" else \
        ("Brief", "Answer", "Why", "How sure", "Assumptions", "EUR")
    for word in words:
        assert word in text, word
    assert "p-value" not in text and "p =" not in text


@NEEDS
def test_a_brief_without_the_loops_and_without_a_robust_analysis_still_renders(answered, tmp_path):
    a, _ = answered
    assessed = sure.assess(a.question, None, "nl", a.replicates, tmp_path)
    pdf = brief.make(a, "nl", None, assessed)
    assert len(pages(pdf, tmp_path, "bare")) == 1

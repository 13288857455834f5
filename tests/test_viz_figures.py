"""The live view's figures (sim/viz/live_figures.py, cascade.py): kept per session and updated
in place each month, they must show exactly what a figure built afresh shows, redraw their
background only when it changes, and say what they show."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from sim.state import ResidentState
from sim.viz import cascade, figures, live_figures as lf
from sim.viz.live import LiveRun
from sim.viz.question import Question

pytest.importorskip("solara", reason="the browser page's extra is not installed (pip install -e '.[viz]')")

SMALL = Question(("subsidy",), world="small", years=2)
BASELINE = Question(("none",), world="small", years=2)


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def build(kind: str, run: LiveRun, snap, lang: str = "en"):
    if kind == "cascade":
        return cascade.CascadeFigure(snap, run.villages().name[snap.village], lang)
    if kind == "money":
        return lf.MoneyFigure(snap, lang)
    return {"curves": lf.CurvesFigure, "collectives": lf.CollectivesFigure}[kind](snap, lang, "subsidy")


KINDS = ["curves", "cascade", "collectives", "money"]


@pytest.mark.parametrize("kind", KINDS)
def test_an_updated_figure_shows_what_a_new_one_shows(kind):
    run = LiveRun(SMALL)
    kept = build(kind, run, run.snapshot(1))
    kept.png(run.snapshot(1))
    for _ in range(15):   # past the first year
        run.step(1)
        kept.png(run.snapshot(1))
    snap = run.snapshot(1)
    fresh = build(kind, run, snap)
    assert np.array_equal(pixels(kept.png(snap)), pixels(fresh.png(snap)))


def test_the_background_is_drawn_again_only_when_the_axes_change():
    run = LiveRun(SMALL)
    fig = build("curves", run, run.snapshot())
    draws = []
    original = fig.canvas.draw
    fig.canvas.draw = lambda: (draws.append(run.month), original())[1]
    limits = set()
    for _ in range(24):
        run.step(1)
        fig.png(run.snapshot())
        limits.add((fig.ax.get_xlim(), fig.ax.get_ylim()))
    assert len(draws) == len(limits) < 5 and fig.ax.get_xlim() == (0, 2.0)   # the horizon, from the start


def test_without_an_instrument_the_money_figure_draws_no_budget_line_and_says_why():
    run = LiveRun(BASELINE)
    fig = lf.MoneyFigure(run.snapshot(), "nl")
    assert run.snapshot().budget == 0.0
    texts = [t.get_text() for t in fig.ax.texts]
    assert texts == ["Zonder instrument wordt geen publiek geld uitgegeven."]
    assert not [line for line in fig.ax.get_lines() if line.get_linestyle() == "--"]


def test_the_cascade_is_a_tree_of_who_brought_whom():
    # the province's 30 villages: on the calibrated default a small world may see nobody take part
    run = LiveRun(Question(("dialogue",), world="province", years=10))
    run.step(120)
    # the village where most took part (village 0 may have nobody)
    snap = max((run.snapshot(v) for v in range(run.main.world.villages.n)), key=lambda s: int((s.joined >= 0).sum()))
    shown, rows, parent = cascade.tree(snap)
    assert 0 < len(shown) <= cascade.MAX_SHOWN and sorted(rows) == list(range(len(shown)))
    joined = snap.joined[shown]
    assert np.all(np.diff(joined) >= 0)                              # the first to take part
    has = parent >= 0
    assert np.all(joined[parent[has]] < joined[has])                 # a parent took part before
    assert np.all(rows[parent[has]] < rows[has])                     # and is drawn above
    ever, linked, alone = cascade.counts(snap)
    assert ever == linked + alone and ever >= len(shown)
    text = cascade.summary(snap, "village-000", "nl")
    assert text.replace(".", "").startswith(f"{ever} van ") and "Dorp 1" in text   # Dutch thousands: 3.619
    snap2 = run.snapshot(0)
    snap2.state[shown[:3]] = ResidentState.GONE     # moved away: still drawn, in grey
    fig = cascade.CascadeFigure(snap2, "village-000", "en")
    assert pixels(fig.png(snap2)).shape == (round(4.6 * figures.DPI), round(10 * figures.DPI), 3)

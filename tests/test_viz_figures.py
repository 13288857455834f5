"""The live view's figures (sim/viz/figures.py, network.py): kept per session and updated in
place each month, they must show exactly what a figure built afresh shows, and redraw their
background only when it changes."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from sim.state import ResidentState
from sim.viz import figures, network
from sim.viz.live_model import LiveModel

pytest.importorskip("solara", reason="the browser page's extra is not installed (pip install -e '.[viz]')")

SMALL = {"world": "small", "policy.instruments": "subsidy"}


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def build(kind: str, model, lang: str = "en"):
    if kind == "map":
        return figures.MapFigure(model, lang, 1)
    if kind == "network":
        return network.NetworkFigure(model, network.layout(model, 1), lang)
    return {"curves": figures.CurvesFigure, "collectives": figures.CollectivesFigure,
            "budget": figures.BudgetFigure}[kind](model, lang)


KINDS = ["map", "network", "curves", "collectives", "budget"]


@pytest.mark.parametrize("kind", KINDS)
def test_an_updated_figure_shows_what_a_new_one_shows(kind):
    model = LiveModel(controls=SMALL)
    kept = build(kind, model)
    kept.png(model)
    for _ in range(15):   # past the first year: the time axis grows once
        model.step()
        kept.png(model)
    fresh = build(kind, model)
    assert np.array_equal(pixels(kept.png(model)), pixels(fresh.png(model)))
    w, h = (round(x * figures.DPI) for x in figures.SIZE)
    assert pixels(fresh.png(model)).shape == (h, w, 3)


def test_the_network_legend_shows_residents_who_moved_away_once_there_are_any():
    model = LiveModel(controls=SMALL)
    fig = build("network", model)
    assert "moved away" not in " ".join(t.get_text() for t in fig.ax.get_legend().get_texts())
    gone = fig.lay.residents[:3]
    model.people.state[gone] = ResidentState.GONE   # as mechanisms.demography does
    fig.png(model)
    labels = [t.get_text() for t in fig.ax.get_legend().get_texts()]
    assert any(label.endswith("(3)") and "away" in label for label in labels), labels
    assert np.array_equal(pixels(fig.png(model)), pixels(build("network", model).png(model)))


def test_keys_change_with_the_data_shown_and_only_then():
    model = LiveModel(controls=SMALL)
    curves, collectives = build("curves", model), build("collectives", model)
    k0 = curves.key(model)
    model.step()
    assert curves.key(model) != k0   # a new month is a new point on every curve
    before = collectives.key(model)
    assert collectives.key(model) == before
    model.recorder.stages[-1][0, 0] += 1   # a collective more in the picture: another key
    assert collectives.key(model) != before


def test_the_background_is_drawn_again_only_when_the_axes_change():
    model = LiveModel(controls=SMALL)
    fig = build("curves", model)
    draws = []
    original = fig.canvas.draw
    fig.canvas.draw = lambda: (draws.append(len(model.recorder.rogers)), original())[1]
    fig.png(model)
    limits = {(fig.ax.get_xlim(), fig.ax.get_ylim())}
    for _ in range(30):
        model.step()
        fig.png(model)
        limits.add((fig.ax.get_xlim(), fig.ax.get_ylim()))
    assert len(draws) == len(limits) < 10   # one full draw per axis range (years 1, 2, 3: three at least)
    assert fig.ax.get_xlim() == (0, 3.0)


def test_the_map_colour_scale_follows_the_highest_share():
    model = LiveModel(controls=SMALL)
    kept = build("map", model)
    kept.png(model)
    model.villages.participation = np.asarray(model.villages.participation, float).copy()
    model.villages.participation[0] = 0.23   # 23 %: the scale goes up to 25 %
    assert np.array_equal(pixels(kept.png(model)), pixels(build("map", model).png(model)))
    assert kept.points.get_clim() == (0, 25.0)

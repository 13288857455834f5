"""vliegwiel-calibrate: the mapping and distance by hand, ABC rejection, the observed series'
checks, and the real command end to end (small: world=small, a few particles)."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from sim import load_config
from sim.calibrate.abc import Prior, accept, draw, parse_prior, summarise
from sim.calibrate.fit import goodness, nrmse, profile_scale
from sim.calibrate.observed import ENERGY_COOPERATIVES, load_series
from sim.errors import UserError
from sim.metrics import theme_reach

ROOT = Path(__file__).resolve().parents[1]


# --- the mapping: observed / K ~ simulated share, K profiled ----------------------------

def test_profile_scale_by_hand():
    y, s = np.array([10.0, 20.0, 30.0]), np.array([0.1, 0.2, 0.3])
    # K* = sum(y S) / sum(S^2) = (1 + 4 + 9) / (0.01 + 0.04 + 0.09) = 100
    assert profile_scale(np.array([10.0, 30.0]), np.array([0.1, 0.2]), 1.0, 1e6) == pytest.approx(7.0 / 0.05)
    assert profile_scale(y, s, 1.0, 1e6) == pytest.approx(100.0)
    assert profile_scale(y, s, 200.0, 300.0) == pytest.approx(200.0)   # clipped to K_min
    assert profile_scale(y, s, 10.0, 50.0) == pytest.approx(50.0)      # clipped to K_max
    with pytest.raises(ValueError):
        profile_scale(y, s, 0.0, 10.0)


def test_profile_scale_minimises_the_squared_error():
    rng = np.random.default_rng(1)
    y, s = np.cumsum(rng.random(11)) * 50, np.sort(rng.random(11))
    k = profile_scale(y, s, 1.0, 1e9)
    # the K that minimises the squared error of y - K S also minimises the reported NRMSE
    sse = lambda kk: float(((y - kk * s) ** 2).sum())  # noqa: E731
    assert sse(k) <= min(sse(k * 1.01), sse(k * 0.99))
    nr = lambda kk: nrmse(y / kk, s)[0]  # noqa: E731
    assert nr(k) <= min(nr(k * 1.01), nr(k * 0.99))


def test_nrmse_by_hand():
    n, r = nrmse(np.array([0.0, 0.5, 1.0]), np.array([0.1, 0.5, 0.9]))
    assert r == pytest.approx(math.sqrt(0.02 / 3))      # sqrt((0.01 + 0 + 0.01) / 3)
    assert n == pytest.approx(r / 1.0)                  # range of the observed curve is 1
    assert nrmse(np.array([0.2, 0.2]), np.array([0.1, 0.3]))[0] == math.inf  # flat data: no scale


def test_goodness_recovers_a_known_scale_exactly():
    s = np.array([0.02, 0.05, 0.1, 0.2, 0.35, 0.5])
    fit = goodness(740.0 * s, s, 100.0, 5000.0)
    assert fit.scale == pytest.approx(740.0) and fit.nrmse == pytest.approx(0.0, abs=1e-12)
    assert goodness(740.0 * s, np.full(6, np.nan), 100.0, 5000.0).nrmse == math.inf


# --- ABC rejection -----------------------------------------------------------------------

def test_latin_hypercube_covers_every_stratum_once_and_is_reproducible():
    priors = [Prior("a", 0.0, 1.0), Prior("b", 10.0, 20.0)]
    x = draw(priors, 8, seed=3)
    assert x.shape == (8, 2)
    for j, p in enumerate(priors):
        strata = np.floor((x[:, j] - p.lo) / (p.hi - p.lo) * 8).astype(int)
        assert sorted(strata) == list(range(8))
    np.testing.assert_array_equal(x, draw(priors, 8, seed=3))
    assert not np.array_equal(x, draw(priors, 8, seed=4))


def test_accept_takes_the_closest_finite_fraction():
    d = np.array([0.3, np.nan, 0.1, 0.2, np.inf])
    assert accept(d, 0.4).tolist() == [2, 3]          # ceil(0.4 * 5) = 2
    assert accept(d, 1.0).tolist() == [2, 3, 0]       # never a NaN or infinite distance
    assert accept(np.array([0.5, 0.5, 0.1]), 0.1).tolist() == [2]  # at least one
    with pytest.raises(UserError, match="no parameter set came near the data"):
        accept(np.array([np.inf, np.nan]), 0.5)


def test_summarise_by_hand():
    t = summarise(pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0]}), {"a": (0.0, 5.0)}).iloc[0]
    assert t["mean"] == 2.5 and t["sd"] == pytest.approx(math.sqrt(5 / 3))
    assert t["q50"] == 2.5 and t["q05"] == pytest.approx(1.15) and t["q95"] == pytest.approx(3.85)
    assert (t["prior_low"], t["prior_high"]) == (0.0, 5.0)


@pytest.mark.parametrize("text", ["a=1", "a=2:1", "=0:1", "a=x:1", "a0:1"])
def test_bad_priors_are_refused(text):
    with pytest.raises(UserError, match="KEY=LOW:HIGH"):
        parse_prior(text)


# --- the observed series -----------------------------------------------------------------

def test_the_shipped_energy_cooperatives():
    obs = load_series(ENERGY_COOPERATIVES, "cooperatives_cumulative")
    assert obs.years.tolist() == list(range(2009, 2020))
    assert obs.values[[0, -1]].tolist() == [20.0, 560.0]   # DOMAIN.md s6, Lokale Energie Monitor
    assert obs.months.tolist() == list(range(0, 121, 12))


@pytest.mark.parametrize("content, column, message", [
    ("year,n\n2001,1\n2002,2\n2003,3\n2004,4\n", "count", "--column count: not a column"),
    ("year,n\n2001,1\n2003,2\n2002,3\n2004,4\n", "n", "increasing"),
    ("year,n\n2001,1\n2002,-2\n2003,3\n2004,4\n", "n", "must be between 0 and"),
    ("year,n\n2001,1\n2002,2\n2003,3\n", "n", "need at least 4"),
    ("year,n\n2001,1\n2002,x\n2003,3\n2004,4\n", "n", "must be numbers"),
    ("year,n\n2001.5,1\n2002,2\n2003,3\n2004,4\n", "n", "whole years"),
    ("year,n\n2001,1\n2002,3\n2003,2\n2004,4\n", "n", "cumulative"),
    ("year,n\n2001,5\n2002,5\n2003,5\n2004,5\n", "n", "does not grow"),
])
def test_bad_series_give_clear_errors(tmp_path, content, column, message):
    f = tmp_path / "obs.csv"
    f.write_text(content)
    with pytest.raises(UserError, match=message):
        load_series(f, column)
    with pytest.raises(UserError, match="no such file"):
        load_series(tmp_path / "missing.csv", column)


def test_until_keeps_the_fitted_years_and_refuses_too_few():
    obs = load_series(ENERGY_COOPERATIVES, "cooperatives_cumulative")
    head = obs.until(2016)
    assert head.years.tolist() == list(range(2009, 2017)) and head.values[-1] == 304.0
    with pytest.raises(UserError, match="--fit-until 2011: leaves 3 observations"):
        obs.until(2011)


def test_held_out_observations_are_judged_against_the_bands():
    from sim.calibrate.cli import forecast_table, held_out

    obs = load_series(ENERGY_COOPERATIVES, "cooperatives_cumulative")
    fitted = obs.until(2016)
    years = np.arange(2009, 2020)
    # point runs: 3 seeds; particle runs: 2 particles x 2 seeds (counts per year)
    point = np.array([np.linspace(0, 400, 11), np.linspace(0, 500, 11), np.linspace(0, 600, 11)])
    particles = np.stack([point[:2], point[1:]])
    table = forecast_table(fitted, obs, years, point, particles)
    assert table["forecast"].tolist() == [False] * 8 + [True] * 3
    assert table["observed"].tolist() == obs.values.tolist()   # held-out values are shown too
    ho = held_out(table)
    assert [h["year"] for h in ho] == [2017, 2018, 2019]
    # 2019: the point runs end at 400, 500, 600 -> 5-95 % band 410-590; observed 560 is inside
    assert ho[2]["point_band"] == pytest.approx([410.0, 590.0]) and ho[2]["inside_point"]
    # 2017: runs at 320, 400, 480 -> band 328-472, observed 382 inside; 2018: 360, 450, 540 -> 369-531, 476 inside
    assert all(h["inside_point"] for h in ho)
    low = forecast_table(fitted, obs, years, point * 0.5, particles * 0.5)
    assert not any(h["inside_point"] for h in held_out(low))   # half as many: every one outside


def test_theme_curves_are_read_by_run_key(tmp_path):
    """Each run's curve is read from its own record (found by its key, which hashes its whole
    configuration), into its (row, replicate) slot; a record missing is an error."""
    from sim.calibrate.cli import theme_curves
    from sim.experiments import records

    def record(key: str, share: float) -> None:
        curves = pd.DataFrame({"month": [0, 1, 0], "level": ["theme", "theme", "theme"],
                               "unit": ["energy", "energy", "care"], "villages_share": [share, share + 1, 9.0]})
        records.write(tmp_path / f"{key}.parquet", records.to_bytes(curves, {"key": key}))

    for key, share in (("a", 0.10), ("b", 0.11), ("c", 0.20), ("d", 0.21), ("other", 0.7)):
        record(key, share)
    out = theme_curves(tmp_path, ["a", "b", "c", "d"], "energy", 2, 2, 1)
    np.testing.assert_allclose(out[:, :, 0], [[0.10, 0.11], [0.20, 0.21]])
    np.testing.assert_allclose(out[:, :, 1], [[1.10, 1.11], [1.20, 1.21]])
    with pytest.raises(FileNotFoundError):
        theme_curves(tmp_path, ["a", "b", "c", "missing"], "energy", 2, 2, 1)


# --- the model side ----------------------------------------------------------------------

def test_theme_reach_counts_villages_with_an_organised_collective():
    vc = pd.DataFrame({  # month, village, theme, stage, count (only non-zero cells)
        "month": [0, 0, 1, 1, 1, 1, 2],
        "village": [0, 1, 0, 1, 1, 2, 0],
        "theme": ["energy", "care", "energy", "energy", "energy", "energy", "energy"],
        "stage": ["idea", "organised", "organised", "realising", "dissolved", "self_sustaining", "dissolved"],
        "count": [1, 1, 1, 1, 1, 1, 1],
    })
    r = theme_reach(vc, 4, 2, ("energy", "care"))
    share = r.set_index(["month", "theme"])["villages_share"]
    assert share[(0, "energy")] == 0.0        # an idea is not organised
    assert share[(0, "care")] == 0.25
    assert share[(1, "energy")] == 0.75       # villages 0, 1 (once, though it also has a dissolved one), 2
    assert share[(2, "energy")] == 0.0        # dissolved
    assert len(r) == 3 * 2


# --- the real command --------------------------------------------------------------------

def calibrate(*args: str) -> subprocess.CompletedProcess:
    """`vliegwiel-calibrate ARGS` in this process (its main(), as the console script calls it)."""
    import contextlib
    import io

    from sim.calibrate.cli import main

    err, out = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        code = main(list(args))
    return subprocess.CompletedProcess(["vliegwiel-calibrate", *args], code, out.getvalue(), err.getvalue())


SMALL = ("--particles", "6", "--replicates", "1", "--accept", "0.34", "--forecast-replicates", "2",
         "--forecast-years", "1", "--executor", "serial", "world=small")


@pytest.fixture(scope="module")
def small_calibration(tmp_path_factory):
    out = tmp_path_factory.mktemp("cal") / "energy"
    proc = calibrate(*SMALL, "--dir", str(out))
    assert proc.returncode == 0, proc.stderr
    return out, proc


def test_the_command_writes_every_output(small_calibration):
    out, proc = small_calibration
    for name in ("report.md", "fit.json", "posterior.csv", "particles.csv", "forecast.csv",
                 "calibration.png", "posterior.png", "scenario.yaml", "design.csv"):
        assert (out / name).stat().st_size > 0, name
    assert not list(out.rglob("*.partial"))
    fit = json.loads((out / "fit.json").read_text())
    particles = pd.read_csv(out / "particles.csv")
    assert len(particles) == 6 and particles["accepted"].sum() == 3 == fit["accepted"]   # ceil(0.34 * 6)
    # the accepted ones are the closest
    assert particles.loc[particles["accepted"], "nrmse"].max() <= particles.loc[~particles["accepted"], "nrmse"].min()
    assert 560 <= fit["K"] <= 5 * 560 and 0 <= fit["nrmse"] < math.inf
    for curve in ("bass_observed", "bass_simulated"):
        assert set(fit[curve]) == {"p", "q", "m", "r2"}
    forecast = pd.read_csv(out / "forecast.csv")
    assert forecast["year"].tolist() == list(range(2009, 2021))
    assert forecast["forecast"].tolist() == [False] * 11 + [True]
    assert (forecast["point_q05"] <= forecast["point_median"]).all()
    assert (forecast["point_median"] <= forecast["point_q95"]).all()
    assert "accepted" in proc.stderr and "NRMSE" in (out / "report.md").read_text()


def test_each_ensemble_reports_its_own_total(small_calibration):
    """Two ensembles in one process: each progress line counts its own ensemble's runs."""
    import re

    _, proc = small_calibration
    fit_part, forecast_part = proc.stderr.split("forecast:", 1)
    for part, total in ((fit_part, 6), (forecast_part, 8)):   # 6 x 1 replicate; (point + 3 accepted) x 2
        lines = re.findall(r"(\d+) of (\d+) runs done, (\d+) failed, (\d+) left", part)
        assert lines and all(int(n) == total == int(d) + int(f) + int(left) for d, n, f, left in lines), (total, lines)


def test_the_calibrated_scenario_is_the_posterior_median_and_loads(small_calibration):
    out, _ = small_calibration
    particles = pd.read_csv(out / "particles.csv")
    acc = particles[particles["accepted"]]
    scenario = yaml.safe_load((out / "scenario.yaml").read_text())
    assert scenario["months"] == 132
    appeal = scenario["collectives"]["themes"]["energy"]["appeal"]
    from sim.calibrate.cli import _round

    assert appeal == _round(float(acc["collectives.themes.energy.appeal"].median()))   # 3 significant digits
    cfg = load_config(["world=small", f"collectives.themes.energy.appeal={appeal}",
                       f"collectives.knowledge_founding={scenario['collectives']['knowledge_founding']}",
                       f"collectives.initial_share={scenario['collectives']['initial_share']}", "months=132"])
    assert cfg.collectives.themes["energy"].appeal == appeal


def test_running_it_again_resumes_and_gives_the_same_numbers(small_calibration):
    out, _ = small_calibration
    before = (out / "fit.json").read_text()
    records = sorted(p.name for p in (out / "fit" / "runs").glob("*.parquet"))
    proc = calibrate(*SMALL, "--dir", str(out))
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in (out / "fit" / "runs").glob("*.parquet")) == records
    assert json.loads((out / "fit.json").read_text()) == json.loads(before)


@pytest.mark.parametrize("args, message", [
    (("--accept", "0"), "--accept 0.0: a fraction"),
    (("--particles", "1"), "--particles 2-100000"),
    (("--param", "collectives.founders=2:8"), "not a real-valued parameter"),
    (("--param", "collectives.no_such=0:1"), "no such parameter"),
    (("--column", "members_total"), "--column members_total: not a column"),
    (("--theme", "water"), "--theme water: one of energy"),
    (("months=12",), "months=12: set by vliegwiel-calibrate"),
    (("--param", "collectives.initial_share=0:2"), "initial_share"),
    (("--seed", "-1"), "--seed -1: between 0"),
])
def test_bad_input_exits_2_and_writes_nothing(tmp_path, args, message):
    out = tmp_path / "cal"
    proc = calibrate("--dir", str(out), *args)
    assert proc.returncode == 2
    assert message in proc.stderr and "Traceback" not in proc.stderr
    assert not out.exists()


def test_a_hindcast_holds_out_the_later_years(tmp_path):
    out = tmp_path / "hindcast"
    proc = calibrate("--particles", "4", "--replicates", "1", "--accept", "0.5", "--forecast-replicates", "2",
                     "--fit-until", "2016", "--forecast-years", "3", "world=small", "--dir", str(out))
    assert proc.returncode == 0, proc.stderr
    fit = json.loads((out / "fit.json").read_text())
    assert fit["years"] == [2009, 2016] and fit["K_bounds"][0] == 304.0   # K >= the last *fitted* count
    assert [h["year"] for h in fit["held_out"]] == [2017, 2018, 2019]
    assert [h["observed"] for h in fit["held_out"]] == [382.0, 476.0, 560.0]
    assert "## Held out" in (out / "report.md").read_text()
    assert "held out" in (out / "scenario.yaml").read_text()


def test_another_design_in_the_same_folder_is_refused(small_calibration):
    out, _ = small_calibration
    proc = calibrate(*SMALL[:-1], "--seed", "1", "world=small", "--dir", str(out))
    assert proc.returncode == 2 and "holds another calibration" in proc.stderr


# --- the shipped calibrated scenario ----------------------------------------------------

def test_the_shipped_scenario_and_the_parameter_sources_agree():
    """scenarios/energy_calibrated.yaml is what `make calibrate` wrote; every parameter it sets
    names that value in its source (sim/config, hence the ODD table), so they cannot drift apart."""
    from sim.config.params import iter_params

    cfg = load_config(["scenario=energy_calibrated"])
    data = yaml.safe_load((ROOT / "scenarios" / "energy_calibrated.yaml").read_text())
    assert cfg.months == data["months"] == 180     # 2009 + 15 years: the data and a 5-year forecast
    fitted = {
        "collectives.themes.energy.appeal": data["collectives"]["themes"]["energy"]["appeal"],
        "collectives.knowledge_founding": data["collectives"]["knowledge_founding"],
        "collectives.initial_share": data["collectives"]["initial_share"],
    }
    sources = {key: meta["source"] for key, _, meta in iter_params(load_config([]))}
    values = {key: value for key, value, _ in iter_params(cfg)}
    for key, value in fitted.items():
        assert values[key] == value
        # the source quotes the calibrated value as the scenario has it
        assert "energy_calibrated.yaml" in sources[key] and f"{value:g}" in sources[key], (key, sources[key])

"""vliegwiel-calibrate: distances, mapping and national series by hand; the posterior's loader
and draws; ABC-SMC recovering known parameters from synthetic data (a test function with a
known answer, through the same sampler and experiment layer); resume; bad input."""

from __future__ import annotations

import contextlib
import io
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim import load_config
from sim.calibrate.mapping import Mapping, mean_village_adults
from sim.calibrate.national import curves_series, mean_series, run_series, sumstat
from sim.calibrate.patterns import Pattern, Patterns, energy_patterns
from sim.calibrate.posterior import Posterior, identifiability, load_posterior, weighted_quantile
from sim.calibrate.predictive import judge_hindcast
from sim.calibrate.sampler import EnsembleSampler
from sim.calibrate.simulators import FunctionSimulator
from sim.calibrate.priors import Prior, parse_prior
from sim.calibrate.smc import KERNEL_SCALE, ess, generations_table, posterior_frame, run_smc, transition
from sim.calibrate.weights import truncate
from sim.errors import UserError
from sim.experiments import make_executor
from sim.experiments.records import read_meta
from sim.experiments.testfunctions import bass_counts
from sim.metrics import theme_reach

ROOT = Path(__file__).resolve().parents[1]


# --- distances, by hand ------------------------------------------------------------------------

def _pattern(norm, observed, scale=math.nan, weight=1.0, name="count"):
    obs = np.asarray(observed, float)
    return Pattern(name, name, np.arange(2009, 2009 + obs.size), obs, weight, norm, "hand", scale)


def test_distances_by_hand():
    p = _pattern("range", [0.0, 10.0, 20.0])
    assert p.distance([0.0, 10.0, 20.0]) == 0.0
    assert p.distance([3.0, 14.0, 20.0]) == pytest.approx(math.sqrt((9 + 16 + 0) / 3) / 20)
    m = _pattern("mean", [50.0, 150.0])
    assert m.distance([60.0, 130.0]) == pytest.approx(math.sqrt((100 + 400) / 2) / 100)
    s = _pattern("scale", [0.01], scale=0.04)
    assert s.distance([0.05]) == pytest.approx(1.0)
    assert p.distance([1.0, np.nan, 2.0]) == math.inf and p.distance([1.0, 2.0]) == math.inf


def test_a_one_sided_pattern_counts_only_the_shortfall():
    r = _pattern("at_least", [2.0], scale=0.1, name="rogers")
    assert r.distance([2.0]) == 0.0 and r.distance([3.5]) == 0.0       # at or above the floor: no distance
    assert r.distance([1.8]) == pytest.approx(2.0)                       # 0.2 short, in units of 0.1
    assert r.distance([1.0]) == pytest.approx(10.0)                      # random order
    assert r.distance([np.nan]) == math.inf


def test_the_total_is_the_weighted_mean_of_the_patterns():
    a, b = _pattern("range", [0.0, 10.0], weight=1.0, name="a"), _pattern("mean", [10.0, 10.0], weight=0.5, name="b")
    pats = Patterns((a, b), 2009, 2010)
    x = {"a": np.array([1.0, 10.0]), "b": np.array([12.0, 8.0])}
    da, db = math.sqrt(0.5) / 10, 2.0 / 10
    assert pats.distances(x) == pytest.approx({"a": da, "b": db})
    assert pats.total(x) == pytest.approx((1.0 * da + 0.5 * db) / 1.5)


def test_the_shipped_patterns_and_their_weights():
    p = energy_patterns()
    assert p.names == ["count", "members", "per_coop", "founded", "stopped", "care"]
    assert [q.weight for q in p.items] == [1.0, 1.0, 0.5, 0.5, 0.25, 0.5]
    r = energy_patterns(rogers=True)
    assert r.names[-1] == "rogers" and r.by_name("rogers").weight == 0.5
    assert r.by_name("rogers").observed.tolist() == [2.0] and r.by_name("rogers").norm == "at_least"
    assert r.by_name("rogers").scale == 0.1
    assert energy_patterns(care=False).names == ["count", "members", "per_coop", "founded", "stopped"]
    assert p.by_name("count").observed.tolist() == [20, 26, 39, 65, 123, 176, 237, 304, 382, 476, 560]
    assert p.by_name("members").years.tolist() == [2016, 2017, 2018, 2019]
    assert p.by_name("per_coop").observed[0] == pytest.approx(51000 / 304)
    assert p.by_name("stopped").observed[0] == pytest.approx(6 / (20 + 546))   # 5 + 1 of all ever founded
    assert p.by_name("care").observed.tolist() == [30, 101, 320]
    h = energy_patterns(2016, rogers=True)
    assert h.by_name("count").years[-1] == 2016 and h.held_out["count"][0].tolist() == [2017, 2018, 2019]
    assert h.by_name("stopped").observed[0] == 0.0 and h.by_name("members").years.tolist() == [2016]
    assert h.by_name("rogers").years.tolist() == [2016] and h.by_name("rogers").observed.tolist() == [2.0]
    with pytest.raises(UserError, match="--fit-until 2010"):
        energy_patterns(2010)


# --- the mapping and the national series --------------------------------------------------------

def test_mapping_by_hand():
    m = Mapping(nl_adults=14e6, village_adults=1400.0)
    assert m.village_equivalents == 10_000
    assert m.scale(70_000) == 200.0
    assert m.initial_share(20) == 0.002 and m.initial_share(1e9) == 1.0
    assert mean_village_adults(900, 0.0, 150, 8000) == 900.0       # sigma 0: every village the median
    assert mean_village_adults(900, 0.0, 150, 500) == 500.0        # clipped
    with pytest.raises(ValueError):
        m.scale(0)


def _curves(organised, members, became, stopped, residents=1000, care=None):
    months = len(organised)
    region = pd.DataFrame({"month": range(months), "level": "region", "unit": "all", "residents": residents})
    energy = pd.DataFrame({"month": range(months), "level": "theme", "unit": "energy", "organised": organised,
                           "members": members, "became_organised": became, "stopped": stopped})
    care = care if care is not None else [0] * months
    carerows = pd.DataFrame({"month": range(months), "level": "theme", "unit": "care", "organised": care,
                             "members": 0, "became_organised": 0, "stopped": 0})
    return pd.concat([region, energy, carerows], ignore_index=True)


def test_national_series_by_hand():
    months = 25   # years 2009, 2010, 2011 at months 0, 12, 24
    org = [1] * 12 + [2] * 12 + [3]
    mem = [20] * 12 + [50] * 12 + [90]
    became = [1] + [0] * 5 + [1] + [0] * 17 + [1]           # month 0 (before), 6 (2010), 24 (2011)
    stopped = [0] * 20 + [1] + [0] * 4                      # month 20 (2011)
    t = _curves(org, mem, became, stopped, residents=500, care=[0] * 24 + [4])
    s = curves_series(t, Mapping(nl_adults=5000, village_adults=100), 2009, 3)
    assert s["count"].tolist() == [10, 20, 30]              # x 5000 / 500
    assert s["members"].tolist() == [200, 500, 900]
    assert np.isnan(s["founded"][0]) and s["founded"][1:].tolist() == [10, 10]
    assert s["stopped"][1:].tolist() == [0, 10] and s["care"].tolist() == [0, 0, 40]
    pats = Patterns((_pattern("mean", [20.0], name="per_coop"), _pattern("scale", [0.0], 0.04, name="stopped")),
                    2009, 2011)
    pats = Patterns((Pattern("per_coop", "", np.array([2011]), np.array([30.0]), 1, "mean", ""),
                     Pattern("stopped", "", np.array([2011]), np.array([0.0]), 1, "scale", "", 0.04)), 2009, 2011)
    x = sumstat(s, pats)
    assert x["per_coop"].tolist() == [30.0]                  # 900 / 30
    assert x["stopped"][0] == pytest.approx(10 / (10 + 20))   # stopped / (count 2009 + founded since)


def test_rogers_timing_reaches_the_pattern_through_the_replicates_mean():
    runs = [{"count": np.array([1.0, 2.0]), "early_lead": np.array([v])} for v in (1.5, np.nan, 2.5)]
    m = mean_series(runs)
    assert m["count"].tolist() == [1.0, 2.0] and m["early_lead"].tolist() == [2.0]   # the run without adopters left out
    assert np.isnan(mean_series([{"early_lead": np.array([np.nan])}])["early_lead"][0])
    pats = Patterns((Pattern("rogers", "", np.array([2010]), np.array([2.0]), 0.5, "at_least", "", 0.1),), 2009, 2010)
    assert sumstat(m, pats)["rogers"].tolist() == [2.0] and pats.total(sumstat(m, pats)) == 0.0


def test_a_record_carries_early_lead_to_the_calibration(tmp_path):
    from sim.experiments import Run, run_ensemble

    cfg = load_config(["world=small", "months=24", "collectives.initial_share=0.5"])
    run = Run(cfg, scenario="x")
    run_ensemble([run], tmp_path, make_executor("serial"), collect_outputs=False, quiet=True)
    meta_lead = read_meta(tmp_path / "runs" / f"{run.key}.parquet")["metrics"]["early_lead"]
    s = run_series(tmp_path / "runs" / f"{run.key}.parquet", Mapping(nl_adults=1e6, village_adults=100), 2009, 3)
    assert s["early_lead"].shape == (1,) and s["early_lead"][0] == pytest.approx(meta_lead)
    assert 0 < meta_lead < 10


def test_theme_reach_counts_villages_with_an_organised_collective():
    vc = pd.DataFrame({
        "month": [0, 0, 1, 1, 1, 1, 2],
        "village": [0, 1, 0, 1, 1, 2, 0],
        "theme": ["energy", "care", "energy", "energy", "energy", "energy", "energy"],
        "stage": ["idea", "organised", "organised", "realising", "dissolved", "self_sustaining", "dissolved"],
        "count": [1, 1, 1, 1, 1, 1, 1],
    })
    share = theme_reach(vc, 4, 2, ("energy", "care")).set_index(["month", "theme"])["villages_share"]
    assert share[(0, "energy")] == 0.0 and share[(0, "care")] == 0.25
    assert share[(1, "energy")] == 0.75 and share[(2, "energy")] == 0.0


def test_the_model_records_organised_collectives_members_and_flows():
    from sim.metrics import run_theme_reach
    from sim.runner import run

    r = run(load_config(["world=small", "months=36", "collectives.initial_share=0.5"]))
    t = r.tables.themes
    energy = t[t["theme"] == "energy"].set_index("month")
    final = r.collectives[r.collectives["theme"] == "energy"]
    organised = final["stage"].isin(["organised", "realising", "self_sustaining"])
    assert energy.loc[36, "organised"] == organised.sum()
    assert energy.loc[36, "members"] == final.loc[organised, "members"].sum()
    # the count moves by exactly the collectives that became organised minus those that stopped
    moves = energy["organised"].diff().iloc[1:]
    assert (moves == (energy["became_organised"] - energy["stopped"]).iloc[1:]).all()
    reach = run_theme_reach(r)
    assert {"organised", "members", "became_organised", "stopped", "villages_share"} <= set(reach.columns)


# --- the posterior --------------------------------------------------------------------------------

def test_weighted_quantiles_by_hand():
    assert weighted_quantile([1.0, 2.0, 3.0], [1, 1, 1], 0.5) == 2.0
    assert weighted_quantile([1.0, 2.0, 3.0], [1, 0, 1], 0.5) == pytest.approx(2.0)   # midway, by interpolation
    assert weighted_quantile([1.0, 2.0], [3, 1], 0.375) == 1.0                       # cdf midpoints 0.375, 0.875
    assert ess([1, 1, 1, 1]) == 4 and ess([1, 0, 0, 0]) == 1


def test_truncated_weights_by_hand():
    # Ionides (2008): cap at mean x sqrt(N); mean 4, N 4: cap 8
    assert truncate([1.0, 1.0, 1.0, 13.0]).tolist() == [1.0, 1.0, 1.0, 8.0]
    assert ess([1, 1, 1, 13]) == pytest.approx(16**2 / 172) and ess([1, 1, 1, 8]) == pytest.approx(11**2 / 67)
    assert truncate([2.0, 2.0, 2.0]).tolist() == [2.0, 2.0, 2.0]      # equal weights: nothing to cut
    assert truncate([]).size == 0
    for bad in ([1.0, -1.0], [1.0, np.nan], [[1.0, 2.0]]):
        with pytest.raises(ValueError, match="weights"):
            truncate(bad)


def test_the_kernel_is_twice_the_weighted_covariance():
    """Beaumont et al. (2009): whatever the population's size, no Silverman shrinking. Two
    particles 0 and 2 of equal weight: numpy's weighted (unbiased) variance 2, the kernel's 4."""
    k = transition()
    k.fit(pd.DataFrame({"x": [0.0, 2.0]}), np.array([0.5, 0.5]))
    assert KERNEL_SCALE == 2.0 and k.cov[0, 0] == pytest.approx(4.0)
    x = pd.DataFrame({"x": np.linspace(0, 1, 64), "y": np.linspace(0, 1, 64) ** 2})
    k.fit(x, np.full(64, 1 / 64))
    assert np.allclose(k.cov, 2 * np.cov(x.to_numpy(), rowvar=False))


def _posterior():
    return Posterior(pd.DataFrame({"a.b": [1.0, 2.0, 3.0, 4.0], "c": [10.0, 20.0, 30.0, 40.0],
                                   "weight": [0.1, 0.2, 0.3, 0.4]}))


def test_draws_are_fixed_by_number_and_follow_the_weights():
    post = _posterior()
    first = [post.index_of_draw(r) for r in range(2000)]
    assert first[:20] == [post.index_of_draw(r) for r in range(20)]      # draw r depends on r alone
    share = np.bincount(first, minlength=4) / 2000
    assert np.allclose(share, [0.1, 0.2, 0.3, 0.4], atol=0.035)
    d = post.draw(5)
    assert set(d) == {"a.b", "c"} and d["c"] == 10 * d["a.b"]
    assert Posterior.overrides({"a.b": 0.5}) == ["a.b=0.5"]
    assert post.median() == {"a.b": pytest.approx(post.quantile("a.b", 0.5), rel=1e-3), "c": pytest.approx(
        post.quantile("c", 0.5), rel=1e-3)}


def test_identifiability_compares_posterior_and_prior_widths():
    post = Posterior(pd.DataFrame({"x": np.linspace(4, 6, 101), "weight": 1.0}))
    row = identifiability(post, [Prior("x", 0.0, 10.0)]).iloc[0]
    assert row["prior_q05"] == 0.5 and row["prior_q95"] == 9.5
    assert row["width_ratio"] == pytest.approx((5.9 - 4.1) / 9.0, abs=0.01) and row["identified"] == "well"


@pytest.mark.parametrize(("content", "message"), [
    ("a,b\n1,2\n", "`weight`"), ("a,weight\n1,-1\n", "non-negative"), ("a,weight\nx,1\n", "posterior"),
    ("", "not a readable"),
])
def test_bad_posterior_files_are_refused(tmp_path, content, message):
    path = tmp_path / "p.csv"
    path.write_text(content)
    with pytest.raises((UserError, ValueError), match=message):
        load_posterior(path)


def test_a_missing_posterior_names_make_calibrate(tmp_path):
    with pytest.raises(UserError, match="make calibrate"):
        load_posterior(tmp_path / "none.csv")


@pytest.mark.parametrize(("text", "prior"), [("a=0:1", Prior("a", 0.0, 1.0)), ("a=log:0.01:2", Prior("a", 0.01, 2.0, True))])
def test_priors_parse(text, prior):
    assert parse_prior(text) == prior


@pytest.mark.parametrize("text", ["a=1:0", "a=log:0:1", "a", "a=x:1", "=0:1"])
def test_bad_priors_are_refused(text):
    with pytest.raises(UserError, match="--param"):
        parse_prior(text)


# --- ABC-SMC on synthetic data with a known answer -----------------------------------------------

TRUTH = {"p": 0.02, "q": 0.5}


def _synthetic(tmp: Path, generations: int, population: int = 30):
    years = np.arange(2009, 2020)
    obs = np.array(bass_counts(TRUTH["p"], TRUTH["q"], 1000.0, years.size))
    pats = Patterns((Pattern("count", "synthetic", years, obs, 1.0, "range", "bass_counts"),), 2009, 2019)
    sim = FunctionSimulator("bass_counts", pats, {"m": 1000.0, "years": float(years.size)})
    priors = [Prior("p", 0.001, 0.1, log=True), Prior("q", 0.05, 1.5)]
    history, sampler = run_smc(sim, priors, pats, tmp, make_executor("serial"), population=population,
                               generations=generations, seed=7, say=lambda s: None)
    return Posterior(posterior_frame(history)), history, sampler, priors


def test_abc_smc_recovers_known_parameters_from_synthetic_data(tmp_path):
    post, history, sampler, priors = _synthetic(tmp_path / "abc", 6, 40)
    eps = history.get_all_populations().query("t >= 0")["epsilon"].to_numpy()
    assert np.all(np.diff(eps[1:]) < 0)                     # adaptive tolerances shrink
    for p in priors:
        lo, hi = post.quantile(p.key, 0.05), post.quantile(p.key, 0.95)
        assert lo <= TRUTH[p.key] <= hi, (p.key, lo, hi)
        med = post.quantile(p.key, 0.5)
        if p.log:   # within a third of a decade (p and q trade off over the rising part of the curve)
            assert abs(math.log10(med) - math.log10(TRUTH[p.key])) < 0.33, (p.key, med)
        else:
            assert med == pytest.approx(TRUTH[p.key], rel=0.35), (p.key, med)
    assert identifiability(post, priors)["width_ratio"].max() < 0.5   # the data pin both down
    log = pd.concat([pd.read_csv(f) for f in (tmp_path / "abc" / "particles").glob("*.csv")])
    assert log["accepted"].sum() == 6 * 40


def test_the_history_holds_the_truncated_weights_and_the_log_the_raw_ones(tmp_path):
    _, history, _, _ = _synthetic(tmp_path / "abc", 4, 20)
    gens = generations_table(history, tmp_path / "abc")
    cut = 0
    for t in range(1, 4):
        log = pd.read_csv(tmp_path / "abc" / "particles" / f"generation_{t}.csv")
        raw = log.loc[log["accepted"], "raw_weight"].to_numpy()
        assert raw.size == 20 and (log.loc[~log["accepted"], "weight"] == 0).all()
        used = truncate(raw)
        cut += int((used < raw).sum())
        assert np.allclose(log.loc[log["accepted"], "weight"], used)
        _, w = history.get_distribution(m=0, t=t)            # what pyabc fits the next kernel to
        assert np.allclose(np.sort(np.asarray(w)), np.sort(used / used.sum()))
        assert gens.loc[t, "ess_raw"] == pytest.approx(ess(raw)) and gens.loc[t, "ess"] == pytest.approx(ess(used))
    assert cut == 0   # on this smooth two-parameter problem the 2 x covariance kernel never reaches the cap
    assert gens.loc[0, "ess"] == pytest.approx(20) and math.isnan(generations_table(history)["ess_raw"].iloc[1])


def test_the_sampler_caps_an_outlying_weight_before_pyabc_sees_it():
    from pyabc.population import Particle, Sample

    sample = Sample(record_rejected=True)
    for w, acc in ((1.0, True), (0.0, False), (1.0, True), (1.0, True), (13.0, True)):
        sample.append(Particle(m=0, parameter={}, weight=w, sum_stat={}, distance=0.0, accepted=acc))
    rows = [{"accepted": a} for a in (True, False, True, True, True)]
    EnsembleSampler._truncate(sample, rows)
    assert [p.weight for p in sample.accepted_particles] == [1.0, 1.0, 1.0, 8.0]
    assert [r["weight"] for r in rows] == [1.0, 0.0, 1.0, 1.0, 8.0]


def test_a_continued_calibration_ends_where_an_uninterrupted_one_does(tmp_path):
    """Two generations, then the same command asking for three: it loads the history and does
    the third; the result equals three generations in one go (same particles, same runs)."""
    _synthetic(tmp_path / "a", 2, 12)
    runs_before = len(list((tmp_path / "a" / "runs").glob("*.parquet")))
    cont, _, sampler, _ = _synthetic(tmp_path / "a", 3, 12)
    clean, _, _, _ = _synthetic(tmp_path / "b", 3, 12)
    pd.testing.assert_frame_equal(cont.frame, clean.frame)
    names = lambda d: {p.name for p in (tmp_path / d / "runs").glob("*.parquet")}  # noqa: E731
    assert names("b") <= names("a") and runs_before > 0   # every run of the clean one, found or run again


# --- the hindcast's judgement ---------------------------------------------------------------------

def test_judge_hindcast_by_hand():
    years = list(range(2009, 2020))
    obs = [20, 26, 39, 65, 123, 176, 237, 304, 382, 476, 560]
    med = [o + 10 for o in obs]
    table = pd.DataFrame({"pattern": "count", "year": years, "observed": obs, "mean": med,
                          "q05": [m - 50 for m in med], "q95": [m + 50 for m in med],
                          "fitted": [y <= 2016 for y in years], "inside": True})
    h = judge_hindcast(table, 2016)
    assert h["held_out_years"] == [2017, 2018, 2019] and h["inside"]
    assert h["nrmse_all_years"] == pytest.approx(10 / 540) and h["passed"]
    table.loc[table["year"] == 2019, "inside"] = False
    assert not judge_hindcast(table, 2016)["passed"]


# --- the command: bad input ------------------------------------------------------------------------

def calibrate(*args: str):
    from sim.calibrate.cli import main

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(list(args))
    return code, err.getvalue()


@pytest.mark.parametrize(("args", "message"), [
    (("--population", "1"), "--population 1"),
    (("--fit-until", "2010"), "--fit-until 2010"),
    (("--param", "collectives.founders=2:8"), "not a real-valued parameter"),
    (("--param", "nope.key=0:1"), "no such parameter"),
    (("--param", "a=0:1", "--param", "a=0:2"), "each parameter once"),
    (("--param", "collectives.initial_share=0:2"), "collectives.initial_share"),
    (("months=12",), "set by vliegwiel-calibrate"),
    (("--seed", "-1"), "--seed"),
    (("--villages", "0"), "--villages 0"),
    (("--dir", "{tmp}/plain.txt/cal"), "--dir"),
    (("--ship", "adoption=bass"), "with --ship, fixed overrides must be numbers"),
])
def test_bad_input_exits_2_with_one_line_and_writes_nothing(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plain.txt").write_text("not a folder")
    code, err = calibrate(*(a.replace("{tmp}", str(tmp_path)) for a in args))
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1, err
    assert [p.name for p in tmp_path.iterdir()] == ["plain.txt"]


def test_the_calibration_world_keeps_the_default_density():
    """120 villages are four times the default 30: the map's sides double (60 x 40 km -> 120 x 80),
    so villages per km^2 stay those of the default world."""
    from sim.calibrate.mapping import world_overrides
    from sim.config.world import WorldConfig

    d = WorldConfig()
    assert world_overrides(120, d) == ["world.n_villages=120", "world.width_km=120.0", "world.height_km=80.0"]
    cfg = load_config(["calibration=none", *world_overrides(100)]).world
    assert cfg.n_villages / (cfg.width_km * cfg.height_km) == pytest.approx(d.n_villages / (d.width_km * d.height_km))


def test_rogers_adds_the_timing_pattern_and_the_decision_speed():
    """--rogers: the rogers pattern and adoption.decide_innovativeness's prior join the fit;
    without it the fit has six patterns and the seven ENERGY_PRIORS."""
    from sim.calibrate.cli import build_parser, check_args
    from sim.calibrate.priors import ENERGY_PRIORS, TIMING_PRIORS

    plain, pri, _ = check_args(build_parser().parse_args([]))
    assert "rogers" not in plain.names and [p.key for p in pri] == [p.key for p in ENERGY_PRIORS]
    timed, pri, _ = check_args(build_parser().parse_args(["--rogers"]))
    assert timed.names == [*plain.names, "rogers"]
    assert [p.key for p in pri] == [*(p.key for p in ENERGY_PRIORS), "adoption.decide_innovativeness"]
    assert TIMING_PRIORS[0].lo == 0.0 and TIMING_PRIORS[0].hi == 1.0
    own, pri, _ = check_args(build_parser().parse_args(["--rogers", "--param", "adoption.max_join_rate=0.05:0.2"]))
    assert "rogers" in own.names and [p.key for p in pri] == ["adoption.max_join_rate"]


def test_ship_writes_the_medians_the_fixed_overrides_and_the_origin(tmp_path, monkeypatch):
    """--ship makes the fitted model the default: the config group sets the posterior's weighted
    medians, the command's fixed overrides (the fit was made with them) and the start share the
    mapping gives for the last fitted year; a hindcast ships only its posterior."""
    import types

    import yaml

    from sim.calibrate import ship as ship_module
    from sim.config.compose import CONFIG_DIR

    (tmp_path / "configs").mkdir()
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "docs" / "img").mkdir(parents=True)
    monkeypatch.setattr(ship_module, "CALIBRATION_DIR", tmp_path / "data")
    monkeypatch.setattr(ship_module, "CONFIG_DIR", tmp_path / "configs")
    monkeypatch.setattr(ship_module, "ROOT", tmp_path)
    post = Posterior(pd.DataFrame({"adoption.max_join_rate": [0.1, 0.2, 0.4], "weight": [0.2, 0.5, 0.3]}))
    fit = {"fit_until": 2019, "first_year": 2009, "patterns": ["count"], "villages": 100, "forecast_years": 5}
    args = types.SimpleNamespace(overrides=["adoption.decide_innovativeness=0.6"])
    ship_module.ship(tmp_path, fit, post, [], args)
    written = yaml.safe_load((tmp_path / "configs" / "calibration" / "energy.yaml").read_text())
    assert written["adoption"] == {"decide_innovativeness": 0.6, "max_join_rate": post.median()["adoption.max_join_rate"]}
    mapping = Mapping.of(load_config(["calibration=none"]).world)
    assert written["collectives"]["initial_share"] == pytest.approx(mapping.initial_share(560.0), rel=1e-2)
    assert (tmp_path / "data" / "energy_posterior.csv").is_file()
    assert "Fixed for the fit" in (tmp_path / "configs" / "calibration" / "energy.yaml").read_text()
    assert (CONFIG_DIR / "calibration" / "energy.yaml").read_text() != ""   # the real one is untouched

    hind = {**fit, "fit_until": 2016, "hindcast": {"passed": True}}
    ship_module.ship(tmp_path, hind, post, [], args)
    assert (tmp_path / "data" / "energy_until_2016_posterior.csv").is_file()
    assert sorted(p.name for p in (tmp_path / "configs" / "calibration").iterdir()) == ["energy.yaml"]

"""The validation suite (`vliegwiel-validate`, sim/validate/): the real command end to end,
bad usage, and the pure parts (the literature's expectations) against hand-computed values."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sim.validate import CheckResult, Context, load_checks, register_check
from sim.validate.cli import main, select
from sim.validate.registry import CHECKS
from sim.validate.rogers import adoption_bands, enrichment
from sim.validate.scurve import inflection_month
from sim.validate.textbook import (bass_closed_form, bass_monthly_recursion, rogers_expected_shares,
                                   vulnerable_degree, watts_cascade_frequency, watts_condition, watts_window)

PNG = b"\x89PNG\r\n\x1a\n"
FAST = [c.name for c in load_checks().values() if c.fast]


# --- the command ------------------------------------------------------------------------------

def test_fast_suite_passes_and_writes_the_report(cli, tmp_path):
    out = tmp_path / "validation"
    res = cli.run(["--fast", "--out", str(out)], cwd=tmp_path, exe="vliegwiel-validate")
    assert res.returncode == 0, res.stderr
    assert {"bass_closed_form", "watts_cascade_window", "rogers_shares"} <= set(FAST)
    for name in FAST:  # one line when a check starts, one when it ends
        assert f"{name}: started" in res.stdout and f"{name}: passed" in res.stdout
    table = pd.read_csv(out / "checks.csv")
    assert list(table.columns) == ["name", "expected", "observed", "tolerance", "passed", "seconds"]
    assert list(table["name"]) == FAST and table["passed"].all() and (table["seconds"] > 0).all()
    assert table[["expected", "observed", "tolerance"]].notna().all().all()
    report = (out / "report.md").read_text(encoding="utf-8")
    for name in FAST:
        assert f"\n## {name}\n" in report and f"](figures/{name}.png)" in report
        assert (out / "figures" / f"{name}.png").read_bytes()[:8] == PNG
    assert f"{len(FAST)} of {len(FAST)} checks passed" in report
    assert not [p for p in out.rglob("*") if p.name.endswith(".partial")]  # nothing half-written left


def test_bad_usage_exits_2_with_a_message(cli, tmp_path):
    runs = {
        "unknown check": cli.start(["--only", "no_such_check", "--out", str(tmp_path / "a")], tmp_path, exe="vliegwiel-validate"),
        "unknown option": cli.start(["--fastest"], tmp_path, exe="vliegwiel-validate"),
        "negative seed": cli.start(["--seed", "-1", "--out", str(tmp_path / "b")], tmp_path, exe="vliegwiel-validate"),
    }
    results = {k: cli.wait(v) for k, v in runs.items()}
    assert all(r.returncode == 2 for r in results.values()), {k: r.stderr for k, r in results.items()}
    assert "no_such_check: no such check (known: bass_closed_form" in results["unknown check"].stderr
    assert "unrecognized arguments: --fastest" in results["unknown option"].stderr
    assert "--seed -1: between 0 and" in results["negative seed"].stderr
    assert not (tmp_path / "a" / "report.md").exists() and not (tmp_path / "b").exists()
    assert all("Traceback" not in r.stderr for r in results.values())


def test_list_names_every_check_and_its_subset(capsys):
    assert main(["--list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [ln.split()[0] for ln in lines] == list(load_checks())
    assert all(ln.split()[1] in ("fast", "full") for ln in lines)


@pytest.fixture
def broken_check():
    """A check that raises, registered for one test only."""

    @register_check("broken_for_test")
    def broken(ctx: Context) -> CheckResult:
        """Raises."""
        raise ZeroDivisionError("on purpose")

    yield "broken_for_test"
    CHECKS.pop("broken_for_test")


def test_a_failing_check_exits_1_and_is_named(broken_check, tmp_path, capsys):
    assert main(["--only", broken_check, "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "FAILED broken_for_test: error: ZeroDivisionError: on purpose" in err
    table = pd.read_csv(tmp_path / "checks.csv")
    assert list(table["name"]) == ["broken_for_test"] and not table["passed"].any()
    assert "ZeroDivisionError" in (tmp_path / "report.md").read_text(encoding="utf-8")


def test_selection_by_name_and_subset():
    checks = load_checks()
    assert [c.name for c in select(checks, [], fast=True)] == FAST
    assert [c.name for c in select(checks, [], fast=False)] == list(checks)
    assert [c.name for c in select(checks, ["rogers_shares", "bass_closed_form"], fast=False)] == \
        ["bass_closed_form", "rogers_shares"]  # report order, not command-line order
    with pytest.raises(ValueError, match="nope: no such check"):
        select(checks, ["nope"], fast=False)


# --- the pure parts ---------------------------------------------------------------------------

def test_bass_closed_form_at_hand_computed_points():
    # p = 0.03, q = 0.38, t = 5 years: e^{-2.05} = 0.128735; F = 0.871265 / (1 + 12.6667 x 0.128735)
    assert bass_closed_form(5.0, 0.03, 0.38) == pytest.approx(0.871265 / 2.630642, rel=1e-5)
    assert bass_closed_form(0.0, 0.03, 0.38) == 0.0
    assert bass_closed_form(100.0, 0.01, 0.5) == pytest.approx(1.0)
    f = bass_monthly_recursion(2, 0.03, 0.38)
    assert f[1] == pytest.approx(1 - math.exp(-0.03 / 12))  # month 1: innovators only
    assert f[2] == pytest.approx(f[1] + (1 - f[1]) * (1 - math.exp(-(0.03 + 0.38 * f[1]) / 12)))


def test_watts_window_edges_for_phi_018():
    assert vulnerable_degree(0.18) == 5 and vulnerable_degree(0.2) == 5 and vulnerable_degree(0.21) == 4
    lower, upper = watts_window(0.18)
    assert lower == pytest.approx(1.02, abs=0.005) and upper == pytest.approx(5.76, abs=0.01)
    assert watts_condition(3.0, 0.18) > 0 > watts_condition(8.0, 0.18)


def test_watts_frequency_is_the_giant_component_when_everybody_is_vulnerable():
    # phi = 0.01: every degree up to 100 is vulnerable, so a seed starts a global cascade when it
    # touches the giant component: frequency = S, S = 1 - e^{-z S} (0.7968 at z = 2)
    assert watts_cascade_frequency(2.0, 0.01) == pytest.approx(0.79681, abs=1e-4)
    assert watts_cascade_frequency(0.8, 0.18) == pytest.approx(0.0, abs=1e-6)  # below the window
    assert watts_cascade_frequency(8.0, 0.18) == pytest.approx(0.0, abs=1e-6)  # above it
    assert 0.8 < watts_cascade_frequency(4.0, 0.18) < 0.9


def test_rogers_expected_shares_from_the_normal_cut_offs():
    shares = rogers_expected_shares()
    # Phi(-2) = 0.02275, Phi(-1) - Phi(-2) = 0.13591, Phi(0) - Phi(-1) = 0.34134
    np.testing.assert_allclose(shares, [0.02275, 0.13591, 0.34134, 0.34134, 0.15866], atol=5e-6)
    assert shares.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(shares, [0.025, 0.135, 0.34, 0.34, 0.16], atol=0.0025)  # Rogers' rounding


def test_adoption_bands_follow_rogers_shares_of_the_adopters():
    first = np.r_[np.zeros(5, int), np.arange(1, 101), -np.ones(7, int)]  # 5 at month 0, 100 adopters, 7 never
    order, band = adoption_bands(first, np.random.default_rng(0))
    assert (first[order] > 0).all() and (np.diff(first[order]) >= 0).all()
    assert np.bincount(band).tolist() == [2, 14, 34, 34, 16]


def test_adoption_bands_rank_each_villages_adopters_among_themselves():
    # village 0: 40 adopters in months 1..40; village 1: 10 adopters in months 101..110, all later
    # than village 0's. Ranked within villages, (k + 1/2) / n: village 0's first at 0.0125 (band 0,
    # below 2.5 %), its second to sixth at 0.0375-0.1375 (band 1, 2.5-16 %), its seventh at
    # 0.1625 (band 2); village 1's ten at 0.05, 0.15, ..., 0.95: bands 1 1 2 2 2 3 3 3 4 4. Over
    # the region village 1's first would rank 40.5 / 50 = 0.81 (band 3).
    first = np.r_[np.arange(1, 41), np.arange(101, 111), 0, -1]
    village = np.r_[np.zeros(40, int), np.ones(10, int), 0, 1]
    order, band = adoption_bands(first, np.random.default_rng(0), village)
    assert order.tolist() == list(range(50))
    assert band[:1].tolist() == [0] and band[1:6].tolist() == [1] * 5 and band[6].tolist() == 2  # 6.5/40 = 0.1625
    assert band[40:].tolist() == [1, 1, 2, 2, 2, 3, 3, 3, 4, 4]
    region_order, region_band = adoption_bands(first, np.random.default_rng(0))
    assert region_band[40] == 3


def test_enrichment_needs_significance_and_twice_the_random_share():
    assert enrichment(0.12, 0.05, 1000)["passed"]  # 2.4x, z = 10
    # significant (z = 13.8) but only 1.6x: below the floor 2 x 0.05 - 3 sqrt(0.1 x 0.9 / 10000) = 0.091
    assert not enrichment(0.08, 0.05, 10_000)["passed"]
    assert enrichment(0.08, 0.05, 1000)["passed"]  # with 1,000 adopters 1.6x is within 3 sd of twice
    assert not enrichment(0.12, 0.05, 10)["passed"]  # 2.4x but 10 adopters: not significant


def test_inflection_month_of_a_logistic_and_of_a_curve_still_accelerating():
    months = np.arange(121)
    assert inflection_month(1 / (1 + np.exp(-(months - 60) / 8))) == pytest.approx(60, abs=1)
    assert math.isnan(inflection_month(np.exp(months / 30) / np.exp(4)))


# --- the calibration's checks ----------------------------------------------------------------

def test_the_hindcast_and_the_calibrated_fit_are_in_the_full_suite():
    checks = load_checks()
    assert {"energy_calibration", "energy_hindcast"} <= set(checks)
    assert not checks["energy_hindcast"].fast and not checks["energy_calibration"].fast


def test_the_hindcast_check_runs_the_shipped_posterior_and_judges_the_held_out_years(tmp_path, monkeypatch):
    """Small (3 draws x 1 run): the check reads the shipped hindcast posterior, runs it to 2019
    on the suite's seed and judges 2017-2019 against its band (the verdict itself is the full
    suite's, with 200 draws x 4 runs)."""
    from sim.validate import energy

    monkeypatch.setattr(energy, "FULL", {"draws": 3, "replicates": 1})
    out = tmp_path / "figures"
    out.mkdir()
    result = energy.energy_hindcast(Context(fast=False, seed=5, out=out))
    table = result.details
    held = table[(table["pattern"] == "count") & ~table["fitted"]]
    assert held["year"].tolist() == [2017, 2018, 2019] and held["observed"].tolist() == [382, 476, 560]
    assert "NRMSE" in result.observed and "2017: 382 in" in result.observed
    assert result.passed == bool(held["inside"].all() and "NRMSE <= 0.05" in result.tolerance and
                                 float(result.observed.split("NRMSE of the mean ")[1].split()[0]) <= 0.05)
    assert result.figure.read_bytes()[:8] == PNG


def test_the_dutch_chance_of_a_region_without_a_cooperative():
    """560 co-operatives in 2019 among A_NL / a village-sized communities (13.9 million adults,
    villages of the default world's mean size): a region of 30 holds none with probability
    (1 - 560 / communities)^30; foundings at 2017-2019's mean (78 + 99 + 85) / 3 a year."""
    from sim.calibrate.mapping import Mapping
    from sim.config.world import WorldConfig
    from sim.validate.scurve import dutch_empty_region

    communities = Mapping.of(WorldConfig()).village_equivalents
    assert 11_000 < communities < 11_500
    d = dutch_empty_region(30, 10.0)
    assert d["p_none"] == pytest.approx((1 - 560 / communities) ** 30)
    assert 0.20 < d["p_none"] < 0.23
    assert d["expected_foundings"] == pytest.approx((78 + 99 + 85) / 3 / communities * 300)


def test_the_dutch_ramp_of_foundings_by_hand():
    """h_y = founded_y / (communities - count_{y-1}); none in k years: exp(-30 sum h)."""
    from sim.calibrate.mapping import Mapping
    from sim.config.world import WorldConfig
    from sim.validate.scurve import dutch_ramp

    n = Mapping.of(WorldConfig()).village_equivalents
    r = dutch_ramp(30)
    assert r["years"][0] == 2010 and r["years"][-1] == 2019
    assert r["hazard"][0] == pytest.approx(6 / (n - 20)) and r["hazard"][-1] == pytest.approx(85 / (n - 476))
    assert r["p_none_within"][1] == pytest.approx(math.exp(-30 * (6 / (n - 20) + 13 / (n - 26))))
    assert r["expected_ten_years"] == pytest.approx(30 * sum(r["hazard"]))
    assert 1.3 < r["expected_ten_years"] < 1.7            # 546 founded among about 11,000 communities


def test_the_scurve_check_reports_the_dutch_members_curve():
    from sim.validate.scurve import dutch_members

    d = dutch_members()
    assert d["bass_p"] < 0.001 and d["still_rising"]           # what the Dutch data show (docs/ODD.md s10)
    assert d["share_2019"] == pytest.approx(87760 / 13.9e6)


def test_the_scurve_notes_name_only_the_seeds_without_a_bend():
    from sim.validate.scurve import _notes

    default = pd.DataFrame({"seed": [0, 1, 2], "inflection_month": [69.0, float("nan"), 81.0],
                            "bass_p": [0.01, 0.004, 0.002]})
    ext = pd.DataFrame({"inflection_month": [172.0, 203.0, 181.0], "share_end": [0.14, 0.38, 0.3]})
    text = _notes(range(0, 3), 120, default, ext, ["S-shape"])
    assert "In seed(s) 1 the monthly increase is still rising at the 120-month horizon" in text
    assert "in the other seeds it peaks at month 69-81" in text
    assert "peaks at month 172-203" in text and "14%-38% at month 240" in text
    assert "below the range" not in text                      # p was not among the failures

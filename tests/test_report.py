"""The comparison statistics, checked against hand computations."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sim.report import stats, tables


def test_mean_interval_by_hand():
    # mean 3, sd 1, n 3: half width t(0.975, 2) / sqrt(3) = 4.3027 / 1.7321 = 2.4841
    m, lo, hi = stats.mean_interval(np.array([2.0, 3.0, 4.0, math.nan]))
    assert m == 3.0 and lo == pytest.approx(3 - 2.4841, abs=1e-4) and hi == pytest.approx(3 + 2.4841, abs=1e-4)
    assert stats.mean_interval(np.array([5.0]))[0] == 5.0 and math.isnan(stats.mean_interval(np.array([5.0]))[1])


def test_paired_difference_by_hand():
    # d = (2, 3, 4): mean 3, sd 1, t = 3 / (1 / sqrt 3) = 5.196 with 2 df -> p = 0.0351
    out = stats.paired(np.array([3.0, 5.0, 7.0, math.nan]), np.array([1.0, 2.0, 3.0, 9.0]))
    assert out["diff"] == 3.0 and out["n_pairs"] == 3
    assert out["diff_lo"] == pytest.approx(0.5159, abs=1e-4) and out["diff_hi"] == pytest.approx(5.4841, abs=1e-4)
    assert out["p_t"] == pytest.approx(0.0351, abs=1e-4)
    assert out["p_wilcoxon"] == pytest.approx(0.25)        # exact: 2 of 2^3 sign patterns as extreme
    same = stats.paired(np.array([1.0, 2.0]), np.array([0.0, 1.0]))
    assert same["diff"] == 1.0 and same["p_t"] == 0.0       # a constant shift is certain
    assert stats.paired(np.ones(3), np.ones(3))["p_t"] == 1.0


def test_compare_pairs_on_replicate_whatever_the_row_order():
    m = pd.DataFrame({
        "scenario": ["x", "none", "x", "none", "x", "none"],
        "replicate": [2, 0, 0, 1, 1, 2],
        "participation_end": [0.30, 0.10, 0.12, 0.20, 0.21, 0.25],
        "public_spend_total": [900.0, 0, 300.0, 0, 300.0, 0],
        "participants_end": [150.0, 100, 110, 120, 125, 140],
    })
    t = stats.compare(m)
    assert t.attrs["baseline"] == "none"
    row = t[(t["scenario"] == "x") & (t["metric"] == "participation_end")].iloc[0]
    assert row["diff"] == pytest.approx((0.02 + 0.01 + 0.05) / 3) and row["n_pairs"] == 3
    # cost per extra participant: spend 1500 / extra (10 + 5 + 10) = 60
    cost = t[(t["scenario"] == "x") & (t["metric"] == "cost_per_extra_participant")].iloc[0]
    assert cost["mean"] == pytest.approx(60.0) and cost["lo"] <= 60.0 <= cost["hi"]
    assert list(dict.fromkeys(t["scenario"])) == ["none", "x"]


def test_no_cost_per_participant_without_extra_participants():
    own = pd.DataFrame({"public_spend_total": [100.0, 100.0], "participants_end": [9.0, 10.0]})
    ref = pd.DataFrame({"public_spend_total": [0.0, 0.0], "participants_end": [10.0, 10.0]})
    assert math.isnan(stats.cost_per_extra_participant(own, ref, "x")["mean"])


def test_markdown_formats_shares_as_percent_and_differences_as_points():
    t = pd.DataFrame([
        {"scenario": "none", "metric": "participation_end", "n": 2, "mean": 0.2, "lo": 0.1, "hi": 0.3},
        {"scenario": "x", "metric": "participation_end", "n": 2, "mean": 0.25, "lo": 0.2, "hi": 0.3,
         "diff": 0.05, "diff_lo": 0.01, "diff_hi": 0.09, "p_t": 0.01, "p_wilcoxon": 0.5, "n_pairs": 2},
    ])
    t.attrs["baseline"] = "none"
    md = tables.markdown(t)
    assert "| none | 20.0 % [10.0 %, 30.0 %] | baseline |" in md
    assert "| x | 25.0 % [20.0 %, 30.0 %] | +5.0 pp [+1.0 pp, +9.0 pp] * | 0.01 | 0.5 | 2 |" in md


def test_every_metric_column_is_in_the_table_with_a_label():
    m = pd.DataFrame({"scenario": ["none", "x"], "replicate": [0, 0], "seed": [42, 42], "seconds": [1.0, 1.0],
                      "param:replicate": ["0", "0"], "participation_end": [0.1, 0.2], "founded_energy": [3.0, 4.0],
                      "public_spend_total": [0.0, 10.0], "participants_end": [10.0, 12.0]})
    t = stats.compare(m)
    assert list(dict.fromkeys(t["metric"])) == ["participation_end", "public_spend_total", "participants_end",
                                                "founded_energy", "cost_per_extra_participant"]
    assert stats.label("founded_energy") == ("collectives founded: energy", "collectives")
    assert "### collectives founded: energy (collectives)" in tables.markdown(t)

"""Outcome metrics of one run (sim/metrics.py): hand values and textbook recoveries."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim import load_config, run
from sim.metrics import bass_curve, fit_bass, months_to_reach, run_metrics


def test_months_to_reach_is_the_first_month_at_or_above_the_level():
    month = np.arange(6)
    share = np.array([0.0, 0.01, 0.025, 0.03, 0.2, 0.1])
    assert months_to_reach(month, share, 0.025) == 2.0
    assert months_to_reach(month, share, 0.16) == 4.0
    assert math.isnan(months_to_reach(month, share, 0.5))


def test_bass_curve_hand_values():
    # t = 0 gives 0; large t gives m; at p = q the curve is m (1 - e^{-2pt}) / (1 + e^{-2pt})
    assert bass_curve(np.array([0.0]), 0.03, 0.38, 1.0)[0] == 0.0
    assert bass_curve(np.array([1e3]), 0.03, 0.38, 0.7)[0] == pytest.approx(0.7)
    t = 2.0
    assert bass_curve(np.array([t]), 0.1, 0.1, 1.0)[0] == pytest.approx((1 - math.exp(-0.4)) / (1 + math.exp(-0.4)))


@pytest.mark.parametrize("p, q, m", [(0.03, 0.38, 1.0), (0.01, 0.5, 0.6), (0.05, 0.2, 0.9)])
def test_fit_bass_recovers_known_coefficients(p, q, m):
    month = np.arange(0, 241)
    fit = fit_bass(month, bass_curve(month / 12.0, p, q, m))
    assert fit["bass_p"] == pytest.approx(p, rel=1e-3)
    assert fit["bass_q"] == pytest.approx(q, rel=1e-3)
    assert fit["bass_m"] == pytest.approx(m, rel=1e-3)
    assert fit["bass_r2"] == pytest.approx(1.0, abs=1e-9)


def test_fit_bass_on_a_flat_curve_gives_nan():
    assert math.isnan(fit_bass(np.arange(24), np.zeros(24))["bass_p"])


def test_run_metrics_agree_with_the_tables():
    results = run(load_config(["months=60", "seed=3"]))
    m = run_metrics(results, stop_month=30)
    region = results.region
    assert m["participation_end"] == region["participation_share"].iloc[-1]
    assert m["participation_at_stop"] == region["participation_share"].iloc[30]
    if m["participation_at_stop"] > 0:
        assert m["persistence"] == pytest.approx(m["participation_end"] / m["participation_at_stop"])
    else:
        assert math.isnan(m["persistence"])
    assert m["collectives_founded"] == len(results.collectives)
    assert sum(m[f"founded_{t}"] for t in results.config.collectives.themes) == m["collectives_founded"]
    assert m["public_spend_total"] == 0.0  # the baseline spends nothing
    reached = m["months_to_2_5"]
    if not math.isnan(reached):
        assert region["participation_share"].iloc[int(reached)] >= 0.025 > region["participation_share"].iloc[int(reached) - 1]


def test_village_collectives_add_up_to_the_region_table():
    tables = run(load_config(["world=small", "months=48", "seed=5"])).tables
    cells = tables.village_collectives.groupby(["month", "theme", "stage"], observed=True)["count"].sum()
    region = tables.collectives.set_index(["month", "theme", "stage"])["count"]
    region = region[region > 0]
    assert len(region) > 0
    assert cells.sort_index().equals(region.sort_index())

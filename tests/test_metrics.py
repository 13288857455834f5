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
    # the assumption defaults: the calibrated default may found no collective in 4 years of a small world
    tables = run(load_config(["calibration=none", "world=small", "months=48", "seed=5"])).tables
    cells = tables.village_collectives.groupby(["month", "theme", "stage"], observed=True)["count"].sum()
    region = tables.collectives.set_index(["month", "theme", "stage"])["count"]
    region = region[region > 0]
    assert len(region) > 0
    assert cells.sort_index().equals(region.sort_index())


# --- outcomes declared once (sim/outcomes.py) ------------------------------------------------

def test_every_outcome_is_declared_once_with_labels_and_a_scale():
    from sim import outcomes

    every = [*outcomes.SERIES, *outcomes.METRICS, *outcomes.WITHDRAWAL_METRICS, *outcomes.THEME_METRICS,
             *outcomes.PAIRED]
    for o in every:
        assert o.en.strip() and o.nl.strip() and o.en != o.nl or o.en.startswith("Bass"), o.name
        assert o.scale in ("share", "count", "months", "EUR", "rate", "index", "ratio", "none"), o.name
        assert o.better in (-1, 0, 1) and o.unit, o.name
    names = [o.name for o in (*outcomes.METRICS, *outcomes.WITHDRAWAL_METRICS, *outcomes.PAIRED)]
    assert len(names) == len(set(names)) and len(outcomes.SERIES_NAMES) == len(set(outcomes.SERIES_NAMES))


def test_what_a_run_records_and_measures_is_what_is_declared():
    from sim import outcomes
    from sim.experiments.records import curves
    from sim.metrics import metric_names

    cfg = load_config(["world=small", "months=24", "policy.stop_month=12", "policy.instruments=[dialogue]"])
    res = run(cfg)
    assert list(res.region.columns) == ["month", *outcomes.SERIES_NAMES]
    region_rows = curves(res)
    assert [c for c in region_rows.columns if c in outcomes.SERIES_NAMES] == list(outcomes.RECORD_SERIES)
    m = run_metrics(res, stop_month=12)
    assert list(m) == metric_names(cfg)
    assert all(outcomes.outcome(name) is not None for name in m)
    assert outcomes.label("founded_care", "nl") == "collectieven opgericht: care"


def test_horizon_metrics_by_hand():
    """participation at year 5 is month 60's share; the area under the curve sums the months
    after month 0, in share-years (1/12 a month); both NaN-free only where defined."""
    from types import SimpleNamespace

    from sim import outcomes

    share = np.linspace(0.0, 0.3, 121)
    r = SimpleNamespace(share=share)
    y5 = next(o for o in outcomes.METRICS if o.name == "participation_y5")
    auc = next(o for o in outcomes.METRICS if o.name == "participation_auc")
    assert y5.compute(r) == pytest.approx(0.15)
    assert auc.compute(r) == pytest.approx(share[1:].sum() / 12)          # = 0.0025 * 7260 / 12
    assert auc.compute(r) == pytest.approx(0.0025 * sum(range(1, 121)) / 12)
    assert math.isnan(y5.compute(SimpleNamespace(share=share[:50])))


# --- early_lead: Rogers' timing within villages ------------------------------------------------

def test_early_lead_by_hand():
    from sim.metrics import early_lead

    # one village of 10 adopters (and a seed at month 0, left out): the first 16 % of ranks is
    # positions k with (k + 1/2) / 10 < 0.16, k = 0 and 1
    first = np.array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, -1])
    cat = np.array([0, 0, 1, 2, 3, 4, 2, 3, 4, 2, 3, 0])
    village = np.zeros(12, int)
    r = 2 / 10                                       # innovators + early adopters among the 10 adopters
    assert early_lead(first, cat, village) == pytest.approx(1.0 / r)     # both first two: Rogers' ideal, 1 / r
    # a tie of all ten in one month: each holds 2/10 of a first place, so random order, lead 1
    assert early_lead(np.where(first > 0, 5, first), cat, village) == pytest.approx(1.0)
    # a tie of the first three (one of them an early adopter): 2 places for 3, 2/3 each
    tied = first.copy()
    tied[1:4] = 1
    assert early_lead(tied, cat, village) == pytest.approx((2 / 3 * 2) / 2 / r)
    # two villages are ranked separately: village 1's first adopter is first there, though late overall
    first2, cat2 = np.r_[first, 50, 60, 61, 62, 63, 64], np.r_[cat, 1, 2, 2, 3, 4, 4]
    village2 = np.r_[village, [1] * 6]
    r2 = 3 / 16
    # village 1 has 6 adopters: positions with (k + 1/2) / 6 < 0.16 is k = 0 only; 3 first places in all
    assert early_lead(first2, cat2, village2) == pytest.approx(3 / 3 / r2)
    assert math.isnan(early_lead(np.array([0, -1]), np.array([0, 1]), np.zeros(2, int)))


def test_early_lead_is_the_expectation_of_random_tie_breaking():
    """The validation check draws ties at random; the metric is that draw's exact mean."""
    from sim.metrics import early_lead
    from sim.validate.rogers import adoption_bands

    rng = np.random.default_rng(3)
    n = 600
    first, village, cat = rng.integers(-1, 12, n), np.sort(rng.integers(0, 5, n)), rng.integers(0, 5, n)
    early = (first > 0) & (first < 3)
    cat[early] = rng.choice([0, 0, 3], early.sum())   # the early months hold more innovators, not only
    draws = []
    for s in range(400):
        order, band = adoption_bands(first, np.random.default_rng(s), village)
        c = cat[order]
        draws.append((c[band <= 1] <= 1).mean() / (c <= 1).mean())
    assert early_lead(first, cat, village) == pytest.approx(np.mean(draws), abs=4 * np.std(draws) / 20)
    assert np.std(draws) > 0     # ties do occur here


def test_a_run_records_each_residents_first_month():
    from sim.runner import run

    r = run(load_config(["world=small", "months=24", "collectives.initial_share=0.5"]))
    res = r.residents
    part = res["state"].isin(["member", "core"])
    assert (res.loc[part, "first_month"] >= 0).all()               # everyone taking part has a first month
    assert (res["first_month"] <= 24).all() and (res["first_month"] >= -1).all()
    # the share ever taking part by month m is what the first months say, and never below the share now
    shares = r.region.set_index("month")["participation_share"]
    for m in (0, 12, 24):
        assert ((res["first_month"] >= 0) & (res["first_month"] <= m)).mean() >= shares[m] - 1e-9
    assert ((res["first_month"] == 0).mean()) == pytest.approx(shares[0])

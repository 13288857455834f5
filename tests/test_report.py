"""The comparison statistics, checked against hand computations: the named baseline, pairing
within strata, bootstrap intervals that respect their scale, Wilson intervals, no p-values."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sim.report import stats, tables


def runs(rows: list[dict], swept=("policy.instruments",)) -> pd.DataFrame:
    df = pd.DataFrame(rows)
    df["seed"] = df.get("seed", 42)
    for key in swept:
        df[f"param:{key}"] = df[key]
    df["param:replicate"] = df["replicate"].astype(str)
    return df.drop(columns=list(swept))


def test_wilson_by_hand():
    # k = 0 of 20: centre z^2/2n / (1 + z^2/n) = 0.0876, half the same: (0, 0.1611)
    lo, hi = stats.wilson(0, 20)
    assert lo == 0.0 and hi == pytest.approx(0.1611, abs=1e-4)
    assert stats.wilson(10, 20) == pytest.approx((0.2993, 0.7007), abs=1e-4)
    assert stats.wilson(20, 20)[1] == 1.0 and all(math.isnan(x) for x in stats.wilson(0, 0))


def test_bootstrap_intervals_stay_within_the_data_and_so_within_0_100_percent():
    rng = np.random.default_rng(1)
    for _ in range(50):
        x = rng.beta(0.3, 3.0, size=(int(rng.integers(2, 30)), 1))     # skewed shares near 0
        mean, lo, hi = stats.bootstrap_means(x, np.random.default_rng(2))
        assert 0.0 <= lo[0] <= mean[0] <= hi[0] <= 1.0
        assert x.min() - 1e-12 <= lo[0] and hi[0] <= x.max() + 1e-12
    const = stats.bootstrap_means(np.full((5, 1), 0.3), np.random.default_rng(0))
    assert [v[0] for v in const] == pytest.approx([0.3, 0.3, 0.3])
    one = stats.bootstrap_means(np.array([[0.3]]), np.random.default_rng(0))
    assert one[0][0] == 0.3 and math.isnan(one[1][0])                    # one replicate: no interval


def test_the_baseline_is_the_one_swept_none_or_named_or_refused():
    m = runs([{"scenario": s, "replicate": r, "policy.instruments": f"[{s}]", "participation_end": 0.1}
              for s in ("none", "x") for r in (0, 1)])
    assert stats.find_baseline(m) == (stats.Baseline("policy.instruments", "[none]"), "")
    named, why = stats.find_baseline(m, "policy.instruments=[x]")
    assert named == stats.Baseline("policy.instruments", "[x]") and why == ""
    base, why = stats.find_baseline(m, "policy.instruments=[y]")
    assert base is None and "no run has policy.instruments=[y]" in why
    two = runs([{"scenario": f"{s}/{p}", "replicate": 0, "policy.instruments": f"[{s}]", "programme": p,
                 "participation_end": 0.1} for s in ("none", "x") for p in ("none", "pilots")],
               swept=("policy.instruments", "programme"))
    base, why = stats.find_baseline(two)
    assert base is None and "several swept values are 'none'" in why and "--baseline" in why
    table = stats.compare(two)
    assert table.attrs["baseline"] == "" and "diff" not in table.columns   # levels only, said why
    assert "No baseline" in __import__("sim.report", fromlist=["_about"])._about(table)


def test_compare_pairs_on_seed_and_replicate_whatever_the_row_order():
    m = runs([
        {"scenario": "x", "replicate": 2, "policy.instruments": "[x]", "participation_end": 0.30,
         "public_spend_total": 900.0, "participants_end": 150.0},
        {"scenario": "none", "replicate": 0, "policy.instruments": "[none]", "participation_end": 0.10,
         "public_spend_total": 0.0, "participants_end": 100.0},
        {"scenario": "x", "replicate": 0, "policy.instruments": "[x]", "participation_end": 0.12,
         "public_spend_total": 300.0, "participants_end": 110.0},
        {"scenario": "none", "replicate": 1, "policy.instruments": "[none]", "participation_end": 0.20,
         "public_spend_total": 0.0, "participants_end": 120.0},
        {"scenario": "x", "replicate": 1, "policy.instruments": "[x]", "participation_end": 0.21,
         "public_spend_total": 300.0, "participants_end": 125.0},
        {"scenario": "none", "replicate": 2, "policy.instruments": "[none]", "participation_end": 0.25,
         "public_spend_total": 0.0, "participants_end": 140.0},
    ])
    t = stats.compare(m)
    assert t.attrs["baseline"] == "none" and t.attrs["baseline_spec"] == "policy.instruments=[none]"
    row = t[(t["scenario"] == "x") & (t["metric"] == "participation_end")].iloc[0]
    assert row["diff"] == pytest.approx((0.02 + 0.01 + 0.05) / 3) and row["n_pairs"] == 3
    assert 0.01 - 1e-12 <= row["diff_lo"] <= row["diff"] <= row["diff_hi"] <= 0.05 + 1e-12   # within the pairs
    # cost per extra participant: spend 1500 / extra (10 + 5 + 10) = 60
    cost = t[(t["scenario"] == "x") & (t["metric"] == "cost_per_extra_participant")].iloc[0]
    assert cost["mean"] == pytest.approx(60.0) and cost["lo"] <= 60.0 <= cost["hi"]
    assert list(dict.fromkeys(t["scenario"])) == ["none", "x"]


def test_a_two_factor_sweep_pairs_within_the_other_factor():
    """instruments x budget: x at budget 1 is compared with none at budget 1, not at budget 2."""
    rows = []
    for budget, base_share in (("1", 0.10), ("2", 0.50)):
        for r in range(3):
            rows.append({"scenario": f"none/{budget}", "replicate": r, "policy.instruments": "[none]",
                         "policy.budget": budget, "participation_end": base_share + 0.01 * r})
            rows.append({"scenario": f"x/{budget}", "replicate": r, "policy.instruments": "[x]",
                         "policy.budget": budget, "participation_end": base_share + 0.01 * r + 0.05})
    t = stats.compare(runs(rows, swept=("policy.instruments", "policy.budget")))
    diffs = t[(t["metric"] == "participation_end") & t["diff"].notna()]
    assert sorted(diffs["stratum"]) == ["policy.budget=1", "policy.budget=2"]
    assert diffs["diff"].to_numpy() == pytest.approx([0.05, 0.05])


def test_the_posterior_draw_of_a_replicate_is_no_stratum():
    """posterior=replicate labels replicate r's runs with draw r (scenarios/compare_instruments.yaml);
    two replicates may share a draw. The comparison still pairs over every replicate, not
    within each draw (which left one pair per stratum and no intervals)."""
    draws = {0: "14", 1: "17", 2: "14", 3: "2"}
    rows = [{"scenario": s, "replicate": r, "policy.instruments": f"[{s}]", "posterior_draw": draws[r],
             "participation_end": 0.1 * r + (0.05 if s == "x" else 0.0)} for s in ("none", "x") for r in draws]
    m = runs(rows, swept=("policy.instruments", "posterior_draw"))
    assert stats.swept(m) == ["policy.instruments"]
    t = stats.compare(m)
    row = t[(t["scenario"] == "x") & (t["metric"] == "participation_end")].iloc[0]
    assert row["stratum"] == "" and row["n_pairs"] == 4 and row["diff"] == pytest.approx(0.05)
    assert row["diff_lo"] == pytest.approx(0.05) and row["diff_hi"] == pytest.approx(0.05)


def test_the_share_of_runs_where_the_majority_follows_has_a_wilson_interval():
    m = runs([{"scenario": "none", "replicate": r, "policy.instruments": "[none]", "chasm_crossed": float(r < 3)}
              for r in range(10)])
    row = stats.compare(m).set_index("metric").loc["chasm_crossed"]
    assert row["mean"] == pytest.approx(0.3) and (row["lo"], row["hi"]) == pytest.approx(stats.wilson(3, 10))


def test_markdown_has_effects_with_intervals_and_no_p_values():
    t = pd.DataFrame([
        {"stratum": "", "scenario": "none", "metric": "participation_end", "n": 2, "mean": 0.2, "lo": 0.1, "hi": 0.3},
        {"stratum": "", "scenario": "x", "metric": "participation_end", "n": 2, "mean": 0.25, "lo": 0.2, "hi": 0.3,
         "diff": 0.05, "diff_lo": 0.01, "diff_hi": 0.09, "n_pairs": 2},
    ])
    t.attrs["baseline"] = "none"
    md = tables.markdown(t)
    assert "| none | 20.0 % [10.0 %, 30.0 %] | baseline | 2 |" in md
    assert "| x | 25.0 % [20.0 %, 30.0 %] | +5.0 pp [+1.0 pp, +9.0 pp] | 2 |" in md
    assert "p (" not in md and "*" not in md
    head = tables.headline(t)
    assert "| x | +5.0 pp [+1.0 pp, +9.0 pp] |" in head


def test_every_metric_column_is_in_the_table_with_a_label():
    m = runs([{"scenario": s, "replicate": 0, "policy.instruments": f"[{s}]", "seconds": 1.0,
               "participation_end": v, "founded_energy": f, "public_spend_total": c, "participants_end": p}
              for s, v, f, c, p in (("none", 0.1, 3.0, 0.0, 10.0), ("x", 0.2, 4.0, 10.0, 12.0))])
    t = stats.compare(m)
    assert list(dict.fromkeys(t["metric"])) == ["participation_end", "public_spend_total", "participants_end",
                                                "founded_energy", "cost_per_extra_participant"]
    assert stats.label("founded_energy") == ("collectives founded: energy", "collectives")
    assert "### collectives founded: energy (collectives)" in tables.markdown(t)


def test_phase_out_is_measured_on_pairs_by_hand():
    """Two replicates. Effect at stop a = (0.10, 0.20), at the end if stopped b = (0.05, 0.15),
    if continued c = (0.20, 0.20): persistence = 0.20 / 0.30, kept = 0.20 / 0.40."""
    from sim.report import withdrawal

    rows = []
    for r, (x_stop, x_end, x_cont, n_stop, n_end) in enumerate([(0.30, 0.35, 0.50, 0.20, 0.30),
                                                                 (0.40, 0.45, 0.50, 0.20, 0.30)]):
        for inst, stop, at_stop, end, dep in (("[x]", "48", x_stop, x_end, 0.1), ("[x]", "-1", None, x_cont, 0.4),
                                               ("[none]", "48", n_stop, n_end, 0.0), ("[none]", "-1", None, n_end, 0.0)):
            rows.append({"scenario": f"{inst}/{stop}", "seed": 42, "replicate": r, "param:policy.instruments": inst,
                         "param:policy.stop_month": stop, "participation_at_stop": at_stop,
                         "participation_end": end, "dependence_end": dep, "param:replicate": str(r)})
    m = pd.DataFrame(rows)
    assert withdrawal.applies(m)
    t = withdrawal.table(m).set_index("instrument")
    x = t.loc["x"]
    assert (x["effect_at_stop"], x["effect_end_stopped"], x["effect_end_continued"]) == pytest.approx((0.15, 0.10, 0.20))
    assert x["persistence"] == pytest.approx(0.20 / 0.30) and x["kept"] == pytest.approx(0.20 / 0.40)
    assert x["persistence_lo"] <= x["persistence"] <= x["persistence_hi"]
    assert (x["dependence_stopped"], x["dependence_continued"]) == pytest.approx((0.1, 0.4))
    assert "| x | +15.0 pp | +10.0 pp | +20.0 pp | 0.67 [" in withdrawal.markdown(t.reset_index())
    assert not withdrawal.applies(m[m["param:policy.stop_month"] == "48"])


def test_the_bootstrap_means_are_nanmeans_to_the_last_digit(monkeypatch):
    """stats._nanmean_rows replaces NaN once instead of in every resample and takes a few
    resamples at a time; it must give np.nanmean's numbers exactly, whatever that number
    (the report's intervals do not move with a speed-up)."""
    rng = np.random.default_rng(5)
    for _ in range(200):
        monkeypatch.setattr(stats, "CHUNK", int(rng.integers(1, 5000)))
        n, k = int(rng.integers(2, 40)), int(rng.integers(1, 80))
        x = rng.normal(size=(n, k))
        x[rng.random((n, k)) < rng.random() * 0.6] = np.nan
        x[:, 0] = np.nan if rng.random() < 0.2 else x[:, 0]          # a metric never defined
        idx = rng.integers(0, n, size=(int(rng.integers(1, 300)), n))
        with np.errstate(all="ignore"), stats._quiet():
            expected = np.nanmean(x[idx], axis=1)
            got = stats._nanmean_rows(x, idx)
        assert np.array_equal(got, expected, equal_nan=True) and np.array_equal(np.signbit(got), np.signbit(expected))


class _Synchronous:
    """An executor that runs each job when it is submitted (a helper without a process)."""

    def __init__(self) -> None:
        self.jobs = []

    def submit(self, fn, *args):
        from concurrent.futures import Future

        self.jobs.append(fn.__name__)
        future = Future()
        future.set_result(fn(*args))
        return future


class _Dead:
    def submit(self, fn, *args):
        from concurrent.futures import BrokenExecutor

        raise BrokenExecutor("the helper process ended")


@pytest.fixture(scope="module")
def small_comparison(tmp_path_factory):
    from sim import load_config
    from sim.config.overrides import apply_overrides
    from sim.experiments import Run, run_ensemble

    base = load_config(["world=small", "months=24"])
    runs = [Run(apply_overrides(base, {"policy.instruments": [name], "replicate": r}), scenario=name,
                params={"policy.instruments": f"[{name}]", "replicate": str(r)})
            for name in ("none", "dialogue") for r in range(3)]
    return run_ensemble(runs, tmp_path_factory.mktemp("cmp"), quiet=True)


def test_the_report_is_the_same_with_a_helper_without_one_and_with_a_dead_one(small_comparison, tmp_path):
    """A sweep hands write_report a helper process that draws three figures meanwhile
    (sim/cli/report_helper.py); report.md and every figure must be the same without it, and
    a helper that died leaves the figures to this process."""
    from sim.report import write_report

    result = small_comparison
    files = {}
    for name, helper in (("alone", None), ("helper", _Synchronous()), ("dead", _Dead())):
        path = write_report(tmp_path / name, result.metrics, result.curves, helper=helper)
        files[name] = {p.name: p.read_bytes() for p in sorted(path.parent.iterdir())}
        files[name]["report.md"] = files[name]["report.md"].split(b"\n", 1)[1]   # its title names the folder
        if name == "helper":
            assert helper.jobs == ["curve_figures"]
    assert set(files["alone"]) >= {"report.md", "metrics_table.csv", "effects.png", "adoption_bands.png",
                                   "rogers.png", "vulnerable.png", "villages.png"}
    assert files["helper"] == files["alone"] and files["dead"] == files["alone"]
    md = files["alone"]["report.md"].decode()
    shown = [line.split("(")[-1].rstrip(")") for line in md.splitlines() if line.startswith("![")]
    assert shown == ["effects.png", "adoption_bands.png", "rogers.png", "vulnerable.png", "villages.png"]

"""The calibrated model is the default (calibration=energy), calibration=none gives the schema's
assumptions, and posterior=replicate makes replicate r of a sweep run draw r of the posterior
with the values in its configuration (so in its run key)."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from sim import load_config
from sim.calibrate import posterior as posterior_module
from sim.calibrate.posterior import load_posterior
from sim.config.compose import CONFIG_DIR, default_choices
from sim.config.params import iter_params
from sim.config.schema import Config
from sim.errors import ConfigError

KEYS = ("collectives.themes.energy.appeal", "adoption.aware_base")


def _value(cfg, key):
    return dict((k, v) for k, v, _ in iter_params(cfg))[key]


def test_the_default_is_the_calibrated_model_and_none_the_assumptions():
    assert default_choices()["calibration"] == "energy"
    assert dataclasses.asdict(load_config([])) == dataclasses.asdict(load_config(["calibration=energy"]))
    none = load_config(["calibration=none"])
    schema = dict((k, v) for k, v, _ in iter_params(Config()))
    assert dict((k, v) for k, v, _ in iter_params(none)) == schema   # none: every default of the schema


def test_the_config_group_holds_the_shipped_posterior_medians():
    """configs/calibration/energy.yaml sets the weighted medians of the shipped posterior, and each
    calibrated parameter's source names its calibrated value."""
    post = load_posterior("energy")
    cfg = load_config([])
    fields = {k: meta for k, _, meta in iter_params(cfg)}
    for key, median in post.median().items():
        assert _value(cfg, key) == pytest.approx(median, rel=1e-9), key
        assert f"{median:g}" in fields[key]["source"], (key, fields[key]["source"])
    text = (CONFIG_DIR / "calibration" / "energy.yaml").read_text()
    assert text.startswith("# @package _global_")


def test_the_config_group_sets_what_the_fit_held_fixed():
    """A fit made with a fixed override (e.g. adoption.decide_innovativeness=0.6) ships it too:
    the default model is the one that was fitted, not the fit's medians on other assumptions."""
    import json

    from sim.calibrate.posterior import CALIBRATION_DIR
    from sim.calibrate.ship import fixed_overrides

    fit = json.loads((CALIBRATION_DIR / "energy_fit.json").read_text())
    world = ("calibration", "world.", "collectives.initial_share")   # the calibration world's, set by the command
    fixed = fixed_overrides(o for o in fit["overrides"] if not o.startswith(world))
    cfg = load_config([])
    for key, value in fixed.items():
        assert _value(cfg, key) == pytest.approx(value, rel=1e-12), key
    assert fixed_overrides(["adoption.decide_innovativeness=0.6", "a.b=2"]) == {
        "adoption.decide_innovativeness": 0.6, "a.b": 2.0}


@pytest.fixture
def small_posterior(tmp_path, monkeypatch):
    pd.DataFrame({KEYS[0]: [0.1, 0.2, 0.4], KEYS[1]: [0.002, 0.004, 0.008], "weight": [0.2, 0.3, 0.5]}).to_csv(
        tmp_path / "energy_posterior.csv", index=False)
    monkeypatch.setattr(posterior_module, "CALIBRATION_DIR", tmp_path)
    return load_posterior("energy")


def test_posterior_replicate_runs_draw_r_at_replicate_r(small_posterior):
    from sim.cli.hydra_sweep import runs_of, sweep_lists

    lists = sweep_lists([], {"policy.instruments": "[none],[subsidy]", "replicate": "range(0,4)",
                             "posterior": "replicate"})
    runs = runs_of(lists)
    assert len(runs) == 8
    by_replicate: dict[int, set[str]] = {}
    for run in runs:
        r = run.config.replicate
        draw = small_posterior.draw(r)
        assert {k: _value(run.config, k) for k in KEYS} == draw
        assert run.params["posterior_draw"] == str(small_posterior.index_of_draw(r))
        assert run.scenario in ("none", "subsidy")          # the draw is not part of the scenario's name
        by_replicate.setdefault(r, set()).add(run.key)
    assert all(len(keys) == 2 for keys in by_replicate.values())   # one run per instrument
    pairs = {(run.config.replicate, tuple(_value(run.config, k) for k in KEYS)) for run in runs}
    assert len(pairs) == 4                                    # both instruments of replicate r share its draw


def test_posterior_median_leaves_the_medians(small_posterior):
    from sim.cli.hydra_sweep import runs_of, sweep_lists

    runs = runs_of(sweep_lists(["posterior=median"], {"replicate": "range(0,2)"}))
    assert {_value(r.config, KEYS[0]) for r in runs} == {_value(load_config([]), KEYS[0])}


def test_posterior_replicate_needs_a_calibration(small_posterior):
    from sim.cli.hydra_sweep import runs_of, sweep_lists

    with pytest.raises(ConfigError, match="calibration=none"):
        runs_of(sweep_lists(["calibration=none", "posterior=replicate"], {"replicate": "range(0,2)"}))
    with pytest.raises(ConfigError, match="median, replicate"):
        runs_of(sweep_lists(["posterior=mean"], {}))


def test_the_comparison_scenario_draws_from_the_posterior():
    from sim.config.compose import scenario_hydra

    assert scenario_hydra("compare_instruments")["sweeper"]["params"]["posterior"] == "replicate"


def test_the_comparison_runs_replicate_r_with_draw_r(cli, tmp_path):
    """`vliegwiel scenario=compare_instruments` (small, two replicates): each replicate's runs
    carry its posterior draw, the same for every instrument."""
    out = tmp_path / "cmp"
    res = cli.run(["scenario=compare_instruments", "replicate=range(0,2)", "world=small", "months=12",
                   "policy.instruments=[none],[dialogue]", f"hydra.sweep.dir={out}", "hydra/launcher=serial"],
                  cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    m = pd.read_parquet(out / "metrics.parquet")
    post = load_posterior("energy")
    assert len(m) == 4
    for r, rows in m.groupby("replicate"):
        assert set(rows["param:posterior_draw"]) == {str(post.index_of_draw(int(r)))}

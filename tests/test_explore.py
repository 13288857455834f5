"""Exploratory modelling (sim/explore/), in-process: the uncertainty table, the design, common
random numbers, regret, PRIM on a toy with a known box, the point comparison's runs, the
posterior, the sentences and the command's bad input. Real ensembles of the command line are
in tests/test_explore_cli.py (subprocess tier)."""

from __future__ import annotations

import dataclasses
import json
import math
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim import load_config
from sim.config.instruments import InstrumentConfig
from sim.config.params import param
from sim.experiments import run_ensemble
from sim.experiments.testfunctions import TOY_BOX, TOY_INPUTS
from sim.explore import cli, design as dz, report, robustness as rb
from sim.explore.discovery import Box
from sim.explore.sentences import number, sentences
from sim.explore.table import (CALIBRATED, Posterior, Uncertainty, check_table, instrument_parameters_without_range,
                               uncertainty_table)
from sim.instruments.base import Instrument
from sim.instruments.registry import instruments, register_instrument, unregister_instrument

ROOT = Path(__file__).resolve().parents[1]


# --- the uncertainty table ------------------------------------------------------------------
def test_every_plausible_range_lies_inside_its_valid_range_and_has_a_reason():
    table = uncertainty_table(load_config([]))
    assert len(table) >= 50
    assert check_table(table) == []
    for u in table:
        assert u.reason.strip() and (u.reason.startswith("assumption") or any(c.isdigit() for c in u.reason)
                                     or "(" in u.reason), u.key
        vlo, vhi = u.valid
        assert (vlo is None or vlo <= u.lo) and (vhi is None or u.hi <= vhi) and u.lo < u.hi, u.key
    keys = {u.key for u in table}
    assert set(CALIBRATED) <= keys          # the calibration's parameters have boxes until its posterior exists
    assert "residents.threshold_mean" in keys and "collectives.themes.food.appeal" not in keys


def test_check_table_names_what_is_wrong():
    bad = [Uncertainty("a", 0.0, 2.0, 1.0, "assumption", "", valid=(0.0, 1.0)),
           Uncertainty("b", 1.0, 1.0, 1.0, "assumption", ""), Uncertainty("c", 0.0, 1.0, 0.5, " ", "")]
    problems = check_table(bad)
    assert len(problems) == 3 and "leaves the valid range" in problems[0] and "empty" in problems[1]


def test_every_instrument_has_ranges_for_its_effects_and_costs():
    """Driven by the registry: every numeric parameter an instrument declares itself."""
    assert instrument_parameters_without_range() == []
    assert len([k for k in (u.key for u in uncertainty_table(load_config([]))) if k.startswith("policy.")]) == sum(
        len([f for f in dataclasses.fields(c.config) if f.name not in {g.name for g in dataclasses.fields(InstrumentConfig)}
             and isinstance(getattr(c.config(), f.name), int | float)
             and not isinstance(getattr(c.config(), f.name), bool)]) for c in instruments().values() if c.config)


@dataclasses.dataclass
class _NoRangeConfig(InstrumentConfig):
    effect: float = param(0.1, unit="pull", lo=0.0, hi=1.0, source="assumption", help="An effect without a range.")


class _NoRange(Instrument):
    name = "no_range_toy"
    config = _NoRangeConfig
    labels = {"en": "toy", "nl": "speelgoed"}

    def apply(self, month: int) -> None:
        pass


def test_a_new_instrument_without_ranges_is_named():
    register_instrument(_NoRange)
    try:
        assert instrument_parameters_without_range() == ["policy.no_range_toy.effect"]
    finally:
        unregister_instrument("no_range_toy")


def test_param_needs_range_and_reason_together():
    with pytest.raises(ValueError, match="together"):
        param(1.0, unit="x", source="assumption", help="h", plausible=(0.0, 2.0))


def test_the_odd_plausible_block_is_current():
    done = subprocess.run([sys.executable, "-m", "sim.paramdoc", "--check"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert "<!-- plausible:start -->\n| key | default | plausible range" in (ROOT / "docs" / "ODD.md").read_text()


# --- the design -----------------------------------------------------------------------------
def test_worlds_fill_their_boxes_and_have_their_own_seeds():
    table = uncertainty_table(load_config([]))
    for sampler in dz.SAMPLERS:
        d = dz.draw_worlds(table, 32, sampler, seed=5)
        assert len(d.worlds) == 32 and d.worlds["seed"].nunique() == 32
        for u in table:
            v = d.worlds[u.key]
            assert v.between(u.lo, u.hi).all(), u.key
            if not u.integer:   # a Latin hypercube puts one point in every 1/32 of each range
                assert v.max() - v.min() > 0.8 * (u.hi - u.lo), u.key
            else:
                assert (v == v.round()).all()
        again = dz.draw_worlds(table, 32, sampler, seed=5)
        pd.testing.assert_frame_equal(d.worlds, again.worlds)


def test_common_random_numbers_identical_policies_give_identical_records(tmp_path):
    """Replicate r of a world is one random stream for every policy: a dialogue that can never
    afford a session changes nothing, so its records equal the baseline's in every world and
    replicate, while worlds and replicates differ among themselves."""
    table = [u for u in uncertainty_table(load_config([])) if u.key == "residents.threshold_mean"]
    d = dz.draw_worlds(table, 2, "lhs", seed=3)
    policies = {"none": ["policy.instruments=[none]"],
                "idle": ["policy.instruments=[dialogue]", "policy.dialogue.cost=1e9"]}
    # the assumption defaults: on the calibrated default nothing happens in 18 months of the small world
    runs = dz.explore_runs(d, policies, 2, ["world=small", "months=18", "calibration=none"])
    assert len({r.key for r in runs}) == 8
    result = run_ensemble(runs, tmp_path / "crn", quiet=True)
    m = result.metrics
    metrics = [c for c in m.columns if c not in ("run", "scenario", "model_version", "seconds", "seed", "replicate")
               and not c.startswith("param:")]   # run_seed included: the same stream
    none = m[m["scenario"] == "none"].set_index(["param:world", "replicate"])[metrics].sort_index()
    idle = m[m["scenario"] == "idle"].set_index(["param:world", "replicate"])[metrics].sort_index()
    pd.testing.assert_frame_equal(none, idle)
    curves = result.curves
    labels = [c for c in curves.columns if c in ("run", "scenario") or c.startswith("param:")]
    a = curves[curves["scenario"] == "none"].drop(columns=labels).reset_index(drop=True)
    b = curves[curves["scenario"] == "idle"].drop(columns=labels).reset_index(drop=True)
    assert len(a) > 100
    pd.testing.assert_frame_equal(a, b)      # every month, level and unit of the curves
    assert none["participation_end"].nunique() > 1       # the streams themselves differ


def test_point_runs_are_the_runs_of_compare_instruments():
    """Same configurations, so the same keys: the same records, the same metrics."""
    from sim.cli.hydra_sweep import runs_of, sweep_lists

    names = list(instruments())
    sweep = runs_of(sweep_lists(["world=small"], {"policy.instruments": "each", "replicate": "range(0,3)",
                                                "posterior": "replicate"}))   # as scenarios/compare_instruments.yaml
    point = dz.point_runs(names, 3, ["world=small"])
    assert sorted(r.key for r in point) == sorted(r.key for r in sweep)
    assert {(r.scenario, r.config.replicate) for r in point} == {(r.scenario, r.config.replicate) for r in sweep}


def test_programme_mixes_meet_the_same_worlds():
    table = uncertainty_table(load_config([]))
    d = dz.draw_worlds(table, 3, "lhs", seed=2)
    policies = dz.policies(["none", "dialogue"], ["dialogue_shareholding"])
    runs = dz.explore_runs(d, policies, 2, ["world=small"])
    assert [r.scenario for r in runs[::6]] == ["none", "dialogue", "mix:dialogue_shareholding"]
    mix = [r for r in runs if r.scenario == "mix:dialogue_shareholding"]
    assert all(r.config.policy.instruments == ["dialogue", "shareholding"] for r in mix)
    world1 = [r for r in runs if r.params["world"] == "1" and r.params["replicate"] == "1"]
    assert len({(r.config.seed, r.config.replicate) for r in world1}) == 1          # one stream, three policies
    cost = d.worlds.loc[1, "policy.dialogue.cost"]
    assert all(r.config.policy.dialogue.cost == cost for r in world1)                # the world's values in each


# --- the posterior --------------------------------------------------------------------------
def _posterior(tmp_path, weights):
    path = tmp_path / "energy_posterior.csv"
    pd.DataFrame({"collectives.founding_rate": [0.001, 0.002, 0.003], "collectives.knowledge_founding": [4.0, 5.0, 6.0],
                  "weight": weights}).to_csv(path, index=False)
    return path


def test_calibrated_parameters_are_drawn_jointly_from_the_posterior(tmp_path):
    base = load_config([])
    table = uncertainty_table(base)
    post = Posterior.load(_posterior(tmp_path, [1, 1, 2]), base)
    d = dz.draw_worlds(table, 400, "lhs", seed=1, posterior=post)
    pairs = set(zip(d.worlds["collectives.founding_rate"], d.worlds["collectives.knowledge_founding"], strict=True))
    assert pairs == {(0.001, 4.0), (0.002, 5.0), (0.003, 6.0)}                       # whole particles, never mixed
    share = (d.worlds["collectives.founding_rate"] == 0.003).mean()
    assert 0.4 < share < 0.6                                                   # by weight (2 of 4)
    assert "collectives.founding_rate" in d.posterior_keys and "collectives.initial_share" in d.box_keys
    only = dz.draw_worlds(table, 20, "lhs", seed=1, posterior=Posterior.load(_posterior(tmp_path, [0, 1, 0]), base))
    assert (only.worlds["collectives.knowledge_founding"] == 5.0).all()
    assert Posterior.load(tmp_path / "absent.csv", base) is None              # until the file exists: boxes


@pytest.mark.parametrize("content", ["a,b\n1,2\n", "collectives.founders,weight\n1,-1\n",
                                     "no.such.key,weight\n1,1\n", "collectives.founders,weight\nx,1\n"])
def test_a_bad_posterior_is_one_line(tmp_path, content):
    path = tmp_path / "p.csv"
    path.write_text(content)
    from sim.errors import UserError

    with pytest.raises(UserError) as err:
        Posterior.load(path, load_config([]))
    assert "\n" not in str(err.value)


# --- regret, best, ranks ----------------------------------------------------------------------
def test_regret_is_zero_for_the_best_and_never_negative():
    rng = np.random.default_rng(0)
    for trial in range(120):
        worlds, policies = rng.integers(1, 30), rng.integers(2, 9)
        level = pd.DataFrame(rng.normal(size=(worlds, policies)) * 10 ** rng.uniform(-3, 3),
                             columns=[f"p{i}" for i in range(policies)])
        if trial % 3 == 0:   # ties
            level = level.round(0)
        for better in (1, -1):
            reg, best, rk = rb.regret(level, better), rb.best_mask(level, better), rb.ranks(level, better)
            assert (reg >= 0).all().all()
            assert (reg.to_numpy()[best.to_numpy()] == 0).all() and best.any(axis=1).all()
            assert ((rk == 1) == best).all().all()
            assert np.allclose(reg.min(axis=1), 0)
            winner = level.idxmax(axis=1) if better > 0 else level.idxmin(axis=1)
            assert all(best.loc[w, p] for w, p in winner.items())


def test_robustness_of_a_hand_made_table():
    metrics = pd.DataFrame({
        "scenario": ["none", "a", "b"] * 2 * 2, "param:world": ["0"] * 6 + ["1"] * 6,
        "replicate": [0, 0, 0, 1, 1, 1] * 2,
        "participation_end": [0.10, 0.20, 0.12, 0.10, 0.20, 0.12,      # world 0: a best
                              0.30, 0.29, 0.40, 0.30, 0.31, 0.40]})    # world 1: b best; a averages 0.30
    levels = rb.world_levels(metrics, "none", 120, ["none", "a", "b"])
    table, ranks = rb.robustness(levels, "none")
    a = table[table["policy"] == "a"].iloc[0]
    assert a["best_share"] == 0.5 and a["beats_share"] == 0.5 and a["satisficing_share"] == 1.0
    assert math.isclose(a["regret_mean"], 0.05) and math.isclose(a["regret_max"], 0.10)
    assert table[table["policy"] == "none"].iloc[0]["beats_share"] == 0
    assert set(ranks[ranks["policy"] == "b"]["rank"]) == {1, 2}


def test_never_reaching_16_percent_counts_as_the_horizon_plus_one_and_cost_without_gain_is_unbounded():
    metrics = pd.DataFrame({"scenario": ["none", "a"], "param:world": ["0", "0"], "replicate": [0, 0],
                            "months_to_16": [math.nan, 30.0], "public_spend_total": [0.0, 1e6],
                            "participants_end": [100.0, 90.0], "participation_end": [0.1, 0.09]})
    levels = rb.world_levels(metrics, "none", 120, ["none", "a"])
    assert levels["months_to_16"].loc[0, "none"] == 121 and levels[rb.REACHED].loc[0, "a"] == 1.0
    assert levels[rb.COST].loc[0, "a"] == math.inf
    table, _ = rb.robustness(levels, "none")
    cost = table[table["outcome"] == rb.COST].iloc[0]
    assert cost["beats_share"] == 0 and cost["regret_unbounded"] == 1.0


# --- scenario discovery on a toy with a known answer ----------------------------------------
def test_prim_recovers_the_toy_box_through_the_same_machinery(tmp_path):
    """A toy "model" (sim/experiments/testfunctions.py: explore_toy) where policy 1 wins exactly
    inside a > 0.6 and b < 0.3, run as Run(function=...) by the explore code: PRIM's box has
    bounds within 10 % of each range, coverage and density >= 0.8."""
    names = ["none", "subsidy", "dialogue"]
    d = dz.draw_worlds(cli.toy_table(), 160, "lhs", seed=11)
    policies = dz.policies(names)
    result = run_ensemble(dz.explore_runs(d, policies, 1, function="explore_toy"), tmp_path / "toy", quiet=True)
    ctx = report.Context(tmp_path / "toy", d, cli.toy_table(), "none", cli.labels(policies), 120, 1, "lhs", 11)
    data = report.write(ctx, result.metrics)
    box = next(b for b in data["boxes"] if b["policy"] == "subsidy" and b["kind"] == "best")
    assert set(box["limits"]) == {"a", "b"}
    for key, (lo, hi) in TOY_BOX.items():
        full = TOY_INPUTS[key][1] - TOY_INPUTS[key][0]
        assert abs(box["limits"][key][0] - lo) <= 0.1 * full and abs(box["limits"][key][1] - hi) <= 0.1 * full, box
    assert box["coverage"] >= 0.8 and box["density"] >= 0.8
    assert box["cart"]["density"] >= 0.8 and set(box["cart"]["limits"]) <= {"a", "b", "c"}
    scores = data["feature_scores"]["participation_end"]
    assert min(scores["a"], scores["b"]) > scores["c"]
    assert re.search(r"as long as a is over 0\.(5[5-9]|6[0-5]).* and b is under 0\.(2[5-9]|3[0-5])", box["sentence"]["en"])
    assert re.search(r"zolang a boven 0,(5[5-9]|6[0-5]).* en b onder 0,(2[5-9]|3[0-5])", box["sentence"]["nl"])
    written = json.loads((tmp_path / "toy" / "robustness" / "summary.json").read_text())
    assert written["worlds"] == 160 and written["robustness"]["subsidy"]["participation_end"]["best"]["share"] > 0.05
    assert (tmp_path / "toy" / "report.md").exists() and (tmp_path / "toy" / "robustness" / "prim_tradeoff.png").exists()


# --- sentences ------------------------------------------------------------------------------
def test_sentences_in_english_and_dutch():
    box = Box(10, 50, 0.8, 0.9, 0.2, {"policy.dialogue.cost": (2000.0, 8312.0), "adoption.w_social": (0.82, 1.5)},
              {"policy.dialogue.cost": (2000.0, 20000.0), "adoption.w_social": (0.5, 1.5)}, pd.DataFrame(), 0)
    s = sentences(box, "best", {"en": "village dialogue", "nl": "dorpsdialoog"},
                  {"en": "residents taking part", "nl": "inwoners die meedoen"},
                  {"policy.dialogue.cost": "EUR per dialogue", "adoption.w_social": "per share of ties"})
    assert s["en"].startswith("Village dialogue stays the best choice for residents taking part as long as "
                              "policy.dialogue.cost is under EUR 8,310 per dialogue and adoption.w_social is over 0.820")
    assert "90 % of the worlds" in s["en"] and "80 % of the worlds where it is the best" in s["en"]
    assert s["nl"].startswith("Dorpsdialoog blijft de beste keuze voor inwoners die meedoen zolang policy.dialogue.cost "
                              "onder EUR 8.310 per dialogue ligt en adoption.w_social boven 0,820 ligt")
    assert number(1234567.0, "nl") == "1.230.000" and number(0.0123, "en") == "0.0123"


# --- the command's bad input ----------------------------------------------------------------
@pytest.mark.parametrize("args", [
    ["--worlds", "2"], ["--replicates", "0"], ["--instruments", "none,leaflets"], ["--instruments", "subsidy"],
    ["policy.instruments=[dialogue]"], ["world.n_villages=-1"], ["no.such.key=1"], ["--sampler", "grid"],
    ["--discover", "happiness"], ["--seed", "-1"], ["--executor-option", "nonsense"],
])
def test_bad_input_is_one_line_exit_2_and_nothing_written(tmp_path, capsys, args):
    out = tmp_path / "explore"
    assert cli.main([*args, "--dir", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("vliegwiel-explore: error:") and "\n" not in err and "Traceback" not in err
    assert not out.exists()


def test_a_bad_posterior_file_stops_the_command(tmp_path, capsys):
    bad = tmp_path / "post.csv"
    bad.write_text("collectives.founders,weight\n1,0\n")
    assert cli.main(["--posterior", str(bad), "--dir", str(tmp_path / "x")]) == 2
    assert "weights" in capsys.readouterr().err and not (tmp_path / "x").exists()


def test_a_changed_design_in_the_same_folder_runs_the_new_one(tmp_path, capsys):
    """e.g. make run again after the calibration's posterior has appeared."""
    out = tmp_path / "toy"
    common = ["--function", "explore_toy", "--instruments", "none,subsidy,dialogue", "--executor", "serial",
              "--dir", str(out)]
    assert cli.main([*common, "--worlds", "4"]) == 0
    assert cli.main([*common, "--worlds", "5"]) == 0
    assert "held another design (worlds changed)" in capsys.readouterr().err
    assert json.loads((out / "robustness" / "summary.json").read_text())["worlds"] == 5
    assert len(pd.read_parquet(out / "metrics.parquet")) == 5 * 3 * 2


def test_no_gain_conditions_only_name_inputs_the_policys_runs_can_read():
    """Whether a prize beats the baseline cannot depend on what a dialogue costs: neither the
    prize's runs nor the baseline's read policy.dialogue.*. Whether it is the best can (the
    dialogue is a competitor), so that question keeps every input; a mix keeps every input."""
    from sim.explore.report import relevant

    cols = ["policy.dialogue.cost", "policy.prize.winners", "policy.budget", "adoption.aware_base"]
    assert relevant(cols, "prize") == ["policy.prize.winners", "policy.budget", "adoption.aware_base"]
    assert relevant(cols, "dialogue") == ["policy.dialogue.cost", "policy.budget", "adoption.aware_base"]
    assert relevant(cols, "mix:dialogue_shareholding") == cols

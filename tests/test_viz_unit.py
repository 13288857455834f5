"""The browser page's pure parts: translations, controls -> overrides, bad values -> messages."""

from __future__ import annotations

import pytest

from sim.config.compose import load_config
from sim.instruments.registry import instrument_names
from sim.state import ResidentState, Rogers, Stage
from sim.viz import controls, i18n
from sim.viz.controls import Problem, config_from_controls, parse_number, to_override


def test_every_text_exists_in_both_languages():
    assert set(i18n.NL) == set(i18n.EN)
    assert set(i18n.TEXTS) == set(i18n.LANGUAGES)
    empty_nl = [k for k, v in i18n.NL.items() if not v]
    assert empty_nl == [], "Dutch has no metadata to fall back on: every Dutch text must be filled"


def test_texts_cover_everything_the_page_names():
    for name in instrument_names():      # an instrument's names come with it (the registry)
        assert i18n.text(f"instrument.{name}", "nl") != i18n.text(f"instrument.{name}", "en")
        assert not i18n.text(f"instrument.{name}", "nl").startswith("instrument.")
    needed = {f"rogers.{r.name.lower()}" for r in Rogers} | {f"stage.{s.name.lower()}" for s in Stage}
    needed |= {f"state.{s.name.lower()}" for s in ResidentState}
    needed |= {f"theme.{t}" for t in load_config([]).collectives.themes}
    for s in controls.specs():
        needed |= {f"label.{s.key}", f"help.{s.key}"}
        if s.kind not in ("group", "choice"):
            needed.add(f"unit.{s.unit}")
        if s.kind == "group":
            needed |= {f"world.{c}" for c in s.choices}
    assert needed <= set(i18n.NL), sorted(needed - set(i18n.NL))


def test_controls_read_units_ranges_and_defaults_from_the_schema():
    budget = controls.spec("policy.budget")
    default = load_config([])
    assert (budget.kind, budget.default, budget.unit, budget.lo) == ("number", default.policy.budget, "EUR over the horizon", 0.0)
    assert controls.spec("governments.attitude_mean").kind == "slider"
    assert controls.spec("seed").integer
    assert set(controls.spec("policy.instruments").choices) == set(instrument_names())
    assert controls.spec("world").default == "province"
    assert "Public money" in controls.help_text(budget, "en") and "(policy.budget)" in controls.help_text(budget, "nl")
    assert controls.label(budget, "nl") == "Budget (euro over de looptijd)"


@pytest.mark.parametrize("raw, integer, expected", [
    ("1500000", False, 1_500_000.0), (" 1 500 000 ", False, 1_500_000.0), ("0,35", False, 0.35),
    (0.35, False, 0.35), ("7", True, 7), ("1e3", True, 1000), ("-2.5", False, -2.5),
])
def test_parse_number_reads_what_a_browser_sends(raw, integer, expected):
    assert parse_number(raw, integer) == expected


@pytest.mark.parametrize("raw, integer, reason", [
    ("abc", False, "not_a_number"), ("1.500.000", False, "not_a_number"), ("1,5.0", False, "not_a_number"),
    ("", False, "not_a_number"), ("2.5", True, "not_a_whole_number"), (True, False, "not_a_number"),
    ("1" * 60, False, "not_a_number"), ("${oc.env:HOME}", False, "not_a_number"),
    ("\u0661\u0662\u0663", False, "not_a_number"), ("\U0001d7d3", True, "not_a_number"), ("\uff11\uff12", False, "not_a_number"),
    ("5\n6", False, "not_a_number"), ("0x10", True, "not_a_number"), ("1e5\x00", False, "not_a_number"),
])
def test_parse_number_refuses_what_is_not_a_number(raw, integer, reason):
    with pytest.raises(ValueError, match=reason):
        parse_number(raw, integer)


def test_control_values_become_overrides():
    assert to_override("policy.instruments", "subsidy") == "policy.instruments=[subsidy]"
    assert to_override("policy.budget", "250000") == "policy.budget=250000.0"
    assert to_override("seed", "7") == "seed=7"
    assert to_override("world", "small") == "world=small"
    assert to_override("governments.attitude_mean", 0.8) == "governments.attitude_mean=0.8"


@pytest.mark.parametrize("key, raw", [
    ("policy.instruments", "sim.model.VillageModel"), ("policy.instruments", "subsidy,tender"),
    ("world", "../../etc/passwd"), ("world", "small world.villages_file=/etc/passwd"), ("policy.instruments", ["subsidy"]),
])
def test_no_browser_value_names_a_class_or_a_path(key, raw):
    with pytest.raises(ValueError, match="unknown_choice"):
        to_override(key, raw)


def test_good_values_reach_the_config():
    cfg, problems = config_from_controls({"world": "small", "policy.instruments": "subsidy", "policy.budget": "250000",
                                          "governments.attitude_mean": 0.8, "seed": "7", "not.a.control": "x"})
    assert problems == []
    assert (cfg.world.n_villages, cfg.policy.instruments, cfg.policy.budget, cfg.governments.attitude_mean, cfg.seed) == \
        (6, ["subsidy"], 250000.0, 0.8, 7)


def test_bad_values_fall_back_to_defaults_with_a_message():
    default = load_config([])
    cfg, problems = config_from_controls({"policy.budget": "-5", "seed": "abc", "network.mean_degree": "inf",
                                          "residents.trust_mean": 3.0, "policy.instruments": "tender"})
    assert cfg.policy.instruments == ["tender"]  # the good value is kept
    assert (cfg.policy.budget, cfg.seed, cfg.network.mean_degree, cfg.residents.trust_mean) == \
        (default.policy.budget, default.seed, default.network.mean_degree, default.residents.trust_mean)
    by_key = {p.key: p for p in problems}
    assert set(by_key) == {"policy.budget", "seed", "network.mean_degree", "residents.trust_mean"}
    assert by_key["seed"].reason == "not_a_number"
    assert "between 0 and" in by_key["policy.budget"].reason  # the validation's own words
    assert "finite" in by_key["network.mean_degree"].reason
    nl = controls.problem_message(by_key["seed"], "nl")
    en = controls.problem_message(by_key["policy.budget"], "en")
    assert nl == "Toevalsgetal (seed) (geheel getal): 'abc' is geen getal"
    assert en.startswith("Budget (EUR over the horizon): '-5' must be between 0 and")


def test_problem_message_shortens_long_values():
    msg = controls.problem_message(Problem("policy.budget", "9" * 500, "not_a_number"), "en")
    assert len(msg) < 120


def test_live_model_builds_from_controls_and_reports_problems():
    from sim.viz.live_model import LiveModel

    model = LiveModel(controls=lambda: {"world": "small", "policy.instruments": "subsidy", "policy.budget": "oops"})
    model.step()
    assert model.cfg.policy.instruments == ["subsidy"] and model.world.villages.n == 6
    assert [p.key for p in model.problems] == ["policy.budget"]
    assert LiveModel().cfg == load_config([])

"""The browser page's pure parts: texts, numbers in Dutch and English, the question and its
link and scenario file, the live settings, the map's fixed colours, the sentences."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from sim.config.compose import CONFIG_DIR, load_config
from sim.instruments.registry import instrument_names
from sim.state import ResidentState, Rogers, Stage
from sim.viz import controls, i18n, map_data, numbers, question as qmod, sentences
from sim.viz.question import Question, QuestionError, checked, from_query, to_query

VIZ = Path(qmod.__file__).parent


# --- texts ------------------------------------------------------------------------------------

def test_every_text_exists_in_both_languages():
    assert set(i18n.NL) == set(i18n.EN)
    assert set(i18n.TEXTS) == set(i18n.LANGUAGES)
    assert [k for k, v in i18n.NL.items() if not v] == []
    assert [k for k, v in i18n.EN.items() if not v] == []
    for key in i18n.NL:   # the same placeholders in both languages
        assert set(re.findall(r"{(\w+)}", i18n.NL[key])) == set(re.findall(r"{(\w+)}", i18n.EN[key])), key


def test_every_text_the_code_names_exists():
    used = set()
    for path in VIZ.glob("*.py"):
        used |= set(re.findall(r"""\btext\(\s*["']([a-z_][\w.]*)["']""", path.read_text(encoding="utf-8")))
    missing = sorted(k for k in used if k not in i18n.NL)
    assert missing == []


def test_texts_cover_everything_the_page_names():
    for name in instrument_names():      # an instrument's names come with it (the registry)
        assert i18n.text(f"instrument.{name}", "nl") != i18n.text(f"instrument.{name}", "en")
    needed = {f"rogers.{r.name.lower()}" for r in Rogers} | {f"stage.{s.name.lower()}" for s in Stage}
    needed |= {f"state.{s.name.lower()}" for s in ResidentState}
    needed |= {f"theme.{t}" for t in load_config([]).collectives.themes}
    needed |= {f"world.{w}" for w in qmod.worlds()} | {f"programme.{p}" for p in qmod.programmes()}
    needed |= {f"region.{w}" for w in qmod.worlds()}
    needed |= {f"channels.{n}" for n in instrument_names()}
    for s in controls.specs():
        needed |= {f"label.{s.key}", f"help.{s.key}", f"unit.{s.unit}"}
    assert sorted(needed - set(i18n.NL)) == []


# --- numbers ----------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, lang, expected", [
    ("1.500.000", "nl", 1_500_000), ("1,500,000", "nl", 1_500_000), ("1,500,000", "en", 1_500_000),
    ("1 500 000", "en", 1_500_000), ("1500000", "nl", 1_500_000), ("1,5 mln", "nl", 1_500_000),
    ("1.5 M", "en", 1_500_000), ("€ 1.500.000,00", "nl", 1_500_000), ("EUR 250k", "en", 250_000),
    ("0,35", "nl", 0.35), ("0.35", "nl", 0.35), ("1,500", "nl", 1.5), ("1,500", "en", 1500),
    ("1.500", "nl", 1500), ("1.500", "en", 1.5), ("2 miljoen", "nl", 2_000_000), (0.35, "nl", 0.35),
    ("-2,5", "nl", -2.5), ("1e3", "en", 1000),
])
def test_numbers_are_read_as_a_dutch_or_english_reader_writes_them(raw, lang, expected):
    assert numbers.parse(raw, lang) == pytest.approx(expected)


@pytest.mark.parametrize("raw", ["abc", "", "1,5.0", "1.50.000", "1..5", "inf", "nan", "1e400", "0x10", "5\n6",
                                 "\u0661\u0662", "1" * 60, None, True, [1], {"a": 1}, float("nan"), 10 ** 400,
                                 "${oc.env:HOME}", "1,5,0", "12 apples"])
def test_what_is_not_a_number_is_refused(raw):
    with pytest.raises(ValueError, match="not_a_number"):
        numbers.parse(raw, "nl")


def test_numbers_are_written_for_their_reader():
    assert (numbers.number(1_500_000, "nl"), numbers.number(1_500_000, "en")) == ("1.500.000", "1,500,000")
    assert (numbers.money(1.5e6, "nl"), numbers.money(1.5e6, "en")) == ("€ 1,5 mln", "EUR 1.5 M")
    assert (numbers.money(250_000, "nl"), numbers.money(1.25e6, "en")) == ("€ 250.000", "EUR 1.25 M")
    assert (numbers.pct(0.2234, "nl"), numbers.pct(0.5, "en", 1)) == ("22 %", "50.0 %")
    assert (numbers.pp(0.29, "nl"), numbers.pp(-0.01, "en")) == ("+29 procentpunt", "−1 percentage point")
    assert (numbers.plain(0.35, "nl"), numbers.signed(-3, "en"), numbers.pct(float("nan"), "nl")) == ("0,35", "−3", "–")
    for x in (0.1234, 1_500_000.0, 2.5):   # what the page writes, it reads back
        for lang in ("nl", "en"):
            assert numbers.parse(numbers.plain(x, lang, 4), lang) == pytest.approx(x)


# --- the question -----------------------------------------------------------------------------

def test_the_default_question_is_the_example_of_the_page():
    q = Question()
    assert (q.instruments, q.budget, q.years, q.world) == (("dialogue",), 1_500_000.0, 10, "province")
    cfg = q.config()
    assert (cfg.policy.instruments, cfg.policy.budget, cfg.months) == (["dialogue"], 1_500_000.0, 120)
    assert load_config(q.baseline_overrides()).policy.instruments == ["none"]


def test_a_question_takes_only_listed_names_and_checked_numbers():
    q = checked(instruments=["dialogue", "shareholding"], budget="2,5 mln", years="5", world="utrecht", lang="nl")
    assert (q.instruments, q.budget, q.years, q.world) == (("dialogue", "shareholding"), 2_500_000.0, 5, "utrecht")
    assert checked(programme="pilots_2019", world="utrecht").programme == "pilots_2019"
    bad = [dict(instruments=["sim.model.VillageModel"]), dict(instruments="subsidy,tender,prize,dialogue,shareholding"),
           dict(world="../../etc/passwd"), dict(world=["small"]), dict(programme="none"), dict(programme="../x"),
           dict(budget="-5"), dict(budget="abc"), dict(budget=float("inf")), dict(budget="2e12"), dict(years=7),
           dict(years="10.5"), dict(years=True), dict(instruments=[]), dict(instruments=[1])]
    for values in bad:
        with pytest.raises(QuestionError):
            checked(**values)
    with pytest.raises(QuestionError, match="villages_missing"):   # five pilot villages: the small region has six
        checked(programme="pilots_2019", world="small")
    assert checked(instruments=["none", "subsidy"]).instruments == ("subsidy",)


def test_a_link_restores_the_question_and_names_what_it_did_not_take():
    q = Question(("subsidy", "learning_network"), "", 900_000.0, 5, "small")
    link = qmod.Link(q, "en", "map", "village-002", "demo")
    back = from_query(to_query(link))
    assert back == link
    bad = from_query("instruments=dialogue&budget=lots&years=7&world=mars&lang=fr&view=admin&explore=../x&x=1")
    assert back.problems == () and set(bad.problems) == {"budget", "years", "world", "lang", "view", "explore"}
    assert bad.question == Question() and (bad.lang, bad.view, bad.explore) == ("nl", "answer", "")
    assert from_query(None) == qmod.Link(Question())
    assert from_query("programme=pilots_2019&world=utrecht").question.programme == "pilots_2019"


def test_a_programme_that_sets_its_own_budget_keeps_it():
    """municipalities_alone and the province's roles compare at equal cost (EUR 750,000 of the
    municipalities; the funder matches it, the broker adds as much): the page's budget field
    must not override that, and the sentence names the province's matching money."""
    from sim.viz import sentences

    for name, budget, cofunded in [("municipalities_alone", 7.5e5, 0.0), ("province_funder", 7.5e5, 7.5e5),
                                   ("province_room", 7.5e5, 0.0), ("province_broker", 1.5e6, 0.0)]:
        q = checked(programme=name, instruments=(), budget="3 mln", lang="nl")
        assert (q.budget, q.fixed_budget, q.cofunded) == (budget, True, cofunded), name
        assert q.config().policy.budget == budget and Question((), name).budget == budget
        assert from_query(f"programme={name}&budget=3000000").question.budget == budget
    q = checked(programme="pilots_2019", instruments=(), budget="3 mln", lang="nl")
    assert (q.budget, q.fixed_budget, q.config().policy.budget) == (3e6, False, 3e6)
    funder = Question((), "province_funder")
    assert sentences.money(funder, "nl") == "€ 750.000 van de gemeenten en € 750.000 van de provincie"
    assert sentences.money(funder, "en") == "EUR 750,000 from the municipalities and EUR 750,000 from the province"


@pytest.mark.parametrize("q", [Question(), Question(("subsidy", "learning_network"), "", 9e5, 5, "small"),
                               Question((), "pilots_2019", 2.5e6, 5, "utrecht"), Question(("none",), world="small"),
                               Question((), "province_funder", world="small")])
def test_the_scenario_file_gives_the_same_configuration(tmp_path, q):
    """`vliegwiel scenario=<name>` with the downloaded file in scenarios/: the same Config."""
    import shutil

    configs = tmp_path / "configs"
    shutil.copytree(CONFIG_DIR, configs, symlinks=False, ignore=shutil.ignore_patterns("scenario"))
    (configs / "scenario").mkdir()
    (configs / "scenario" / "default.yaml").write_text("# @package _global_\n", encoding="utf-8")
    (configs / "scenario" / f"{q.scenario_name()}.yaml").write_text(q.scenario_file(), encoding="utf-8")
    assert load_config([f"scenario={q.scenario_name()}"], config_dir=configs) == q.config()
    assert q.scenario_file().startswith("# @package _global_\n")


# --- the live model's settings ----------------------------------------------------------------

def test_live_settings_read_units_ranges_and_defaults_from_the_schema():
    default = load_config([])
    assert controls.spec("seed").integer and controls.spec("governments.attitude_mean").kind == "slider"
    assert controls.default_values("nl")["residents.trust_mean"] == numbers.plain(default.residents.trust_mean, "nl", 4)
    values, problems = controls.overrides_from_controls(
        {"seed": "7", "residents.trust_mean": "0,8", "network.mean_degree": "inf", "governments.attitude_mean": "3",
         "policy.budget": "1", "world.villages_file": "/etc/passwd"}, lang="nl")
    assert values == {"seed": 7, "residents.trust_mean": 0.8}
    assert {p.key for p in problems} == {"network.mean_degree", "governments.attitude_mean"}
    msg = controls.problem_message(next(p for p in problems if p.key == "governments.attitude_mean"), "nl")
    assert msg == "Houding van gemeenten (0 tot 1): '3' moet tussen 0 en 1 liggen"
    assert "is geen getal" in controls.problem_message(controls.Problem("seed", "x" * 500, "not_a_number"), "nl")


# --- the map's colours --------------------------------------------------------------------------

def test_the_map_colours_are_on_a_fixed_scale():
    assert map_data.colour(0.0) == map_data.colour(0.04) == map_data.SHARE_COLOURS[0]
    assert map_data.colour(0.95) == map_data.colour(1.0) == map_data.SHARE_COLOURS[-1]
    assert map_data.colour(0.25) == map_data.SHARE_COLOURS[3]
    assert map_data.colour(-0.5, diff=True) == map_data.DIFF_COLOURS[0]
    assert map_data.colour(0.0, diff=True) == map_data.DIFF_COLOURS[len(map_data.DIFF_COLOURS) // 2]
    assert map_data.colour(float("nan")) == "#dddddd"
    nl = [item["label"] for item in map_data.legend("nl")]
    assert nl[0] == "0–5 %" and nl[-1] == "≥ 60 %" and len(nl) == len(map_data.SHARE_COLOURS)


# --- sentences ----------------------------------------------------------------------------------

def test_names_for_readers():
    assert sentences.village_name("village-004", "nl") == "Dorp 5" and sentences.village_name("Maarn", "en") == "Maarn"
    assert sentences.policy_name(Question(("dialogue", "shareholding")), "nl") == \
        "dorpsdialoog en maatschappelijk aandeelhouderschap"
    assert sentences.input_label("residents.threshold_mean", "nl") == "de drempel om mee te doen"
    assert sentences.input_label("policy.subsidy.crowding", "en") == "subsidy: crowding-out of intrinsic motivation"
    assert sentences.plain("when residents.threshold_mean is over 0.2 and foo.bar_baz is 1", "en") == \
        "when the threshold for taking part is over 0.2 and foo.bar_baz is 1"
    assert [sentences.direction(d) for d in [(0.25, 0.18, 0.3), (-0.1, -0.2, -0.05), (0.05, -0.01, 0.1),
                                             (0.005, 0.001, 0.01), None]] == ["up", "down", "flat", "flat", "flat"]
    assert math.isnan(float("nan"))

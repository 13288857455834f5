"""The robust analysis as the page reads it (sim/viz/robust_contract.py), how sure the answer is
(sim/viz/sure.py) and the robust view's figures, from the fixture tests/fixtures/explore/demo."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from sim.viz import robust_contract as rc, robust_figures as rf, sure
from sim.viz.question import Question

FIXTURE = Path(__file__).parent / "fixtures" / "explore" / "demo"


@pytest.fixture
def explore(tmp_path) -> Path:
    root = tmp_path / "explore"
    shutil.copytree(FIXTURE, root / "demo")
    return root


def test_the_fixture_reads_whole():
    r = rc.read(FIXTURE)
    assert (r.worlds, r.replicates, r.baseline, r.policies) == (40, 2, "none", ["none", "dialogue", "subsidy"])
    row = r.row("dialogue", "participation_end")
    assert (row.beats.value, row.beats.lo, row.best.value, row.regret) == (0.85, 0.71, 0.8, (0.01, 0.03, 0.09))
    assert (row.level.value, row.level.lo, row.level.hi) == (0.5, 0.12, 0.8)
    assert r.outcome("participation_end").margin == 0.01 and r.outcome("months_to_16").better == -1
    assert [b.kind for b in r.boxes_for("dialogue", "participation_end")] == ["no_gain", "best"]
    assert r.figures == ["win_shares.png"] and r.has_report and r.overrides == [] and not r.newer


def test_only_direct_children_of_the_explore_folder_open(explore):
    assert rc.list_names(explore) == ["demo"]
    assert rc.open_named("demo", explore).name == "demo"
    (explore / "empty").mkdir()
    for name, reason in [("../demo", "robust.bad_name"), ("/etc", "robust.bad_name"), ("demo\n", "robust.bad_name"),
                         (None, "robust.bad_name"), (["demo"], "robust.bad_name"), ("nothere", "robust.not_found"),
                         ("empty", "robust.no_summary")]:
        with pytest.raises(rc.RobustError) as exc:
            rc.open_named(name, explore)
        assert exc.value.reason == reason, name
    r = rc.open_named("demo", explore)
    with pytest.raises(rc.RobustError):
        rc.file_bytes(r, "../summary.json")
    assert rc.file_bytes(r, "win_shares.png").startswith(b"\x89PNG")


@pytest.mark.parametrize("content, reason", [
    ("not json", "robust.unreadable"), ("[1, 2]", "robust.unreadable"), ("{}", "robust.old"),
    ('{"version": 0, "policies": ["none"]}', "robust.old"),
    ('{"outcomes": [{"name": "x"}], "robustness": {"none": {"x": {}}}}', None),
])
def test_a_missing_older_or_broken_summary_is_a_message_never_a_traceback(explore, content, reason):
    (explore / "demo" / "robustness" / "summary.json").write_text(content, encoding="utf-8")
    if reason is None:
        r = rc.open_named("demo", explore)   # only the bare minimum: every number missing, still shown
        assert r.row("none", "x").beats.value is None and r.worlds is None
        return
    with pytest.raises(rc.RobustError) as exc:
        rc.open_named("demo", explore)
    assert exc.value.reason == reason


def test_a_newer_version_with_odd_types_is_read_as_far_as_it_goes(explore):
    path = explore / "demo" / "robustness" / "summary.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data.update(version=9, worlds="forty", boxes=[{"policy": 3}, "x"], notes=[None, "ok"])
    data["robustness"]["dialogue"]["participation_end"]["beats_baseline"]["share"] = "85 %"
    path.write_text(json.dumps(data), encoding="utf-8")
    r = rc.open_named("demo", explore)
    assert r.newer and r.worlds is None and r.boxes == [] and r.notes == ["ok"]
    assert r.row("dialogue", "participation_end").beats.value is None
    for lang in ("nl", "en"):   # the figures draw what there is
        rf.shares_figure(r, "participation_end", lang)
        rf.levels_figure(r, "months_to_16", lang)


def test_how_sure_for_a_single_instrument_a_mix_and_without_an_analysis(explore):
    r = rc.open_named("demo", explore)
    s = sure.assess(Question(), r, "nl", 5, explore)
    assert s.lines[0].startswith("In 85 % van de 40 plausibele werelden (95 %-interval 71 % tot 93 %) doet dorpsdialoog")
    assert s.worlds == (0.12, 0.8, 0.5)                 # the analysis was made at the page's defaults: p5, p95, median
    assert s.fails and "de drempel om mee te doen boven 0,330" in s.fails[0] and "residents." not in s.fails[0]
    other = sure.assess(Question(budget=500_000.0), r, "en", 5, explore)
    assert other.worlds is None and any("read this as an indication" in x for x in other.lines)
    mix = sure.assess(Question(("dialogue", "subsidy")), r, "en", 5, explore)
    assert "gives no verdict on this mix of instruments" in mix.lines[0] and mix.worlds is None
    none = sure.assess(Question(), None, "nl", 5, explore)
    assert none.lines[0].startswith("Er is nog geen robuuste analyse") and "make run" in none.lines[0]
    assert sure.pick(None, explore).name == "demo" and sure.pick(None, explore / "nothing") is None


def test_how_sure_when_the_analysis_lacks_the_instrument_or_programme_or_is_of_another_model(explore):
    """An analysis made before the broker existed, without --mixes, or before the model (or its
    calibration) changed: said in words, naming `make run`, and no range over worlds beside the
    answer; a programme the analysis ran (--mixes: 'mix:<name>') is covered like an instrument."""
    r = rc.open_named("demo", explore)
    broker = sure.assess(Question(("broker",)), r, "nl", 5, explore)
    assert broker.lines == ["De robuuste analyse ‘demo’ bevat provincie als verbinder niet: ze is gemaakt zonder dit "
                            "instrument, of voordat het bestond. make run maakt haar opnieuw, met elk instrument."]
    assert broker.worlds is None
    programme = sure.assess(Question((), "province_broker"), r, "en", 5, explore)
    assert "has no runs of the programme" in programme.lines[0] and "make run ARGS=--mixes" in programme.lines[0]
    path = explore / "demo" / "robustness" / "summary.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["robustness"]["mix:province_broker"] = data["robustness"]["dialogue"]
    path.write_text(json.dumps(data), encoding="utf-8")
    covered = sure.assess(Question((), "province_broker"), rc.open_named("demo", explore), "en", 5, explore)
    assert covered.lines[0].startswith("In 85 % of 40 plausible worlds") and covered.worlds == (0.12, 0.8, 0.5)
    baseline = sure.assess(Question(("none",)), r, "en", 5, explore)
    assert baseline.lines[0] == "In 5 % of the 40 plausible worlds no instrument does better than doing nothing."
    for i in data["inputs"]:       # a new calibration moved a default: another model
        i["default"] *= 1.5
    path.write_text(json.dumps(data), encoding="utf-8")
    stale = rc.open_named("demo", explore)
    assert sure.other_model(stale) is True
    old = sure.assess(Question(), stale, "en", 5, explore)
    assert old.worlds is None and any("another version of the model" in x and "make run" in x for x in old.lines)
    (explore / "demo" / "ensemble.json").write_text('{"model_version": "0.0.1+000000000000"}', encoding="utf-8")
    assert rc.open_named("demo", explore).model_version == "0.0.1+000000000000"


def test_a_summary_written_by_the_exploration_itself_reads_through_the_contract(tmp_path):
    """Not only the fixture: vliegwiel-explore's own writer (on its toy function, in-process,
    with the programmes) makes the files the page reads; the page's names for a programme
    ('mix:<name>') are the exploration's; an analysis of a test function is never 'how sure'."""
    from sim.explore import cli
    from sim.instruments.registry import instrument_names
    from sim.version import model_version
    from sim.viz.question import programmes

    root = tmp_path / "explore"
    args = ["--function", "explore_toy", "--instruments", "none,subsidy,broker", "--mixes", "--executor", "serial",
            "--worlds", "8", "--dir", str(root / "toy")]
    assert cli.main(args) == 0
    r = rc.open_named("toy", root)
    assert not r.newer and r.version in rc.KNOWN_VERSIONS and (r.worlds, r.replicates) == (8, 2)
    assert r.policies[:3] == ["none", "subsidy", "broker"] and "broker" in instrument_names()
    assert {sure.policy_key(Question((), p)) for p in programmes()} <= set(r.policies)
    row = r.row("broker", "participation_end")
    assert None not in (row.beats.value, row.best.value, row.level.value, row.baseline_level.value, *row.regret)
    assert r.outcome("participation_end").margin is not None and r.has_report and "win_shares.png" in r.figures
    assert r.overrides == [] and r.function == "explore_toy" and r.model_version == model_version()
    assert sure.pick(None, root) is None                 # a test function: not an answer's "how sure"


def test_every_uncertain_input_has_plain_words_in_both_languages():
    """The robust analysis's sentences name the inputs by key (world.inspiration_founding ...);
    the page says them in words, so every parameter with a plausible range needs a label."""
    from sim.config import load_config
    from sim.config.params import iter_plausible
    from sim.viz import sentences

    keys = [key for key, *_ in iter_plausible(load_config([]))]
    assert len(keys) > 50
    missing = [k for k in keys if sentences.input_label(k, "nl") == k or sentences.input_label(k, "en") == k]
    assert missing == []
    line = "Broker wins when policy.broker.max_links is over 2.5 and world.inspiration_founding is under 1."
    assert sentences.plain(line, "en") == ("Broker wins when province as broker: links per collective is over 2.5 "
                                           "and the effect of inspiration on founding is under 1.")


def test_the_robust_table_for_download_has_no_p_values():
    table = rf.table(rc.read(FIXTURE), "participation_end")
    assert list(table["policy"]) == ["none", "dialogue", "subsidy"]
    assert not [c for c in table.columns if "p_value" in c or c.startswith("p_")]

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
    assert s.worlds == (0.12, 0.8)                      # the analysis was made at the page's defaults
    assert s.fails and "de drempel om mee te doen boven 0,330" in s.fails[0] and "residents." not in s.fails[0]
    other = sure.assess(Question(budget=500_000.0), r, "en", 5, explore)
    assert other.worlds is None and any("read this as an indication" in x for x in other.lines)
    mix = sure.assess(Question(("dialogue", "subsidy")), r, "en", 5, explore)
    assert "looks at instruments one at a time" in mix.lines[0]
    none = sure.assess(Question(), None, "nl", 5, explore)
    assert none.lines[0].startswith("Er is nog geen robuuste analyse")
    assert sure.pick(None, explore).name == "demo" and sure.pick(None, explore / "nothing") is None


def test_the_robust_table_for_download_has_no_p_values():
    table = rf.table(rc.read(FIXTURE), "participation_end")
    assert list(table["policy"]) == ["none", "dialogue", "subsidy"]
    assert not [c for c in table.columns if "p_value" in c or c.startswith("p_")]


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

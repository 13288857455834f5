"""docs/questions.py, the script behind README's "The province's questions": it covers the ten
questions of the programme (issue 12), each names a command of an existing scenario and
assumptions that are declared parameters, and its tables say what the report says."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from sim.config import load_config
from sim.config.params import iter_params

ROOT = Path(__file__).resolve().parents[1]
SPEC = importlib.util.spec_from_file_location("questions_doc", ROOT / "docs" / "questions.py")
Q = importlib.util.module_from_spec(SPEC)
sys.modules[SPEC.name] = Q          # dataclasses look their module up while it is executed
SPEC.loader.exec_module(Q)


def test_the_ten_questions_of_the_programme_are_covered_once_each():
    assert [q.number for q in Q.QUESTIONS] == list(range(1, 11))
    words = " ".join(q.en.lower() for q in Q.QUESTIONS)
    for topic in ("community power", "which instrument", "shareholding", "right to challenge", "village dialogues",
                  "dependence", "vulnerable", "across themes", "inspire locally", "early majority"):
        assert topic in words, topic
    for q in Q.QUESTIONS:
        assert q.nl and q.en and q.cannot and q.assumptions and q.commands


@pytest.mark.parametrize("q", Q.QUESTIONS, ids=lambda q: f"q{q.number}")
def test_each_question_names_commands_of_existing_scenarios(q):
    for key in q.commands:
        cmd = Q.COMMANDS[key]
        assert cmd.path.exists(), cmd.path
        assert cmd.text.startswith(".venv/bin/vliegwiel ") and f" scenario={cmd.scenario}" in cmd.text
        spec = yaml.safe_load(cmd.path.read_text(encoding="utf-8"))
        assert spec["hydra"]["mode"] == "MULTIRUN"                       # a comparison, with a report
        assert cmd.folder.relative_to(ROOT).parts[:2] == ("results", "comparisons")
        if "--baseline" in cmd.args:                                    # the named baseline is swept
            named = cmd.args[cmd.args.index("--baseline") + 1].split("=")[0]
            assert named in spec["hydra"]["sweeper"]["params"]


def test_every_command_is_used_and_every_folder_is_its_own():
    used = {k for q in Q.QUESTIONS for k in q.commands}
    assert used == set(Q.COMMANDS)
    folders = [c.folder for c in Q.COMMANDS.values()]
    assert len(set(folders)) == len(folders)


def test_assumptions_are_declared_parameters():
    declared = {k for k, _, _ in iter_params(load_config([]))}
    for q in Q.QUESTIONS:
        missing = [k for k in q.assumptions if k not in declared]
        assert not missing, f"question {q.number}: {missing}"
    text = Q.assumption("policy.dialogue.awareness")
    assert text.startswith("`policy.dialogue.awareness` = 0.1 1/month; plausible 0-0.2: EVIDENCE.md s3")
    assert "(calibrated: " in Q.assumption("adoption.max_join_rate")
    assert "no plausible range declared" in Q.assumption("network.mean_degree")


def _table() -> pd.DataFrame:
    rows = []
    for scen, mean, diff in (("none", 0.20, None), ("x", 0.25, 0.05)):
        rows.append({"stratum": "", "scenario": scen, "compared": scen, "metric": "participation_end", "n": 3,
                     "mean": mean, "lo": mean - 0.01, "hi": mean + 0.01, "diff": diff,
                     "diff_lo": None if diff is None else 0.02, "diff_hi": None if diff is None else 0.08,
                     "n_pairs": None if diff is None else 3})
    return pd.DataFrame(rows)


def test_grid_gives_the_baseline_level_and_the_others_paired_differences(tmp_path):
    res = Q.Result(tmp_path, _table())
    out = Q.grid(res, ["participation_end"], [("none", "none", ""), ("x", "x", "")]).split("\n")
    assert out[2] == "| none | 20.0 % [19.0 %, 21.0 %] |"
    assert out[3] == "| x | +5.0 pp [+2.0 pp, +8.0 pp] |"
    assert res.diff("x", "participation_end") == "+5.0 pp [+2.0 pp, +8.0 pp]"
    with pytest.raises(KeyError):
        res.row("y", "participation_end")


def test_blocks_are_replaced_and_the_text_around_them_kept():
    text = "a\n<!-- questions:start -->\nold\n<!-- questions:end -->\nb\n"
    assert Q.replace_block(text, "questions", "new") == "a\n<!-- questions:start -->\nnew\n<!-- questions:end -->\nb\n"
    with pytest.raises(SystemExit):
        Q.replace_block("no markers", "questions", "new")


def test_readme_and_questions_md_have_a_section_per_question():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- questions:start -->")[1].split("<!-- questions:end -->")[0]
    assert re.findall(r"^\*\*\((\d+)\) ", block, re.M) == [str(n) for n in range(1, 11)]
    for q in Q.QUESTIONS:
        assert f"docs/QUESTIONS.md#{q.anchor}" in block
        for key in q.commands:
            assert Q.COMMANDS[key].text in block
    full = (ROOT / "docs" / "QUESTIONS.md").read_text(encoding="utf-8")
    assert [f'<a id="q{n}"></a>' in full for n in range(1, 11)] == [True] * 10

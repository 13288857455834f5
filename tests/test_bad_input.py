"""Mistakes in the input: one line on stderr naming key, value and what is allowed; exit 2; nothing written.

Every case goes through `sim.cli.main` in this process (the console script is
`sys.exit(main())`); the cases marked `subprocess` also run the real `vliegwiel` script, as
subprocesses started together (each costs ~2 s of imports).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from sim.config import Config, iter_params
from sim.config.compose import CONFIG_DIR, groups
from sim.instruments.registry import instrument_names
from sim.rules.registry import adoption_rule_names

META = {key: meta for key, _, meta in iter_params(Config())}


def _range(key: str) -> str:
    """What validate says is allowed for a numeric key, from the schema's metadata."""
    lo, hi = META[key]["lo"], META[key]["hi"]
    return f"between {format(lo, '.12g')} and {format(hi, '.12g')}"


@dataclass(frozen=True)
class Case:
    id: str
    args: tuple[str, ...]
    expect: tuple[str, ...]          # substrings of the error line ({tmp} is the case's folder)
    pattern: str | None = None       # and a regex it must match
    subprocess: bool = False         # also run the real console script
    bug: str | None = None           # a known bug: the test is expected to fail (strict xfail)


CASES = [
    Case("unknown-group-option", ("network=foo",),
         ("network", "foo", "allowed", *groups(CONFIG_DIR)["network"])),
    Case("misspelt-key", ("world.n_vilages=3",),
         ("world.n_vilages", "3", "did you mean world.n_villages")),
    Case("misspelt-top-key", ("sead=3",),
         ("sead", "3", "did you mean seed")),
    Case("not-an-integer", ("world.n_villages=abc",),
         ("world.n_villages", "abc", "integer")),
    Case("float-for-integer", ("seed=1.5",),
         ("seed", "1.5", "integer")),
    Case("not-a-boolean", ("mechanisms.awareness=maybe",),
         ("mechanisms.awareness", "maybe", "true or false")),
    Case("negative-villages", ("world.n_villages=-3",),
         ("world.n_villages", "-3", _range("world.n_villages"))),
    Case("out-of-range-in-a-sweep", ("-m", "world.n_villages=3,-2"),
         ("world.n_villages", "-2", _range("world.n_villages")), subprocess=True),
    Case("probability-above-1", ("network.rewire_prob=1.5",),
         ("network.rewire_prob", "1.5", _range("network.rewire_prob"))),
    Case("negative-bass-p", ("adoption.bass_p=-0.1",),
         ("adoption.bass_p", "-0.1", _range("adoption.bass_p"))),
    Case("share-above-1", ("residents.share_vulnerable=2",),
         ("residents.share_vulnerable", _range("residents.share_vulnerable")),
         r"residents\.share_vulnerable=2(\.0)?\b"),
    Case("missing-edge-list", ("network=edge_list", "network.edge_list_file={tmp}/nope.txt"),
         ("network.edge_list_file", "{tmp}/nope.txt", "existing edge-list file")),
    Case("edge-index-out-of-range", ("world=small", "network=edge_list", "network.edge_list_file={tmp}/edges.txt"),
         ("network.edge_list_file", "{tmp}/edges.txt", "resident indices must lie in"),
         r"0\.\.\d+", subprocess=True),
    Case("villages-file-missing-columns", ("world=small", "world.villages_file={tmp}/villages.csv"),
         ("world.villages_file", "{tmp}/villages.csv", "municipality", "x_km", "y_km"), subprocess=True),
    Case("plus-new-key", ("+world.foo=3",),
         ("world.foo", "3", "unknown key", "n_villages")),
    Case("plus-existing-key", ("+world.n_villages=3",),
         ("+world.n_villages", "3", "drop the '+'")),
    Case("unknown-flag", ("--frobnicate",),
         ("--frobnicate", "unrecognized", "--help")),
    Case("unknown-adoption-rule", ("adoption.rule=magic",),
         ("adoption.rule", "magic", "allowed", *adoption_rule_names())),
    Case("unknown-instrument", ("policy.instruments=[subsidy,magic]",),
         ("policy.instruments", "magic", "allowed", *instrument_names())),
    Case("run-name-with-a-slash", ("world=small", "months=1", "output.plot=false", "output.name=a/b"),
         ("output.name", "a/b", "plain folder name")),
    Case("sweep-combination-out-of-range", ("-m", "residents.share_young=0.3,0.7", "residents.share_senior=0.2,0.5"),
         ("residents.share_senior", "0.5", "at most 1")),
    Case("sweep-range-out-of-range", ("-m", "network.rewire_prob=range(0.5,2.0,0.5)"),
         ("network.rewire_prob", "1.5", _range("network.rewire_prob"))),
    Case("sweep-interval", ("-m", "network.rewire_prob=interval(0,2)"),
         ("network.rewire_prob", "interval(0,2)", "range(")),
    Case("cfg-out-of-range", ("--cfg", "job", "seed=-1"),
         ("seed", "-1", _range("seed"))),
    Case("hydra-help-with-overrides", ("--hydra-help", "seed=3"),
         ("--hydra-help", "seed=3")),
    Case("config-dir", ("--config-dir", "{tmp}"),
         ("--config-dir", "{tmp}", "not supported")),
    Case("dict-value-with-a-misspelt-key", ("collectives.themes.energy={{revenu:1}}",),
         ("collectives.themes.energy.revenu", "1", "did you mean collectives.themes.energy.revenue")),
    Case("comma-list-without-multirun", ("seed=1,2",),
         ("seed=1,2", "-m")),
    Case("empty-output-dir", ("output.dir=",),
         ("output.dir", "must name a folder")),
    Case("sweep-pack-is-gone", ("sweep.pack=3",),
         ("sweep.pack=3", "gone", "hydra.launcher.batch")),
    Case("output-in-a-sweep", ("-m", "seed=1,2", "output.name=x"),
         ("output.name=x", "hydra.sweep.dir")),
    Case("world-too-large", ("world.n_villages=5000", "world.max_population=1000000"),
         ("world.n_villages", "5000", "at most")),
    Case("villages-file-short-row", ("world.villages_file={tmp}/short.csv",),
         ("world.villages_file", "{tmp}/short.csv", "integer population"), subprocess=True),
    Case("villages-file-not-finite", ("world.villages_file={tmp}/nan.csv",),
         ("world.villages_file", "{tmp}/nan.csv", "finite"), subprocess=True),
    Case("edge-list-not-utf8", ("network=edge_list", "network.edge_list_file={tmp}/binary.txt"),
         ("network.edge_list_file", "{tmp}/binary.txt", "UTF-8"), subprocess=True),
]


def _prepare(folder: Path) -> None:
    """Input files some cases point at (the names mentioned in CASES)."""
    folder.mkdir()
    # world=small has far fewer than 10**7 residents: the second tie is out of range
    (folder / "edges.txt").write_text("0 1\n1 2\n3 10000000\n", encoding="utf-8")
    (folder / "villages.csv").write_text("name,population\nAchterveld,400\nStoutenburg,300\n", encoding="utf-8")
    (folder / "short.csv").write_text("name,municipality,population,x_km,y_km\na,m,100,1\n", encoding="utf-8")
    (folder / "nan.csv").write_text("name,municipality,population,x_km,y_km\na,m,100,nan,1\n", encoding="utf-8")
    (folder / "binary.txt").write_bytes(b"\xff\xfe\x00 1")


def _args(case: Case, folder: Path) -> list[str]:
    """The case's arguments, writing (if anything) into folder/runs."""
    args = [a.format(tmp=folder) for a in case.args]
    if "-m" in args:
        return [*args, f"hydra.sweep.dir={folder}/runs"]
    return args if any(a.startswith("output.") for a in args) else [*args, f"output.dir={folder}/runs"]


def _check(case: Case, folder: Path, before: list[str], returncode: int, stderr: str) -> None:
    assert "Traceback" not in stderr, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got {len(lines)}:\n{stderr}"
    line = lines[0]
    assert line.startswith("vliegwiel: error: "), line
    for part in case.expect:
        assert part.format(tmp=folder) in line, f"{part.format(tmp=folder)!r} not in {line!r}"
    if case.pattern:
        assert re.search(case.pattern, line), f"{case.pattern!r} does not match {line!r}"
    assert returncode == 2, (returncode, stderr)
    assert not (folder / "runs").exists(), "a results folder was created"
    assert sorted(p.name for p in folder.iterdir()) == before, "something was written to the working directory"


def _params(cases: list[Case]) -> list:
    return [pytest.param(c, id=c.id, marks=[pytest.mark.xfail(strict=True, reason=c.bug)] if c.bug else [])
            for c in cases]


SUBPROCESS = [c for c in CASES if c.subprocess]


@pytest.mark.parametrize("case", _params(CASES))
def test_bad_input_main(case, tmp_path, monkeypatch, capsys):
    from sim.cli import main

    folder = tmp_path / case.id
    _prepare(folder)
    before = sorted(p.name for p in folder.iterdir())
    monkeypatch.chdir(folder)
    returncode = main(_args(case, folder))
    captured = capsys.readouterr()
    _check(case, folder, before, returncode, captured.err)


@pytest.fixture(scope="module")
def outcomes(cli, tmp_path_factory):
    """Start the subprocess cases at once; each in its own working directory and output.dir."""
    base = tmp_path_factory.mktemp("bad")
    started = {}
    for case in SUBPROCESS:
        folder = base / case.id
        _prepare(folder)
        before = sorted(p.name for p in folder.iterdir())
        started[case.id] = (folder, before, cli.start(_args(case, folder), cwd=folder))
    return {cid: (folder, before, cli.wait(proc)) for cid, (folder, before, proc) in started.items()}


@pytest.mark.parametrize("case", _params(SUBPROCESS))
def test_bad_input_console_script(case, outcomes):
    folder, before, r = outcomes[case.id]
    _check(case, folder, before, r.returncode, r.stderr)

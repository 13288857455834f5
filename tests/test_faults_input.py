"""Hostile and mistaken input to every command (fault suite, part 1: in this process).

Each case runs the command's main() in a scratch working directory holding a few prepared
input files, and asserts what a user must get: exit status 2, exactly one line on stderr
that starts with the command's name and names what is wrong, no traceback, and nothing
written (the scratch folder holds what it held before). The vliegwiel command's own cases
are in tests/test_bad_input.py; the kill, signal and full-disk cases in
tests/test_faults_process.py and tests/test_faults_disk.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

PI = "3.141592653589793"


@dataclass(frozen=True)
class Case:
    id: str
    command: str            # vliegwiel, vliegwiel-collect, -sensitivity, -calibrate, -validate
    args: tuple[str, ...]   # {tmp} is the scratch folder
    expect: tuple[str, ...]  # substrings of the one error line


def _main(command: str):
    if command == "vliegwiel":
        from sim.cli import main
    elif command == "vliegwiel-collect":
        from sim.cli.collect import main
    elif command == "vliegwiel-sensitivity":
        from sim.sensitivity.cli import main
    elif command == "vliegwiel-calibrate":
        from sim.calibrate.cli import main
    else:
        from sim.validate.cli import main
    return main


TWO = ("--param", "adoption.w_social=0.5:1.5", "--param", "adoption.w_trust=0:1")
S = "vliegwiel-sensitivity"
C = "vliegwiel-calibrate"
V = "vliegwiel-validate"
K = "vliegwiel-collect"
CASES = [
    # vliegwiel: what tests/test_bad_input.py does not already cover
    Case("cfg-with-a-sweep-and-no-m", "vliegwiel", ("--cfg", "job", "seed=1,2"), ("seed=1,2", "-m")),
    Case("info-bad-override", "vliegwiel", ("--info", "-m", "world=nowhere"), ("world", "nowhere", "allowed")),
    Case("cfg-bad-package", "vliegwiel", ("--cfg", "job", "--package", "no.such"), ("--package no.such",)),
    Case("package-without-cfg", "vliegwiel", ("--package", "world",), ("--package world", "--cfg")),
    Case("baseline-without-equals", "vliegwiel", ("-m", "seed=1,2", "--baseline", "none"), ("--baseline none", "KEY=VALUE")),
    Case("sweep-too-large", "vliegwiel", ("-m", "replicate=range(0,1000000000)"), ("1,000,000,000", "at most")),
    Case("sweep-range-step-zero", "vliegwiel", ("-m", "seed=range(0,5,0)"), ("step other than 0",)),
    Case("sweep-glob", "vliegwiel", ("-m", "world=glob(*)"), ("glob() are not supported",)),
    Case("launcher-unknown", "vliegwiel", ("-m", "seed=1,2", "hydra/launcher=nope"), ("nope",)),
    Case("launcher-bad-setting", "vliegwiel", ("-m", "seed=1,2", "+hydra.launcher.partition=x"), ("hydra.launcher",)),
    Case("sweep-into-unwritable", "vliegwiel", ("-m", "seed=1,2", "hydra.sweep.dir={tmp}/plain.txt/sub"),
         ("hydra.sweep.dir", "cannot create or write")),
    Case("run-into-unwritable", "vliegwiel", ("world=small", "output.dir={tmp}/plain.txt/sub"),
         ("output.dir", "cannot create or write")),
    Case("run-into-a-file", "vliegwiel", ("world=small", "output.dir={tmp}/plain.txt"),
         ("output.dir", "cannot create or write")),
    Case("interpolation", "vliegwiel", ("seed=${{months}}",), ("seed", "interpolations are not supported")),
    Case("delete-a-key", "vliegwiel", ("~seed",), ("~seed", "cannot be deleted")),
    Case("key-with-a-space", "vliegwiel", ("a b=1",), ("cannot read this override",)),
    Case("no-equals", "vliegwiel", ("seed",), ("seed", "KEY=VALUE")),
    Case("nan-value", "vliegwiel", ("adoption.w_social=nan",), ("adoption.w_social", "finite")),
    Case("inf-value", "vliegwiel", ("policy.budget=inf",), ("policy.budget", "finite")),
    Case("huge-int", "vliegwiel", ("seed=99999999999999999999",), ("seed", "between 0 and")),
    Case("list-for-a-number", "vliegwiel", ("months=[1,2]",), ("months", "an integer")),
    Case("number-for-a-list", "vliegwiel", ("policy.instruments=3",), ("policy.instruments", "expected a list")),
    Case("villages-out-of-range", "vliegwiel", ("policy.instruments=[dialogue]", "policy.dialogue.villages=[99]"),
         ("policy.dialogue.villages", "99")),
    Case("stop-before-start", "vliegwiel", ("policy.stop_month=0",), ("policy.stop_month", "after")),
    Case("unknown-scenario", "vliegwiel", ("scenario=nope",), ("scenario", "nope", "compare_instruments")),
    Case("villages-file-too-many-residents", "vliegwiel", ("world.villages_file={tmp}/big.csv",),
         ("world.villages_file", "5,000,000")),
    Case("ties-too-many", "vliegwiel", ("world.n_villages=400", "world.max_population=10000", "network.mean_degree=500"),
         ("network.mean_degree", "ties")),
    # vliegwiel-collect
    Case("collect-no-folder", K, (), ("the following arguments are required: folder",)),
    Case("collect-missing", K, ("{tmp}/nothing",), ("not an ensemble folder",)),
    Case("collect-a-file", K, ("{tmp}/plain.txt",), ("not an ensemble folder",)),
    Case("collect-empty-runs", K, ("{tmp}/emptysweep",), ("no finished or failed runs",)),
    Case("collect-only-garbage", K, ("{tmp}/garbage",), ("no finished or failed runs", "unreadable")),
    Case("collect-bad-flag", K, ("{tmp}/emptysweep", "--frobnicate"), ("unrecognized arguments: --frobnicate",)),
    # vliegwiel-sensitivity
    Case("sens-one-param", S, ("--param", "adoption.w_social=0:1"), ("at least two",)),
    Case("sens-method", S, ("--method", "fast", *TWO), ("--method", "invalid choice")),
    Case("sens-n-text", S, ("--n", "many", *TWO), ("--n", "invalid int value")),
    Case("sens-n-huge", S, ("--n", "10000000", *TWO), ("--n",)),
    Case("sens-replicates-zero", S, ("--replicates", "0", *TWO), ("--replicates 0",)),
    Case("sens-seed-negative", S, ("--seed", "-5", *TWO), ("--seed -5",)),
    Case("sens-param-no-range", S, ("--param", "adoption.w_social", "--param", "adoption.w_trust=0:1"), ("KEY=LOW:HIGH",)),
    Case("sens-param-unknown", S, ("--param", "adoption.w_socal=0:1", "--param", "adoption.w_trust=0:1"),
         ("adoption.w_socal", "did you mean adoption.w_social")),
    Case("sens-param-bool", S, ("--param", "mechanisms.trust=0:1", "--param", "adoption.w_trust=0:1"),
         ("mechanisms.trust", "true or false")),
    Case("sens-param-inf", S, ("--param", "adoption.w_social=0:inf", "--param", "adoption.w_trust=0:1"),
         ("adoption.w_social",)),
    Case("sens-param-twice", S, ("--param", "adoption.w_trust=0:0.5", "--param", "adoption.w_trust=0:1"),
         ("given twice",)),
    Case("sens-metric-unknown", S, ("--metric", "happiness", *TWO), ("--metric happiness", "participation_end")),
    Case("sens-override-typo", S, (*TWO, "wrold=small"), ("wrold", "did you mean world")),
    Case("sens-dir-unwritable", S, (*TWO, "--dir", "{tmp}/plain.txt/out"), ("--dir", "cannot create or write")),
    Case("sens-dir-other-design", S, (*TWO, "--dir", "{tmp}/otherdesign"), ("holds another design",)),
    Case("sens-executor-unknown", S, (*TWO, "--executor", "mpi"), ("--executor", "invalid choice")),
    Case("sens-executor-option", S, (*TWO, "--executor-option", "nonsense"), ("--executor-option nonsense", "KEY=VALUE")),
    Case("sens-executor-setting", S, (*TWO, "--executor-option", "partition=x"), ("--executor-option",)),
    Case("sens-workers-negative", S, (*TWO, "--workers", "-2"), ("--workers -2",)),
    Case("sens-function-params", S, ("--function", "ishigami", "--metric", "ishigami", *TWO), ("x1, x2, x3",)),
    Case("sens-function-metric", S, ("--function", "ishigami", *(f"--param=x{i}=-{PI}:{PI}" for i in (1, 2, 3))),
         ("--metric participation_end", "ishigami")),
    # vliegwiel-calibrate
    Case("cal-population", C, ("--population", "1000000000"), ("--population",)),
    Case("cal-replicates-zero", C, ("--replicates", "0"), ("--replicates",)),
    Case("cal-forecast-years", C, ("--forecast-years", "-1"), ("--forecast-years",)),
    Case("cal-forecast-draws", C, ("--forecast-draws", "1"), ("--forecast-draws 1",)),
    Case("cal-min-epsilon", C, ("--min-epsilon", "-1"), ("--min-epsilon -1",)),
    Case("cal-villages", C, ("--villages", "0"), ("--villages 0",)),
    Case("cal-fit-until-early", C, ("--fit-until", "2010"), ("--fit-until 2010", "at least 4")),
    Case("cal-fit-until-late", C, ("--fit-until", "2030"), ("--fit-until 2030",)),
    Case("cal-param-int", C, ("--param", "collectives.founders=2:8"), ("not a real-valued parameter",)),
    Case("cal-param-syntax", C, ("--param", "collectives.initial_share"), ("--param", "KEY=LOW:HIGH")),
    Case("cal-param-log-zero", C, ("--param", "adoption.aware_base=log:0:1"), ("--param", "log")),
    Case("cal-param-twice", C, ("--param", "collectives.initial_share=0:0.1", "--param",
                                "collectives.initial_share=0:0.2"), ("each parameter once",)),
    Case("cal-param-out-of-range", C, ("--param", "collectives.initial_share=0:2"), ("collectives.initial_share",)),
    Case("cal-months-override", C, ("months=12",), ("months=12", "set by vliegwiel-calibrate")),
    Case("cal-villages-override", C, ("world.n_villages=12",), ("world.n_villages=12", "--villages")),
    Case("cal-hydra-override", C, ("hydra.sweep.dir=x",), ("hydra.sweep.dir=x", "KEY=VALUE")),
    Case("cal-seed", C, ("--seed", "-1"), ("--seed",)),
    Case("cal-dir-unwritable", C, ("--dir", "{tmp}/plain.txt/cal"), ("--dir", "cannot create or write")),
    Case("cal-dir-other", C, ("--dir", "{tmp}/othercal"), ("holds another calibration",)),
    Case("cal-bad-flag", C, ("--particels", "4"), ("unrecognized arguments: --particels",)),
    # vliegwiel-validate
    Case("val-unknown-check", V, ("--only", "nope"), ("--only nope", "no such check")),
    Case("val-seed-huge", V, ("--seed", "99999999999999"), ("--seed 99999999999999", "between 0 and")),
    Case("val-seed-negative", V, ("--seed", "-1"), ("--seed -1",)),
    Case("val-seed-text", V, ("--seed", "one"), ("--seed", "invalid int value")),
    Case("val-out-unwritable", V, ("--out", "{tmp}/plain.txt/val"), ("--out", "cannot")),
    Case("val-bad-flag", V, ("--fastest",), ("unrecognized arguments: --fastest",)),
]


def _prepare(tmp: Path) -> None:
    """The files the cases point at."""
    (tmp / "plain.txt").write_text("not a folder\n", encoding="utf-8")
    (tmp / "emptysweep" / "runs").mkdir(parents=True)
    (tmp / "garbage" / "runs").mkdir(parents=True)
    (tmp / "garbage" / "runs" / "0123456789abcdef.parquet").write_bytes(b"PAR1 not really")
    (tmp / "otherdesign").mkdir()
    (tmp / "otherdesign" / "sensitivity.json").write_text('{"method": "morris"}\n', encoding="utf-8")
    (tmp / "othercal").mkdir()
    (tmp / "othercal" / "calibration.json").write_text('{"particles": 3}\n', encoding="utf-8")
    (tmp / "binary.csv").write_bytes(b"\xff\xfe\x00\x01 not text")
    years = "year,n\n2001,1\n2002,2\n2003,3\n2004,5\n"
    (tmp / "inf.csv").write_text(years.replace("2004,5", "2004,inf"), encoding="utf-8")
    (tmp / "gap.csv").write_text("year,n\n2001,1\n2002,2\n2004,3\n2005,5\n", encoding="utf-8")
    (tmp / "huge.csv").write_text(years.replace("2004,5", "2004,1e300"), encoding="utf-8")
    (tmp / "down.csv").write_text(years.replace("2003,3", "2003,0.5"), encoding="utf-8")
    rows = "".join(f"v{i},m,1000000,0,0\n" for i in range(6))
    (tmp / "big.csv").write_text("name,municipality,population,x_km,y_km\n" + rows, encoding="utf-8")


def _tree(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_bad_input_gives_one_line_exit_2_and_writes_nothing(case, tmp_path, monkeypatch, capsys):
    _prepare(tmp_path)
    before = _tree(tmp_path)
    monkeypatch.chdir(tmp_path)
    code = _main(case.command)([a.format(tmp=tmp_path) for a in case.args])
    err = capsys.readouterr().err
    assert "Traceback" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, f"expected one line on stderr:\n{err}"
    assert lines[0].startswith(f"{case.command}: error: "), lines[0]
    for part in case.expect:
        assert part.format(tmp=tmp_path) in lines[0], f"{part!r} not in {lines[0]!r}"
    assert code == 2, (code, err)
    assert _tree(tmp_path) == before, "something was written"

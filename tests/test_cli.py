"""The real `vliegwiel` command end to end (subprocesses, run from a scratch working directory)."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
from importlib import metadata
from pathlib import Path

import pandas as pd
import pytest

from sim.config import Config, iter_params, load_config, validate
from sim.cli.run_folder import read_config_yaml
from sim.config.compose import CONFIG_DIR, groups
from sim.recorder import REGION_COLUMNS, VILLAGE_COLUMNS
from sim.state import Rogers, Stage
from sim.themes import ThemeTable

ROOT = Path(__file__).resolve().parents[1]
MONTHS = 24
RUN_FILES = {
    "config.yaml", "manifest.json", "region.parquet", "village.parquet", "rogers.parquet",
    "collectives.parquet", "collectives_final.parquet", "residents_final.parquet", "village_collectives.parquet", "adoption_by_rogers.png",
}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _head() -> str:
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()


def _names(folder):
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture(scope="module")
def cli_runs(cli, tmp_path_factory):
    """Start the independent runs together (each costs ~3 s), then a second run with a taken name.

    The first run named foo goes through `python -m sim.cli` (the make-free path), the second,
    with the same name, through the console script.
    """
    base = tmp_path_factory.mktemp("cli")
    head_before = _head()
    cwd = {k: base / k for k in ("main", "help", "named")}
    for d in cwd.values():
        d.mkdir()
    named = ["world=small", "months=3", "output.name=foo", "output.plot=false", f"output.dir={cwd['named'] / 'runs'}"]
    started = {
        "main": cli.start(["world=small", f"months={MONTHS}", f"output.dir={cwd['main'] / 'runs'}"], cwd["main"]),
        "help": cli.start(["--help"], cwd["help"]),
        "module": cli.start(named, cwd["named"], module=True),
    }
    res = {"module": cli.wait(started.pop("module"))}
    second = cli.start(named, cwd["named"])  # while the others still run
    res.update({k: cli.wait(v) for k, v in started.items()})
    res["named2"] = cli.wait(second)
    res["heads"] = {head_before, _head()}  # the commit the runs saw (someone may commit meanwhile)
    return cwd, res


@pytest.fixture(scope="module")
def main_run(cli_runs):
    cwd, res = cli_runs
    r = res["main"]
    assert r.returncode == 0, r.stderr
    return cwd["main"], r


@pytest.fixture(scope="module")
def run_folder(main_run):
    cwd, _ = main_run
    visible = [p for p in (cwd / "runs").iterdir() if not p.name.startswith(".")]
    assert len(visible) == 1, _names(cwd / "runs")
    return visible[0]


# --- one run --------------------------------------------------------------------------------

def test_run_exits_0_and_names_its_folder(main_run, run_folder):
    _, r = main_run
    assert r.returncode == 0
    assert "Traceback" not in r.stderr
    assert str(run_folder) in r.stdout


def test_run_creates_exactly_one_folder_and_nothing_else(main_run):
    cwd, _ = main_run
    runs = _names(cwd / "runs")
    assert len(runs) == 1, runs
    assert not runs[0].startswith("."), f"only a hidden (partial) folder was left: {runs}"
    assert ".partial-" not in runs[0]
    # Hydra must not litter the working directory (outputs/, .hydra/, multirun.yaml, logs)
    assert _names(cwd) == ["runs"]


def test_run_folder_holds_every_output_file(run_folder):
    names = set(_names(run_folder))
    assert RUN_FILES <= names, f"missing: {sorted(RUN_FILES - names)}"
    leftovers = [n for n in names if n.startswith(".") or ".tmp" in n or "partial" in n]
    assert not leftovers


def test_figure_is_a_png(run_folder):
    data = (run_folder / "adoption_by_rogers.png").read_bytes()
    assert data[:8] == PNG_SIGNATURE
    assert len(data) > 1000


def test_manifest(run_folder, cli_runs):
    m = json.loads((run_folder / "manifest.json").read_text(encoding="utf-8"))
    assert m["seed"] == Config().seed
    assert m["months"] == MONTHS
    assert m["packages"]["mesa"] == metadata.version("mesa")
    for pkg in ("numpy", "pandas", "hydra-core"):
        assert m["packages"][pkg] == metadata.version(pkg)
    assert re.fullmatch(r"[0-9a-f]{40}", m["git"]["commit"])
    assert m["git"]["commit"] in cli_runs[1]["heads"]
    assert isinstance(m["git"]["dirty"], bool)
    # a checksum of every other file in the folder, and each one right
    others = {n for n in _names(run_folder) if n != "manifest.json"}
    assert set(m["files"]) == others
    for name, digest in m["files"].items():
        assert hashlib.sha256((run_folder / name).read_bytes()).hexdigest() == digest, name


def test_config_yaml_round_trips(run_folder, main_run):
    cwd, _ = main_run
    back = read_config_yaml(run_folder / "config.yaml")
    assert back.seed == Config().seed
    assert back.months == MONTHS
    assert back.world.n_villages == 6  # world=small
    assert back == load_config(["world=small", f"months={MONTHS}"])


def test_region_table(run_folder):
    df = pd.read_parquet(run_folder / "region.parquet")
    assert list(df.columns) == ["month", *REGION_COLUMNS]
    assert df["month"].tolist() == list(range(MONTHS + 1))
    assert df["residents"].nunique() == 1 and df["residents"].iloc[0] > 0
    assert df["participation_share"].between(0, 1).all()


def test_village_table(run_folder):
    df = pd.read_parquet(run_folder / "village.parquet")
    assert list(df.columns) == ["month", "village", "municipality", "population", *VILLAGE_COLUMNS]
    assert sorted(df["month"].unique()) == list(range(MONTHS + 1))
    assert (df.groupby("month").size() == 6).all()
    assert all(v == list(range(6)) for v in df.groupby("month")["village"].apply(list))
    region = pd.read_parquet(run_folder / "region.parquet")
    assert df.loc[df["month"] == 0, "population"].sum() == region["residents"].iloc[0]


def test_rogers_table(run_folder):
    df = pd.read_parquet(run_folder / "rogers.parquet")
    assert list(df.columns) == ["month", "category", "residents", "participating", "participation_share",
                                "share_of_participants"]
    assert sorted(df["month"].unique()) == list(range(MONTHS + 1))
    cats = [r.name.lower() for r in Rogers]
    assert all([str(c) for c in v] == cats for v in df.groupby("month")["category"].apply(list))
    region = pd.read_parquet(run_folder / "region.parquet")
    per_month = df.groupby("month")["participating"].sum().to_numpy()
    assert (per_month == (region["members"] + region["core"]).to_numpy()).all()


def test_collectives_tables(run_folder):
    themes = ThemeTable.from_config(Config().collectives.themes).names
    df = pd.read_parquet(run_folder / "collectives.parquet")
    assert list(df.columns) == ["month", "theme", "stage", "count"]
    assert sorted(df["month"].unique()) == list(range(MONTHS + 1))
    assert (df.groupby("month").size() == len(themes) * len(Stage)).all()
    region = pd.read_parquet(run_folder / "region.parquet")
    founded = df.groupby("month")["count"].sum().to_numpy()
    assert (founded == region["collectives_founded"].to_numpy()).all()
    final = pd.read_parquet(run_folder / "collectives_final.parquet")
    assert final.columns[0] == "collective"
    assert {"theme", "stage", "village"} <= set(final.columns)
    assert len(final) == region["collectives_founded"].iloc[-1]
    assert final["collective"].tolist() == list(range(len(final)))


# --- python -m sim.cli, run folder names ----------------------------------------------------

def test_python_m_sim_cli(cli_runs):
    cwd, res = cli_runs
    r = res["module"]
    assert r.returncode == 0, r.stderr
    assert r.args[1:3] == ["-m", "sim.cli"]
    folder = cwd["named"] / "runs" / "foo"
    assert str(folder) in r.stdout
    assert RUN_FILES - {"adoption_by_rogers.png"} <= set(_names(folder))
    region = pd.read_parquet(folder / "region.parquet")
    assert region["month"].tolist() == [0, 1, 2, 3]


def test_output_name_and_a_second_run_with_the_same_name(cli_runs):
    cwd, res = cli_runs
    for key in ("module", "named2"):
        assert res[key].returncode == 0, res[key].stderr
    runs = cwd["named"] / "runs"
    assert _names(runs) == ["foo", "foo-2"]  # no hidden partial folders either
    assert str(runs / "foo") in res["module"].stdout
    assert str(runs / "foo-2") in res["named2"].stdout
    for name in ("foo", "foo-2"):
        assert (runs / name / "manifest.json").is_file()
        assert (runs / name / "region.parquet").is_file()
        assert not (runs / name / "adoption_by_rogers.png").exists()  # output.plot=false
    # the first folder is still whole after the second run
    first = json.loads((runs / "foo" / "manifest.json").read_text(encoding="utf-8"))
    assert set(first["files"]) == set(_names(runs / "foo")) - {"manifest.json"}


# --- --help --------------------------------------------------------------------------------

def test_help_lists_every_parameter_with_its_unit(cli_runs):
    _, res = cli_runs
    r = res["help"]
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    params = list(iter_params(load_config([])))
    assert len(params) > 50
    missing = []
    for key, _value, meta in params:
        line = re.compile(rf"^\s+{re.escape(key)} = .*\[{re.escape(meta['unit'])}\]", re.MULTILINE)
        if not line.search(r.stdout):
            missing.append(key)
    assert not missing, f"--help does not list (with unit): {missing}"


def test_help_lists_groups_and_options(cli_runs):
    _, res = cli_runs
    out = res["help"].stdout
    for group, options in groups(CONFIG_DIR).items():
        line = re.search(rf"^\s+{re.escape(group)}\s+(.*)$", out, re.MULTILINE)
        assert line, group
        assert set(line.group(1).split(", ")) == set(options)


def test_help_writes_nothing(cli_runs):
    cwd, _ = cli_runs
    assert _names(cwd["help"]) == []


def test_a_sweep_reports_against_the_baseline_it_is_given(cli, tmp_path):
    """`--baseline KEY=VALUE` reaches the report (it was checked, then dropped): two swept
    values are "none" here, so without it the report would have no differences at all."""
    out = tmp_path / "sweep"
    res = cli.run(["--baseline", "policy.instruments=[none]", "-m", "policy.instruments=[none],[dialogue]",
                   "programme=none,subsidy_learning", "world=small", "months=6", "replicate=0",
                   f"hydra.sweep.dir={out}", "hydra/launcher=serial"], cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert json.loads((out / "ensemble.json").read_text())["baseline"] == "policy.instruments=[none]"
    report = (out / "report" / "report.md").read_text()
    assert "Baseline: **policy.instruments=[none]**" in report and "## Effects" in report

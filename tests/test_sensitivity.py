"""Sensitivity analysis through the experiment layer: SALib recovers the known Sobol indices
of the Ishigami function (Ishigami & Homma 1990), and a Morris screening runs the model."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from sim import load_config
from sim.config import apply_overrides
from sim.errors import ConfigError
from sim.experiments.testfunctions import ishigami, ishigami_indices
from sim.sensitivity.cli import main as sensitivity

PI = repr(math.pi)


def test_ishigami_by_hand():
    assert ishigami(0.0, 0.0, 0.0) == 0.0
    assert ishigami(math.pi / 2, math.pi / 2, 1.0) == pytest.approx(1 + 7 + 0.1)
    known = ishigami_indices()
    assert known["S1"] == pytest.approx([0.3139, 0.4424, 0.0], abs=1e-4)     # Saltelli et al. (2008)
    assert known["ST"] == pytest.approx([0.5576, 0.4424, 0.2437], abs=1e-4)


def test_design_values_set_parameters_like_overrides():
    base = load_config(["world=small"])
    row = {"adoption.w_social": 0.7, "collectives.founders": 4.0, "mechanisms.trust": False}
    cfg = apply_overrides(base, row)
    assert (cfg.adoption.w_social, cfg.collectives.founders, cfg.mechanisms.trust) == (0.7, 4, False)
    assert cfg == load_config(["world=small", "adoption.w_social=0.7", "collectives.founders=4", "mechanisms.trust=false"])
    assert base.adoption.w_social == 1.0                       # the base is not changed
    with pytest.raises(ConfigError, match="collectives.founders=4.5: expected an integer"):
        apply_overrides(base, {"collectives.founders": 4.5})
    with pytest.raises(ConfigError, match="collectives.founders=x: expected an integer"):
        apply_overrides(base, {"collectives.founders": "x"})


def test_sobol_through_the_machinery_recovers_the_ishigami_indices(tmp_path, capsys):
    folder = tmp_path / "ishigami"
    args = ["--method", "sobol", "--n", "256", "--metric", "ishigami", "--dir", str(folder), "--function", "ishigami",
            *(f"--param=x{i}=-{PI}:{PI}" for i in (1, 2, 3)), "--executor", "serial"]
    assert sensitivity(args) == 0, capsys.readouterr().err
    metrics = pd.read_parquet(folder / "metrics.parquet")
    assert len(metrics) == 256 * 5 and metrics["run"].is_unique       # N (D + 2) runs, each once
    table = pd.read_csv(folder / "sensitivity" / "indices.csv").set_index("parameter")
    known = ishigami_indices()
    for i, name in enumerate(("x1", "x2", "x3")):
        for index in ("S1", "ST"):
            estimate, half = table.loc[name, index], table.loc[name, f"{index}_conf"]
            assert abs(estimate - known[index][i]) <= half, (name, index, estimate, half)
    assert list(table["ST"].sort_values(ascending=False).index) == ["x1", "x2", "x3"]
    assert (folder / "sensitivity" / "indices.png").stat().st_size > 0
    assert "| x1 |" in (folder / "sensitivity" / "indices.md").read_text()


def test_morris_screening_of_the_model(tmp_path, capsys):
    folder = tmp_path / "morris"
    args = ["--method", "morris", "--n", "4", "--metric", "participation_end", "--dir", str(folder),
            "--param", "adoption.w_social=0.5:1.5", "--param", "collectives.founding_rate=0.005:0.02",
            "world=small", "months=24", "--executor", "serial"]
    assert sensitivity(args) == 0, capsys.readouterr().err
    table = pd.read_csv(folder / "sensitivity" / "indices.csv")
    assert list(table["parameter"]) == ["adoption.w_social", "collectives.founding_rate"]
    assert (table["mu_star"] >= 0).all() and table["mu_star_conf"].notna().all()
    metrics = pd.read_parquet(folder / "metrics.parquet")
    assert len(metrics) == 4 * 3                                                     # N (D + 1)
    assert sensitivity(args) == 0                                                    # resumes: nothing to run
    assert "already done" in (err := capsys.readouterr().err) and "running the other 0" in err
    assert pd.read_parquet(folder / "metrics.parquet").equals(metrics)


@pytest.mark.parametrize(("args", "expect"), [
    (["--param", "adoption.w_social=1:0.5", "--param", "x=0:1"], "LOW < HIGH"),
    (["--param", "adoption.w_social=0:1", "--param", "collectives.founding_rate=0:7"], "collectives.founding_rate"),
    (["--param", "adoption.w_social=0:1", "--param", "adoption.w_social=0:2"], "given twice"),
    (["--param", "adoption.w_social=0:1", "--param", "adoption.w_trust=0:1", "--metric", "nope"], "--metric nope"),
    (["--param", "adoption.w_social=0:1", "--param", "adoption.w_trust=0:1", "--n", "0"], "--n 0"),
    (["--param", "adoption.w_social=0:inf", "--param", "adoption.w_trust=0:1"], "adoption.w_social"),
    (["--param", "adoption.w_social=0:1", "--param", "adoption.w_trust=0:1", "--workers", "-3"], "--workers"),
])
def test_bad_sensitivity_input_exits_2_and_writes_nothing(args, expect, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert sensitivity([*args, "--dir", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and expect in err[0] and "Traceback" not in err[0], err
    assert not (tmp_path / "out").exists() and list(tmp_path.iterdir()) == []

"""Sensitivity analysis through the sweep machinery: SALib recovers the known Sobol indices
of the Ishigami function (Ishigami & Homma 1990), and a Morris screening runs the model."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from sim import load_config
from sim.config.compose import with_design_row
from sim.errors import ConfigError
from sim.sensitivity.testfunctions import ishigami, ishigami_indices

PI = repr(math.pi)


def test_ishigami_by_hand():
    assert ishigami(0.0, 0.0, 0.0) == 0.0
    assert ishigami(math.pi / 2, math.pi / 2, 1.0) == pytest.approx(1 + 7 + 0.1)
    known = ishigami_indices()
    assert known["S1"] == pytest.approx([0.3139, 0.4424, 0.0], abs=1e-4)     # Saltelli et al. (2008)
    assert known["ST"] == pytest.approx([0.5576, 0.4424, 0.2437], abs=1e-4)


def test_design_rows_set_parameters_like_overrides(tmp_path):
    design = tmp_path / "d.csv"
    design.write_text("adoption.w_social,collectives.founders,mechanisms.trust\n0.7,4,false\n0.9,x,true\n",
                      encoding="utf-8")
    base = load_config(["world=small", f"design.file={design}", "design.row=0"])
    assert (base.adoption.w_social, base.collectives.founders, base.mechanisms.trust) == (0.7, 4, False)
    assert with_design_row(base, 0) == base            # the fast path gives the composed config
    with pytest.raises(ConfigError, match="collectives.founders=x: must be a int"):
        with_design_row(base, 1)
    with pytest.raises(ConfigError, match="design.row=2"):
        load_config(["world=small", f"design.file={design}", "design.row=2"])


def test_sobol_through_the_machinery_recovers_the_ishigami_indices(cli, tmp_path):
    folder = tmp_path / "ishigami"
    args = ["--method", "sobol", "--n", "256", "--metric", "ishigami", "--dir", str(folder),
            *(f"--param=design.x{i}=-{PI}:{PI}" for i in (1, 2, 3)), "design.function=ishigami", "months=0"]
    r = cli.run(args, tmp_path, exe="vliegwiel-sensitivity")
    assert r.returncode == 0, r.stderr
    metrics = pd.read_parquet(folder / "metrics.parquet")
    assert len(metrics) == 256 * 5 and metrics["run"].is_unique       # N (D + 2) runs, each once
    table = pd.read_csv(folder / "sensitivity" / "indices.csv").set_index("parameter")
    known = ishigami_indices()
    for i, name in enumerate(("design.x1", "design.x2", "design.x3")):
        for index in ("S1", "ST"):
            estimate, half = table.loc[name, index], table.loc[name, f"{index}_conf"]
            assert abs(estimate - known[index][i]) <= half, (name, index, estimate, half)
    assert list(table["ST"].sort_values(ascending=False).index) == ["design.x1", "design.x2", "design.x3"]
    assert (folder / "sensitivity" / "indices.png").stat().st_size > 0
    assert "| design.x1 |" in (folder / "sensitivity" / "indices.md").read_text()


def test_morris_screening_of_the_model(cli, tmp_path):
    folder = tmp_path / "morris"
    args = ["--method", "morris", "--n", "4", "--metric", "participation_end", "--dir", str(folder),
            "--param", "adoption.w_social=0.5:1.5", "--param", "collectives.founding_rate=0.005:0.02",
            "world=small", "months=24"]
    r = cli.run(args, tmp_path, exe="vliegwiel-sensitivity")
    assert r.returncode == 0, r.stderr
    table = pd.read_csv(folder / "sensitivity" / "indices.csv")
    assert list(table["parameter"]) == ["adoption.w_social", "collectives.founding_rate"]
    assert (table["mu_star"] >= 0).all() and table["mu_star_conf"].notna().all()
    assert len(pd.read_parquet(folder / "metrics.parquet")) == 4 * 3                 # N (D + 1)
    again = cli.run(args, tmp_path, exe="vliegwiel-sensitivity")                     # resumes: nothing to run
    assert again.returncode == 0


def test_bad_sensitivity_input(cli, tmp_path):
    r = cli.run(["--param", "adoption.w_social=1:0.5", "--param", "x=0:1"], tmp_path, exe="vliegwiel-sensitivity")
    assert r.returncode == 2 and "LOW < HIGH" in r.stderr
    r = cli.run(["--param", "adoption.w_social=0:1", "--param", "collectives.founding_rate=0:7"], tmp_path,
                exe="vliegwiel-sensitivity")
    assert r.returncode == 2 and "collectives.founding_rate" in r.stderr

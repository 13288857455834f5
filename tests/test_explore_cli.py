"""`vliegwiel-explore` for real (subprocess tier): a small ensemble of the model end to end,
resumed; its point comparison against `vliegwiel scenario=compare_instruments` for the same
parameters and seeds; and bad input."""

from __future__ import annotations

import json

import pandas as pd

from sim.explore.table import CALIBRATED
from sim.instruments.registry import instrument_names

SMALL = ["world=small", "months=24"]


def test_a_small_exploration_end_to_end_and_resumed(cli, tmp_path):
    out = tmp_path / "explore"
    args = ["--worlds", "6", "--replicates", "2", "--point-replicates", "2", "--workers", "2",
            "--dir", str(out), *SMALL]
    done = cli.run(args, tmp_path, exe="vliegwiel-explore")
    assert done.returncode == 0, done.stderr
    data = json.loads((out / "robustness" / "summary.json").read_text())
    names = [p["name"] for p in data["policies"]]
    assert names[0] == "none" and names == list(instrument_names()) and data["worlds"] == 6 and data["replicates"] == 2
    assert data["calibration"]["used"] is True and set(data["calibration"]["keys"]) == set(CALIBRATED)
    for o in data["outcomes"]:
        assert o["margin_text"] and o["target_text"] and o["better"] in (1, -1)
    r = data["robustness"]["dialogue"]["participation_end"]
    assert set(r) == {"beats_baseline", "best", "regret", "satisficing", "level", "baseline_level", "ranks"}
    assert r["regret"]["mean"] >= 0 and 0 <= r["best"]["share"] <= 1
    assert sum(data["robustness"][n]["participation_end"]["best"]["share"] for n in names) >= 1 - 1e-9  # a best per world
    for box in data["boxes"]:
        assert box["sentence"]["en"] and box["sentence"]["nl"] and 0 <= box["coverage"] <= 1
    assert set(data["point"]["table"]) == set(names)       # the point comparison ran every instrument
    point = pd.read_parquet(out / "point" / "metrics.parquet")
    assert len(point) == 2 * len(names) and (point["seconds"] > 0).all()
    # the tidy table: every sampled input a column; one stream per world and replicate
    m = pd.read_parquet(out / "metrics.parquet")
    assert len(m) == 6 * len(names) * 2
    assert {f"param:{i['key']}" for i in data["inputs"]} <= set(m.columns)
    streams = m.groupby(["param:world", "replicate"])["run_seed"].nunique()
    assert (streams == 1).all() and m["run_seed"].nunique() == 12
    report = (out / "report.md").read_text()
    assert "## What you must believe" in report and "point comparison" in report
    assert (out / "point" / "report" / "report.md").exists()
    again = cli.run(args, tmp_path, exe="vliegwiel-explore")
    assert again.returncode == 0 and f"{len(m)} of {len(m)} runs already done" in again.stderr
    assert json.loads((out / "robustness" / "summary.json").read_text())["robustness"] == data["robustness"]


def test_the_point_comparison_equals_compare_instruments(cli, tmp_path):
    sweep = tmp_path / "compare"
    explore = tmp_path / "explore"
    a = cli.start(["scenario=compare_instruments", *SMALL, "replicate=range(0,2)", f"hydra.sweep.dir={sweep}",
                   "hydra.launcher.workers=1"], tmp_path)
    b = cli.start(["--worlds", "4", "--replicates", "1", "--point-replicates", "2", "--workers", "1",
                   "--dir", str(explore), *SMALL], tmp_path, exe="vliegwiel-explore")
    for done in (cli.wait(a), cli.wait(b)):
        assert done.returncode == 0, done.stderr
    mine = pd.read_parquet(explore / "point" / "metrics.parquet").set_index("run").sort_index()
    theirs = pd.read_parquet(sweep / "metrics.parquet").set_index("run").sort_index()
    assert list(mine.index) == list(theirs.index) and len(mine) == 2 * len(instrument_names())   # the same runs (keys)
    metrics = [c for c in theirs.columns if c not in ("scenario", "model_version", "seconds") and not c.startswith("param:")]
    pd.testing.assert_frame_equal(mine[metrics], theirs[metrics])
    assert (mine["scenario"] == theirs["scenario"]).all()


def test_bad_input_writes_nothing(cli, tmp_path):
    out = tmp_path / "nothing"
    done = cli.run(["--worlds", "3", "--dir", str(out)], tmp_path, exe="vliegwiel-explore")
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "--worlds 3" in done.stderr
    assert not out.exists()

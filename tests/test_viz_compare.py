"""The compare view's pure parts: comparison name -> folder (and what it refuses), the data
behind its figures and table (from sim/report), downloads, and a small run started from the page."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pandas as pd
import pytest

from sim.config import apply_overrides, load_config
from sim.experiments import Run
from sim.instruments.registry import instrument_names

from sim.report import figures as report_figures
from sim.report import stats
from sim.viz import compare_figures as cf
from sim.viz import comparisons, i18n, sweep_job
from sim.viz.comparisons import ComparisonError

FIXTURE = Path(__file__).parent / "fixtures" / "comparisons" / "tiny"


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    """A comparisons folder: the tiny fixture, a folder without metrics, an unfinished
    sweep, a broken metrics file, and a plain file."""
    root = tmp_path_factory.mktemp("results") / "comparisons"
    shutil.copytree(FIXTURE, root / "tiny")
    (root / "no_metrics").mkdir()
    (root / "unfinished" / "runs").mkdir(parents=True)
    (root / "broken").mkdir()
    (root / "broken" / "metrics.parquet").write_bytes(b"not parquet")
    (root / "notes.txt").write_text("x")
    return root


@pytest.fixture(scope="module")
def tiny(root) -> comparisons.Comparison:
    return comparisons.open_comparison(root, "tiny")


def test_names_are_the_folders_found(root, tmp_path):
    assert comparisons.list_names(root) == ["broken", "no_metrics", "tiny", "unfinished"]
    assert comparisons.list_names(tmp_path / "missing") == []
    assert comparisons.comparisons_dir(tmp_path) == tmp_path / "comparisons"


def test_a_known_name_resolves_to_its_folder(root):
    assert comparisons.resolve(root, "tiny") == (root / "tiny").resolve()


@pytest.mark.parametrize("name, reason", [
    ("../x", "compare.bad_name"), ("..", "compare.bad_name"), (".", "compare.bad_name"),
    ("/etc", "compare.bad_name"), ("/tmp", "compare.bad_name"), ("tiny/../tiny", "compare.bad_name"),
    ("", "compare.bad_name"), (None, "compare.bad_name"), (["tiny"], "compare.bad_name"), ("a" * 200, "compare.bad_name"),
    ("tiny\n", "compare.bad_name"), ("tiny\r\n", "compare.bad_name"), ("\ntiny", "compare.bad_name"),
    ("tiny\x00", "compare.bad_name"), ("t\u0131ny", "compare.bad_name"), ("tiny ", "compare.bad_name"),
    (10 ** 30, "compare.bad_name"), (float("nan"), "compare.bad_name"),
    ("nope", "compare.not_found"), ("notes.txt", "compare.not_found"),
    ("no_metrics", "compare.no_metrics"), ("unfinished", "compare.unfinished"),
])
def test_resolve_refuses_anything_but_a_finished_comparison_directly_inside(root, name, reason):
    with pytest.raises(ComparisonError) as err:
        comparisons.resolve(root, name)
    assert err.value.reason == reason


def test_a_name_with_a_final_newline_is_not_a_name(root):
    """`^...$` with `match` accepted 'tiny\\n' (`$` matches before a final newline): the
    pattern is used with fullmatch, for the names the browser sends and the folders listed."""
    assert comparisons.NAME.fullmatch("tiny") and not comparisons.NAME.fullmatch("tiny\n")
    odd = root / "odd\n"
    odd.mkdir()
    try:
        assert "odd\n" not in comparisons.list_names(root)
        with pytest.raises(ComparisonError, match="compare.bad_name"):
            comparisons.resolve(root, "odd\n")
    finally:
        odd.rmdir()


def test_a_link_leading_out_of_the_folder_is_refused(root, tmp_path):
    outside = tmp_path / "elsewhere"
    shutil.copytree(FIXTURE, outside)
    (root / "link").symlink_to(outside, target_is_directory=True)
    try:
        with pytest.raises(ComparisonError, match="compare.not_found"):
            comparisons.resolve(root, "link")
    finally:
        (root / "link").unlink()


def test_an_unreadable_comparison_is_an_error_not_a_crash(root):
    with pytest.raises(ComparisonError) as err:
        comparisons.open_comparison(root, "broken")
    assert err.value.reason == "compare.unreadable"


def test_loading_gives_runs_scenarios_and_the_report_table(tiny):
    metrics = pd.read_parquet(FIXTURE / "metrics.parquet")
    assert tiny.n_runs == 6 == len(metrics)
    assert tiny.baseline == "none" and tiny.scenarios == ["none", "dialogue", "subsidy"]
    assert tiny.runs == {"none": 2, "dialogue": 2, "subsidy": 2}
    pd.testing.assert_frame_equal(tiny.table, stats.compare(metrics))   # the report's own statistics
    assert set(tiny.curves["level"]) == {"region", "rogers"}
    assert "6 runs: none (baseline): 2; village dialogue: 2; subsidy: 2." == cf.runs_summary(tiny, "en")
    assert cf.runs_summary(tiny, "nl").startswith("6 runs: geen (vergelijkingsbasis): 2; dorpsdialoog: 2")


def test_band_data_is_the_reports_band(tiny):
    data = cf.bands_data(tiny)
    curves = pd.read_parquet(FIXTURE / "dataset.parquet")
    expected = report_figures.band(curves[curves["level"] == "region"])
    pd.testing.assert_frame_equal(data.reset_index(drop=True), expected.reset_index(drop=True))
    assert set(data["scenario"]) == {"none", "dialogue", "subsidy"} and data["n"].eq(2).all()
    assert (data["lo"] <= data["mean"]).all() and (data["mean"] <= data["hi"]).all()


def test_difference_data_are_the_paired_rows_of_the_table(tiny):
    d = cf.difference_data(tiny, "participation_end")
    rows = tiny.table[(tiny.table["metric"] == "participation_end") & (tiny.table["scenario"] != "none")]
    assert list(d["scenario"]) == list(rows["scenario"]) == ["dialogue", "subsidy"]
    assert d["diff"].tolist() == pytest.approx(rows["diff"].tolist())
    assert (d["n_pairs"] == 2).all()


def test_table_rows_show_mean_interval_difference_and_n_but_no_p_values(tiny):
    rows = cf.table_rows(tiny, "participation_end", "en")
    assert [r["scenario"] for r in rows] == ["none (baseline)", "village dialogue", "subsidy"]
    assert rows[0]["diff"] == "baseline" and set(rows[0]) == {"scenario", "mean", "diff", "n"}
    assert " pp [" in rows[1]["diff"] and "%" in rows[1]["mean"] and rows[1]["n"] == "2"
    d = tiny.table.query("metric == 'participation_end' and scenario == 'dialogue'")["diff"].iloc[0]
    assert rows[1]["diff"].startswith(f"{100 * d:+.1f} pp")
    md = cf.table_markdown(cf.table_rows(tiny, "participation_end", "nl"), "nl")
    assert md.splitlines()[0].startswith("| instrument | gemiddelde") and len(md.splitlines()) == 5
    assert "p (" not in md


def test_every_metric_has_a_name_in_both_languages(tiny):
    from sim import outcomes

    declared = [o.name for o in (*outcomes.METRICS, *outcomes.WITHDRAWAL_METRICS, *outcomes.PAIRED)]
    for metric in stats.metric_names(tiny.metrics) + declared:
        nl, en = cf.metric_label(metric, "nl"), cf.metric_label(metric, "en")
        assert nl != en or metric.startswith("bass_"), metric
        assert "_" not in nl and "_" not in en, (metric, nl, en)
    assert cf.metric_label("founded_energy", "nl") == "collectieven opgericht: energie"


def test_the_difference_figure_names_each_instrument_on_its_row(tiny):
    """The rows of the forest plot are the instruments, in the reader's language (not 0, 1, ...)."""
    for lang in i18n.LANGUAGES:
        fig = cf.difference_figure(tiny, "participation_end", lang)
        fig.canvas.draw()
        labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
        rows = cf.difference_data(tiny, "participation_end")
        assert labels == [cf.scenario_name(s, lang) for s in rows["scenario"]] and len(labels) == 2
        assert not any(label.strip("0123456789,.-") == "" for label in labels)   # names, not tick numbers


def test_figures_download_as_png_and_svg_and_their_data_as_csv(tiny):
    for lang in i18n.LANGUAGES:
        for fig in (cf.bands_figure(tiny, lang), cf.difference_figure(tiny, "months_to_2_5", lang)):
            assert cf.figure_bytes(fig, "png").startswith(b"\x89PNG")
            assert b"<svg" in cf.figure_bytes(fig, "svg")[:500]
    with pytest.raises(ValueError):
        cf.figure_bytes(cf.bands_figure(tiny, "en"), "../../x")
    csv = cf.csv_bytes(cf.bands_data(tiny)).decode()
    assert csv.startswith("scenario,month,mean,lo,hi,n\n")


def test_a_comparison_without_curves_still_has_its_table(root, tmp_path):
    shutil.copy(FIXTURE / "metrics.parquet", root / "no_metrics" / "metrics.parquet")
    try:
        cmp = comparisons.open_comparison(root, "no_metrics")
        assert cmp.curves is None and cf.bands_data(cmp).empty and cmp.n_runs == 6
    finally:
        (root / "no_metrics" / "metrics.parquet").unlink()


def test_a_run_from_the_page_takes_only_fixed_choices():
    req = sweep_job.Request(2, 12)
    assert req.name == "page_small_12m_2r" and req.total == 2 * len(instrument_names())
    runs = req.runs()
    assert len(runs) == 2 * len(instrument_names()) and {r.config.months for r in runs} == {12}
    assert {r.config.world.n_villages for r in runs} == {6}                       # the small world
    assert sorted({r.scenario for r in runs}) == sorted(instrument_names())
    assert sorted({r.config.replicate for r in runs}) == [0, 1]
    for bad in [(4, 12), (2, 13), (0, 12), (2, -1)]:
        with pytest.raises(ValueError):
            sweep_job.Request(*bad)


def _wait(job, seen: set) -> None:
    deadline = time.monotonic() + 120
    while job.running and time.monotonic() < deadline:
        seen.add(job.done())
        time.sleep(0.1)


def test_a_run_started_from_the_page_shows_progress_and_becomes_a_comparison(tmp_path):
    folder = tmp_path / "comparisons" / "page_test"
    base = load_config(["world=small", "months=3"])
    runs = [Run(apply_overrides(base, {"policy.instruments": [name]}), scenario=name) for name in ("none", "subsidy")]
    job = sweep_job.Job(folder, runs, total=2)
    seen: set = set()
    _wait(job, seen)
    assert not job.running
    assert job.finished and job.done() == 2 and job.error() == ""
    assert seen <= {0, 1, 2}
    cmp = comparisons.open_comparison(folder.parent, "page_test")
    assert cmp.n_runs == 2 and cmp.scenarios == ["none", "subsidy"]


def test_a_failing_run_reports_its_error(tmp_path):
    folder = tmp_path / "comparisons" / "page_bad"
    (folder / "runs").mkdir(parents=True)
    (folder / "runs" / ".lock").write_text("")
    import fcntl
    import os

    fd = os.open(folder / "runs" / ".lock", os.O_RDWR)   # another process holds the folder
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        job = sweep_job.Job(folder, [Run(load_config(["world=small", "months=1"]))], total=1)
        _wait(job, set())
        assert not job.finished and "another process" in job.error()
    finally:
        os.close(fd)

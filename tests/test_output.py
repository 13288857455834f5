"""write_run is atomic: a run folder appears whole under its final name, or not at all."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import sim.plots
from sim import load_config, run
import sim.cli.run_folder
from sim.cli.run_folder import write_run
from sim.cli.settings import OutputSettings
from sim.errors import DiskFull


@pytest.fixture(scope="module")
def results():
    return run(load_config(["world=small", "months=3"]))


def _to(results, out: Path, name: str = "", plot: bool = True):
    """write_run's arguments: the results, written to another folder."""
    return results, None, OutputSettings(dir=str(out), name=name, plot=plot)


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


class Boom(RuntimeError):
    pass


@pytest.mark.parametrize("error", [Boom, KeyboardInterrupt])
def test_failing_figure_leaves_no_folder(results, tmp_path, monkeypatch, error):
    out = tmp_path / "runs"
    seen = {}

    def broken_plot(res, path):
        folder = Path(path).parent
        seen["folder"] = folder
        seen["files"] = _names(folder)
        seen["final_exists"] = (out / "myrun").exists()
        raise error("disk full while drawing")

    monkeypatch.setattr(sim.plots, "adoption_by_rogers", broken_plot)
    with pytest.raises(error, match="disk full"):
        write_run(*_to(results, out, name="myrun"))
    # the failure came mid-write: the tables were already in the hidden folder ...
    assert seen["folder"].parent == out
    assert seen["folder"].name.startswith(".myrun.partial-")
    assert "region.parquet" in seen["files"]
    assert seen["final_exists"] is False
    # ... and afterwards neither the final nor the partial folder remains
    assert _names(out) == []


def test_failing_parquet_leaves_no_folder(results, tmp_path, monkeypatch):
    out = tmp_path / "runs"
    real = pd.DataFrame.to_parquet
    calls = []

    def flaky(self, path, *args, **kwargs):
        calls.append(Path(path).name)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real(self, path, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_parquet", flaky)
    with pytest.raises(DiskFull, match=f"no space left on the device while writing {out}"):
        write_run(*_to(results, out))
    assert len(calls) == 3  # two tables were written before the failure
    assert _names(out) == []


def test_write_run_writes_one_whole_folder_and_never_overwrites(results, tmp_path):
    out = tmp_path / "runs"
    first = write_run(*_to(results, out, name="same", plot=False))
    second = write_run(*_to(results, out, name="same", plot=False))
    third = write_run(*_to(results, out, name="same", plot=False))
    assert (first.name, second.name, third.name) == ("same", "same-2", "same-3")
    assert _names(out) == ["same", "same-2", "same-3"]  # no hidden partial folders
    for folder in (first, second, third):
        assert {"config.yaml", "manifest.json", "region.parquet"} <= set(_names(folder))
        assert not any(n.startswith(".") or n.endswith(".tmp") for n in _names(folder))
    pd.testing.assert_frame_equal(pd.read_parquet(first / "region.parquet"), results.region)


def test_a_name_taken_while_writing_moves_on_to_the_next_name(results, tmp_path, monkeypatch):
    """Another run finishes under the same name between the check and the rename."""
    import os


    out = tmp_path / "runs"
    real_rename = os.rename
    raced = []

    def racing(src, dst):
        if not raced:  # another run finishes under the same name right now
            raced.append(dst)
            os.mkdir(dst)
            (Path(dst) / "manifest.json").write_text("{}", encoding="utf-8")
        return real_rename(src, dst)

    monkeypatch.setattr(sim.cli.run_folder.os, "rename", racing)
    folder = write_run(*_to(results, out, name="same", plot=False))
    assert folder.name == "same-2"
    assert (out / "same" / "manifest.json").read_text(encoding="utf-8") == "{}"  # the other run is intact
    assert (folder / "region.parquet").is_file()

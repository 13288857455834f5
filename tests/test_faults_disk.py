"""A full disk (fault suite, part 3): every command on a small tmpfs that fills up.

Each case asserts: exit status 1, one line naming the path that could not be written (on the
full disk, not a setting's name), no traceback, nothing half-written left, every record that
is there whole; and after space is freed, the same command finishes with exactly the
records an uninterrupted run writes. Mounting a tmpfs needs root (CI runs as root); where
that is not possible the cases are skipped and say why.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from sim.experiments import records

pytestmark = pytest.mark.subprocess
BIN = Path(sys.executable).parent


@pytest.fixture
def disk(tmp_path):
    """A 6 MB tmpfs at tmp_path/disk, and a function that leaves only `kb` of it free."""
    where = tmp_path / "disk"
    where.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root (CI runs as root)")
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", str(where)], capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {r.stderr.strip()}")

    def leave(kb: int) -> Path:
        filler = where / f".filler-{uuid.uuid4().hex[:6]}"
        st = os.statvfs(where)
        free = st.f_bavail * st.f_frsize
        with open(filler, "wb") as f:
            f.write(b"\0" * max(free - kb * 1024, 0))
        return filler

    yield where, leave
    subprocess.run(["umount", "-l", str(where)], capture_output=True)


def _run(exe: str, args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / exe), *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def _one_line_about_the_disk(r: subprocess.CompletedProcess, where: Path) -> None:
    assert r.returncode == 1, (r.returncode, r.stderr)
    assert "Traceback" not in r.stderr, r.stderr
    last = r.stderr.strip().splitlines()[-1]
    assert "no space left on the device while writing" in last and str(where) in last, last
    assert "output.dir" not in last or "sweep" in last


def _no_partials(where: Path) -> None:
    left = [str(p) for p in where.rglob("*") if ".partial" in p.name]
    assert not left, left


SWEEP = ["-m", "world=small", "months=24", "replicate=range(0,12)"]


def test_a_sweep_stops_on_a_full_disk_and_finishes_after_space_is_freed(disk, tmp_path):
    where, leave = disk
    filler = leave(250)
    folder = where / "sweep"
    r = _run("vliegwiel", [*SWEEP, f"hydra.sweep.dir={folder}"], tmp_path)
    _one_line_about_the_disk(r, folder)
    _no_partials(where)
    kept = sorted((folder / "runs").glob("*.parquet"))
    assert 0 < len(kept) < 12
    for p in kept:
        records.check(p)
    filler.unlink()
    again = _run("vliegwiel", [*SWEEP, f"hydra.sweep.dir={folder}"], tmp_path)
    assert again.returncode == 0, again.stderr
    assert len(list((folder / "runs").glob("*.parquet"))) == 12
    clean = _run("vliegwiel", [*SWEEP, f"hydra.sweep.dir={tmp_path / 'clean'}"], tmp_path)
    assert clean.returncode == 0
    assert {p.name for p in (folder / "runs").glob("*.parquet")} == \
        {p.name for p in (tmp_path / "clean" / "runs").glob("*.parquet")}
    _no_partials(where)


def test_a_single_run_on_a_full_disk_leaves_no_folder(disk, tmp_path):
    where, leave = disk
    leave(100)
    r = _run("vliegwiel", ["world=small", "months=12", f"output.dir={where / 'runs'}"], tmp_path)
    _one_line_about_the_disk(r, where / "runs")
    assert [p.name for p in (where / "runs").iterdir()] == []
    _no_partials(where)


def test_collect_on_a_full_disk_says_so_and_keeps_the_records(disk, tmp_path):
    where, leave = disk
    folder = where / "sweep"
    assert _run("vliegwiel", [*SWEEP[:3], "replicate=range(0,4)", f"hydra.sweep.dir={folder}"], tmp_path).returncode == 0
    before = sorted(p.name for p in (folder / "runs").glob("*.parquet"))
    leave(20)
    r = _run("vliegwiel-collect", [str(folder)], tmp_path)
    _one_line_about_the_disk(r, folder)
    assert sorted(p.name for p in (folder / "runs").glob("*.parquet")) == before
    _no_partials(where)


def test_sensitivity_on_a_full_disk(disk, tmp_path):
    where, leave = disk
    leave(120)
    r = _run("vliegwiel-sensitivity", ["--method", "morris", "--n", "4", "--dir", str(where / "s"),
                                       "--param", "adoption.w_social=0.5:1.5", "--param",
                                       "collectives.founding_rate=0.005:0.02", "world=small", "months=12"], tmp_path)
    _one_line_about_the_disk(r, where / "s")
    _no_partials(where)


def test_validation_on_a_full_disk_is_not_a_failed_check(disk, tmp_path):
    where, leave = disk
    leave(8)
    r = _run("vliegwiel-validate", ["--fast", "--only", "bass_closed_form", "--out", str(where / "v")], tmp_path)
    _one_line_about_the_disk(r, where / "v")
    assert "FAILED" not in r.stderr
    _no_partials(where)

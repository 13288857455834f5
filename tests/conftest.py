"""Shared fixtures (the real `vliegwiel` console script, run as a subprocess) and test tiers.

Tiers (markers, see pyproject.toml): a test that starts processes which import the package
(console scripts, worker pools, submitit, the page's server) is `subprocess`; one that drives
Chromium is `browser`. `make test-fast` runs the rest (in-process, under two minutes);
`make test` runs everything. Tests using the `cli` fixture are marked `subprocess` here.
`--shuffle SEED` runs the tests in a random order (make test-random): they must pass in any
order and in any subset.

Every CLI process pays ~2 s for importing mesa and pandas, so tests that need several start
them together (`cli.start`) and collect the results afterwards (`cli.wait`).
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

VLIEGWIEL = Path(sys.executable).parent / "vliegwiel"
TIMEOUT = 180


@dataclass
class CliResult:
    args: list[str]
    returncode: int
    stdout: str
    stderr: str


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("HYDRA_FULL_ERROR", None)  # would turn one-line errors into tracebacks
    return env


class Cli:
    """Start `vliegwiel ...` (or `python -m sim.cli ...`) in a given working directory."""

    exe = VLIEGWIEL

    def start(self, args: list[str], cwd: Path, module: bool = False,
              exe: str = "vliegwiel", env: dict[str, str] | None = None) -> tuple[list[str], subprocess.Popen]:
        """`exe` names a console script of the package (vliegwiel, vliegwiel-collect); `env`
        adds environment variables."""
        cmd = [sys.executable, "-m", "sim.cli", *args] if module else [str(self.exe.with_name(exe)), *args]
        proc = subprocess.Popen(cmd, cwd=cwd, env={**_env(), **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                stdin=subprocess.DEVNULL, text=True)
        return cmd, proc

    @staticmethod
    def wait(started: tuple[list[str], subprocess.Popen]) -> CliResult:
        cmd, proc = started
        try:
            out, err = proc.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
            pytest.fail(f"{cmd} did not finish within {TIMEOUT} s:\n{err}")
        return CliResult(cmd, proc.returncode, out, err)

    def run(self, args: list[str], cwd: Path, module: bool = False, exe: str = "vliegwiel") -> CliResult:
        return self.wait(self.start(args, cwd, module, exe=exe))


@pytest.fixture(scope="session")
def cli() -> Cli:
    """The console script next to this interpreter (the package's `vliegwiel` entry point)."""
    if not VLIEGWIEL.exists():
        pytest.fail(f"console script {VLIEGWIEL} is missing; install the package (make install)")
    return Cli()


def pytest_addoption(parser) -> None:
    parser.addoption("--shuffle", type=int, default=None, metavar="SEED",
                     help="run the tests in a random order drawn with SEED")


def pytest_collection_modifyitems(config, items) -> None:
    for item in items:
        names = getattr(item, "fixturenames", ())
        if "cli" in names:
            item.add_marker(pytest.mark.subprocess)
        if "browser" in names or item.nodeid.startswith("tests/test_viz_browser"):
            item.add_marker(pytest.mark.browser)
    seed = config.getoption("--shuffle")
    if seed is not None:
        random.Random(seed).shuffle(items)

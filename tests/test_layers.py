"""The layering holds: nothing imports upward, and Hydra lives only in the command line.

    command line (sim/cli/, the analyses' cli.py) and page (sim/viz/)
    analyses (calibrate, sensitivity, validate, explore, report)
    experiment layer (sim/experiments/)
    model (state, rules, phases, agents, instruments, outcomes) and typed parameters

Checked on the source (every import statement, also inside functions), so a violation fails
here whatever the tests happen to import.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SIM = Path(__file__).resolve().parents[1] / "sim"
HYDRA = ("hydra", "omegaconf")
ANALYSES = ("calibrate", "sensitivity", "validate", "explore", "report")
ABOVE_MODEL = ("cli", "viz", "experiments", *ANALYSES)


def _imports(path: Path) -> set[str]:
    """Absolute module names imported by `path` (relative imports resolved against sim)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ["sim", *path.relative_to(SIM).parent.parts]
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                mod = ".".join([*base, node.module] if node.module else base)
                out.add(mod)
                out |= {f"{mod}.{a.name}" for a in node.names}
            else:
                out.add(node.module or "")
    return out


def _layer(path: Path) -> str:
    rel = path.relative_to(SIM)
    top = rel.parts[0] if len(rel.parts) > 1 else rel.stem
    if rel.name.startswith("cli") or top == "cli" or rel.name == "__main__.py":
        return "cli"
    return top


SOURCES = sorted(SIM.rglob("*.py"))


def test_the_sources_are_found():
    assert len(SOURCES) > 60 and any(p.name == "model.py" for p in SOURCES)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(SIM)))
def test_hydra_only_in_the_command_line(path):
    hydra = sorted(m for m in _imports(path) if m.split(".")[0] in HYDRA)
    if hydra:
        assert _layer(path) == "cli", f"{path.relative_to(SIM)} imports {hydra}: keep Hydra in sim/cli/"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(SIM)))
def test_nothing_imports_upward(path):
    layer = _layer(path)
    ours = {m.split(".")[1] for m in _imports(path) if m.startswith("sim.") and len(m.split(".")) > 1}
    if layer in ("cli", "viz"):
        return                                          # the top may use everything
    if layer in ANALYSES:
        bad = ours & {"cli", "viz"}
    elif layer == "experiments":
        bad = ours & {"cli", "viz", *ANALYSES}
    else:                                               # the model and its parameters
        bad = ours & set(ABOVE_MODEL)
    assert not bad, f"{path.relative_to(SIM)} ({layer}) imports {sorted(bad)}, a layer above it"

"""The docs follow the code: the ODD parameter table, file paths, excerpts and examples.

- docs/ODD.md's parameter block is exactly what `python -m sim.paramdoc` renders now;
- every repository path named in backticks in docs/*.md and README.md exists;
- every `<!-- excerpt: FILE -->` code block in the docs appears verbatim in FILE;
- every `<!-- run -->` Python block in the docs runs.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from sim import paramdoc

ROOT = Path(__file__).resolve().parents[1]
DOCS = sorted((ROOT / "docs").glob("*.md")) + [p for p in [ROOT / "README.md"] if p.exists()]
FENCE = re.compile(r"^```[^\n]*\n(.*?)^```[ \t]*$", re.M | re.S)
MARKED = re.compile(r"<!--\s*(run|excerpt:\s*(\S+))\s*-->\s*\n```[^\n]*\n(.*?)^```[ \t]*$", re.M | re.S)
PATH = re.compile(r"[\w.-]+(?:/[\w.-]+)+/?|[\w.-]+/")
EXTENSIONS = {".py", ".md", ".yaml", ".yml", ".csv", ".toml", ".txt", ".json", ".cfg", ".ini", ".sh"}


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


# --- the ODD parameter table ----------------------------------------------------------------

def test_odd_parameter_block_equals_the_rendered_table():
    # rendered in a fresh interpreter: rules that other tests register in this process
    # must not leak into the choices of adoption.rule
    fresh = subprocess.run([sys.executable, "-c", "from sim.paramdoc import param_table; print(param_table(), end='')"],
                           cwd=ROOT, capture_output=True, text=True, timeout=120, check=True).stdout
    block = paramdoc.current_block(paramdoc.ODD.read_text(encoding="utf-8"))
    assert block == fresh, "docs/ODD.md's parameter table is stale: run python -m sim.paramdoc"
    assert "`adoption.contagion_k`" in block and block.count("\n") > 100


def test_paramdoc_check_and_rewrite(tmp_path):
    odd = tmp_path / "ODD.md"
    text = paramdoc.ODD.read_text(encoding="utf-8")
    stale = paramdoc.replace_block(text, "| key | default |\n|---|---|\n| `old.key` | 1 |\n")
    odd.write_text(stale, encoding="utf-8")
    assert paramdoc.main(["--check", "--file", str(odd)]) == 1
    assert odd.read_text(encoding="utf-8") == stale  # --check never writes
    assert paramdoc.main(["--file", str(odd)]) == 0
    assert paramdoc.main(["--check", "--file", str(odd)]) == 0
    new = odd.read_text(encoding="utf-8")
    assert new.split(paramdoc.START)[0] == text.split(paramdoc.START)[0]  # text around the block kept
    assert new.split(paramdoc.END)[1] == text.split(paramdoc.END)[1]
    assert [p.name for p in tmp_path.iterdir()] == ["ODD.md"]  # no temporary file left behind


def test_paramdoc_without_markers_fails_cleanly(tmp_path):
    plain = tmp_path / "plain.md"
    plain.write_text("# no markers here\n", encoding="utf-8")
    assert paramdoc.main(["--check", "--file", str(plain)]) == 2
    assert paramdoc.main(["--file", str(plain)]) == 2
    assert plain.read_text(encoding="utf-8") == "# no markers here\n"


def test_table_renders_ranges_choices_and_defaults():
    rows = {line.split(" | ")[0].strip("| `"): line for line in paramdoc.param_table().splitlines()[2:]}
    assert "| 42 | integer | 0 to 4294967295 |" in rows["seed"]
    assert "one of: watts_strogatz, erdos_renyi, barabasi_albert, edge_list" in rows["network.kind"]
    assert "one of: threshold, bass, flywheel, complex_contagion" in rows["adoption.rule"]  # callable choices
    assert "| [none] | names | any of: none, subsidy, prize, tender, shareholding, right_to_challenge, dialogue, learning_network, broker |" in rows["policy.instruments"]  # the registry order
    assert "| true | switch | true, false |" in rows["mechanisms.awareness"]
    assert "| 100000 | EUR |" in rows["collectives.themes.energy.project_cost"]


# --- paths, excerpts and examples -----------------------------------------------------------

def _inline_code(text: str) -> list[str]:
    """Inline code spans outside fenced code blocks."""
    return re.findall(r"`([^`\n]+)`", FENCE.sub("", text))


def _paths(text: str) -> list[str]:
    found = []
    for span in _inline_code(text):
        if PATH.fullmatch(span) and (span.endswith("/") or Path(span).suffix in EXTENSIONS):
            found.append(span)
    return found


def _generated(path: str) -> bool:
    """A path git ignores (run outputs under results/) may be absent in a fresh checkout."""
    try:
        return subprocess.run(["git", "check-ignore", "-q", "--no-index", path], cwd=ROOT,
                              capture_output=True, timeout=30).returncode == 0
    except OSError:
        return False


@pytest.mark.parametrize("doc", DOCS, ids=_name)
def test_paths_named_in_docs_exist(doc):
    paths = _paths(doc.read_text(encoding="utf-8"))
    missing = [p for p in paths if not (ROOT / p).exists() and not _generated(p)]
    assert not missing, f"{_name(doc)} names paths that do not exist: {missing}"


def test_path_detection_finds_paths():
    odd = _paths((ROOT / "docs" / "ODD.md").read_text(encoding="utf-8"))
    assert {"sim/model.py", "sim/rules/contagion.py", "sim/dynamics/collectives.py"} <= set(odd)
    assert _paths("`sim/nowhere.py` and `a/b` and `results/runs/<name>/` and `x = 1/12`") == ["sim/nowhere.py"]


def _marked_blocks(kind: str) -> list[tuple[str, str, str]]:
    """(doc, target file or '', code) of every block marked <!-- run --> or <!-- excerpt: FILE -->."""
    out = []
    for doc in DOCS:
        for m in MARKED.finditer(doc.read_text(encoding="utf-8")):
            if m.group(1) == "run" and kind == "run":
                out.append((_name(doc), "", m.group(3)))
            elif m.group(1) != "run" and kind == "excerpt":
                out.append((_name(doc), m.group(2), m.group(3)))
    return out


EXCERPTS = _marked_blocks("excerpt")
RUNS = _marked_blocks("run")


def test_docs_have_excerpts_and_examples():
    assert len(EXCERPTS) >= 5 and len(RUNS) >= 3


@pytest.mark.parametrize(("doc", "target", "code"), EXCERPTS, ids=[f"{d}:{t}" for d, t, _ in EXCERPTS])
def test_excerpts_appear_verbatim_in_their_file(doc, target, code):
    lines = [ln.rstrip() for ln in code.rstrip("\n").split("\n")]
    source = [ln.rstrip() for ln in (ROOT / target).read_text(encoding="utf-8").split("\n")]
    starts = [i for i in range(len(source) - len(lines) + 1) if source[i : i + len(lines)] == lines]
    assert starts, f"an excerpt in {doc} is no longer in {target} (first line: {lines[0]!r})"


@pytest.mark.parametrize(("doc", "target", "code"), RUNS, ids=[f"{d}:{i}" for i, (d, _, _) in enumerate(RUNS)])
def test_examples_run(doc, target, code, capsys):
    exec(compile(code, f"<example in {doc}>", "exec"), {"__name__": "__doc_example__"})
    assert capsys.readouterr().out.strip()

"""The parameter tables of docs/ODD.md, rendered from the schema's metadata.

Every parameter is declared once with `param(...)` (sim/config/params.py). This module
renders two blocks and keeps them, each between its markers in docs/ODD.md, in step with the
code:

    params:     every parameter (key, default, unit, allowed range, source, meaning)
    plausible:  the uncertainty table: every parameter with a plausible range (what
                exploratory modelling, sim/explore/, draws its worlds from) and its reason

    python -m sim.paramdoc            rewrite the blocks in docs/ODD.md
    python -m sim.paramdoc --check    exit 1 if a block differs from the code
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from .config.params import iter_params, iter_plausible
from .config.schema import Config

ODD = Path(__file__).resolve().parents[1] / "docs" / "ODD.md"
START, END = "<!-- params:start -->", "<!-- params:end -->"
HEADER = ("| key | default | unit | allowed | source | meaning |", "|---|---|---|---|---|---|")
PLAUSIBLE = ("<!-- plausible:start -->", "<!-- plausible:end -->")
PLAUSIBLE_HEADER = ("| key | default | plausible range | unit | valid range | why this range |",
                    "|---|---|---|---|---|---|")


def param_table(cfg: Config | None = None) -> str:
    """Markdown table of every parameter: key, default, unit, range or choices, source, meaning."""
    rows = list(HEADER)
    for key, value, meta in iter_params(cfg if cfg is not None else Config()):
        cells = (f"`{key}`", _value(value), meta.get("unit", ""), _allowed(value, meta),
                 meta.get("source", ""), meta.get("help", ""))
        rows.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(rows) + "\n"


def plausible_table(cfg: Config | None = None) -> str:
    """Markdown table of every parameter with a plausible range: key, default, range, unit,
    valid range and the reason (a source or "assumption: ...")."""
    rows = list(PLAUSIBLE_HEADER)
    for key, value, (lo, hi), reason, meta in iter_plausible(cfg if cfg is not None else Config()):
        cells = (f"`{key}`", _value(value), f"{_num(lo)} to {_num(hi)}", meta.get("unit", ""),
                 _allowed(value, meta), reason)
        rows.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(rows) + "\n"


def blocks() -> dict[tuple[str, str], str]:
    """{(start marker, end marker): rendered table} of every generated block."""
    return {(START, END): param_table(), PLAUSIBLE: plausible_table()}


def _cell(text: str) -> str:
    """Escape what Markdown would read as table syntax or HTML (e.g. <date> in a help text)."""
    text = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("|", "\\|").replace("\n", " ")


def _num(x: float) -> str:
    """Shortest faithful form: 0.05, 300000, 4294967295, 1e9; integers without a decimal point."""
    if isinstance(x, float) and x.is_integer() and abs(x) < 2**53:
        x = int(x)
    if isinstance(x, int):
        if abs(x) >= 10**7 and x % 10**6 == 0:
            mantissa, exp = f"{x:e}".split("e")
            return f"{float(mantissa):g}e{int(exp)}"
        return str(x)
    short = f"{x:g}"
    return short if float(short) == x else repr(x)


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return _num(value)
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return "''" if value == "" else str(value)


def _allowed(value: object, meta) -> str:
    choices = meta.get("choices")
    if callable(choices):
        choices = choices()
    if choices:
        return ("any of: " if isinstance(value, list) else "one of: ") + ", ".join(choices)
    if isinstance(value, bool):
        return "true, false"
    lo, hi = meta.get("lo"), meta.get("hi")
    if lo is not None and hi is not None:
        return f"{_num(lo)} to {_num(hi)}"
    if lo is not None:
        return f">= {_num(lo)}"
    if hi is not None:
        return f"<= {_num(hi)}"
    return ""


def replace_block(text: str, table: str, markers: tuple[str, str] = (START, END)) -> str:
    """`text` with the part between the markers replaced by `table`."""
    (s, e) = markers
    start, end = text.find(s), text.find(e)
    if start < 0 or end < start:
        raise ValueError(f"markers {s} ... {e} not found (in that order)")
    return text[: start + len(s)] + "\n" + table + text[end:]


def current_block(text: str, markers: tuple[str, str] = (START, END)) -> str:
    """What stands between the markers now (without the newline after the start marker)."""
    (s, e) = markers
    start, end = text.find(s), text.find(e)
    if start < 0 or end < start:
        raise ValueError(f"markers {s} ... {e} not found (in that order)")
    return text[start + len(s) :][: end - start - len(s)].removeprefix("\n")


def write_atomic(path: Path, text: str) -> None:
    """Write to a temporary file in the same folder, then rename over `path`."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sim.paramdoc", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the block in the file is stale")
    parser.add_argument("--file", type=Path, default=ODD, help="Markdown file with the markers (default docs/ODD.md)")
    args = parser.parse_args(argv)
    try:
        text = args.file.read_text(encoding="utf-8")
        new = text
        for markers, table in blocks().items():
            new = replace_block(new, table, markers)
    except (OSError, ValueError) as exc:
        print(f"paramdoc: {args.file}: {exc}", file=sys.stderr)
        return 2
    stale = new != text
    if args.check:
        if stale:
            print(f"paramdoc: the parameter tables in {args.file} are stale; run python -m sim.paramdoc", file=sys.stderr)
            return 1
        return 0
    if stale:
        write_atomic(args.file, new)
        print(f"paramdoc: rewrote the parameter tables in {args.file}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
